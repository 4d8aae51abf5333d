#!/usr/bin/env bash
# Builds the function's binary: the one place its build flags are written
# (make build, make xpkg and the Dockerfile run this; tests get the binary
# make built, in FUNCTION_BIN). grpcnotrace leaves out gRPC's
# golang.org/x/net/trace, whose html/template keeps every exported method in
# the binary: 34 MB less 7, and less memory (BENCHMARKS.md).
#
#   tools/build-function.sh OUT             the binary for this machine
#   tools/build-function.sh --release OUT   stripped, for the packages and images
#
# GOOS and GOARCH come from the environment; the source is the repository
# this script is in.
set -euo pipefail

ldflags=()
if [[ ${1:-} == --release ]]; then
	ldflags=("-ldflags=-s -w")
	shift
fi
if [[ $# -ne 1 ]]; then
	echo "usage: $0 [--release] OUT" >&2
	exit 2
fi
out=$1
[[ $out == /* ]] || out=$PWD/$out
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CGO_ENABLED=0 exec go build -trimpath -tags grpcnotrace "${ldflags[@]}" -o "$out" ./fn/cmd/function
