package templatefn

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// child is an AgentDeployment as the parent observes it.
func child(generation, observedGeneration int, ready, synced string) map[string]any {
	return map[string]any{
		"apiVersion": "agentops.io/v1alpha1", "kind": "AgentDeployment",
		"metadata": map[string]any{"generation": generation},
		"status": map[string]any{
			"observedGeneration": observedGeneration,
			"endpoint":           "x.team-support.svc.cluster.local:8080",
			"conditions": []any{
				map[string]any{"type": "Ready", "status": ready},
				map[string]any{"type": "Synced", "status": synced},
			},
		},
	}
}

var availableGateway = map[string]any{
	"apiVersion": "apps/v1", "kind": "Deployment",
	"spec": map[string]any{"replicas": 2},
	"status": map[string]any{
		"updatedReplicas": 2, "availableReplicas": 2,
		"conditions": []any{map[string]any{"type": "Available", "status": "True"}},
	},
}

// TestPlatformComposition runs the example's pipeline (the template, then
// auto-ready) and checks the readiness rule of docs/composability.md.
func TestPlatformComposition(t *testing.T) {
	healthy := child(1, 1, "True", "True")
	type want struct {
		ready         map[string]fnv1.Ready
		runningAgents float64
	}
	cases := map[string]struct {
		reason   string
		observed map[string]map[string]any
		want     want
	}{
		"FirstCall": {
			reason:   "Nothing observed: every child is not ready; the gateway's readiness is left to Crossplane (not observed, so not ready).",
			observed: nil,
			want: want{ready: map[string]fnv1.Ready{
				"agent-triage": fnv1.Ready_READY_FALSE, "agent-answers": fnv1.Ready_READY_FALSE, "agent-escalations": fnv1.Ready_READY_FALSE,
				"gateway": fnv1.Ready_READY_UNSPECIFIED, "gateway-service": fnv1.Ready_READY_UNSPECIFIED, "gateway-routes": fnv1.Ready_READY_UNSPECIFIED,
			}},
		},
		"AllHealthy": {
			reason: "Every child Ready and Synced at its generation, the gateway available: everything ready.",
			observed: map[string]map[string]any{
				"agent-triage": healthy, "agent-answers": healthy, "agent-escalations": healthy,
				"gateway": availableGateway, "gateway-service": {"apiVersion": "v1", "kind": "Service"}, "gateway-routes": {"apiVersion": "v1", "kind": "ConfigMap"},
			},
			want: want{runningAgents: 3, ready: map[string]fnv1.Ready{
				"agent-triage": fnv1.Ready_READY_TRUE, "agent-answers": fnv1.Ready_READY_TRUE, "agent-escalations": fnv1.Ready_READY_TRUE,
				"gateway": fnv1.Ready_READY_TRUE, "gateway-service": fnv1.Ready_READY_TRUE, "gateway-routes": fnv1.Ready_READY_TRUE,
			}},
		},
		"FatalKeepsReady": {
			reason: "A child whose function returned Fatal keeps Crossplane's old Ready=True beside Synced=False: it is not healthy.",
			observed: map[string]map[string]any{
				"agent-triage": healthy, "agent-answers": child(2, 1, "True", "False"), "agent-escalations": healthy,
			},
			want: want{runningAgents: 2, ready: map[string]fnv1.Ready{
				"agent-triage": fnv1.Ready_READY_TRUE, "agent-answers": fnv1.Ready_READY_FALSE, "agent-escalations": fnv1.Ready_READY_TRUE,
				"gateway": fnv1.Ready_READY_UNSPECIFIED, "gateway-service": fnv1.Ready_READY_UNSPECIFIED, "gateway-routes": fnv1.Ready_READY_UNSPECIFIED,
			}},
		},
		"StatusOfAnOlderSpec": {
			reason: "A child edited since its status was written (observedGeneration behind) is not healthy yet, even Ready and Synced.",
			observed: map[string]map[string]any{
				"agent-triage": child(3, 2, "True", "True"), "agent-answers": healthy, "agent-escalations": healthy,
			},
			want: want{runningAgents: 2, ready: map[string]fnv1.Ready{
				"agent-triage": fnv1.Ready_READY_FALSE, "agent-answers": fnv1.Ready_READY_TRUE, "agent-escalations": fnv1.Ready_READY_TRUE,
				"gateway": fnv1.Ready_READY_UNSPECIFIED, "gateway-service": fnv1.Ready_READY_UNSPECIFIED, "gateway-routes": fnv1.Ready_READY_UNSPECIFIED,
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := runPipeline(t, platformRequest(t, tc.observed))
			got := want{ready: map[string]fnv1.Ready{}}
			for k, r := range rsp.GetDesired().GetResources() {
				got.ready[k] = r.GetReady()
			}
			got.runningAgents = rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["runningAgents"].GetNumberValue()
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nthe platform's pipeline: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// platformRequest is Crossplane's first request of the example's pipeline.
func platformRequest(t *testing.T, observed map[string]map[string]any) *fnv1.RunFunctionRequest {
	t.Helper()
	xr, err := fixtures.Object(filepath.Join(fixtures.Root(), "examples", "platform", "platform.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	req := &fnv1.RunFunctionRequest{Observed: &fnv1.State{
		Composite: &fnv1.Resource{Resource: mustStruct(t, xr.Object)},
		Resources: map[string]*fnv1.Resource{},
	}}
	for k, o := range observed {
		req.Observed.Resources[k] = &fnv1.Resource{Resource: mustStruct(t, o)}
	}
	return req
}

// runner is a pipeline step's function.
type runner interface {
	RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error)
}

// runPipeline runs the platform Composition's steps in order.
func runPipeline(t *testing.T, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	return runComposition(t, "composition.yaml", req)
}

// runComposition runs the steps of an example Composition in order, passing
// the desired state and context on as Crossplane does: function-agentops's
// step through our function, every other through the stand-in.
func runComposition(t *testing.T, file string, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	c, err := fixtures.Object(filepath.Join(fixtures.Root(), "examples", "platform", file))
	if err != nil {
		t.Fatal(err)
	}
	steps, _, _ := unstructured.NestedSlice(c.Object, "spec", "pipeline")
	var rsp *fnv1.RunFunctionResponse
	for i, s := range steps {
		step, _ := s.(map[string]any)
		req.Input = nil
		if in, ok := step["input"].(map[string]any); ok {
			req.Input = mustStruct(t, in)
		}
		var f runner = Function{}
		if ref, _, _ := unstructured.NestedString(step, "functionRef", "name"); ref == "agentops-io-function-agentops" {
			f = fn.NewFunction(logging.NewNopLogger())
		}
		if rsp, err = f.RunFunction(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
				t.Fatalf("step %d (%v): %s", i, step["step"], r.GetMessage())
			}
		}
		req.Desired, req.Context = rsp.GetDesired(), rsp.GetContext()
	}
	return rsp
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(normalise(m).(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// normalise turns ints into float64 and typed slices into []any, as JSON.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalise(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	default:
		return v
	}
}
