package compose

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

// observedDeployment is the agent's Deployment as Crossplane observes it,
// with spec.replicas n (a JSON number, as it arrives) and more fields.
func observedDeployment(n float64, more map[string]any) *unstructured.Unstructured {
	o := map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "agent"}, "spec": map[string]any{"replicas": n}}
	maps.Copy(o, more)
	return &unstructured.Unstructured{Object: o}
}

// TestDeploymentReplicas: the Deployment always states its count, so that
// Crossplane, which applies it with server-side apply, never removes the
// field and drops the agent to the API server's default of one replica;
// while an HPA owns the count it is the observed one, so applying it never
// undoes the HPA's decision, and never below minReplicas.
func TestDeploymentReplicas(t *testing.T) {
	const autoscaled = "{model: gpt-4o, replicas: 3, autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 10}, secrets: {apiKeySecret: k}}"
	cases := map[string]struct {
		reason   string
		spec     string
		input    *v1beta1.Input
		observed *unstructured.Unstructured
		want     *int32
	}{
		"Fixed": {
			reason: "Without autoscaling, spec.replicas is the count.",
			spec:   "{model: gpt-4o, replicas: 2, secrets: {apiKeySecret: k}}",
			want:   ptr.To[int32](2),
		},
		"DefaultOne": {
			reason: "spec.replicas defaults to one.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			want:   ptr.To[int32](1),
		},
		"Zero": {
			reason: "Zero replicas is stated, not left out.",
			spec:   "{model: gpt-4o, replicas: 0, secrets: {apiKeySecret: k}}",
			want:   ptr.To[int32](0),
		},
		"HPANotComposed": {
			reason: "When the platform composes no HPA, spec.replicas is the count even with autoscaling enabled.",
			spec:   "{model: gpt-4o, replicas: 3, autoscaling: {enabled: true}, secrets: {apiKeySecret: k}}",
			input:  &v1beta1.Input{Compose: &v1beta1.Compose{HorizontalPodAutoscaler: new(false)}},
			want:   ptr.To[int32](3),
		},
		"AutoscaledOnCreate": {
			reason: "An autoscaled agent starts at minReplicas, not at the API server's default of one.",
			spec:   autoscaled,
			want:   ptr.To[int32](2),
		},
		"TurnOnKeepsTheCount": {
			reason:   "Turning autoscaling on keeps the replicas running (5, more than minReplicas) until the HPA decides.",
			spec:     autoscaled,
			observed: observedDeployment(5, nil),
			want:     ptr.To[int32](5),
		},
		"TurnOnRaisesToMin": {
			reason:   "Turning autoscaling on with fewer replicas than minReplicas raises them at once.",
			spec:     autoscaled,
			observed: observedDeployment(1, nil),
			want:     ptr.To[int32](2),
		},
		"FollowsTheHPA": {
			reason:   "Once the HPA has scaled (to 9), the count applied is its count: Crossplane never resets it.",
			spec:     autoscaled,
			observed: observedDeployment(9, nil),
			want:     ptr.To[int32](9),
		},
		"TurnOffTakesSpecReplicas": {
			reason:   "Turning autoscaling off gives the count back to spec.replicas, whatever the HPA had chosen.",
			spec:     "{model: gpt-4o, replicas: 4, secrets: {apiKeySecret: k}}",
			observed: observedDeployment(9, nil),
			want:     ptr.To[int32](4),
		},
		"DeletingDeployment": {
			reason:   "A Deployment being deleted has no count to keep: a new one starts at minReplicas.",
			spec:     autoscaled,
			observed: observedDeployment(9, map[string]any{"metadata": map[string]any{"name": "agent", "deletionTimestamp": "2026-12-04T10:00:00Z"}}),
			want:     ptr.To[int32](2),
		},
		"NotADeployment": {
			reason:   "An object of another kind under the Deployment's name says nothing about the count.",
			spec:     autoscaled,
			observed: &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "spec": map[string]any{"replicas": float64(9)}}},
			want:     ptr.To[int32](2),
		},
		"NegativeCount": {
			reason:   "A count no Deployment can have is ignored.",
			spec:     autoscaled,
			observed: observedDeployment(-4, nil),
			want:     ptr.To[int32](2),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", tc.spec), tc.input)
			w.ObserveReplicas(tc.observed)
			got := Deployment(w).Spec.Replicas
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDeployment(...).Spec.Replicas: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
