package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func labels(instance, model string) map[string]string {
	return map[string]string{
		"app.kubernetes.io/name": "agentops-agent", "app.kubernetes.io/instance": instance,
		"app.kubernetes.io/managed-by": "agentops", "app.kubernetes.io/component": "agent", "agentops.io/model": model,
	}
}

func selector(instance string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": "agentops-agent", "app.kubernetes.io/instance": instance}
}

func TestService(t *testing.T) {
	got := Service(workload(t, example(t, "minimal.yaml"), nil))
	want := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "minimal-agent", Namespace: "agents", Labels: labels("minimal-agent", "gpt-4o")},
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: selector("minimal-agent"),
			Ports:    []corev1.ServicePort{{Name: "http", Port: 8080, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Service(...): -want, +got:\n%s", diff)
	}
}

func TestServiceAccount(t *testing.T) {
	got := ServiceAccount(workload(t, example(t, "minimal.yaml"), nil))
	want := &corev1.ServiceAccount{
		ObjectMeta:                   metav1.ObjectMeta{Name: "minimal-agent", Namespace: "agents", Labels: labels("minimal-agent", "gpt-4o")},
		AutomountServiceAccountToken: new(false),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ServiceAccount(...): -want, +got:\n%s", diff)
	}
}

func TestConfigMap(t *testing.T) {
	got := ConfigMap(workload(t, example(t, "autoscaling-off.yaml"), nil))
	want := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "fixed-gpt-agent-config", Namespace: "agents", Labels: labels("fixed-gpt-agent", "gpt-4.1")},
		Data: map[string]string{
			"maxTokens":    "2048",
			"temperature":  "0.2",
			"systemPrompt": "You summarise support tickets in three sentences.",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ConfigMap(...): -want, +got:\n%s", diff)
	}
}

func TestHorizontalPodAutoscaler(t *testing.T) {
	got := HorizontalPodAutoscaler(workload(t, example(t, "self-hosted-llama.yaml"), nil))
	want := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "llama-agent", Namespace: "agents", Labels: labels("llama-agent", "llama-2-70b")},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "llama-agent"},
			MinReplicas:    ptr.To[int32](1),
			MaxReplicas:    4,
			Metrics: []autoscalingv2.MetricSpec{
				{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
					Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To[int32](70)},
				}},
				{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
					Name: corev1.ResourceMemory, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To[int32](80)},
				}},
				{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{
					Metric: autoscalingv2.MetricIdentifier{Name: "llm_requests_per_second"},
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: new(resource.MustParse("5"))},
				}},
			},
			Behavior: &autoscalingv2.HorizontalPodAutoscalerBehavior{
				ScaleDown: &autoscalingv2.HPAScalingRules{
					StabilizationWindowSeconds: ptr.To[int32](300),
					Policies:                   []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PercentScalingPolicy, Value: 50, PeriodSeconds: 60}},
				},
				ScaleUp: &autoscalingv2.HPAScalingRules{
					StabilizationWindowSeconds: ptr.To[int32](0),
					Policies: []autoscalingv2.HPAScalingPolicy{
						{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15},
						{Type: autoscalingv2.PodsScalingPolicy, Value: 2, PeriodSeconds: 15},
					},
					SelectPolicy: ptr.To(autoscalingv2.MaxChangePolicySelect),
				},
			},
		},
	}
	if diff := cmp.Diff(want, got, quantityEqual); diff != "" {
		t.Errorf("HorizontalPodAutoscaler(...): -want, +got:\n%s", diff)
	}
}

func TestPodDisruptionBudget(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   string
		input  *v1beta1.Input
		// minAvailable is true for minAvailable 1, false for maxUnavailable 1.
		minAvailable bool
	}{
		"OneReplica": {
			reason: "With one replica, minAvailable 1 would block every node drain.",
			spec:   "{model: gpt-4o, replicas: 1, secrets: {apiKeySecret: k}}",
		},
		"ZeroReplicas": {
			reason: "A scaled-down agent blocks nothing.",
			spec:   "{model: gpt-4o, replicas: 0, secrets: {apiKeySecret: k}}",
		},
		"TwoReplicas": {
			reason: "With two replicas guaranteed, one keeps serving through a drain.",
			spec:   "{model: gpt-4o, replicas: 2, secrets: {apiKeySecret: k}}", minAvailable: true,
		},
		"AutoscaledFromOne": {
			reason: "An HPA may scale to its minimum of one: replicas 3 guarantee nothing.",
			spec:   "{model: gpt-4o, replicas: 3, autoscaling: {enabled: true, minReplicas: 1}, secrets: {apiKeySecret: k}}",
		},
		"AutoscaledFromTwo": {
			reason: "An HPA's minimum of two is guaranteed even with replicas 1.",
			spec:   "{model: gpt-4o, replicas: 1, autoscaling: {enabled: true, minReplicas: 2}, secrets: {apiKeySecret: k}}", minAvailable: true,
		},
		"AutoscalingNotComposed": {
			reason: "Without an HPA, spec.replicas is what is guaranteed.",
			spec:   "{model: gpt-4o, replicas: 1, autoscaling: {enabled: true, minReplicas: 3}, secrets: {apiKeySecret: k}}",
			input:  &v1beta1.Input{Compose: &v1beta1.Compose{HorizontalPodAutoscaler: new(false)}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := PodDisruptionBudget(workload(t, agentYAML("agent", tc.spec), tc.input))
			want := &policyv1.PodDisruptionBudget{
				ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "agents", Labels: labels("agent", "gpt-4o")},
				Spec: policyv1.PodDisruptionBudgetSpec{
					Selector:                   &metav1.LabelSelector{MatchLabels: selector("agent")},
					UnhealthyPodEvictionPolicy: ptr.To(policyv1.AlwaysAllow),
				},
			}
			if tc.minAvailable {
				want.Spec.MinAvailable = new(intstr.FromInt32(1))
			} else {
				want.Spec.MaxUnavailable = new(intstr.FromInt32(1))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nPodDisruptionBudget(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
