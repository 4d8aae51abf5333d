package status

import (
	"fmt"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/settings"
)

// Reasons of AutoscalingActive besides the autoscaler's own.
const (
	ReasonAutoscalingDisabled    = "AutoscalingDisabled"
	ReasonNotComposed            = "NotComposed"
	ReasonAwaitingController     = "AwaitingController"
	ReasonScalingActive          = "ScalingActive"
	ReasonRequestRateUnavailable = "RequestRateUnavailable"
	ReasonCRDNotInstalled        = "CRDNotInstalled"
	reasonFailedGetPodsMetric    = "FailedGetPodsMetric"
)

// autoscalingActive reports the autoscaler's own view: whether it can scale
// and read its metrics. It never holds the XR's readiness back: an
// autoscaler that cannot read a metric still serves the replicas it has.
func autoscalingActive(w *compose.Workload, a agentScaler) Condition {
	c := Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse}
	name := describe(w, a.kind)
	replicas := *w.Agent.Spec.Replicas
	switch {
	case !w.Agent.Spec.Autoscaling.Enabled:
		c.Reason = ReasonAutoscalingDisabled
		c.Message = fmt.Sprintf("spec.autoscaling.enabled is false: the agent runs spec.replicas (%d) replicas", replicas)
		return c
	case !w.Settings.Compose.HorizontalPodAutoscaler:
		c.Reason = ReasonNotComposed
		c.Message = fmt.Sprintf("the platform's Composition composes no autoscaler (input compose.horizontalPodAutoscaler is false): the agent runs spec.replicas (%d) replicas", replicas)
		return c
	case !a.enabled:
		c.Reason = ReasonCRDNotInstalled
		c.Message = fmt.Sprintf("the platform's Composition scales with KEDA, but the cluster has no ScaledObject CRD (scaledobjects.keda.sh): the agent runs spec.replicas (%d) replicas until KEDA is installed, and the function composes the ScaledObject at its first call after", replicas)
		return c
	case a.health.State == health.NotFound:
		c.Reason, c.Message = ReasonCreating, "waiting for Crossplane to create "+name
		return c
	case a.health.State == health.Terminating:
		c.Reason, c.Message = ReasonDeleting, name+" is "+a.health.Message
		return c
	case a.kindErr != nil:
		c.Reason, c.Message = health.ReasonMalformed, a.kindErr.Error()
		return c
	case a.h == nil && a.so == nil:
		c.Reason, c.Message = health.ReasonMalformed, "cannot read "+name
		return c
	}
	if a.so != nil {
		return scaledObjectActive(w, a.so, c)
	}
	return hpaActive(w, a.h, c)
}

// hpaActive judges the HPA from its conditions and the metrics it read.
// The HPA controller (pkg/controller/podautoscaler, computeReplicasForMetrics)
// scales on the metrics it can read but refuses to scale down while any
// cannot be read: it sets ScalingActive=False only when it would have
// scaled down, and otherwise reports ScalingActive=True with an empty entry
// (type "") in status.currentMetrics for the metric it could not read.
func hpaActive(w *compose.Workload, h *autoscalingv2.HorizontalPodAutoscaler, c Condition) Condition {
	name := describe(w, "HorizontalPodAutoscaler")
	st := h.Status
	if len(st.Conditions) == 0 {
		c.Status, c.Reason = metav1.ConditionUnknown, ReasonAwaitingController
		c.Message = "waiting for the HorizontalPodAutoscaler controller to report on " + name
		return c
	}
	reason, problems := hpaProblems(st.Conditions)
	switch {
	case reason == reasonFailedGetPodsMetric && w.ScalesOnRequestRate():
		c.Reason = ReasonRequestRateUnavailable
		c.Message = fmt.Sprintf("%s cannot read the request-rate metric %s: it will not scale the agent down (now %d replicas) while it cannot, and scales up on CPU and memory only: %s. %s",
			name, compose.MetricRequestsPerSecond, st.CurrentReplicas, strings.Join(problems, "; "), requestRateHint)
		return c
	case len(problems) > 0:
		c.Reason = reason
		c.Message = fmt.Sprintf("%s cannot scale the agent, which keeps its %d replicas: %s", name, st.CurrentReplicas, strings.Join(problems, "; "))
		return c
	case w.ScalesOnRequestRate() && !readsRequestRate(st.CurrentMetrics):
		c.Reason = ReasonRequestRateUnavailable
		c.Message = fmt.Sprintf("%s cannot read the request-rate metric %s: it scales up on CPU and memory, but will not scale the agent down (now %d, desired %d) while it cannot. %s",
			name, compose.MetricRequestsPerSecond, st.CurrentReplicas, st.DesiredReplicas, requestRateHint)
		return c
	}
	a := w.Agent.Spec.Autoscaling
	c.Status, c.Reason = metav1.ConditionTrue, ReasonScalingActive
	c.Message = fmt.Sprintf("scaling between %d and %d replicas on %s; currently %d, desired %d", *a.MinReplicas, *a.MaxReplicas, scalesOn(w), st.CurrentReplicas, st.DesiredReplicas)
	for _, hc := range st.Conditions {
		if hc.Type == autoscalingv2.ScalingLimited && hc.Status == corev1.ConditionTrue {
			c.Message += fmt.Sprintf(" (limited: %s: %s)", hc.Reason, hc.Message)
		}
	}
	return c
}

// requestRateHint says what serves the HPA's request-rate metric.
const requestRateHint = "The metric comes from the agent's llm_requests_total through prometheus-adapter with the rule in deploy/monitoring/prometheus-adapter.yaml: check that it serves custom.metrics.k8s.io; or set spec.autoscaling.requestsPerSecond to 0 to scale on CPU and memory alone"

// readsRequestRate reports whether the HPA read the request-rate metric.
func readsRequestRate(metrics []autoscalingv2.MetricStatus) bool {
	for _, m := range metrics {
		if m.Type == autoscalingv2.PodsMetricSourceType && m.Pods != nil && m.Pods.Metric.Name == compose.MetricRequestsPerSecond {
			return true
		}
	}
	return false
}

// scalesOn names the metrics the agent scales on.
func scalesOn(w *compose.Workload) string {
	if w.ScalesOnRequestRate() {
		return "CPU, memory and " + compose.MetricRequestsPerSecond
	}
	return "CPU and memory"
}

// hpaProblems lists AbleToScale and ScalingActive conditions that are False,
// and the first one's reason.
func hpaProblems(conds []autoscalingv2.HorizontalPodAutoscalerCondition) (string, []string) {
	reason := ""
	var problems []string
	for _, hc := range conds {
		if (hc.Type == autoscalingv2.AbleToScale || hc.Type == autoscalingv2.ScalingActive) && hc.Status == corev1.ConditionFalse {
			problems = append(problems, fmt.Sprintf("%s is False (%s): %s", hc.Type, hc.Reason, hc.Message))
			if reason == "" {
				reason = hc.Reason
			}
		}
	}
	return reason, problems
}

// scalerKind is the kind of the autoscaler the engine composes.
func scalerKind(w *compose.Workload) (string, compose.Key) {
	if w.Settings.Engine == settings.EngineKEDA {
		return crds.ScaledObject.Kind, w.Key(compose.KeyScaledObject)
	}
	return "HorizontalPodAutoscaler", w.Key(compose.KeyHPA)
}
