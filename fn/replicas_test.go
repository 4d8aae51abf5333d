package fn

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// TestRunFunctionAutoscalingToggle: the observed Deployment's count reaches
// the composed one through RunFunction, in both directions of the
// autoscaling switch, so neither drops a running agent to one replica.
func TestRunFunctionAutoscalingToggle(t *testing.T) {
	cases := map[string]struct {
		reason      string
		autoscaling map[string]any
		replicas    int
		observed    int
		want        float64
	}{
		"TurnOn": {
			reason:      "Turning autoscaling on keeps the five running replicas (minReplicas is 2) for the HPA to decide.",
			autoscaling: map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 10},
			replicas:    5,
			observed:    5,
			want:        5,
		},
		"TurnOnBelowMin": {
			reason:      "Turning autoscaling on with fewer replicas than minReplicas raises them to it.",
			autoscaling: map[string]any{"enabled": true, "minReplicas": 3, "maxReplicas": 10},
			replicas:    1,
			observed:    1,
			want:        3,
		},
		"HPAScaled": {
			reason:      "The HPA's count (8) is applied as it is.",
			autoscaling: map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 10},
			replicas:    1,
			observed:    8,
			want:        8,
		},
		"TurnOff": {
			reason:      "Turning autoscaling off applies spec.replicas.",
			autoscaling: map[string]any{"enabled": false},
			replicas:    4,
			observed:    8,
			want:        4,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			xr := exampleXR(t, "minimal.yaml")
			spec := xr["spec"].(map[string]any)
			spec["replicas"] = tc.replicas
			spec["autoscaling"] = tc.autoscaling
			req := newRequest(t, xr, compositionInput(t, "agentdeployment.yaml"), nil)
			req.Observed.Resources = map[string]*fnv1.Resource{"deployment": {Resource: toStruct(t, map[string]any{
				"apiVersion": "apps/v1", "kind": "Deployment",
				"metadata": map[string]any{"name": "minimal-agent", "namespace": "agents"},
				"spec":     map[string]any{"replicas": tc.observed},
			})}}
			rsp := run(t, req)
			if f := fatal(rsp); len(f) > 0 {
				t.Fatalf("RunFunction(...): fatal results: %v", f)
			}
			got := desiredObject(t, rsp, "deployment")["spec"].(map[string]any)["replicas"]
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nRunFunction(...): the Deployment's spec.replicas: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
