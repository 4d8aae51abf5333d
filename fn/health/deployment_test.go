package health

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
)

func TestDeployment(t *testing.T) {
	type dep struct {
		replicas                         *int32
		generation, observed             int64
		updated, ready, available, total int32
		paused                           bool
		conditions                       []appsv1.DeploymentCondition
	}
	build := func(d dep) *appsv1.Deployment {
		return &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "agents", Generation: d.generation},
			Spec:       appsv1.DeploymentSpec{Replicas: d.replicas, Paused: d.paused, ProgressDeadlineSeconds: ptr.To[int32](600)},
			Status: appsv1.DeploymentStatus{ObservedGeneration: d.observed, Replicas: d.total, UpdatedReplicas: d.updated,
				ReadyReplicas: d.ready, AvailableReplicas: d.available, Conditions: d.conditions},
		}
	}
	cond := func(typ appsv1.DeploymentConditionType, s corev1.ConditionStatus, reason, msg string, since time.Time) appsv1.DeploymentCondition {
		return appsv1.DeploymentCondition{Type: typ, Status: s, Reason: reason, Message: msg, LastTransitionTime: metav1.Time{Time: since}}
	}
	timedOut := cond(appsv1.DeploymentProgressing, corev1.ConditionFalse, "ProgressDeadlineExceeded", `ReplicaSet "a-5d8" has timed out progressing.`, now.Add(-time.Minute))
	unavailableLong := cond(appsv1.DeploymentAvailable, corev1.ConditionFalse, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now.Add(-11*time.Minute))
	unavailableShort := cond(appsv1.DeploymentAvailable, corev1.ConditionFalse, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now.Add(-9*time.Minute))
	three := ptr.To[int32](3)

	type args struct {
		d    dep
		opts DeploymentOptions
	}
	cases := map[string]struct {
		reason string
		args   args
		want   DeploymentResult
	}{
		"Ready": {
			reason: "Every replica updated, available and ready, no old one: ready.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 3, available: 3, total: 3}},
			want:   DeploymentResult{Result: Result{State: Current, Reason: ReasonReady, Message: "3 of 3 replicas ready"}, Rollout: Current, Availability: Current},
		},
		"GenerationNotObserved": {
			reason: "The controller has not seen the current spec: not ready, and a deadline exceeded for the old spec is not a failure of this one.",
			args:   args{d: dep{replicas: three, generation: 3, observed: 2, updated: 3, ready: 3, available: 3, total: 3, conditions: []appsv1.DeploymentCondition{timedOut}}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonGenerationNotObserved, Message: "waiting for the Deployment controller to observe generation 3 (it has observed 2)"}, Rollout: Unknown, Availability: Current},
		},
		"ProgressDeadlineExceeded": {
			reason: "Progressing False with ProgressDeadlineExceeded: Failed.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 1, ready: 3, available: 3, total: 4, conditions: []appsv1.DeploymentCondition{timedOut}}},
			want:   DeploymentResult{Result: Result{State: Failed, Reason: ReasonProgressDeadlineExceeded, Message: `its rollout made no progress for 600s: ReplicaSet "a-5d8" has timed out progressing.`}, Rollout: Failed, Availability: Current},
		},
		"ReplicaFailure": {
			reason: "ReplicaFailure True for a cause a person must fix: Failed, with the ReplicaSet's reason and message and the cause (TestReplicaFailure has every cause).",
			args: args{d: dep{replicas: three, generation: 2, observed: 2, updated: 1, ready: 3, available: 3, total: 3, conditions: []appsv1.DeploymentCondition{
				cond(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", quotaExceeded, now),
			}}},
			want: DeploymentResult{
				Result:  Result{State: Failed, Reason: ReasonReplicaFailure, Message: "its ReplicaSet cannot create pods (FailedCreate): " + quotaExceeded + " (a ResourceQuota of the namespace is used up)"},
				Rollout: Failed, Availability: Current,
				PodCreation: Result{State: Failed, Reason: ReasonReplicaFailure, Message: "its ReplicaSet cannot create pods (FailedCreate): " + quotaExceeded + " (a ResourceQuota of the namespace is used up)"},
			},
		},
		"ReplicaFailureRetrying": {
			reason: "ReplicaFailure True for a cause that can pass, within the grace period: InProgress, its rollout too, with the message.",
			args: args{d: dep{replicas: three, generation: 1, observed: 1, total: 0, conditions: []appsv1.DeploymentCondition{
				cond(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", webhookDown, now.Add(-time.Minute)),
			}}, opts: DeploymentOptions{Now: now}},
			want: DeploymentResult{
				Result:  Result{State: InProgress, Reason: ReasonPodCreationRetrying, Message: "its ReplicaSet cannot create pods (FailedCreate): " + webhookDown + "; it retries, and the agent is Failed if this lasts 120s from 2026-11-26T08:59:00Z"},
				Rollout: InProgress, Availability: InProgress,
				PodCreation: Result{State: InProgress, Reason: ReasonPodCreationRetrying, Message: "its ReplicaSet cannot create pods (FailedCreate): " + webhookDown + "; it retries, and the agent is Failed if this lasts 120s from 2026-11-26T08:59:00Z"},
			},
		},
		"ProgressDeadlineOverRetrying": {
			reason: "A rollout past its deadline is Failed, though the ReplicaSet's failure alone would not be.",
			args: args{d: dep{replicas: three, generation: 1, observed: 1, conditions: []appsv1.DeploymentCondition{
				cond(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", webhookDown, now.Add(-time.Minute)), timedOut,
			}}, opts: DeploymentOptions{Now: now}},
			want: DeploymentResult{
				Result:  Result{State: Failed, Reason: ReasonProgressDeadlineExceeded, Message: `its rollout made no progress for 600s: ReplicaSet "a-5d8" has timed out progressing.`},
				Rollout: Failed, Availability: InProgress,
			},
		},
		"Paused": {
			reason: "A paused rollout is not ready.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 1, ready: 3, available: 3, total: 4, paused: true}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonPaused, Message: "its rollout is paused (resume it: kubectl -n agents rollout resume deployment/a)"}, Rollout: InProgress, Availability: Current},
		},
		"FewUpdated": {
			reason: "Fewer updated replicas than desired: rolling out.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 1, ready: 3, available: 3, total: 4}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonRollingOut, Message: "1 of 3 replicas run the current pod template"}, Rollout: InProgress, Availability: Current},
		},
		"OldReplicasRemain": {
			reason: "All updated but old replicas remain: rolling out.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 3, available: 3, total: 4}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonRollingOut, Message: "1 old replicas are pending termination"}, Rollout: InProgress, Availability: Current},
		},
		"FewReady": {
			reason: "Fewer ready than desired: not ready.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 1, available: 1, total: 3}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: "1 of 3 replicas ready, 1 available"}, Rollout: Current, Availability: InProgress},
		},
		"ReadyNotAvailable": {
			reason: "Ready but not yet available (minReadySeconds): not ready.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 3, available: 2, total: 3}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: "3 of 3 replicas ready, 2 available"}, Rollout: Current, Availability: InProgress},
		},
		"ZeroReplicas": {
			reason: "Zero desired replicas is ready.",
			args:   args{d: dep{replicas: ptr.To[int32](0), generation: 2, observed: 2}},
			want:   DeploymentResult{Result: Result{State: Current, Reason: ReasonReady, Message: "0 of 0 replicas ready"}, Rollout: Current, Availability: Current},
		},
		"DefaultedBelowMinReplicas": {
			reason: "An autoscaled Deployment at the API server's default of one replica is not ready while minReplicas is 3.",
			args:   args{d: dep{replicas: ptr.To[int32](1), generation: 1, observed: 1, updated: 1, ready: 1, available: 1, total: 1}, opts: DeploymentOptions{MinReplicas: 3}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonRollingOut, Message: "1 of 3 replicas run the current pod template"}, Rollout: InProgress, Availability: InProgress},
		},
		"AboveMinReplicas": {
			reason: "An HPA's count above minReplicas is the count to meet.",
			args:   args{d: dep{replicas: ptr.To[int32](5), generation: 4, observed: 4, updated: 5, ready: 5, available: 5, total: 5}, opts: DeploymentOptions{MinReplicas: 3}},
			want:   DeploymentResult{Result: Result{State: Current, Reason: ReasonReady, Message: "5 of 5 replicas ready"}, Rollout: Current, Availability: Current},
		},
		"ReplicasOverride": {
			reason: "The agent's own count, not yet applied, is the count to meet.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 3, available: 3, total: 3}, opts: DeploymentOptions{Replicas: ptr.To[int32](4)}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonRollingOut, Message: "3 of 4 replicas run the current pod template"}, Rollout: InProgress, Availability: InProgress},
		},
		"NoReplicaPastDeadline": {
			reason: "No replica ready, none fully available for longer than the progress deadline: Failed.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, total: 3, conditions: []appsv1.DeploymentCondition{unavailableLong}}, opts: DeploymentOptions{Now: now}},
			want:   DeploymentResult{Result: Result{State: Failed, Reason: ReasonNoReplicaAvailable, Message: "none of its 3 replicas is ready, and it has lacked available replicas since 2026-11-26T08:49:00Z, longer than its progress deadline of 600s"}, Rollout: Current, Availability: Failed},
		},
		"NoReplicaWithinDeadline": {
			reason: "No replica ready, within the deadline: not ready, not failed.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, total: 3, conditions: []appsv1.DeploymentCondition{unavailableShort}}, opts: DeploymentOptions{Now: now}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: "0 of 3 replicas ready, 0 available"}, Rollout: Current, Availability: InProgress},
		},
		"NoReplicaNoClock": {
			reason: "Without the time, the deadline is not judged.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, total: 3, conditions: []appsv1.DeploymentCondition{unavailableLong}}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: "0 of 3 replicas ready, 0 available"}, Rollout: Current, Availability: InProgress},
		},
		"SomeReadyPastDeadline": {
			reason: "One replica ready: serving, so not failed however long the others take.",
			args:   args{d: dep{replicas: three, generation: 2, observed: 2, updated: 3, ready: 1, available: 1, total: 3, conditions: []appsv1.DeploymentCondition{unavailableLong}}, opts: DeploymentOptions{Now: now}},
			want:   DeploymentResult{Result: Result{State: InProgress, Reason: ReasonReplicasUnavailable, Message: "1 of 3 replicas ready, 1 available"}, Rollout: Current, Availability: InProgress},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Deployment(observed(t, build(tc.args.d), "apps/v1 Deployment"), tc.args.opts)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDeployment(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestReadDeployment(t *testing.T) {
	dep := func(t *testing.T) *unstructured.Unstructured {
		t.Helper()
		return observed(t, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "agents", Generation: 1}, Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](0)},
			Status: appsv1.DeploymentStatus{ObservedGeneration: 1}}, "apps/v1 Deployment")
	}
	type want struct {
		read   bool
		result DeploymentResult
	}
	cases := map[string]struct {
		reason string
		u      func(t *testing.T) *unstructured.Unstructured
		want   want
	}{
		"Absent": {
			reason: "Nothing observed: no Deployment.",
			u:      func(*testing.T) *unstructured.Unstructured { return nil },
			want:   want{result: DeploymentResult{Result: Result{State: NotFound, Reason: ReasonNotObserved, Message: "not created yet"}, Rollout: NotFound, Availability: NotFound}},
		},
		"Read": {
			reason: "A Deployment is read and judged.",
			u:      dep,
			want:   want{read: true, result: DeploymentResult{Result: Result{State: Current, Reason: ReasonReady, Message: "0 of 0 replicas ready"}, Rollout: Current, Availability: Current}},
		},
		"Deleting": {
			reason: "A Deployment being deleted is read, with the Terminating result.",
			u: func(t *testing.T) *unstructured.Unstructured {
				t.Helper()
				u := dep(t)
				_ = unstructured.SetNestedField(u.Object, "2026-11-26T09:00:00Z", "metadata", "deletionTimestamp")
				return u
			},
			want: want{read: true, result: DeploymentResult{Result: Result{State: Terminating, Reason: ReasonDeleting, Message: "being deleted since 2026-11-26T09:00:00Z; Crossplane creates it again once it is gone"}, Rollout: Terminating, Availability: Terminating}},
		},
		"Malformed": {
			reason: "A field of the wrong type: no Deployment, Malformed.",
			u: func(t *testing.T) *unstructured.Unstructured {
				t.Helper()
				u := dep(t)
				_ = unstructured.SetNestedField(u.Object, "three", "status", "replicas")
				return u
			},
			want: want{result: DeploymentResult{Result: Result{State: Unknown, Reason: ReasonMalformed, Message: "cannot read Deployment a: unrecognized type: int32"}, Rollout: Unknown, Availability: Unknown}},
		},
		"OfAnotherKind": {
			reason: "An object of another kind, though it has a Deployment's fields, is not read as one: its fields were not read for a Deployment.",
			u: func(t *testing.T) *unstructured.Unstructured {
				t.Helper()
				u := dep(t)
				u.SetAPIVersion("apps/v1")
				u.SetKind("StatefulSet")
				return u
			},
			want: want{result: DeploymentResult{Result: Result{State: Unknown, Reason: ReasonMalformed, Message: `cannot read Deployment a: it is of kind "StatefulSet" (apiVersion "apps/v1")`}, Rollout: Unknown, Availability: Unknown}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, r := ReadDeployment(tc.u(t), DeploymentOptions{})
			if diff := cmp.Diff(tc.want, want{read: d != nil, result: r}, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nReadDeployment(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
