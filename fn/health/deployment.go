package health

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// Deployment reasons.
const (
	ReasonProgressDeadlineExceeded = "ProgressDeadlineExceeded"
	ReasonReplicaFailure           = "ReplicaFailure"
	ReasonRollingOut               = "RollingOut"
	ReasonReplicasUnavailable      = "ReplicasUnavailable"
	ReasonGenerationNotObserved    = "GenerationNotObserved"
)

// Deployment converts u into a typed Deployment.
func Deployment(u *unstructured.Unstructured) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, d); err != nil {
		return nil, fmt.Errorf("cannot read Deployment %s: %w", u.GetName(), err)
	}
	return d, nil
}

// deployment is ready when the controller has seen its latest spec and every
// desired replica is updated, available and ready, with no old replica left.
func deployment(u *unstructured.Unstructured) Verdict {
	d, err := Deployment(u)
	if err != nil {
		return Verdict{Reason: ReasonMalformed, Message: err.Error()}
	}
	return DeploymentVerdict(d)
}

// DeploymentVerdict judges a typed Deployment.
func DeploymentVerdict(d *appsv1.Deployment) Verdict {
	st := d.Status
	for _, c := range st.Conditions {
		switch {
		case c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse && c.Reason == "ProgressDeadlineExceeded":
			return Verdict{Failed: true, Reason: ReasonProgressDeadlineExceeded, Message: fmt.Sprintf("rollout made no progress within %ds: %s", ptr.Deref(d.Spec.ProgressDeadlineSeconds, 600), c.Message)}
		case c.Type == appsv1.DeploymentReplicaFailure && c.Status == corev1.ConditionTrue:
			return Verdict{Failed: true, Reason: ReasonReplicaFailure, Message: fmt.Sprintf("cannot create pods: %s: %s", c.Reason, c.Message)}
		}
	}
	if d.Generation > st.ObservedGeneration {
		return Verdict{Reason: ReasonGenerationNotObserved, Message: fmt.Sprintf("waiting for the Deployment controller to observe generation %d (observed %d)", d.Generation, st.ObservedGeneration)}
	}
	want := ptr.Deref(d.Spec.Replicas, 1)
	switch {
	case st.UpdatedReplicas < want:
		return Verdict{Reason: ReasonRollingOut, Message: fmt.Sprintf("%d of %d replicas updated", st.UpdatedReplicas, want)}
	case st.Replicas > st.UpdatedReplicas:
		return Verdict{Reason: ReasonRollingOut, Message: fmt.Sprintf("%d old replicas pending termination", st.Replicas-st.UpdatedReplicas)}
	case st.AvailableReplicas < want:
		return Verdict{Reason: ReasonReplicasUnavailable, Message: fmt.Sprintf("%d of %d replicas available", st.AvailableReplicas, want)}
	case st.ReadyReplicas < want:
		return Verdict{Reason: ReasonReplicasUnavailable, Message: fmt.Sprintf("%d of %d replicas ready", st.ReadyReplicas, want)}
	}
	return Verdict{Ready: true, Reason: ReasonReady, Message: fmt.Sprintf("%d of %d replicas ready", st.ReadyReplicas, want)}
}
