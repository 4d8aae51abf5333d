package compose

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	promlabels "github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
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

// TestPrometheusRuleExpressions parses every composed expression with
// Prometheus' own parser and checks what it computes: each selector picks
// this agent's series only, the error rate is compared with a fraction, and
// the cost is the increase of the dollar counter over an hour.
func TestPrometheusRuleExpressions(t *testing.T) {
	cases := map[string]struct {
		reason  string
		input   *v1beta1.Input
		errRate float64
		cost    float64
		errFor  monv1.Duration
		costFor monv1.Duration
	}{
		"Defaults": {
			reason:  "HighErrorRate over 5% for 5m, HighLLMCosts over $100 an hour for 15m.",
			errRate: 0.05, cost: 100, errFor: "5m", costFor: "15m",
		},
		"Composition": {
			reason:  "Thresholds come from the input.",
			input:   &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRatePercent: new(2.5), ErrorRateFor: "10m", CostPerHourUSD: new(12.75), CostFor: "1h"}},
			errRate: 0.025, cost: 12.75, errFor: "10m", costFor: "1h",
		},
		"Large": {
			reason:  "A large threshold is formatted as a number PromQL reads.",
			input:   &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRatePercent: new(100.0), CostPerHourUSD: new(1e7)}},
			errRate: 1, cost: 1e7, errFor: "5m", costFor: "15m",
		},
		"Zero": {
			reason:  "A zero threshold alerts on any error or spend.",
			input:   &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRatePercent: new(0.0), CostPerHourUSD: new(0.0)}},
			errRate: 0, cost: 0, errFor: "5m", costFor: "15m",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// A name that must be hashed, to check the selector uses the Service's name.
			w := workload(t, agentYAML("team.agent", "{model: gpt-4o, secrets: {apiKeySecret: k}}"), tc.input)
			rules := PrometheusRule(w).Spec.Groups[0].Rules
			byAlert := map[string]monv1.Rule{}
			for _, r := range rules {
				byAlert[r.Alert] = r
				checkSelectors(t, tc.reason, r.Expr.String(), "agents", w.Names.Base)
			}

			errRule := byAlert["HighErrorRate"]
			if got := ptr.Deref(errRule.For, ""); got != tc.errFor {
				t.Errorf("%s\nHighErrorRate for: want %s, got %s", tc.reason, tc.errFor, got)
			}
			cmpExpr := mustParse(t, errRule.Expr.String())
			ratio, threshold := comparison(t, tc.reason, cmpExpr)
			if threshold != tc.errRate {
				t.Errorf("%s\nHighErrorRate %q: threshold: want %v, got %v", tc.reason, errRule.Expr.String(), tc.errRate, threshold)
			}
			div, ok := ratio.(*parser.BinaryExpr)
			if !ok || div.Op != parser.DIV {
				t.Fatalf("%s\nHighErrorRate %q: want errors / all on the left, got %s", tc.reason, errRule.Expr.String(), ratio)
			}
			errSel, errRange := sumOf(t, tc.reason, div.LHS, "rate")
			allSel, allRange := sumOf(t, tc.reason, div.RHS, "rate")
			if m := matcher(errSel, "status"); m == nil || m.Type != promlabels.MatchEqual || m.Value != "error" {
				t.Errorf("%s\nHighErrorRate %q: the numerator must select status=\"error\", got %v", tc.reason, errRule.Expr.String(), m)
			}
			if m := matcher(allSel, "status"); m != nil {
				t.Errorf("%s\nHighErrorRate %q: the denominator must count every request, got %v", tc.reason, errRule.Expr.String(), m)
			}
			if errSel.Name != MetricRequestsTotal || allSel.Name != MetricRequestsTotal || errRange != 5*time.Minute || allRange != 5*time.Minute {
				t.Errorf("%s\nHighErrorRate %q: want rates of %s over 5m", tc.reason, errRule.Expr.String(), MetricRequestsTotal)
			}

			costRule := byAlert["HighLLMCosts"]
			if got := ptr.Deref(costRule.For, ""); got != tc.costFor {
				t.Errorf("%s\nHighLLMCosts for: want %s, got %s", tc.reason, tc.costFor, got)
			}
			spend, threshold := comparison(t, tc.reason, mustParse(t, costRule.Expr.String()))
			if threshold != tc.cost {
				t.Errorf("%s\nHighLLMCosts %q: threshold: want %v, got %v", tc.reason, costRule.Expr.String(), tc.cost, threshold)
			}
			costSel, costRange := sumOf(t, tc.reason, spend, "increase")
			if costSel.Name != MetricCostUSDTotal || costRange != time.Hour {
				t.Errorf("%s\nHighLLMCosts %q: want increase(%s[1h]), got %s over %s", tc.reason, costRule.Expr.String(), MetricCostUSDTotal, costSel.Name, costRange)
			}
		})
	}
}

func mustParse(t *testing.T, expr string) parser.Expr {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", expr, err)
	}
	return e
}

// checkSelectors checks that every selector of expr matches exactly the
// agent's namespace and Service.
func checkSelectors(t *testing.T, reason, expr, namespace, service string) {
	t.Helper()
	n := 0
	parser.Inspect(mustParse(t, expr), func(node parser.Node, _ []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		n++
		for name, want := range map[string]string{"namespace": namespace, "service": service} {
			if m := matcher(vs, name); m == nil || m.Type != promlabels.MatchEqual || m.Value != want {
				t.Errorf("%s\n%q: selector %s: want %s=%q, got %v", reason, expr, vs, name, want, m)
			}
		}
		return nil
	})
	if n == 0 {
		t.Errorf("%s\n%q: no selector", reason, expr)
	}
}

// comparison splits `lhs > number`.
func comparison(t *testing.T, reason string, e parser.Expr) (parser.Expr, float64) {
	t.Helper()
	b, ok := e.(*parser.BinaryExpr)
	if !ok || b.Op != parser.GTR || b.ReturnBool {
		t.Fatalf("%s\n%s: want a comparison `... > threshold`", reason, e)
	}
	n, ok := b.RHS.(*parser.NumberLiteral)
	if !ok {
		t.Fatalf("%s\n%s: want a number on the right of >, got %s", reason, e, b.RHS)
	}
	return b.LHS, n.Val
}

// sumOf splits `sum(fn(selector[range]))`.
func sumOf(t *testing.T, reason string, e parser.Expr, fn string) (*parser.VectorSelector, time.Duration) {
	t.Helper()
	agg, ok := e.(*parser.AggregateExpr)
	if !ok || agg.Op != parser.SUM || len(agg.Grouping) > 0 {
		t.Fatalf("%s\n%s: want sum(...) without grouping", reason, e)
	}
	call, ok := agg.Expr.(*parser.Call)
	if !ok || call.Func.Name != fn || len(call.Args) != 1 {
		t.Fatalf("%s\n%s: want sum(%s(...))", reason, e, fn)
	}
	ms, ok := call.Args[0].(*parser.MatrixSelector)
	if !ok {
		t.Fatalf("%s\n%s: want a range selector in %s()", reason, e, fn)
	}
	return ms.VectorSelector.(*parser.VectorSelector), ms.Range
}

func matcher(vs *parser.VectorSelector, name string) *promlabels.Matcher {
	for _, m := range vs.LabelMatchers {
		if m.Name == name {
			return m
		}
	}
	return nil
}
