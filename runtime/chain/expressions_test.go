package chain

import (
	"testing"
	"time"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	promlabels "github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/input/v1beta1"
	"github.com/agentops-io/agentops/runtime/internal/composetest"
)

// The composed rules' expressions, parsed with Prometheus' own parser: here,
// beside the rule-engine tests, so that the Prometheus module stays out of
// the function's go.mod.

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
			w := composetest.WorkloadWith(t, composetest.Agent("team.agent", "{model: gpt-4o, secrets: {apiKeySecret: k}}"), tc.input)
			rules := compose.PrometheusRule(w).Spec.Groups[0].Rules
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
			if errSel.Name != compose.MetricRequestsTotal || allSel.Name != compose.MetricRequestsTotal || errRange != 5*time.Minute || allRange != 5*time.Minute {
				t.Errorf("%s\nHighErrorRate %q: want rates of %s over 5m", tc.reason, errRule.Expr.String(), compose.MetricRequestsTotal)
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
			if costSel.Name != compose.MetricCostUSDTotal || costRange != time.Hour {
				t.Errorf("%s\nHighLLMCosts %q: want increase(%s[1h]), got %s over %s", tc.reason, costRule.Expr.String(), compose.MetricCostUSDTotal, costSel.Name, costRange)
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
