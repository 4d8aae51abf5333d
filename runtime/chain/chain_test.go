// Package chain tests the observability chain end to end: the runtime's
// /metrics, scraped as the function's ServiceMonitor has Prometheus scrape
// it, evaluated by Prometheus' own rule engine against the PrometheusRule
// the function composes for the same agent.
package chain

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/util/teststorage"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/runtime/config"
	"github.com/agentops-io/agentops/runtime/internal/composetest"
	"github.com/agentops-io/agentops/runtime/metrics"
	"github.com/agentops-io/agentops/runtime/provider"
	"github.com/agentops-io/agentops/runtime/server"
)

const agentModel = "claude-sonnet-4-5"

// anthropicOK is a Messages API answer of 7 output tokens, its prompt of 16
// tokens, 4 of them from the prompt cache.
const anthropicOK = `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],` +
	`"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":7}}`

// fakeAnthropic answers a prompt saying "fail" with Anthropic's 500 error,
// any other with anthropicOK.
func fakeAnthropic(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(string(b), "fail") {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`)
			return
		}
		_, _ = io.WriteString(w, anthropicOK)
	}))
	t.Cleanup(s.Close)
	return s.URL + "/v1"
}

// agent is the runtime of one agent and what the function composes for it.
type agent struct {
	runtime *httptest.Server
	rule    *monv1.PrometheusRule
	// target are the labels the ServiceMonitor's scrape adds.
	target map[string]string
}

// newAgent composes an agent with the function's code and starts a runtime
// for it in front of a fake Anthropic; each completion costs usdPerRequest.
func newAgent(t *testing.T, usdPerRequest float64) *agent {
	t.Helper()
	w := composetest.Workload(t, composetest.Agent("support", "{model: "+agentModel+", secrets: {apiKeySecret: k}}"))
	c := &config.Config{Model: agentModel, Provider: config.Anthropic, Endpoint: fakeAnthropic(t), APIKey: "k",
		MaxTokens: 100, RequestTimeout: 5 * time.Second, MaxConcurrentRequests: 8, MaxRequestBytes: 1 << 20}
	creds := config.NewCredentials(c, nil)
	p, err := provider.New(c, provider.Options{Endpoint: c.Endpoint, Key: creds.Key, HTTPClient: provider.NewHTTPClient(8)})
	if err != nil {
		t.Fatal(err)
	}
	// 7 output tokens a request: the output price makes each cost usdPerRequest.
	prices := metrics.Prices{agentModel: {Output: usdPerRequest * 1e6 / 7}}
	s := server.New(c, p, metrics.New(agentModel, 200000, prices), creds, nil, discard())
	rt := httptest.NewServer(s.Handler())
	t.Cleanup(rt.Close)
	return &agent{
		runtime: rt,
		rule:    compose.PrometheusRule(w),
		target: map[string]string{
			"namespace": w.Agent.Namespace, "service": w.Names.Base, "job": w.Names.Base,
			"pod": w.Names.Base + "-6d4cf56db6-x2x4z", "instance": "10.0.0.7:8080", "endpoint": compose.HTTPPortName,
		},
	}
}

// drive sends n requests, failing of them.
func (a *agent) drive(t *testing.T, n, failing int) {
	t.Helper()
	for i := range n {
		content := "hello"
		if i < failing {
			content = "fail"
		}
		res, err := http.Post(a.runtime.URL+"/v1/chat/completions", "application/json",
			strings.NewReader(`{"messages":[{"role":"user","content":"`+content+`"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
	}
}

// scrapeInto scrapes /metrics, as Prometheus would at time at, into db.
func (a *agent) scrapeInto(t *testing.T, db *teststorage.TestStorage, at time.Time) {
	t.Helper()
	res, err := http.Get(a.runtime.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	app := db.Appender(context.Background())
	for name, f := range families {
		if !strings.HasPrefix(name, "llm_") {
			continue
		}
		for _, m := range f.GetMetric() {
			add := func(name string, v float64, extra ...string) {
				b := labels.NewBuilder(labels.FromMap(a.target))
				b.Set(model.MetricNameLabel, name)
				for _, l := range m.GetLabel() {
					b.Set(l.GetName(), l.GetValue())
				}
				for i := 0; i+1 < len(extra); i += 2 {
					b.Set(extra[i], extra[i+1])
				}
				if _, err := app.Append(0, b.Labels(), at.UnixMilli(), v); err != nil {
					t.Fatal(err)
				}
			}
			switch {
			case m.GetCounter() != nil:
				add(name, m.GetCounter().GetValue())
			case m.GetGauge() != nil:
				add(name, m.GetGauge().GetValue())
			case m.GetHistogram() != nil:
				// As Prometheus stores a classic histogram: cumulative
				// buckets by le, with +Inf, a sum and a count.
				h := m.GetHistogram()
				for _, bk := range h.GetBucket() {
					add(name+"_bucket", float64(bk.GetCumulativeCount()), model.BucketLabel, strconv.FormatFloat(bk.GetUpperBound(), 'g', -1, 64))
				}
				add(name+"_bucket", float64(h.GetSampleCount()), model.BucketLabel, "+Inf")
				add(name+"_sum", h.GetSampleSum())
				add(name+"_count", float64(h.GetSampleCount()))
			}
		}
	}
	if err := app.Commit(); err != nil {
		t.Fatal(err)
	}
}

// alertingRule builds the composed rule named alert as Prometheus' rule
// manager would.
func (a *agent) alertingRule(t *testing.T, alert string) *rules.AlertingRule {
	t.Helper()
	for _, g := range a.rule.Spec.Groups {
		for _, r := range g.Rules {
			if r.Alert != alert {
				continue
			}
			expr, err := parser.NewParser(parser.Options{}).ParseExpr(r.Expr.String())
			if err != nil {
				t.Fatalf("%s: %v", alert, err)
			}
			hold, err := model.ParseDuration(string(*r.For))
			if err != nil {
				t.Fatalf("%s for: %v", alert, err)
			}
			return rules.NewAlertingRule(r.Alert, expr, time.Duration(hold), 0,
				labels.FromMap(r.Labels), labels.FromMap(r.Annotations), labels.EmptyLabels(), "", false, nil)
		}
	}
	t.Fatalf("the composed PrometheusRule has no alert %s", alert)
	return nil
}

// firing evaluates rule every step from start to end, as Prometheus' rule
// manager does, and reports the state at end and whether it was ever
// pending or firing.
func firing(t *testing.T, db *teststorage.TestStorage, rule *rules.AlertingRule, start, end time.Time, step time.Duration) (bool, bool) {
	t.Helper()
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})
	query := rules.EngineQueryFunc(engine, db)
	var firingAtEnd, everActive bool
	for ts := start; !ts.After(end); ts = ts.Add(step) {
		if _, err := rule.Eval(context.Background(), 0, ts, query, nil, 0); err != nil {
			t.Fatalf("%s at %v: %v", rule.Name(), ts, err)
		}
		alerts := rule.ActiveAlerts()
		everActive = everActive || len(alerts) > 0
		firingAtEnd = len(alerts) > 0 && alerts[0].State == rules.StateFiring
	}
	// (rule.State() is only kept by a rule group, which stamps each
	// evaluation; the alerts are the rule's own.)
	return firingAtEnd, everActive
}

func TestHighErrorRate(t *testing.T) {
	cases := map[string]struct {
		reason     string
		perScrape  int
		failing    int
		wantFiring bool
	}{
		"TenPercent": {reason: "10% of requests failing is over the 5% threshold: the alert fires once it held for 5m.", perScrape: 20, failing: 2, wantFiring: true},
		"OnePercent": {reason: "1% failing is under the threshold: the alert never even goes pending.", perScrape: 100, failing: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := newAgent(t, 0.001)
			db := teststorage.New(t)
			t0 := time.Unix(1_800_000_000, 0)
			const scrapes = 30 // 15 minutes at the ServiceMonitor's 30s
			for i := range scrapes {
				a.scrapeInto(t, db, t0.Add(time.Duration(i)*30*time.Second))
				a.drive(t, tc.perScrape, tc.failing)
			}
			end := t0.Add((scrapes - 1) * 30 * time.Second)
			fires, active := firing(t, db, a.alertingRule(t, "HighErrorRate"), t0, end, 30*time.Second)
			if fires != tc.wantFiring || (!tc.wantFiring && active) {
				t.Errorf("%s\nHighErrorRate: firing %t (ever pending or firing: %t), want firing %t", tc.reason, fires, active, tc.wantFiring)
			}
		})
	}
}

func TestHighLLMCosts(t *testing.T) {
	// The default threshold is $100 per hour, held for 15m. Each request
	// costs $1; a scrape every 5 minutes for two hours.
	cases := map[string]struct {
		reason     string
		perScrape  int
		wantFiring bool
	}{
		"Above": {reason: "$120 an hour is over the $100 threshold: the alert fires.", perScrape: 10, wantFiring: true},
		"Below": {reason: "$84 an hour is under the threshold: the alert never goes pending.", perScrape: 7},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := newAgent(t, 1)
			db := teststorage.New(t)
			t0 := time.Unix(1_800_000_000, 0)
			const scrapes = 25
			for i := range scrapes {
				a.scrapeInto(t, db, t0.Add(time.Duration(i)*5*time.Minute))
				a.drive(t, tc.perScrape, 0)
			}
			end := t0.Add((scrapes - 1) * 5 * time.Minute)
			// Evaluated once the first hour of data is in.
			fires, active := firing(t, db, a.alertingRule(t, "HighLLMCosts"), t0.Add(time.Hour), end, time.Minute)
			if fires != tc.wantFiring || (!tc.wantFiring && active) {
				t.Errorf("%s\nHighLLMCosts: firing %t (ever pending or firing: %t), want firing %t", tc.reason, fires, active, tc.wantFiring)
			}
		})
	}
}
