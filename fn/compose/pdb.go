package compose

import (
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// PodDisruptionBudget keeps one agent serving through voluntary disruptions
// when at least two replicas are guaranteed, and never blocks a node drain:
// with fewer it only limits evictions to one pod at a time, and unhealthy
// pods may always be evicted.
func PodDisruptionBudget(w *Workload) *policyv1.PodDisruptionBudget {
	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: policyv1.PodDisruptionBudgetSpec{
			Selector:                   &metav1.LabelSelector{MatchLabels: w.Selector()},
			UnhealthyPodEvictionPolicy: ptr.To(policyv1.AlwaysAllow),
		},
	}
	if b := w.Agent.Spec.DisruptionBudget; b != nil {
		// The agent's own bounds, within the platform's policy (validate).
		pdb.Spec.MinAvailable, pdb.Spec.MaxUnavailable = copyIntOrString(b.MinAvailable), copyIntOrString(b.MaxUnavailable)
	} else if w.GuaranteedReplicas() >= 2 {
		pdb.Spec.MinAvailable = new(intstr.FromInt32(1))
	} else {
		pdb.Spec.MaxUnavailable = new(intstr.FromInt32(1))
	}
	return pdb
}
