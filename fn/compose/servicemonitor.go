package compose

import (
	"maps"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ServiceMonitor has the Prometheus Operator scrape the agent's /metrics on
// its http port, selecting this agent's Service only.
func ServiceMonitor(w *Workload) *monv1.ServiceMonitor {
	return &monv1.ServiceMonitor{
		ObjectMeta: w.monitoringMeta(),
		Spec: monv1.ServiceMonitorSpec{
			Selector:          metav1.LabelSelector{MatchLabels: w.Selector()},
			NamespaceSelector: monv1.NamespaceSelector{MatchNames: []string{w.Agent.Namespace}},
			Endpoints: []monv1.Endpoint{{
				Port:          HTTPPortName,
				Path:          w.metricsPath(),
				Interval:      w.scrapeInterval(),
				ScrapeTimeout: w.Settings.ScrapeTimeout,
			}},
		},
	}
}

// monitoringMeta adds the platform's monitoring labels, which the Prometheus
// Operator's selectors look for.
func (w *Workload) monitoringMeta() metav1.ObjectMeta {
	m := w.meta(w.Names.Base)
	labels := maps.Clone(w.Settings.MonitoringLabels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, m.Labels)
	m.Labels = labels
	return m
}
