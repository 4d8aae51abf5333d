package status

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// Reasons of WorkloadAvailable and RolloutComplete.
const (
	ReasonCreating             = "Creating"
	ReasonDeleting             = "Deleting"
	ReasonScaledToZero         = "ScaledToZero"
	ReasonAllReplicasAvailable = "AllReplicasAvailable"
	ReasonReplicasUnavailable  = "ReplicasUnavailable"
	ReasonNoReplicaReady       = "NoReplicaReady"
	ReasonRolloutPending       = "RolloutPending"
	ReasonRolloutPaused        = "RolloutPaused"
	ReasonRolloutInProgress    = "RolloutInProgress"
	ReasonRolloutComplete      = "RolloutComplete"
)

// absent is the condition of a kind whose Deployment is not there to judge:
// not composed yet, not created yet, being deleted, or unreadable.
func absent(w *compose.Workload, typ string, dep agentDeployment) (Condition, bool) {
	c := Condition{Type: typ, Status: metav1.ConditionFalse}
	if dep.held != nil {
		c.Reason, c.Message = ReasonAwaitingDependencies, awaiting(w, dep.held)
		return c, true
	}
	r := dep.health.Result
	switch r.State {
	case health.NotFound:
		c.Reason = ReasonCreating
		c.Message = "waiting for Crossplane to create " + describe(w, "Deployment") + "; if this lasts, see this resource's Synced condition and events"
	case health.Terminating:
		c.Reason, c.Message = ReasonDeleting, describe(w, "Deployment")+" is "+r.Message
	case health.Unknown:
		c.Reason, c.Message = r.Reason, r.Message
	case health.Current, health.InProgress, health.Failed:
		return c, false
	}
	return c, true
}

// workloadAvailable says whether every replica the agent should run is
// ready and available.
func workloadAvailable(w *compose.Workload, dep agentDeployment) Condition {
	if c, ok := absent(w, TypeWorkloadAvailable, dep); ok {
		return c
	}
	c := Condition{Type: TypeWorkloadAvailable, Status: metav1.ConditionFalse}
	st := dep.d.Status
	switch {
	case dep.health.Availability == health.Failed:
		c.Reason = dep.health.Reason
		c.Message = describe(w, "Deployment") + ": " + dep.health.Message + "; find out why: " + podsHint(w)
	case dep.want == 0:
		c.Status, c.Reason = metav1.ConditionTrue, ReasonScaledToZero
		c.Message = "spec.replicas is 0: no replica runs and the agent serves no requests"
	case st.ReadyReplicas >= dep.want && st.AvailableReplicas >= dep.want:
		c.Status, c.Reason = metav1.ConditionTrue, ReasonAllReplicasAvailable
		c.Message = fmt.Sprintf("%d of %d replicas ready and available", st.ReadyReplicas, dep.want)
	case st.ReadyReplicas > 0:
		c.Reason = ReasonReplicasUnavailable
		c.Message = fmt.Sprintf("%d of %d replicas ready, %d available; find out why the others are not: %s", st.ReadyReplicas, dep.want, st.AvailableReplicas, podsHint(w))
	default:
		c.Reason = ReasonNoReplicaReady
		c.Message = fmt.Sprintf("0 of %d replicas ready; find out why: %s", dep.want, podsHint(w))
	}
	return c
}

// rolloutComplete says whether every replica runs the current pod template,
// and why not: a rollout in progress, paused or failed.
func rolloutComplete(w *compose.Workload, dep agentDeployment) Condition {
	if c, ok := absent(w, TypeRolloutComplete, dep); ok {
		return c
	}
	c := Condition{Type: TypeRolloutComplete, Status: metav1.ConditionFalse}
	st, h := dep.d.Status, dep.health
	switch {
	case h.Rollout == health.Failed:
		c.Reason = h.Reason
		c.Message = fmt.Sprintf("the rollout of %s failed: %s", describe(w, "Deployment"), h.Message)
		if old := st.Replicas - st.UpdatedReplicas; old > 0 {
			c.Message += fmt.Sprintf("; %d replicas of the previous pod template still run", old)
		}
		c.Message += fmt.Sprintf(". Find out why: kubectl -n %s describe deployment/%s; %s", w.Agent.Namespace, w.Names.Base, podsHint(w))
	case h.PodCreation.State == health.InProgress:
		c.Reason = h.PodCreation.Reason
		c.Message = fmt.Sprintf("the rollout of %s waits: %s", describe(w, "Deployment"), h.PodCreation.Message)
	case h.Rollout == health.Unknown:
		c.Reason, c.Message = ReasonRolloutPending, h.Message
	case dep.d.Spec.Paused:
		c.Reason, c.Message = ReasonRolloutPaused, describe(w, "Deployment")+": "+h.Message
	case st.UpdatedReplicas < dep.want:
		c.Reason = ReasonRolloutInProgress
		c.Message = fmt.Sprintf("%d of %d replicas run the current pod template", st.UpdatedReplicas, dep.want)
	case st.Replicas > st.UpdatedReplicas:
		c.Reason = ReasonRolloutInProgress
		c.Message = fmt.Sprintf("%d replicas run the current pod template; %d old replicas are pending termination", st.UpdatedReplicas, st.Replicas-st.UpdatedReplicas)
	default:
		c.Status, c.Reason = metav1.ConditionTrue, ReasonRolloutComplete
		c.Message = fmt.Sprintf("every replica runs the current pod template (%d updated)", st.UpdatedReplicas)
	}
	return c
}
