package status

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/settings"
)

// Reasons of MonitoringAvailable.
const (
	ReasonMonitoringComposed = "Composed"
)

// monitoringAvailable says whether the agent's ServiceMonitor and
// PrometheusRule are composed, and if not, why: the input turns them off, or
// the cluster lacks their CRDs (the Prometheus Operator is not installed).
// Like AutoscalingActive, it never holds the agent back from Running.
func monitoringAvailable(w *compose.Workload) Condition {
	c := Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionFalse}
	t := w.Settings.Compose
	if !w.Monitored() {
		c.Reason = ReasonNotComposed
		c.Message = "spec.monitoring.enabled is false: no ServiceMonitor or PrometheusRule for this agent"
		return c
	}
	var missing []string
	for _, k := range []struct {
		on   bool
		kind crds.Kind
		crd  string
	}{{t.ServiceMonitor, crds.ServiceMonitor, "servicemonitors.monitoring.coreos.com"}, {t.PrometheusRule, crds.PrometheusRule, "prometheusrules.monitoring.coreos.com"}} {
		if k.on && !w.Installed.Has(k.kind) {
			missing = append(missing, fmt.Sprintf("%s (%s)", k.kind.Kind, k.crd))
		}
	}
	switch {
	case len(missing) > 0:
		c.Reason = ReasonCRDNotInstalled
		c.Message = "the cluster has no CRD for " + strings.Join(missing, " and ") +
			": the agent is not scraped or alerted on. Install the Prometheus Operator's CRDs and the function composes them at its next call (within a minute), no restart needed; or turn them off in the Composition's input (compose.serviceMonitor, compose.prometheusRule)"
		if w.Settings.Compose.PrometheusRule && w.Installed.Has(crds.PrometheusRule) && !w.ServiceMonitored() {
			c.Message += "; the PrometheusRule waits for the ServiceMonitor, whose scrape adds the labels its alerts select"
		}
	case !t.ServiceMonitor:
		c.Reason = ReasonNotComposed
		c.Message = "the platform's Composition composes no ServiceMonitor or PrometheusRule (input compose.serviceMonitor is false)"
	case !t.PrometheusRule:
		c.Status, c.Reason = metav1.ConditionTrue, ReasonMonitoringComposed
		c.Message = "ServiceMonitor composed; the platform's Composition composes no PrometheusRule (input compose.prometheusRule is false)"
	default:
		c.Status, c.Reason = metav1.ConditionTrue, ReasonMonitoringComposed
		c.Message = "ServiceMonitor and PrometheusRule composed"
	}
	return c
}

// awaitingCRDs lists the optional kinds the agent would compose whose CRDs
// the cluster lacks.
func awaitingCRDs(w *compose.Workload) []crds.Kind {
	t := w.Settings.Compose
	var out []crds.Kind
	wants := map[crds.Kind]bool{
		crds.ServiceMonitor: t.ServiceMonitor && w.Monitored(),
		crds.PrometheusRule: t.PrometheusRule && w.Monitored(),
		crds.ScaledObject:   w.Agent.Spec.Autoscaling.Enabled && t.HorizontalPodAutoscaler && w.Settings.Engine == settings.EngineKEDA,
	}
	for _, k := range crds.Optional {
		if wants[k] && !w.Installed.Has(k) {
			out = append(out, k)
		}
	}
	return out
}
