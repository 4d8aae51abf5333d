package server_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/credentials/insecure"
	healthgrpc "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	fnv1beta1 "github.com/crossplane/function-sdk-go/proto/v1beta1"

	"github.com/agentops-io/agentops/fn/server"
)

// recording keeps the last request it was called with.
type recording struct {
	echo

	mu   sync.Mutex
	last *fnv1.RunFunctionRequest
}

func (r *recording) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	r.mu.Lock()
	r.last = proto.CloneOf(req)
	r.mu.Unlock()
	return r.echo.RunFunction(ctx, req)
}

func (r *recording) request() *fnv1.RunFunctionRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// dropInput trims a request of its input.
func dropInput(dst, wire []byte) ([]byte, bool) {
	input := (&fnv1.RunFunctionRequest{}).ProtoReflect().Descriptor().Fields().ByName("input").Number()
	for len(wire) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(wire)
		if tagLen < 0 {
			return dst, false
		}
		valueLen := protowire.ConsumeFieldValue(n, typ, wire[tagLen:])
		if valueLen < 0 {
			return dst, false
		}
		if n != input {
			dst = append(dst, wire[:tagLen+valueLen]...)
		}
		wire = wire[tagLen+valueLen:]
	}
	return dst, true
}

// TestTrimRequest: with Config.TrimRequest the function is called with the
// request trimmed, unless the trim declines; other messages are decoded as
// gRPC decodes them.
func TestTrimRequest(t *testing.T) {
	sent := request(t, "tagged", 1024)
	withoutInput := proto.CloneOf(sent)
	withoutInput.Input = nil

	type args struct {
		trim server.TrimFunc
	}
	cases := map[string]struct {
		reason string
		args   args
		want   *fnv1.RunFunctionRequest
	}{
		"NoTrim": {
			reason: "Without TrimRequest the function gets the request as sent.",
			args:   args{trim: nil},
			want:   sent,
		},
		"Trimmed": {
			reason: "The function gets the request as TrimRequest cut it.",
			args:   args{trim: dropInput},
			want:   withoutInput,
		},
		"Declined": {
			reason: "A TrimRequest that returns false leaves the request as sent, whatever it wrote.",
			args: args{trim: func(dst, _ []byte) ([]byte, bool) {
				return append(dst, 0xff, 0xff), false
			}},
			want: sent,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fn := &recording{}
			cfg := testConfig()
			cfg.TrimRequest = tc.args.trim
			r := serve(t, fn, insecure.NewCredentials(), cfg)
			conn := dialConn(t, r.addr, nil)

			rsp, err := fnv1.NewFunctionRunnerServiceClient(conn).RunFunction(callCtx(t), sent)
			if err != nil {
				t.Fatalf("%s\nRunFunction(...): %v", tc.reason, err)
			}
			if rsp.GetMeta().GetTag() != "tagged" {
				t.Errorf("%s\nthe response's tag is %q, want the request's", tc.reason, rsp.GetMeta().GetTag())
			}
			if diff := cmp.Diff(tc.want, fn.request(), protocmp.Transform()); diff != "" {
				t.Errorf("%s\nthe request the function got: -want, +got:\n%s", tc.reason, diff)
			}

			// The health service and v1beta1 callers are served alike.
			h, err := healthgrpc.NewHealthClient(conn).Check(callCtx(t), &healthgrpc.HealthCheckRequest{})
			if err != nil || h.GetStatus() != healthgrpc.HealthCheckResponse_SERVING {
				t.Errorf("%s\nhealth check: %v, %v; want SERVING", tc.reason, h.GetStatus(), err)
			}
			beta, err := fnv1beta1.NewFunctionRunnerServiceClient(conn).RunFunction(callCtx(t), &fnv1beta1.RunFunctionRequest{Meta: &fnv1beta1.RequestMeta{Tag: "beta"}})
			if err != nil || beta.GetMeta().GetTag() != "beta" {
				t.Errorf("%s\nv1beta1 RunFunction: tag %q, %v; want the tag \"beta\"", tc.reason, beta.GetMeta().GetTag(), err)
			}
		})
	}
}
