package status

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	kedav1alpha1 "github.com/agentops-io/agentops/apis/keda/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
)

// scaledObjectActive judges a ScaledObject from KEDA's conditions (Ready,
// Paused, Fallback, HPAActive) and the health of each trigger's metric.
func scaledObjectActive(w *compose.Workload, so *kedav1alpha1.ScaledObject, c Condition) Condition {
	name := describe(w, kedav1alpha1.KindScaledObject)
	conds := map[string]kedav1alpha1.Condition{}
	for _, kc := range so.Status.Conditions {
		conds[kc.Type] = kc
	}
	ready, reported := conds[kedav1alpha1.ConditionReady]
	a := w.Agent.Spec.Autoscaling
	switch {
	case !reported || ready.Status == metav1.ConditionUnknown:
		c.Status, c.Reason = metav1.ConditionUnknown, ReasonAwaitingController
		c.Message = "waiting for KEDA's operator to report on " + name + " (the CRD is installed; is the operator running?)"
		return c
	case ready.Status == metav1.ConditionFalse:
		c.Reason = ready.Reason
		c.Message = fmt.Sprintf("KEDA cannot scale the agent with %s: %s", name, ready.Message)
		return c
	case conds[kedav1alpha1.ConditionPaused].Status == metav1.ConditionTrue:
		p := conds[kedav1alpha1.ConditionPaused]
		c.Reason = p.Reason
		c.Message = fmt.Sprintf("%s is paused: %s", name, p.Message)
		return c
	}
	if failing := failingMetrics(so); len(failing) > 0 || conds[kedav1alpha1.ConditionFallback].Status == metav1.ConditionTrue {
		c.Reason = ReasonRequestRateUnavailable
		c.Message = fmt.Sprintf("KEDA cannot read the request rate from %s (failing: %s): it will not scale the agent down while it cannot (the fallback keeps the current count, at least %d), and scales up on CPU and memory only",
			w.Settings.KEDAPrometheusAddress, strings.Join(failing, ", "), *a.MinReplicas)
		return c
	}
	if hc, ok := conds[kedav1alpha1.ConditionHPAActive]; ok && hc.Status == metav1.ConditionFalse {
		c.Reason = hc.Reason
		c.Message = fmt.Sprintf("the HPA KEDA made for %s (%s) cannot scale: %s", name, so.Status.HpaName, hc.Message)
		return c
	}
	c.Status, c.Reason = metav1.ConditionTrue, ReasonScalingActive
	on := "CPU and memory"
	if w.ScalesOnRequestRate() {
		on += " and the request rate from " + w.Settings.KEDAPrometheusAddress
	}
	c.Message = fmt.Sprintf("KEDA scales between %d and %d replicas on %s, through HPA %s", *a.MinReplicas, *a.MaxReplicas, on, so.Status.HpaName)
	return c
}

// failingMetrics are the triggers' metrics KEDA reports Failing, sorted.
func failingMetrics(so *kedav1alpha1.ScaledObject) []string {
	var out []string
	for metric, h := range so.Status.Health {
		if h.Status == kedav1alpha1.HealthFailing {
			out = append(out, metric)
		}
	}
	slices.Sort(out)
	return out
}
