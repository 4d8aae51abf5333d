package compose

import (
	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// defaultMetricsPath is where the agent contract serves metrics.
const defaultMetricsPath = "/metrics"

// Monitored reports whether the agent is monitored: unless its spec turns
// monitoring off (validation checked the platform allows it).
func (w *Workload) Monitored() bool {
	m := w.Agent.Spec.Monitoring
	return m == nil || ptr.Deref(m.Enabled, true)
}

// metricsPath is the agent's, or the contract's.
func (w *Workload) metricsPath() string {
	if m := w.Agent.Spec.Monitoring; m != nil && m.Path != nil {
		return *m.Path
	}
	return defaultMetricsPath
}

// scrapeInterval is the agent's, or the platform's.
func (w *Workload) scrapeInterval() monv1.Duration {
	if m := w.Agent.Spec.Monitoring; m != nil && m.Interval != nil {
		return monv1.Duration(*m.Interval)
	}
	return w.Settings.ScrapeInterval
}

func copyIntOrString(v *intstr.IntOrString) *intstr.IntOrString {
	if v == nil {
		return nil
	}
	return new(*v)
}
