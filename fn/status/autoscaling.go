package status

import (
	"fmt"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// Reasons of AutoscalingActive besides the HPA's own.
const (
	ReasonAutoscalingDisabled = "AutoscalingDisabled"
	ReasonNotComposed         = "NotComposed"
	ReasonAwaitingController  = "AwaitingController"
	ReasonScalingActive       = "ScalingActive"
	reasonFailedGetPodsMetric = "FailedGetPodsMetric"
)

// autoscalingActive reports the HPA's own view: whether it can scale and
// read its metrics. It never holds the XR's readiness back: an HPA that
// cannot read a metric keeps the agent at its current size.
func autoscalingActive(w *compose.Workload, hpa agentHPA) Condition {
	c := Condition{Type: TypeAutoscalingActive, Status: metav1.ConditionFalse}
	hpaName := describe(w, "HorizontalPodAutoscaler")
	switch {
	case !w.Agent.Spec.Autoscaling.Enabled:
		c.Reason = ReasonAutoscalingDisabled
		c.Message = fmt.Sprintf("spec.autoscaling.enabled is false: the agent runs spec.replicas (%d) replicas", *w.Agent.Spec.Replicas)
		return c
	case !hpa.enabled:
		c.Reason = ReasonNotComposed
		c.Message = fmt.Sprintf("the platform's Composition does not compose HorizontalPodAutoscalers (input compose.horizontalPodAutoscaler is false): the agent runs spec.replicas (%d) replicas", *w.Agent.Spec.Replicas)
		return c
	case hpa.health.State == health.NotFound:
		c.Reason, c.Message = ReasonCreating, "waiting for Crossplane to create "+hpaName
		return c
	case hpa.health.State == health.Terminating:
		c.Reason, c.Message = ReasonDeleting, hpaName+" is "+hpa.health.Message
		return c
	case hpa.kindErr != nil:
		c.Reason, c.Message = health.ReasonMalformed, hpa.kindErr.Error()
		return c
	case hpa.h == nil:
		c.Reason, c.Message = health.ReasonMalformed, "cannot read "+hpaName
		return c
	}
	st := hpa.h.Status
	if len(st.Conditions) == 0 {
		c.Status, c.Reason = metav1.ConditionUnknown, ReasonAwaitingController
		c.Message = "waiting for the HorizontalPodAutoscaler controller to report on " + hpaName
		return c
	}
	if reason, problems := hpaProblems(st.Conditions); len(problems) > 0 {
		c.Reason = reason
		c.Message = fmt.Sprintf("%s cannot scale the agent, which keeps its %d replicas: %s", hpaName, st.CurrentReplicas, strings.Join(problems, "; "))
		if reason == reasonFailedGetPodsMetric {
			c.Message += fmt.Sprintf(". The per-pod metric %s comes from the agent's Prometheus metrics through a custom metrics adapter such as prometheus-adapter: check that one serves custom.metrics.k8s.io", compose.MetricRequestsPerSecond)
		}
		return c
	}
	a := w.Agent.Spec.Autoscaling
	c.Status, c.Reason = metav1.ConditionTrue, ReasonScalingActive
	c.Message = fmt.Sprintf("scaling between %d and %d replicas on CPU, memory and %s; currently %d, desired %d", *a.MinReplicas, *a.MaxReplicas, compose.MetricRequestsPerSecond, st.CurrentReplicas, st.DesiredReplicas)
	for _, hc := range st.Conditions {
		if hc.Type == autoscalingv2.ScalingLimited && hc.Status == corev1.ConditionTrue {
			c.Message += fmt.Sprintf(" (limited: %s: %s)", hc.Reason, hc.Message)
		}
	}
	return c
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
