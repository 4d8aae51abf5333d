package health

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// Deployment reasons.
const (
	ReasonGenerationNotObserved    = "GenerationNotObserved"
	ReasonProgressDeadlineExceeded = "ProgressDeadlineExceeded"
	ReasonReplicaFailure           = "ReplicaFailure"
	ReasonNoReplicaAvailable       = "NoReplicaAvailable"
	ReasonPaused                   = "Paused"
	ReasonRollingOut               = "RollingOut"
	ReasonReplicasUnavailable      = "ReplicasUnavailable"
)

// The Deployment controller's reason for a rollout past its deadline.
const reasonTimedOut = "ProgressDeadlineExceeded"

// defaultProgressDeadline is the API server's default, in seconds.
const defaultProgressDeadline = 600

// DeploymentOptions refine the check of a Deployment whose replica count an
// autoscaler owns, and allow a check that needs the time.
type DeploymentOptions struct {
	// Replicas the Deployment should have, when known better than its
	// observed spec.replicas: the agent's own count, which Crossplane
	// applies only after this call.
	Replicas *int32
	// MinReplicas that must be ready, when more than spec.replicas: an
	// autoscaled Deployment starts with the API server's default of one
	// until its HorizontalPodAutoscaler raises it to minReplicas.
	MinReplicas int32
	// Now tells how long the Deployment has lacked available replicas. The
	// zero time skips that check.
	Now time.Time
}

// AsDeployment converts u into a typed Deployment.
func AsDeployment(u *unstructured.Unstructured) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, d); err != nil {
		return nil, fmt.Errorf("cannot read Deployment %s: %w", u.GetName(), err)
	}
	return d, nil
}

// Deployment judges an observed Deployment, or its absence, with o.
func Deployment(u *unstructured.Unstructured, o DeploymentOptions) Verdict {
	_, v := ReadDeployment(u, o)
	return v
}

// ReadDeployment judges u like Deployment, and also returns the typed
// Deployment it read, so callers that need its counts convert it once. The
// Deployment is nil when u is absent, unreadable or of another kind; a
// Deployment being deleted is returned with the Deleting verdict.
func ReadDeployment(u *unstructured.Unstructured, o DeploymentOptions) (*appsv1.Deployment, Verdict) {
	if u == nil || len(u.Object) == 0 {
		v, _ := present(u)
		return nil, v
	}
	if err := KindError(u, KindDeployment); err != nil {
		return nil, Verdict{Reason: ReasonMalformed, Message: err.Error()}
	}
	d, err := AsDeployment(u)
	if err != nil {
		return nil, Verdict{Reason: ReasonMalformed, Message: err.Error()}
	}
	if v, done := present(u); done {
		return d, v
	}
	return d, DeploymentVerdict(d, o)
}

func deployment(u *unstructured.Unstructured) Verdict {
	return Deployment(u, DeploymentOptions{})
}

// DesiredReplicas of d: o.Replicas if set, else spec.replicas (the API
// server defaults it to one) or o.MinReplicas if more.
func DesiredReplicas(d *appsv1.Deployment, o DeploymentOptions) int32 {
	if o.Replicas != nil {
		return *o.Replicas
	}
	return max(ptr.Deref(d.Spec.Replicas, 1), o.MinReplicas)
}

// DeploymentVerdict judges a typed Deployment. Like kstatus and Argo CD it
// trusts the status only once the controller has observed the current
// generation, so a failure reported for an earlier spec is not this one's.
// It is ready when every desired replica is updated, available and ready and
// no old replica is left; zero desired replicas are ready.
func DeploymentVerdict(d *appsv1.Deployment, o DeploymentOptions) Verdict {
	st := d.Status
	if d.Generation > st.ObservedGeneration {
		return Verdict{Reason: ReasonGenerationNotObserved, Message: fmt.Sprintf("waiting for the Deployment controller to observe generation %d (it has observed %d)", d.Generation, st.ObservedGeneration)}
	}
	if v, failed := deploymentFailed(d, o); failed {
		return v
	}
	want := DesiredReplicas(d, o)
	switch {
	case d.Spec.Paused:
		return Verdict{Reason: ReasonPaused, Message: fmt.Sprintf("its rollout is paused (resume it: kubectl -n %s rollout resume deployment/%s)", d.Namespace, d.Name)}
	case st.UpdatedReplicas < want:
		return Verdict{Reason: ReasonRollingOut, Message: fmt.Sprintf("%d of %d replicas run the current pod template", st.UpdatedReplicas, want)}
	case st.Replicas > st.UpdatedReplicas:
		return Verdict{Reason: ReasonRollingOut, Message: fmt.Sprintf("%d old replicas are pending termination", st.Replicas-st.UpdatedReplicas)}
	case st.ReadyReplicas < want || st.AvailableReplicas < want:
		return Verdict{Reason: ReasonReplicasUnavailable, Message: fmt.Sprintf("%d of %d replicas ready, %d available", st.ReadyReplicas, want, st.AvailableReplicas)}
	}
	return Verdict{Ready: true, Reason: ReasonReady, Message: fmt.Sprintf("%d of %d replicas ready", st.ReadyReplicas, want)}
}

// deploymentFailed finds what will not mend without a change: the rollout
// past its progress deadline, pods the ReplicaSet cannot create, or, when
// o.Now is set, no replica ready although the Deployment has lacked
// available replicas for longer than its progress deadline.
func deploymentFailed(d *appsv1.Deployment, o DeploymentOptions) (Verdict, bool) {
	deadline := ptr.Deref(d.Spec.ProgressDeadlineSeconds, defaultProgressDeadline)
	var unavailableSince time.Time
	for _, c := range d.Status.Conditions {
		switch {
		case c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse && c.Reason == reasonTimedOut:
			return Verdict{Failed: true, Reason: ReasonProgressDeadlineExceeded, Message: fmt.Sprintf("its rollout made no progress for %ds: %s", deadline, c.Message)}, true
		case c.Type == appsv1.DeploymentReplicaFailure && c.Status == corev1.ConditionTrue:
			return Verdict{Failed: true, Reason: ReasonReplicaFailure, Message: fmt.Sprintf("its ReplicaSet cannot create pods (%s): %s", c.Reason, c.Message)}, true
		case c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionFalse:
			unavailableSince = c.LastTransitionTime.Time
		}
	}
	want := DesiredReplicas(d, o)
	if o.Now.IsZero() || unavailableSince.IsZero() || want == 0 || d.Status.ReadyReplicas > 0 {
		return Verdict{}, false
	}
	// The message names the time, not the time since: a message that
	// changed on every call would rewrite the condition on every call.
	if o.Now.Sub(unavailableSince) > time.Duration(deadline)*time.Second {
		return Verdict{Failed: true, Reason: ReasonNoReplicaAvailable, Message: fmt.Sprintf("none of its %d replicas is ready, and it has lacked available replicas since %s, longer than its progress deadline of %ds", want, unavailableSince.UTC().Format(time.RFC3339), deadline)}, true
	}
	return Verdict{}, false
}
