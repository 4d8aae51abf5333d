package chain

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/util/teststorage"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// adapterRule is one rule of prometheus-adapter's configuration
// (pkg/config: DiscoveryRule), the fields the shipped rule sets.
type adapterRule struct {
	SeriesQuery string `json:"seriesQuery"`
	Resources   struct {
		Overrides map[string]struct {
			Resource string `json:"resource"`
		} `json:"overrides"`
	} `json:"resources"`
	Name struct {
		Matches string `json:"matches"`
		As      string `json:"as"`
	} `json:"name"`
	MetricsQuery string `json:"metricsQuery"`
}

// TestAdapterRule holds deploy/monitoring/prometheus-adapter.yaml to the
// runtime's metrics: its series query finds the runtime's counter as the
// ServiceMonitor's scrape labels it, its name rule makes the metric the
// function's HPA asks for, and its metrics query, expanded as the adapter
// expands it, evaluates to each pod's requests per second. The KEDA engine's
// query is evaluated over the same series.
func TestAdapterRule(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtures.Root(), "deploy", "monitoring", "prometheus-adapter.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Rules struct {
			Default bool          `json:"default"`
			Custom  []adapterRule `json:"custom"`
		} `json:"rules"`
	}
	if err := yaml.UnmarshalStrict(b, &values); err != nil {
		t.Fatal(err)
	}
	if len(values.Rules.Custom) != 1 {
		t.Fatalf("rules.custom has %d rules, want 1", len(values.Rules.Custom))
	}
	rule := values.Rules.Custom[0]

	// Ten requests between scrapes 30s apart: 1/3 request per second.
	a := newAgent(t, 0.001)
	db := teststorage.New(t)
	t0 := time.Unix(1_800_000_000, 0)
	const scrapes = 10
	for i := range scrapes {
		a.drive(t, 10, 0)
		a.scrapeInto(t, db, t0.Add(time.Duration(i)*30*time.Second))
	}
	end := t0.Add((scrapes - 1) * 30 * time.Second)
	eval := func(q string) promql.Vector {
		t.Helper()
		if _, err := parser.NewParser(parser.Options{}).ParseExpr(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})
		qry, err := engine.NewInstantQuery(context.Background(), db, nil, q, end)
		if err != nil {
			t.Fatal(err)
		}
		res := qry.Exec(context.Background())
		if res.Err != nil {
			t.Fatalf("%s: %v", q, res.Err)
		}
		v, err := res.Vector()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	series := eval(rule.SeriesQuery)
	if len(series) == 0 {
		t.Fatalf("seriesQuery %s selects none of the runtime's series", rule.SeriesQuery)
	}
	metric := series[0].Metric.Get("__name__")
	for label, o := range rule.Resources.Overrides {
		if series[0].Metric.Get(label) == "" {
			t.Errorf("resources.overrides maps label %q to %s, but the scraped series lacks it", label, o.Resource)
		}
	}
	name := regexp.MustCompile(rule.Name.Matches).ReplaceAllString(metric, rule.Name.As)
	if name != compose.MetricRequestsPerSecond {
		t.Errorf("name rule makes %q of %q, want %q, the metric the function's HPA asks for", name, metric, compose.MetricRequestsPerSecond)
	}

	// As the adapter does (pkg/naming: metricsQuery), with << >> delimiters.
	tmpl, err := template.New("q").Delims("<<", ">>").Parse(rule.MetricsQuery)
	if err != nil {
		t.Fatal(err)
	}
	var q bytes.Buffer
	err = tmpl.Execute(&q, map[string]string{
		"Series":        metric,
		"LabelMatchers": `namespace="` + a.target["namespace"] + `",pod=~"` + a.target["pod"] + `"`,
		"GroupBy":       "pod",
	})
	if err != nil {
		t.Fatal(err)
	}
	perPod := eval(q.String())
	if len(perPod) != 1 || perPod[0].Metric.Get("pod") != a.target["pod"] {
		t.Fatalf("metricsQuery %s: got %v, want one sample for pod %s", q.String(), perPod, a.target["pod"])
	}
	if got := perPod[0].F; got < 0.3 || got > 0.37 {
		t.Errorf("metricsQuery %s = %v requests per second, want 1/3", q.String(), got)
	}

	keda := eval(compose.RequestRateQuery(a.target["namespace"], a.target["service"]))
	if len(keda) != 1 || keda[0].F < 0.3 || keda[0].F > 0.37 {
		t.Errorf("the KEDA engine's query %s = %v, want 1/3 request per second", compose.RequestRateQuery(a.target["namespace"], a.target["service"]), keda)
	}
	if !strings.Contains(rule.MetricsQuery, "["+compose.RequestRateWindow+"]") {
		t.Errorf("metricsQuery %s does not use the KEDA engine's window %s: the engines would scale on different rates", rule.MetricsQuery, compose.RequestRateWindow)
	}
}
