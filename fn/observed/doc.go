// Package observed reads the observed state of a RunFunctionRequest: the XR
// and the composed resources, each with only the fields the function reads
// of it (fields.go, and health.ReadFields per composed kind).
//
// It reads them in two places: TrimRequest cuts the request on the wire
// before gRPC decodes it (the server's codec calls it), and Composite and
// Composed convert what is left into the unstructured objects fn/agent,
// fn/health and fn/status read. Both read the same field lists, so a field
// added to one is kept by the other.
package observed
