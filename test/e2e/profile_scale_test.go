//go:build e2e && scale

package e2e

// functionProfileArgs make the function serve pprof on loopback in the scale
// benchmark, as Crossplane does with --profile: a profile says where a
// call's CPU goes.
var functionProfileArgs = []string{"--profile-address=127.0.0.1:0"}
