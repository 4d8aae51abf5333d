package chain

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// ruleTests is a file in Prometheus' rule-test format (promtool test
// rules), the fields this runner supports: alert rule tests over input
// series. promtool's runner is in its main package, so the same steps run
// here on Prometheus' own parser, series notation and rule engine.
type ruleTests struct {
	RuleFiles          []string       `json:"rule_files"`
	EvaluationInterval model.Duration `json:"evaluation_interval"`
	Tests              []struct {
		Interval    model.Duration `json:"interval"`
		InputSeries []struct {
			Series string `json:"series"`
			Values string `json:"values"`
		} `json:"input_series"`
		AlertRuleTest []struct {
			EvalTime  model.Duration `json:"eval_time"`
			Alertname string         `json:"alertname"`
			ExpAlerts []struct {
				ExpLabels      map[string]string `json:"exp_labels"`
				ExpAnnotations map[string]string `json:"exp_annotations"`
			} `json:"exp_alerts"`
		} `json:"alert_rule_test"`
	} `json:"tests"`
}

// TestFleetRules runs deploy/monitoring/tests/fleet-rules.test.yaml.
func TestFleetRules(t *testing.T) {
	runRuleTests(t, filepath.Join(fixtures.Root(), "deploy", "monitoring", "tests", "fleet-rules.test.yaml"))
}

func runRuleTests(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rt ruleTests
	if err := yaml.UnmarshalStrict(b, &rt); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	alerting := map[string]monv1.Rule{}
	for _, f := range rt.RuleFiles {
		for _, r := range prometheusRule(t, filepath.Join(filepath.Dir(file), f)) {
			if r.Alert != "" {
				alerting[r.Alert] = r
			}
		}
	}
	for i, tc := range rt.Tests {
		var load strings.Builder
		load.WriteString("load " + tc.Interval.String() + "\n")
		for _, s := range tc.InputSeries {
			load.WriteString("  " + s.Series + " " + s.Values + "\n")
		}
		db := promqltest.LoadedStorage(t, load.String())
		engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})
		query := rules.EngineQueryFunc(engine, db)
		for _, at := range tc.AlertRuleTest {
			r, ok := alerting[at.Alertname]
			if !ok {
				t.Fatalf("test %d: no alert %s in %v", i, at.Alertname, rt.RuleFiles)
			}
			rule := alertingRule(t, r)
			// As Prometheus' rule manager: every evaluation interval from
			// the start, so that `for` holds as it would.
			for ts := time.Unix(0, 0); !ts.After(time.Unix(0, 0).Add(time.Duration(at.EvalTime))); ts = ts.Add(time.Duration(rt.EvaluationInterval)) {
				if _, err := rule.Eval(context.Background(), 0, ts, query, nil, 0); err != nil {
					t.Fatalf("test %d: %s at %v: %v", i, at.Alertname, ts, err)
				}
			}
			var got []map[string]string
			for _, a := range rule.ActiveAlerts() {
				if a.State != rules.StateFiring {
					continue
				}
				l := a.Labels.Map()
				delete(l, model.AlertNameLabel)
				got = append(got, l)
			}
			want := make([]map[string]string, 0, len(at.ExpAlerts))
			for _, e := range at.ExpAlerts {
				want = append(want, e.ExpLabels)
			}
			sortLabels := func(ls []map[string]string) {
				slices.SortFunc(ls, func(a, b map[string]string) int {
					return strings.Compare(labels.FromMap(a).String(), labels.FromMap(b).String())
				})
			}
			sortLabels(got)
			sortLabels(want)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("test %d: %s at %s: firing alerts' labels: -want, +got:\n%s", i, at.Alertname, at.EvalTime, diff)
			}
		}
	}
}

// prometheusRule reads a PrometheusRule manifest's rules, each expression
// parsed by Prometheus' parser.
func prometheusRule(t *testing.T, file string) []monv1.Rule {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pr monv1.PrometheusRule
	if err := yaml.UnmarshalStrict(b, &pr); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out []monv1.Rule
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			if _, err := parser.NewParser(parser.Options{}).ParseExpr(r.Expr.String()); err != nil {
				t.Errorf("%s: %s: %v", file, r.Alert+r.Record, err)
			}
			out = append(out, r)
		}
	}
	return out
}

// alertingRule builds r as Prometheus' rule manager would.
func alertingRule(t *testing.T, r monv1.Rule) *rules.AlertingRule {
	t.Helper()
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(r.Expr.String())
	if err != nil {
		t.Fatalf("%s: %v", r.Alert, err)
	}
	var hold model.Duration
	if r.For != nil {
		if hold, err = model.ParseDuration(string(*r.For)); err != nil {
			t.Fatalf("%s for: %v", r.Alert, err)
		}
	}
	return rules.NewAlertingRule(r.Alert, expr, time.Duration(hold), 0,
		labels.FromMap(maps.Clone(r.Labels)), labels.FromMap(r.Annotations), labels.EmptyLabels(), "", false, nil)
}
