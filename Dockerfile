# syntax=docker/dockerfile:1
# The function's runtime image, for teams that build with Docker (BuildKit):
#
#   docker buildx build --platform linux/amd64,linux/arm64 -t function-agentops:dev .
#
# `make xpkg` builds the same layout without Docker (tools/runtime-image):
# a static binary at /function, run as 65532:65532, gRPC on 9443. Package it
# with: crossplane xpkg build --package-root=package --embed-runtime-image=IMAGE

ARG GO_VERSION=1.26

# Cross-compile on the build machine's platform: CGO is off, so no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# Only what the binary is built from, so docs and tests don't bust the cache.
COPY apis/ apis/
COPY input/ input/
COPY fn/ fn/
# The build flags are written once, in tools/build-function.sh (make build
# and make xpkg run it too).
COPY tools/build-function.sh tools/
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} tools/build-function.sh --release /function

# distroless static: no shell, no libc; its nonroot user is 65532.
FROM gcr.io/distroless/static-debian12:nonroot AS image
COPY --from=build /function /function
EXPOSE 9443
USER 65532:65532
ENTRYPOINT ["/function"]
