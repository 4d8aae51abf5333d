package fn

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/fn/internal/structcodec"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/internal/scenario"
)

// The benchmarks run RunFunction on the production example as Crossplane
// sends it: on create, with nothing observed, and in the steady state, with
// every composed resource observed as the API server returns it. The -wire
// variants add what gRPC does around the call (decode the request, encode
// the response) and the floor is a function that does nothing else:
// BENCHMARKS.md compares the two. `make bench` runs them.

// benchRequests builds the requests once per process.
func benchRequests(b *testing.B) map[string]*fnv1.RunFunctionRequest {
	b.Helper()
	sb, err := scenario.New("..")
	if err != nil {
		b.Fatal(err)
	}
	create, err := sb.Create(0)
	if err != nil {
		b.Fatal(err)
	}
	f := NewFunction(logging.NewNopLogger())
	steady, err := sb.Steady(b.Context(), f.RunFunction, 0)
	if err != nil {
		b.Fatal(err)
	}
	return map[string]*fnv1.RunFunctionRequest{"create": create, "steady": steady}
}

func BenchmarkRunFunction(b *testing.B) {
	f := NewFunction(logging.NewNopLogger())
	for name, req := range benchRequests(b) {
		checkComposes(b, f, req, name == "steady")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// The SDK's response shares the request's desired State and
				// fills it in; over gRPC every request is new.
				req.Desired = &fnv1.State{}
				if _, err := f.RunFunction(b.Context(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
		wire, err := proto.Marshal(req)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"-wire", func(b *testing.B) {
			benchWire(b, wire, observed.TrimRequest, f.RunFunction)
		})
		b.Run(name+"-wire-floor", func(b *testing.B) {
			benchWire(b, wire, nil, noop)
		})
	}
}

// benchWire decodes the request, trimmed first if trim is set, runs fn and
// encodes the response, as the gRPC server does around every call.
func benchWire(b *testing.B, wire []byte, trim func(dst, wire []byte) ([]byte, bool), fn scenario.Runner) {
	b.Helper()
	b.ReportAllocs()
	b.SetBytes(int64(len(wire)))
	for b.Loop() {
		in := wire
		if trim != nil {
			// As fn/server's codec trims.
			if trimmed, ok := trim(make([]byte, 0, len(wire)/4), wire); ok {
				in = trimmed
			}
		}
		req := &fnv1.RunFunctionRequest{}
		if err := proto.Unmarshal(in, req); err != nil {
			b.Fatal(err)
		}
		rsp, err := fn(b.Context(), req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := proto.Marshal(rsp); err != nil {
			b.Fatal(err)
		}
	}
}

// noop is the floor: a function that returns the desired state unchanged.
func noop(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	return response.To(req, settings.DefaultTTLConverging), nil
}

// checkComposes fails the benchmark unless req composes every resource
// (but the Deployment on create: it waits for its ServiceAccount and
// ConfigMap) without a fatal result, and in the steady state finds the agent
// Running: a benchmark of another path measures the wrong thing.
func checkComposes(b *testing.B, f *Function, req *fnv1.RunFunctionRequest, wantReady bool) {
	b.Helper()
	req = proto.CloneOf(req)
	rsp, err := f.RunFunction(b.Context(), req)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			b.Fatalf("fatal result: %s", r.GetMessage())
		}
	}
	want := 8
	if wantReady {
		want = 9
	}
	if got := len(rsp.GetDesired().GetResources()); got != want {
		b.Fatalf("want %d desired composed resources, got %d", want, got)
	}
	if ready := rsp.GetDesired().GetComposite().GetReady() == fnv1.Ready_READY_TRUE; ready != wantReady {
		b.Fatalf("want the XR ready: %t, got %t", wantReady, ready)
	}
}

// BenchmarkDesired converts the nine objects of the production example into
// desired composed resources: through the SDK (an unstructured map, then
// structpb.NewStruct) and directly (fn/internal/structcodec's encoder, one
// per response, as setDesired uses it).
func BenchmarkDesired(b *testing.B) {
	objs := exampleObjects(b, "production-claude-agent.yaml")
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, o := range objs {
				_ = viaUnstructured(b, o.Object)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := structcodec.GetEncoder()
			for _, o := range objs {
				if _, err := desiredStruct(e, o.Object); err != nil {
					b.Fatal(err)
				}
			}
			structcodec.PutEncoder(e)
		}
	})
}
