package settings

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/agentops-io/agentops/apis/v1alpha1"
)

// ContainerResources returns the agent container's requests and limits: the
// spec's, over the platform's defaults. fn/validate checks them and
// fn/compose sets them.
func (s *Settings) ContainerResources(spec *v1alpha1.AgentDeploymentSpec) corev1.ResourceRequirements {
	out := *s.DefaultResources.DeepCopy()
	merge := func(list corev1.ResourceList, a *v1alpha1.ResourceAmounts) {
		if a == nil {
			return
		}
		if a.CPU != nil {
			list[corev1.ResourceCPU] = *a.CPU
		}
		if a.Memory != nil {
			list[corev1.ResourceMemory] = *a.Memory
		}
	}
	merge(out.Requests, spec.Resources.Requests)
	merge(out.Limits, spec.Resources.Limits)
	return out
}
