package status

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/settings"
)

func TestAutoscalingActive(t *testing.T) {
	workload := func(enabled, composed bool) *compose.Workload {
		spec := v1alpha1.AgentDeploymentSpec{Model: "claude-3-opus", Replicas: ptr.To[int32](2), Autoscaling: &v1alpha1.Autoscaling{Enabled: enabled, MinReplicas: ptr.To[int32](3), MaxReplicas: ptr.To[int32](10), RequestsPerSecond: ptr.To[int32](10)}}
		spec.Default()
		return &compose.Workload{
			Agent:    &agent.Agent{Name: "a", Namespace: "agents", Spec: spec},
			Settings: &settings.Settings{Compose: settings.Compose{HorizontalPodAutoscaler: composed}},
			Names:    compose.NamesFor("a"),
		}
	}
	hpa := func(deleting bool, st autoscalingv2.HorizontalPodAutoscalerStatus) *unstructured.Unstructured {
		h := &autoscalingv2.HorizontalPodAutoscaler{TypeMeta: metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"}, ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "agents"}, Status: st}
		if deleting {
			h.DeletionTimestamp = &metav1.Time{Time: now}
		}
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(h)
		if err != nil {
			t.Fatal(err)
		}
		return &unstructured.Unstructured{Object: m}
	}
	cond := func(typ autoscalingv2.HorizontalPodAutoscalerConditionType, s corev1.ConditionStatus, reason, msg string) autoscalingv2.HorizontalPodAutoscalerCondition {
		return autoscalingv2.HorizontalPodAutoscalerCondition{Type: typ, Status: s, Reason: reason, Message: msg}
	}
	// rpsRead is the HPA's status once it read the request rate; rpsUnread
	// as the HPA controller leaves it when it could not (an entry of type
	// "" where the metric's would be), as a real one reported it
	// (test/fixtures/observed/hpa-metric-missing).
	rpsRead := []autoscalingv2.MetricStatus{{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricStatus{Metric: autoscalingv2.MetricIdentifier{Name: compose.MetricRequestsPerSecond}}}}
	rpsUnread := []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricStatus{Name: corev1.ResourceCPU}}, {}}
	cpuOnly := func(w *compose.Workload) *compose.Workload {
		w.Agent.Spec.Autoscaling.RequestsPerSecond = ptr.To[int32](0)
		return w
	}
	active := []autoscalingv2.HorizontalPodAutoscalerCondition{
		cond(autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size"),
		cond(autoscalingv2.ScalingActive, corev1.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"),
	}
	type args struct {
		w   *compose.Workload
		hpa *unstructured.Unstructured
	}
	cases := map[string]struct {
		reason string
		args   args
		want   Condition
	}{
		"Disabled": {
			reason: "Autoscaling off: False, with the fixed count.",
			args:   args{w: workload(false, true)},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonAutoscalingDisabled, Message: "spec.autoscaling.enabled is false: the agent runs spec.replicas (2) replicas"},
		},
		"NotComposed": {
			reason: "Asked for, but the Composition composes no HPA: False, naming the input field.",
			args:   args{w: workload(true, false)},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonNotComposed, Message: "the platform's Composition composes no autoscaler (input compose.horizontalPodAutoscaler is false): the agent runs spec.replicas (2) replicas"},
		},
		"NotCreated": {
			reason: "Not observed yet.",
			args:   args{w: workload(true, true)},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonCreating, Message: "waiting for Crossplane to create HorizontalPodAutoscaler agents/a"},
		},
		"Deleting": {
			reason: "Being deleted.",
			args:   args{w: workload(true, true), hpa: hpa(true, autoscalingv2.HorizontalPodAutoscalerStatus{})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonDeleting, Message: "HorizontalPodAutoscaler agents/a is being deleted since 2026-11-26T09:00:00Z; Crossplane creates it again once it is gone"},
		},
		"AwaitingController": {
			reason: "No condition yet: the HPA controller has not looked, so Unknown rather than False.",
			args:   args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionUnknown, Reason: ReasonAwaitingController, Message: "waiting for the HorizontalPodAutoscaler controller to report on HorizontalPodAutoscaler agents/a"},
		},
		"Malformed": {
			reason: "An HPA that cannot be read: False, Malformed.",
			args: args{w: workload(true, true), hpa: func() *unstructured.Unstructured {
				u := hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{})
				_ = unstructured.SetNestedField(u.Object, "x", "status", "desiredReplicas")
				return u
			}()},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: health.ReasonMalformed, Message: "cannot read HorizontalPodAutoscaler agents/a"},
		},
		"OfAnotherKind": {
			reason: "An object of another kind where the HPA should be is not read as one, though it has an HPA's conditions: False, naming its kind.",
			args: args{w: workload(true, true), hpa: func() *unstructured.Unstructured {
				u := hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{cond(autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "")}})
				u.SetAPIVersion("apps/v1")
				u.SetKind("Deployment")
				return u
			}()},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: health.ReasonMalformed, Message: `cannot read HorizontalPodAutoscaler a: it is of kind "Deployment" (apiVersion "apps/v1")`},
		},
		"CannotGetScale": {
			reason: "AbleToScale False: the HPA's reason and message.",
			args: args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 3, Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{
				cond(autoscalingv2.AbleToScale, corev1.ConditionFalse, "FailedGetScale", `the HPA controller was unable to get the target's current scale: deployments/scale.apps "a" not found`),
			}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: "FailedGetScale", Message: `HorizontalPodAutoscaler agents/a cannot scale the agent, which keeps its 3 replicas: AbleToScale is False (FailedGetScale): the HPA controller was unable to get the target's current scale: deployments/scale.apps "a" not found`},
		},
		"AtMaximum": {
			reason: "Scaling, limited at the maximum: True, saying so.",
			args: args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 10, DesiredReplicas: 10, CurrentMetrics: rpsRead, Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{
				cond(autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size"),
				cond(autoscalingv2.ScalingActive, corev1.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from pods metric llm_requests_per_second"),
				cond(autoscalingv2.ScalingLimited, corev1.ConditionTrue, "TooManyReplicas", "the desired replica count is more than the maximum replica count"),
			}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionTrue, Reason: ReasonScalingActive, Message: "scaling between 3 and 10 replicas on CPU, memory and llm_requests_per_second; currently 10, desired 10 (limited: TooManyReplicas: the desired replica count is more than the maximum replica count)"},
		},
		"RequestRateUnreadScalingActive": {
			reason: "The HPA scales on CPU but could not read the request rate (an empty metric entry): it will not scale down, which a True condition would hide.",
			args:   args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 4, DesiredReplicas: 4, CurrentMetrics: rpsUnread, Conditions: active})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonRequestRateUnavailable, Message: "HorizontalPodAutoscaler agents/a cannot read the request-rate metric llm_requests_per_second: it scales up on CPU and memory, but will not scale the agent down (now 4, desired 4) while it cannot. " + requestRateHint},
		},
		"RequestRateUnreadScalingBlocked": {
			reason: "ScalingActive False for the request rate (the HPA would have scaled down): the same reason, with the HPA's words.",
			args: args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 4, CurrentMetrics: rpsUnread, Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{
				cond(autoscalingv2.ScalingActive, corev1.ConditionFalse, "FailedGetPodsMetric", "the HPA was unable to compute the replica count: unable to get metric llm_requests_per_second"),
			}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonRequestRateUnavailable, Message: "HorizontalPodAutoscaler agents/a cannot read the request-rate metric llm_requests_per_second: it will not scale the agent down (now 4 replicas) while it cannot, and scales up on CPU and memory only: ScalingActive is False (FailedGetPodsMetric): the HPA was unable to compute the replica count: unable to get metric llm_requests_per_second. " + requestRateHint},
		},
		"CPUAndMemoryOnly": {
			reason: "requestsPerSecond 0: no request-rate metric to miss; True, naming what it scales on.",
			args:   args{w: cpuOnly(workload(true, true)), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 3, DesiredReplicas: 3, CurrentMetrics: rpsUnread[:1], Conditions: active})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionTrue, Reason: ReasonScalingActive, Message: "scaling between 3 and 10 replicas on CPU and memory; currently 3, desired 3"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := autoscalingActive(tc.args.w, observeScaler(tc.args.w, map[compose.Key]*unstructured.Unstructured{compose.KeyHPA: tc.args.hpa}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nautoscalingActive(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
