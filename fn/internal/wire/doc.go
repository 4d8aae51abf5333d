// Package wire reads and rewrites protobuf messages in their wire form,
// without decoding them: the primitives fn/observed cuts a request's
// observed objects with before gRPC decodes it.
//
// Each function walks a message with explicit loops over its fields, and
// returns false where the wire is not as Go's protobuf encodes a message (a
// malformed length, a field repeated that is sent once), so that the caller
// decodes the wire itself and reports what is wrong. Range-over-func
// iterators and a shared field-splitting helper were measured slower
// (BENCHMARKS.md).
package wire
