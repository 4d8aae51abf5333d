package chain

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/util/teststorage"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// grafanaDashboard is what the test reads of the dashboard's JSON.
type grafanaDashboard struct {
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

// labelValues is Grafana's label_values(selector, label) of a variable.
var labelValues = regexp.MustCompile(`^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

// TestDashboard parses every query of deploy/monitoring/grafana-dashboard.yaml
// with Prometheus' parser and evaluates it, with the variables set to one
// agent, over the runtime's metrics as the ServiceMonitor's scrape labels
// them (and kube-state-metrics' Deployment replicas, as it names them): no
// panel and no variable may come back empty, so none is empty by a typo.
func TestDashboard(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtures.Root(), "deploy", "monitoring", "grafana-dashboard.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cm struct {
		Metadata struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(b, &cm); err != nil {
		t.Fatal(err)
	}
	if cm.Metadata.Labels["grafana_dashboard"] != "1" {
		t.Errorf("the ConfigMap's labels %v lack grafana_dashboard: \"1\", which Grafana's sidecar looks for", cm.Metadata.Labels)
	}
	var d grafanaDashboard
	if err := json.Unmarshal([]byte(cm.Data["agentops.json"]), &d); err != nil {
		t.Fatal(err)
	}

	// Requests, one in five failing, between scrapes 30s apart; the
	// Deployment's replicas as kube-state-metrics reports them.
	a := newAgent(t, 0.01)
	db := teststorage.New(t)
	t0 := time.Unix(1_800_000_000, 0)
	const scrapes = 12
	for i := range scrapes {
		a.drive(t, 10, 2)
		at := t0.Add(time.Duration(i) * 30 * time.Second)
		a.scrapeInto(t, db, at)
		app := db.Appender(context.Background())
		for name, v := range map[string]float64{"kube_deployment_spec_replicas": 3, "kube_deployment_status_replicas_ready": 2} {
			l := labels.FromStrings("__name__", name, "namespace", a.target["namespace"], "deployment", a.target["service"], "job", "kube-state-metrics")
			if _, err := app.Append(0, l, at.UnixMilli(), v); err != nil {
				t.Fatal(err)
			}
		}
		if err := app.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	end := t0.Add((scrapes - 1) * 30 * time.Second)
	vars := strings.NewReplacer(
		"$namespace", regexp.QuoteMeta(a.target["namespace"]), "$agent", regexp.QuoteMeta(a.target["service"]),
		"$model", regexp.QuoteMeta(agentModel), "$__rate_interval", "2m")
	eval := func(what, q string) promql.Vector {
		t.Helper()
		q = vars.Replace(q)
		if _, err := parser.NewParser(parser.Options{}).ParseExpr(q); err != nil {
			t.Errorf("%s: %s: %v", what, q, err)
			return nil
		}
		engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})
		qry, err := engine.NewInstantQuery(context.Background(), db, nil, q, end)
		if err != nil {
			t.Fatal(err)
		}
		res := qry.Exec(context.Background())
		if res.Err != nil {
			t.Errorf("%s: %s: %v", what, q, res.Err)
			return nil
		}
		v, err := res.Vector()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	if len(d.Panels) == 0 {
		t.Fatal("the dashboard has no panel")
	}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			v := eval("panel "+p.Title, tg.Expr)
			if len(v) == 0 {
				t.Errorf("panel %q: %s returns nothing over the runtime's metrics", p.Title, tg.Expr)
			}
			for _, s := range v {
				if math.IsNaN(s.F) || math.IsInf(s.F, 0) {
					t.Errorf("panel %q: %s returns %v for %s", p.Title, tg.Expr, s.F, s.Metric)
				}
			}
		}
	}
	variables := 0
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		variables++
		q, _ := v.Query.(string)
		m := labelValues.FindStringSubmatch(q)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(selector, label)", v.Name, q)
			continue
		}
		found := false
		for _, s := range eval("variable "+v.Name, m[1]) {
			found = found || s.Metric.Get(m[2]) != ""
		}
		if !found {
			t.Errorf("variable %s: %s has no series with label %s", v.Name, m[1], m[2])
		}
	}
	if variables != 3 {
		t.Errorf("the dashboard has %d query variables, want namespace, agent and model", variables)
	}
}
