//go:build e2e && !scale

package e2e

// functionProfileArgs are empty outside the scale benchmark: the suite
// takes no profiles.
var functionProfileArgs []string
