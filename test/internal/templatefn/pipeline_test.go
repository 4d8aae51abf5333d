package templatefn

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// TestPipelineExample runs examples/platform/pipeline.yaml on its agent, our
// function between two go-templating steps: the first step's resource
// stays, and the last step routes to the agent from the context key alone.
func TestPipelineExample(t *testing.T) {
	xr, err := fixtures.Object(filepath.Join(fixtures.Root(), "examples", "platform", "agent-with-route.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	req := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: mustStruct(t, xr.Object)}}}
	rsp := runComposition(t, "pipeline.yaml", req)

	resources := rsp.GetDesired().GetResources()
	data := func(key string) map[string]any {
		d, _ := resources[key].GetResource().AsMap()["data"].(map[string]any)
		return d
	}
	want := map[string]map[string]any{
		"agent-card": {"model": "claude-sonnet-4-5", "team": "support"},
		"gateway-route": {
			"upstream": "routed-agent:8080", "endpoint": "", "serviceAccountName": "routed-agent",
			"podSelector": `{"app.kubernetes.io/instance":"routed-agent","app.kubernetes.io/name":"agentops-agent"}`,
			"phase":       "Pending",
		},
	}
	got := map[string]map[string]any{"agent-card": data("agent-card"), "gateway-route": data("gateway-route")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the steps around ours: -want, +got:\n%s", diff)
	}
	// Ours composed beside them, and said the XR is not ready yet.
	for _, key := range []string{"serviceaccount", "configmap", "service", "networkpolicy"} {
		if _, ok := resources[key]; !ok {
			t.Errorf("function-agentops's %s is missing from the desired state (%d resources)", key, len(resources))
		}
	}
	if r := rsp.GetDesired().GetComposite().GetReady(); r != fnv1.Ready_READY_FALSE {
		t.Errorf("the XR's readiness after the last step: %v, want READY_FALSE (ours, kept by the step after)", r)
	}
}
