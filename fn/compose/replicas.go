package compose

import (
	"math"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/fn/health"
)

// DeploymentReplicas is the Deployment's spec.replicas. Without an HPA it
// is the agent's spec.replicas. With one it is the count the Deployment
// has now (the HPA's last decision, or the agent's count before autoscaling
// was turned on), and at least minReplicas; minReplicas on create.
//
// The count is always sent, never left out for the HPA: Crossplane applies
// with server-side apply, and if it owned spec.replicas and stops sending
// it, the API server removes the field and the Deployment drops to its
// default of one replica. Sending the observed count instead keeps
// ownership without undoing what the HPA decided: Crossplane applies the
// value the Deployment already has, and the next call follows the HPA's
// next change.
func (w *Workload) DeploymentReplicas() int32 {
	if !w.Autoscaled() {
		return *w.Agent.Spec.Replicas
	}
	least := *w.Agent.Spec.Autoscaling.MinReplicas
	if w.ObservedReplicas == nil {
		return least
	}
	return max(*w.ObservedReplicas, least)
}

// ObserveReplicas records the spec.replicas of the agent's Deployment as
// Crossplane observed it, d: nil when it is not observed yet, being
// deleted, or not a Deployment with a count (nothing to keep then).
func (w *Workload) ObserveReplicas(d *unstructured.Unstructured) {
	w.ObservedReplicas = nil
	if d == nil || health.KindError(d, health.KindDeployment) != nil || d.GetDeletionTimestamp() != nil {
		return
	}
	if n, ok := health.Int64(d, "spec", "replicas"); ok && n >= 0 && n <= math.MaxInt32 {
		w.ObservedReplicas = new(int32(n))
	}
}
