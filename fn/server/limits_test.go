package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	fnv1beta1 "github.com/crossplane/function-sdk-go/proto/v1beta1"
)

// request of about size bytes on the wire.
func request(t *testing.T, tag string, size int) *fnv1.RunFunctionRequest {
	t.Helper()
	in, err := structpb.NewStruct(map[string]any{"padding": strings.Repeat("x", size)})
	if err != nil {
		t.Fatal(err)
	}
	return &fnv1.RunFunctionRequest{Meta: &fnv1.RequestMeta{Tag: tag}, Input: in}
}

// TestMaxRecvMessageBytes: a request over the limit is refused with
// ResourceExhausted and a message that gives both sizes, and the function
// never sees it; one under the limit is served.
func TestMaxRecvMessageBytes(t *testing.T) {
	const limit = 64 << 10
	fn := &counting{}
	cfg := testConfig()
	cfg.MaxRecvMessageBytes = limit
	r := serve(t, fn, insecure.NewCredentials(), cfg)
	c := dial(t, r.addr, nil)

	type result struct {
		Code    codes.Code
		Message string
		Reached bool
	}
	over := request(t, "over", limit+1024)
	cases := map[string]struct {
		reason string
		req    *fnv1.RunFunctionRequest
		want   result
	}{
		"UnderTheLimit": {
			reason: "A request under the limit is served.",
			req:    request(t, "under", limit-1024),
			want:   result{Code: codes.OK, Reached: true},
		},
		"OverTheLimit": {
			reason: "A request over the limit is refused before it reaches the function, with a clear error.",
			req:    over,
			want:   result{Code: codes.ResourceExhausted, Message: "grpc: received message larger than max (" + strconv.Itoa(proto.Size(over)) + " vs. " + strconv.Itoa(limit) + ")"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := fn.calls.Load()
			_, err := c.RunFunction(callCtx(t), tc.req)
			got := result{Code: status.Code(err), Message: status.Convert(err).Message(), Reached: fn.calls.Load() > before}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// panicky panics on every call.
type panicky struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func (panicky) RunFunction(context.Context, *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	panic("boom")
}

// TestPanicIsRecovered: a panic in a handler, on either protocol version,
// becomes an Internal error with a message, and the server lives on to serve
// the next call.
func TestPanicIsRecovered(t *testing.T) {
	r := serve(t, panicky{}, insecure.NewCredentials(), testConfig())
	c := dial(t, r.addr, nil)
	type result struct {
		Code    codes.Code
		Message string
	}
	cases := map[string]struct {
		reason string
		call   func(context.Context) error
		want   result
	}{
		"V1": {
			reason: "A panic in RunFunction is an Internal error.",
			call: func(ctx context.Context) error {
				_, err := c.RunFunction(ctx, &fnv1.RunFunctionRequest{})
				return err
			},
			want: result{Code: codes.Internal, Message: "function-agentops: internal error in /apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction (please report it): boom"},
		},
		"V1Beta1": {
			reason: "Crossplane versions that call v1beta1 get the same.",
			call: func(ctx context.Context) error {
				_, err := fnv1beta1.NewFunctionRunnerServiceClient(dialConn(t, r.addr, nil)).RunFunction(ctx, &fnv1beta1.RunFunctionRequest{})
				return err
			},
			want: result{Code: codes.Internal, Message: "function-agentops: internal error in /apiextensions.fn.proto.v1beta1.FunctionRunnerService/RunFunction (please report it): boom"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Twice: the server survived the first.
			for range 2 {
				err := tc.call(callCtx(t))
				got := result{Code: status.Code(err), Message: status.Convert(err).Message()}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
				}
			}
		})
	}
	if !strings.Contains(r.log.String(), "Recovered from a panic in a gRPC handler") {
		t.Errorf("the panic was not logged; log:\n%s", r.log.String())
	}
}
