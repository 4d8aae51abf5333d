package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	kedav1alpha1 "github.com/agentops-io/agentops/apis/keda/v1alpha1"
	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestScaledObject(t *testing.T) {
	keda := &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{Engine: "KEDA", KEDA: &v1beta1.KEDA{PrometheusServerAddress: "http://prom.obs.svc:9090"}}}
	labels := map[string]string{LabelName: appName, LabelInstance: "llama-agent", LabelManagedBy: managedBy, LabelComponent: component, LabelModel: "llama-2-70b"}
	cpuMemory := []kedav1alpha1.ScaleTriggers{
		{Type: "cpu", MetricType: autoscalingv2.UtilizationMetricType, Metadata: map[string]string{"value": "70"}},
		{Type: "memory", MetricType: autoscalingv2.UtilizationMetricType, Metadata: map[string]string{"value": "80"}},
	}
	spec := func(triggers []kedav1alpha1.ScaleTriggers, fallback *kedav1alpha1.Fallback) kedav1alpha1.ScaledObjectSpec {
		return kedav1alpha1.ScaledObjectSpec{
			ScaleTargetRef:  &kedav1alpha1.ScaleTarget{APIVersion: "apps/v1", Kind: "Deployment", Name: "llama-agent"},
			MinReplicaCount: ptr.To[int32](1),
			MaxReplicaCount: ptr.To[int32](4),
			Advanced:        &kedav1alpha1.AdvancedConfig{HorizontalPodAutoscalerConfig: &kedav1alpha1.HorizontalPodAutoscalerConfig{Behavior: scalingBehavior()}},
			Triggers:        triggers,
			Fallback:        fallback,
		}
	}
	cases := map[string]struct {
		reason string
		agent  string
		want   *kedav1alpha1.ScaledObject
	}{
		"RequestRate": {
			reason: "CPU, memory and a prometheus trigger on this agent's request rate, with a fallback that never scales down blind.",
			agent:  example(t, "self-hosted-llama.yaml"),
			want: &kedav1alpha1.ScaledObject{
				ObjectMeta: metav1.ObjectMeta{Name: "llama-agent", Namespace: "agents", Labels: labels},
				Spec: spec(append(cpuMemory[:2:2], kedav1alpha1.ScaleTriggers{
					Type: "prometheus", Name: RequestRateTrigger, MetricType: autoscalingv2.AverageValueMetricType,
					Metadata: map[string]string{
						"serverAddress": "http://prom.obs.svc:9090",
						"query":         `sum(rate(llm_requests_total{namespace="agents",service="llama-agent"}[2m]))`,
						"threshold":     "5",
					},
				}), &kedav1alpha1.Fallback{FailureThreshold: 3, Replicas: 1, Behavior: kedav1alpha1.FallbackCurrentReplicasIfHigher}),
			},
		},
		"CPUAndMemoryOnly": {
			reason: "requestsPerSecond 0: CPU and memory triggers only, and no fallback (KEDA allows none without another trigger).",
			agent: `{apiVersion: agentops.io/v1alpha1, kind: AgentDeployment, metadata: {name: llama-agent, namespace: agents},
				spec: {model: llama-2-70b, autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 4, requestsPerSecond: 0}}}`,
			want: &kedav1alpha1.ScaledObject{
				ObjectMeta: metav1.ObjectMeta{Name: "llama-agent", Namespace: "agents", Labels: labels},
				Spec:       spec(cpuMemory, nil),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ScaledObject(workload(t, tc.agent, keda))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nScaledObject(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestHorizontalPodAutoscalerWithoutRequestRate(t *testing.T) {
	w := workload(t, agentYAML("a", "{model: gpt-4o, secrets: {apiKeySecret: k}, autoscaling: {enabled: true}}"), nil)
	var got []corev1.ResourceName
	for _, m := range HorizontalPodAutoscaler(w).Spec.Metrics {
		if m.Type != autoscalingv2.ResourceMetricSourceType {
			t.Errorf("HorizontalPodAutoscaler(...): metric of type %s, want none but CPU and memory without spec.autoscaling.requestsPerSecond", m.Type)
			continue
		}
		got = append(got, m.Resource.Name)
	}
	if diff := cmp.Diff([]corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}, got); diff != "" {
		t.Errorf("HorizontalPodAutoscaler(...) resource metrics: -want, +got:\n%s", diff)
	}
}
