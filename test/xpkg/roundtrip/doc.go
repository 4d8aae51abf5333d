// Package roundtrip pushes the built packages to a local OCI registry with
// the crossplane CLI, the Function as one multi-arch tag, pulls them back
// and checks they are the packages that were built. Its tests run from make
// xpkg-verify.
package roundtrip
