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
	// Now tells how long the Deployment has lacked available replicas, and
	// how long its ReplicaSet has failed to create pods. The zero time
	// skips those checks.
	Now time.Time
	// Unobserved are the objects composed with the Deployment that
	// Crossplane has not observed yet: a ReplicaSet that cannot create pods
	// for want of one of them is not Failed.
	Unobserved []Object
}

// AsDeployment converts u into a typed Deployment.
func AsDeployment(u *unstructured.Unstructured) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, d); err != nil {
		return nil, fmt.Errorf("cannot read Deployment %s: %w", u.GetName(), err)
	}
	return d, nil
}

// A DeploymentResult is a Deployment's Result, and its state on each of
// the two counts fn/status reports as conditions: its rollout (every replica
// runs the current pod template) and its availability (the desired replicas
// are ready and available). While the Deployment is NotFound, Terminating
// or Unknown, both are the same as its State.
type DeploymentResult struct {
	Result
	// Rollout is Unknown until the Deployment controller has observed the
	// current generation, Failed past the progress deadline or when the
	// ReplicaSet cannot create pods, InProgress while paused or rolling out.
	Rollout State
	// Availability is Failed when no replica has been ready for longer than
	// the progress deadline (judged only when DeploymentOptions.Now is set),
	// InProgress while fewer replicas than desired are ready or available.
	Availability State
	// PodCreation judges the ReplicaSet's ReplicaFailure: InProgress while
	// its cause can pass, Failed when it needs a person or lasts; of no
	// State when the ReplicaSet reports none.
	PodCreation Result
}

// Deployment judges an observed Deployment, or its absence, with o.
func Deployment(u *unstructured.Unstructured, o DeploymentOptions) DeploymentResult {
	_, r := ReadDeployment(u, o)
	return r
}

// ReadDeployment judges u like Deployment, and also returns the typed
// Deployment it read, so callers that need its counts convert it once. The
// Deployment is nil when u is absent, unreadable or of another kind; a
// Deployment being deleted is returned with the Terminating result.
func ReadDeployment(u *unstructured.Unstructured, o DeploymentOptions) (*appsv1.Deployment, DeploymentResult) {
	if u == nil || len(u.Object) == 0 {
		r, _ := present(u)
		return nil, whole(r)
	}
	if err := KindError(u, KindDeployment); err != nil {
		return nil, whole(Result{State: Unknown, Reason: ReasonMalformed, Message: err.Error()})
	}
	d, err := AsDeployment(u)
	if err != nil {
		return nil, whole(Result{State: Unknown, Reason: ReasonMalformed, Message: err.Error()})
	}
	if r, done := present(u); done {
		return d, whole(r)
	}
	return d, DeploymentHealth(d, o)
}

// whole is a result that holds for both the rollout and the availability.
func whole(r Result) DeploymentResult {
	return DeploymentResult{Result: r, Rollout: r.State, Availability: r.State}
}

func deployment(u *unstructured.Unstructured) Result {
	return Deployment(u, DeploymentOptions{}).Result
}

// DesiredReplicas of d: o.Replicas if set, else spec.replicas (the API
// server defaults it to one) or o.MinReplicas if more.
func DesiredReplicas(d *appsv1.Deployment, o DeploymentOptions) int32 {
	if o.Replicas != nil {
		return *o.Replicas
	}
	return max(ptr.Deref(d.Spec.Replicas, 1), o.MinReplicas)
}

// DeploymentHealth judges a typed Deployment. Like kstatus and Argo CD it
// trusts the status only once the controller has observed the current
// generation, so a failure reported for an earlier spec is not this one's.
// It is Current when every desired replica is updated, available and ready
// and no old replica is left; zero desired replicas are Current.
func DeploymentHealth(d *appsv1.Deployment, o DeploymentOptions) DeploymentResult {
	st := d.Status
	want := DesiredReplicas(d, o)
	avail := availability(st, want)
	if d.Generation > st.ObservedGeneration {
		return DeploymentResult{
			Result:  Result{State: InProgress, Reason: ReasonGenerationNotObserved, Message: fmt.Sprintf("waiting for the Deployment controller to observe generation %d (it has observed %d)", d.Generation, st.ObservedGeneration)},
			Rollout: Unknown, Availability: avail.State,
		}
	}
	if r, failed := pastProgressDeadline(d); failed {
		return DeploymentResult{Result: r, Rollout: Failed, Availability: avail.State}
	}
	var pods Result
	if c := condition(d, appsv1.DeploymentReplicaFailure); c != nil && c.Status == corev1.ConditionTrue {
		pods = replicaFailure(*c, o)
	}
	if pods.State == Failed {
		return DeploymentResult{Result: pods, Rollout: Failed, Availability: avail.State, PodCreation: pods}
	}
	roll := rollout(d, want)
	if r, failed := unavailableTooLong(d, o, want); failed {
		return DeploymentResult{Result: r, Rollout: roll.State, Availability: Failed, PodCreation: pods}
	}
	r := DeploymentResult{Result: roll, Rollout: roll.State, Availability: avail.State, PodCreation: pods}
	switch {
	case pods.State == InProgress:
		r.Result, r.Rollout = pods, InProgress
	case roll.State == Current:
		r.Result = avail
	}
	return r
}

// rollout judges whether every replica runs the current pod template.
func rollout(d *appsv1.Deployment, want int32) Result {
	st := d.Status
	switch {
	case d.Spec.Paused:
		return Result{State: InProgress, Reason: ReasonPaused, Message: fmt.Sprintf("its rollout is paused (resume it: kubectl -n %s rollout resume deployment/%s)", d.Namespace, d.Name)}
	case st.UpdatedReplicas < want:
		return Result{State: InProgress, Reason: ReasonRollingOut, Message: fmt.Sprintf("%d of %d replicas run the current pod template", st.UpdatedReplicas, want)}
	case st.Replicas > st.UpdatedReplicas:
		return Result{State: InProgress, Reason: ReasonRollingOut, Message: fmt.Sprintf("%d old replicas are pending termination", st.Replicas-st.UpdatedReplicas)}
	}
	return Result{State: Current, Reason: ReasonReady}
}

// availability judges whether want replicas are ready and available.
func availability(st appsv1.DeploymentStatus, want int32) Result {
	if st.ReadyReplicas < want || st.AvailableReplicas < want {
		return Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: fmt.Sprintf("%d of %d replicas ready, %d available", st.ReadyReplicas, want, st.AvailableReplicas)}
	}
	return Result{State: Current, Reason: ReasonReady, Message: fmt.Sprintf("%d of %d replicas ready", st.ReadyReplicas, want)}
}

// pastProgressDeadline finds a rollout that made no progress within its
// deadline: it will not mend without a change.
func pastProgressDeadline(d *appsv1.Deployment) (Result, bool) {
	c := condition(d, appsv1.DeploymentProgressing)
	if c == nil || c.Status != corev1.ConditionFalse || c.Reason != reasonTimedOut {
		return Result{}, false
	}
	deadline := ptr.Deref(d.Spec.ProgressDeadlineSeconds, defaultProgressDeadline)
	return Result{State: Failed, Reason: ReasonProgressDeadlineExceeded, Message: fmt.Sprintf("its rollout made no progress for %ds: %s", deadline, c.Message)}, true
}

// condition is d's condition of type typ, or nil. The Deployment controller
// keeps one of each type.
func condition(d *appsv1.Deployment, typ appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range d.Status.Conditions {
		if d.Status.Conditions[i].Type == typ {
			return &d.Status.Conditions[i]
		}
	}
	return nil
}

// unavailableTooLong is Failed when, o.Now set, no replica is ready
// although the Deployment has lacked available replicas for longer than its
// progress deadline.
func unavailableTooLong(d *appsv1.Deployment, o DeploymentOptions, want int32) (Result, bool) {
	deadline := ptr.Deref(d.Spec.ProgressDeadlineSeconds, defaultProgressDeadline)
	var unavailableSince time.Time
	if c := condition(d, appsv1.DeploymentAvailable); c != nil && c.Status == corev1.ConditionFalse {
		unavailableSince = c.LastTransitionTime.Time
	}
	if o.Now.IsZero() || unavailableSince.IsZero() || want == 0 || d.Status.ReadyReplicas > 0 {
		return Result{}, false
	}
	// The message names the time, not the time since: a message that
	// changed on every call would rewrite the condition on every call.
	if o.Now.Sub(unavailableSince) > time.Duration(deadline)*time.Second {
		return Result{State: Failed, Reason: ReasonNoReplicaAvailable, Message: fmt.Sprintf("none of its %d replicas is ready, and it has lacked available replicas since %s, longer than its progress deadline of %ds", want, unavailableSince.UTC().Format(time.RFC3339), deadline)}, true
	}
	return Result{}, false
}
