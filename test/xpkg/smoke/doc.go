// Package smoke runs the function binary taken out of the built amd64
// Function package the way a cluster would, as uid 65532, and calls it with
// the production example. Its tests run from make xpkg-verify.
package smoke
