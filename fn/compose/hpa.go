package compose

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"
)

// MetricRequestsPerSecond is the per-pod metric the agent exports and a
// custom metrics adapter serves to the HPA.
const MetricRequestsPerSecond = "llm_requests_per_second"

// HorizontalPodAutoscaler scales the agent on CPU, memory and, when the
// agent sets a target, requests per second (served by prometheus-adapter
// from deploy/monitoring/prometheus-adapter.yaml): up fast (double, or two pods, every 15s), down slowly (half a
// minute's worth after five calm minutes), so bursts of LLM traffic are met
// without flapping.
func HorizontalPodAutoscaler(w *Workload) *autoscalingv2.HorizontalPodAutoscaler {
	a := w.Agent.Spec.Autoscaling
	utilization := func(name corev1.ResourceName, percent int32) autoscalingv2.MetricSpec {
		return autoscalingv2.MetricSpec{
			Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{
				Name:   name,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: new(percent)},
			},
		}
	}
	metrics := []autoscalingv2.MetricSpec{
		utilization(corev1.ResourceCPU, *a.TargetCPUUtilization),
		utilization(corev1.ResourceMemory, *a.TargetMemoryUtilization),
	}
	if w.ScalesOnRequestRate() {
		metrics = append(metrics, autoscalingv2.MetricSpec{
			Type: autoscalingv2.PodsMetricSourceType,
			Pods: &autoscalingv2.PodsMetricSource{
				Metric: autoscalingv2.MetricIdentifier{Name: MetricRequestsPerSecond},
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: resource.NewQuantity(int64(*a.RequestsPerSecond), resource.DecimalSI)},
			},
		})
	}
	return &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: w.Names.Base},
			MinReplicas:    new(*a.MinReplicas),
			MaxReplicas:    *a.MaxReplicas,
			Metrics:        metrics,
			Behavior:       scalingBehavior(),
		},
	}
}

// scalingBehavior is the same for both engines (KEDA hands it to the HPA it
// makes): up fast, down slowly.
func scalingBehavior() *autoscalingv2.HorizontalPodAutoscalerBehavior {
	return &autoscalingv2.HorizontalPodAutoscalerBehavior{
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
	}
}

// ScalesOnRequestRate reports whether the agent sets a requests-per-second
// target: 0 scales on CPU and memory alone.
func (w *Workload) ScalesOnRequestRate() bool {
	return *w.Agent.Spec.Autoscaling.RequestsPerSecond > 0
}
