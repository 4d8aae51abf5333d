package compose

import (
	"fmt"
	"strconv"

	autoscalingv2 "k8s.io/api/autoscaling/v2"

	kedav1alpha1 "github.com/agentops-io/agentops/apis/keda/v1alpha1"
)

// Names of the ScaledObject's triggers. KEDA names each trigger's metric
// s<index>-<type> (s2-prometheus) in its status; RequestRateTrigger is the
// trigger's own name, for people.
const (
	RequestRateTrigger = "request-rate"
	// RequestRateWindow is the window of the request rate both engines
	// scale on: long enough to span four 30s scrapes.
	RequestRateWindow = "2m"
)

// Fallback of the ScaledObject: after three failed reads of the request
// rate, KEDA feeds the HPA minReplicas but keeps any higher current count,
// so a Prometheus outage never scales an agent down blind.
const fallbackFailureThreshold = 3

// ScaledObject has KEDA scale the agent on CPU, memory and, when the agent
// sets a target, its request rate from Prometheus, with the same bounds and
// scaling behaviour as the HPA engine. KEDA makes the HPA itself (named
// keda-hpa-<name>); the Deployment's replicas are left to it as to the
// function's own HPA (DeploymentReplicas).
func ScaledObject(w *Workload) *kedav1alpha1.ScaledObject {
	a := w.Agent.Spec.Autoscaling
	utilization := func(kind string, percent int32) kedav1alpha1.ScaleTriggers {
		return kedav1alpha1.ScaleTriggers{
			Type:       kind,
			MetricType: autoscalingv2.UtilizationMetricType,
			Metadata:   map[string]string{"value": strconv.Itoa(int(percent))},
		}
	}
	so := &kedav1alpha1.ScaledObject{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: kedav1alpha1.ScaledObjectSpec{
			ScaleTargetRef:  &kedav1alpha1.ScaleTarget{APIVersion: "apps/v1", Kind: "Deployment", Name: w.Names.Base},
			MinReplicaCount: new(*a.MinReplicas),
			MaxReplicaCount: new(*a.MaxReplicas),
			Advanced: &kedav1alpha1.AdvancedConfig{
				HorizontalPodAutoscalerConfig: &kedav1alpha1.HorizontalPodAutoscalerConfig{Behavior: scalingBehavior()},
			},
			Triggers: []kedav1alpha1.ScaleTriggers{
				utilization("cpu", *a.TargetCPUUtilization),
				utilization("memory", *a.TargetMemoryUtilization),
			},
		},
	}
	if w.ScalesOnRequestRate() {
		so.Spec.Triggers = append(so.Spec.Triggers, kedav1alpha1.ScaleTriggers{
			Type:       "prometheus",
			Name:       RequestRateTrigger,
			MetricType: autoscalingv2.AverageValueMetricType,
			Metadata: map[string]string{
				"serverAddress": w.Settings.KEDAPrometheusAddress,
				"query":         RequestRateQuery(w.Agent.Namespace, w.Names.Base),
				"threshold":     strconv.Itoa(int(*a.RequestsPerSecond)),
			},
		})
		// KEDA allows a fallback only with a trigger other than cpu and
		// memory.
		so.Spec.Fallback = &kedav1alpha1.Fallback{
			FailureThreshold: fallbackFailureThreshold,
			Replicas:         *a.MinReplicas,
			Behavior:         kedav1alpha1.FallbackCurrentReplicasIfHigher,
		}
	}
	return so
}

// RequestRateQuery is the agent's requests per second, summed over its
// pods: KEDA's AverageValue divides it by the replicas for the per-pod
// target. It selects the agent by the namespace and service labels the
// ServiceMonitor's scrape puts on its series.
func RequestRateQuery(namespace, service string) string {
	return fmt.Sprintf(`sum(rate(%s{namespace=%q,service=%q}[%s]))`, MetricRequestsTotal, namespace, service, RequestRateWindow)
}
