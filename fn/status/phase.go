package status

import (
	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/health"
)

// phase sums up the agent (the README's state machine):
//
//	Pending   the Deployment is not composed yet (it waits for what its pods need) or not
//	          observed yet, or no replica is ready while some are desired
//	Running   every desired replica is updated, available and ready, and every composed resource is ready
//	Degraded  serving with fewer ready replicas than desired, a rollout in progress, or another
//	          composed resource not ready
//	Failed    the rollout failed (progress deadline exceeded, pods cannot be created for a cause a
//	          person must fix or for longer than health.ReplicaFailureGrace), or no replica has
//	          been ready for longer than the progress deadline
func phase(dep agentDeployment, notReady []string) v1alpha1.Phase {
	switch {
	case dep.d == nil:
		return v1alpha1.PhasePending
	case dep.health.State == health.Failed:
		return v1alpha1.PhaseFailed
	case dep.want > 0 && dep.d.Status.ReadyReplicas == 0:
		return v1alpha1.PhasePending
	case dep.health.Ready() && len(notReady) == 0:
		return v1alpha1.PhaseRunning
	default:
		return v1alpha1.PhaseDegraded
	}
}
