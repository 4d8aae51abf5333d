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
		spec := v1alpha1.AgentDeploymentSpec{Model: "claude-3-opus", Replicas: ptr.To[int32](2), Autoscaling: &v1alpha1.Autoscaling{Enabled: enabled, MinReplicas: ptr.To[int32](3), MaxReplicas: ptr.To[int32](10)}}
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
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonNotComposed, Message: "the platform's Composition does not compose HorizontalPodAutoscalers (input compose.horizontalPodAutoscaler is false): the agent runs spec.replicas (2) replicas"},
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
			args: args{w: workload(true, true), hpa: hpa(false, autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 10, DesiredReplicas: 10, Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{
				cond(autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size"),
				cond(autoscalingv2.ScalingActive, corev1.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from pods metric llm_requests_per_second"),
				cond(autoscalingv2.ScalingLimited, corev1.ConditionTrue, "TooManyReplicas", "the desired replica count is more than the maximum replica count"),
			}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionTrue, Reason: ReasonScalingActive, Message: "scaling between 3 and 10 replicas on CPU, memory and llm_requests_per_second; currently 10, desired 10 (limited: TooManyReplicas: the desired replica count is more than the maximum replica count)"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := autoscalingActive(tc.args.w, observeHPA(tc.args.w, tc.args.hpa))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nautoscalingActive(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
