package server

import (
	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// TrimFunc appends to dst the wire of a RunFunctionRequest with what the
// function does not read cut out, or returns false to have wire decoded as
// it is. fn/cmd/function sets fn/observed's TrimRequest; the server imports
// nothing of the function.
type TrimFunc func(dst, wire []byte) ([]byte, bool)

// trimmingCodec is gRPC's protobuf codec, but RunFunctionRequests are
// trimmed on the wire before they are decoded: decoding is most of a call's
// cost, and its memory is held while the call runs.
type trimmingCodec struct {
	encoding.CodecV2

	trim TrimFunc
}

func newTrimmingCodec(trim TrimFunc) trimmingCodec {
	return trimmingCodec{CodecV2: encoding.GetCodecV2(grpcproto.Name), trim: trim}
}

func (c trimmingCodec) Unmarshal(data mem.BufferSlice, v any) error {
	req, ok := v.(*fnv1.RunFunctionRequest)
	if !ok {
		return c.CodecV2.Unmarshal(data, v)
	}
	// Not gRPC's buffer pool, as its codec does: a request is copied out of
	// it in a few microseconds, after which the pool would keep a 64 KiB
	// buffer per call in flight, 12 MiB of the server's peak at concurrency
	// 64 (BENCHMARKS.md). A steady-state request trims to about a seventh.
	wire := data.Materialize()
	trimmed, ok := c.trim(make([]byte, 0, len(wire)/4), wire)
	if !ok {
		trimmed = wire
	}
	return proto.Unmarshal(trimmed, req)
}
