// Package reliability proves the function's promises of robustness and
// security with tests: bad input refused by the XRD schema (checked with the
// API server's own validation code) or by the function, the composed pods
// under Pod Security Standards "restricted" (checked with the upstream
// policy code), no secret value in any output, the NetworkPolicy's meaning,
// and RunFunction under load.
//
// It is a module of its own so that the API server's validation libraries
// stay out of the function's dependencies.
package reliability
