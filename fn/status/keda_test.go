package status

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	kedav1alpha1 "github.com/agentops-io/agentops/apis/keda/v1alpha1"
	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/settings"
)

func TestAutoscalingActiveKEDA(t *testing.T) {
	const prom = "http://prometheus-operated.monitoring.svc:9090"
	workload := func(rps int32, installed crds.Installed) *compose.Workload {
		spec := v1alpha1.AgentDeploymentSpec{Model: "claude-3-opus", Replicas: ptr.To[int32](2), Autoscaling: &v1alpha1.Autoscaling{Enabled: true, MinReplicas: ptr.To[int32](3), MaxReplicas: ptr.To[int32](10), RequestsPerSecond: new(rps)}}
		spec.Default()
		return &compose.Workload{
			Agent:     &agent.Agent{Name: "a", Namespace: "agents", Spec: spec},
			Settings:  &settings.Settings{Compose: settings.Compose{HorizontalPodAutoscaler: true}, Engine: settings.EngineKEDA, KEDAPrometheusAddress: prom},
			Names:     compose.NamesFor("a"),
			Installed: installed,
		}
	}
	so := func(st kedav1alpha1.ScaledObjectStatus) *unstructured.Unstructured {
		o := &kedav1alpha1.ScaledObject{TypeMeta: metav1.TypeMeta{APIVersion: "keda.sh/v1alpha1", Kind: "ScaledObject"}, ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "agents"}, Status: st}
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		return &unstructured.Unstructured{Object: m}
	}
	cond := func(typ string, s metav1.ConditionStatus, reason, msg string) kedav1alpha1.Condition {
		return kedav1alpha1.Condition{Type: typ, Status: s, Reason: reason, Message: msg}
	}
	ready := cond(kedav1alpha1.ConditionReady, metav1.ConditionTrue, "ScaledObjectReady", "ScaledObject is defined correctly and is ready for scaling")
	type args struct {
		w  *compose.Workload
		so *unstructured.Unstructured
	}
	cases := map[string]struct {
		reason string
		args   args
		want   Condition
	}{
		"CRDNotInstalled": {
			reason: "KEDA chosen, its CRD absent: nothing scales the agent, and the condition says what to install.",
			args:   args{w: workload(10, crds.Without(crds.ScaledObject))},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonCRDNotInstalled, Message: "the platform's Composition scales with KEDA, but the cluster has no ScaledObject CRD (scaledobjects.keda.sh): the agent runs spec.replicas (2) replicas until KEDA is installed, and the function composes the ScaledObject at its first call after"},
		},
		"NotCreated": {
			reason: "Not observed yet.",
			args:   args{w: workload(10, crds.Installed{})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonCreating, Message: "waiting for Crossplane to create ScaledObject agents/a"},
		},
		"NoOperator": {
			reason: "The CRD is there but no KEDA operator reports: Unknown, asking whether it runs.",
			args:   args{w: workload(10, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionUnknown, Reason: ReasonAwaitingController, Message: "waiting for KEDA's operator to report on ScaledObject agents/a (the CRD is installed; is the operator running?)"},
		},
		"NotReady": {
			reason: "KEDA refuses the ScaledObject: its reason and message.",
			args: args{w: workload(10, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{Conditions: []kedav1alpha1.Condition{
				cond(kedav1alpha1.ConditionReady, metav1.ConditionFalse, "ScaledObjectCheckFailed", "ScaledObject doesn't have correct scaleTargetRef specification"),
			}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: "ScaledObjectCheckFailed", Message: "KEDA cannot scale the agent with ScaledObject agents/a: ScaledObject doesn't have correct scaleTargetRef specification"},
		},
		"RequestRateFailing": {
			reason: "The prometheus trigger's metric is Failing: KEDA will not scale down, which the condition says.",
			args: args{w: workload(10, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{HpaName: "keda-hpa-a", Conditions: []kedav1alpha1.Condition{ready},
				Health: map[string]kedav1alpha1.HealthStatus{"s2-prometheus": {Status: kedav1alpha1.HealthFailing, NumberOfFailures: ptr.To[int32](4)}}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: ReasonRequestRateUnavailable, Message: "KEDA cannot read the request rate from " + prom + " (failing: s2-prometheus): it will not scale the agent down while it cannot (the fallback keeps the current count, at least 3), and scales up on CPU and memory only"},
		},
		"Paused": {
			reason: "Someone paused the ScaledObject: False, with KEDA's reason.",
			args: args{w: workload(10, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{Conditions: []kedav1alpha1.Condition{ready,
				cond(kedav1alpha1.ConditionPaused, metav1.ConditionTrue, "ScaledObjectPaused", "ScaledObject is paused")}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse, Reason: "ScaledObjectPaused", Message: "ScaledObject agents/a is paused: ScaledObject is paused"},
		},
		"Scaling": {
			reason: "Ready, every metric healthy: True, naming the HPA KEDA made.",
			args: args{w: workload(10, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{HpaName: "keda-hpa-a", Conditions: []kedav1alpha1.Condition{ready},
				Health: map[string]kedav1alpha1.HealthStatus{"s2-prometheus": {Status: "Happy"}}})},
			want: Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionTrue, Reason: ReasonScalingActive, Message: "KEDA scales between 3 and 10 replicas on CPU and memory and the request rate from " + prom + ", through HPA keda-hpa-a"},
		},
		"ScalingCPUAndMemory": {
			reason: "requestsPerSecond 0: no request rate to name.",
			args:   args{w: workload(0, crds.Installed{}), so: so(kedav1alpha1.ScaledObjectStatus{HpaName: "keda-hpa-a", Conditions: []kedav1alpha1.Condition{ready}})},
			want:   Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionTrue, Reason: ReasonScalingActive, Message: "KEDA scales between 3 and 10 replicas on CPU and memory, through HPA keda-hpa-a"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := autoscalingActive(tc.args.w, observeScaler(tc.args.w, map[compose.Key]*unstructured.Unstructured{compose.KeyScaledObject: tc.args.so}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nautoscalingActive(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
