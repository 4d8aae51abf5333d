// Package structcodec converts between the function's Go values and the
// protobuf Structs of the function protocol, on the hot path of every call.
//
//   - An Encoder writes a typed Kubernetes object as the Struct that
//     encoding/json followed by a JSON-to-Struct parse would give, nulls
//     left out, without the JSON text in between, sharing equal strings
//     within a response (GetEncoder, Object, PutEncoder).
//   - String, Number, Bool, Struct and List make Values with one allocation
//     each, for code that builds Structs by hand.
//   - JSONFieldNames is the field plan: the names encoding/json gives a
//     struct type's fields, worked out once per type.
//   - Equal and Fingerprint compare Structs exactly and hash them, without
//     allocating, for the cache of the Composition's input.
//
// BENCHMARKS.md says what each replaced and what it saved; the tests hold
// the Encoder to encoding/json.
package structcodec
