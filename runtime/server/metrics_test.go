package server_test

import (
	"math"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/agentops-io/agentops/runtime/config"
)

// families is a parsed scrape of /metrics.
type families map[string]*dto.MetricFamily

// scrape reads /metrics with Prometheus' own text parser.
func scrape(t *testing.T, url string) families {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	f, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return f
}

// value of name's series with the given labels (name=value pairs); NaN
// when absent.
func (f families) value(name string, labels ...string) float64 {
	fam, ok := f[name]
	if !ok {
		return math.NaN()
	}
	for _, m := range fam.GetMetric() {
		if matches(m, labels) {
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return math.NaN()
}

func matches(m *dto.Metric, labels []string) bool {
	have := map[string]string{}
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for _, kv := range labels {
		k, v, _ := strings.Cut(kv, "=")
		if have[k] != v {
			return false
		}
	}
	return true
}

func (f families) requests(status string) float64 {
	return f.value("llm_requests_total", "status="+status)
}

// TestMetrics drives successes and failures and reads every metric back
// from a scrape.
func TestMetrics(t *testing.T) {
	const model = "claude-sonnet-4-5"
	failing := reply{status: http.StatusBadRequest, body: `{"type":"error","error":{"type":"invalid_request_error","message":"x"}}`}
	ok := reply{status: http.StatusOK, body: anthropicMessage}
	up := newUpstream(t, ok, ok, failing)
	rt := newRuntime(t, config.Anthropic, model, up.URL+"/v1")
	for range 3 {
		rt.post(t, `{"messages":[{"role":"user","content":"Hi"}]}`)
	}
	rt.post(t, `{"messages":[]}`) // a client error: not an LLM request
	f := scrape(t, rt.URL)
	m := "model=" + model
	// anthropicMessage: 12 input, 100 cache reads, 7 output tokens. At
	// $3/M input, $0.30/M cache reads, $15/M output: 12*3 + 100*0.3 + 7*15 = 171 micro-dollars.
	checks := map[string]struct {
		got, want float64
	}{
		"requests success":    {f.value("llm_requests_total", m, "status=success"), 2},
		"requests error":      {f.value("llm_requests_total", m, "status=error"), 1},
		"requests rejected":   {f.value("llm_requests_total", m, "status=rejected"), 0},
		"duration count":      {f.value("llm_request_duration_seconds", m), 3},
		"prompt tokens":       {f.value("llm_tokens_total", m, "type=prompt"), 224},
		"completion tokens":   {f.value("llm_tokens_total", m, "type=completion"), 14},
		"cost":                {f.value("llm_cost_usd_total", m), 2 * 171e-6},
		"context utilization": {f.value("llm_context_window_utilization", m), 119.0 / 200000},
		"cache hit rate":      {f.value("llm_cache_hit_rate", m), 200.0 / 224},
	}
	for name, c := range checks {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: want %v, got %v", name, c.want, c.got)
		}
	}
	if f["llm_request_duration_seconds"].GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("llm_request_duration_seconds: want a histogram, got %v", f["llm_request_duration_seconds"].GetType())
	}
}
