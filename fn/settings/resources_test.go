package settings

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/agentops-io/agentops/apis/v1alpha1"
)

func TestContainerResources(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   *v1alpha1.AgentDeploymentSpec
		want   corev1.ResourceRequirements
	}{
		"Defaults": {
			reason: "Without resources in the spec, the platform's defaults apply.",
			spec:   &v1alpha1.AgentDeploymentSpec{Resources: &v1alpha1.Resources{}},
			want: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("512Mi")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi")},
			},
		},
		"Partial": {
			reason: "Each quantity the spec sets replaces the default; the rest stay.",
			spec: &v1alpha1.AgentDeploymentSpec{Resources: &v1alpha1.Resources{
				Requests: &v1alpha1.ResourceAmounts{Memory: new(resource.MustParse("1Gi"))},
				Limits:   &v1alpha1.ResourceAmounts{CPU: new(resource.MustParse("4")), Memory: new(resource.MustParse("8Gi"))},
			}},
			want: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("1Gi")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("8Gi")},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := defaults()
			got := s.ContainerResources(tc.spec)
			if diff := cmp.Diff(tc.want, got, quantityEqual); diff != "" {
				t.Errorf("%s\nContainerResources(...): -want, +got:\n%s", tc.reason, diff)
			}
			// The platform's defaults must come out unchanged.
			if diff := cmp.Diff(defaults().DefaultResources, s.DefaultResources, quantityEqual); diff != "" {
				t.Errorf("%s\nContainerResources(...) changed the settings' defaults: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
