package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestServiceMonitor(t *testing.T) {
	cases := map[string]struct {
		reason string
		input  *v1beta1.Input
		want   *monv1.ServiceMonitor
	}{
		"Defaults": {
			reason: "Scrape the agent's own Service on port http at /metrics every 30s with a 10s timeout.",
			want: &monv1.ServiceMonitor{
				ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "agents", Labels: labels("agent", "gpt-4o")},
				Spec: monv1.ServiceMonitorSpec{
					Selector:          metav1.LabelSelector{MatchLabels: selector("agent")},
					NamespaceSelector: monv1.NamespaceSelector{MatchNames: []string{"agents"}},
					Endpoints:         []monv1.Endpoint{{Port: "http", Path: "/metrics", Interval: "30s", ScrapeTimeout: "10s"}},
				},
			},
		},
		"PlatformLabels": {
			reason: "The platform's labels are added for the Prometheus Operator's selectors, but never replace the agent's own.",
			input: &v1beta1.Input{Monitoring: &v1beta1.Monitoring{
				Labels:         map[string]string{"release": "prometheus", "app.kubernetes.io/name": "not-ours"},
				ScrapeInterval: "1m", ScrapeTimeout: "20s",
			}},
			want: &monv1.ServiceMonitor{
				ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "agents", Labels: func() map[string]string {
					l := labels("agent", "gpt-4o")
					l["release"] = "prometheus"
					return l
				}()},
				Spec: monv1.ServiceMonitorSpec{
					Selector:          metav1.LabelSelector{MatchLabels: selector("agent")},
					NamespaceSelector: monv1.NamespaceSelector{MatchNames: []string{"agents"}},
					Endpoints:         []monv1.Endpoint{{Port: "http", Path: "/metrics", Interval: "1m", ScrapeTimeout: "20s"}},
				},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", "{model: gpt-4o, secrets: {apiKeySecret: k}}"), tc.input)
			got := ServiceMonitor(w)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nServiceMonitor(...): -want, +got:\n%s", tc.reason, diff)
			}
			if tc.input != nil && w.Settings.MonitoringLabels["app.kubernetes.io/name"] != "not-ours" {
				t.Errorf("%s\nServiceMonitor(...) changed the settings' labels", tc.reason)
			}
		})
	}
}

func TestPrometheusRule(t *testing.T) {
	w := workload(t, example(t, "production-claude-agent.yaml"), nil)
	got := PrometheusRule(w)
	if diff := cmp.Diff(metav1.ObjectMeta{Name: "production-claude-agent", Namespace: "agents", Labels: labels("production-claude-agent", "claude-3-opus")}, got.ObjectMeta); diff != "" {
		t.Errorf("PrometheusRule(...).ObjectMeta: -want, +got:\n%s", diff)
	}
	if len(got.Spec.Groups) != 1 || len(got.Spec.Groups[0].Rules) != 2 {
		t.Fatalf("PrometheusRule(...): want one group of two rules, got %+v", got.Spec.Groups)
	}
	if g := got.Spec.Groups[0].Name; g != "agentops.agents.production-claude-agent" {
		t.Errorf("PrometheusRule(...): group name: want agentops.agents.production-claude-agent, got %q", g)
	}
	type rule struct {
		Alert  string
		For    monv1.Duration
		Labels map[string]string
	}
	rules := make([]rule, 0, len(got.Spec.Groups[0].Rules))
	for _, r := range got.Spec.Groups[0].Rules {
		rules = append(rules, rule{Alert: r.Alert, For: ptr.Deref(r.For, ""), Labels: r.Labels})
		for _, a := range []string{"summary", "description"} {
			if r.Annotations[a] == "" {
				t.Errorf("PrometheusRule(...): alert %s has no %s", r.Alert, a)
			}
		}
	}
	agentLabels := func(sev string) map[string]string {
		return map[string]string{"severity": sev, "namespace": "agents", "agent": "production-claude-agent", "model": "claude-3-opus"}
	}
	want := []rule{
		{Alert: "HighErrorRate", For: "5m", Labels: agentLabels("critical")},
		{Alert: "HighLLMCosts", For: "15m", Labels: agentLabels("warning")},
	}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("PrometheusRule(...): rules: -want, +got:\n%s", diff)
	}
}
