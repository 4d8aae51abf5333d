// Package metrics exports the runtime's Prometheus metrics, named as the
// seed named them: the function's PrometheusRule, the autoscaler's adapter
// and existing dashboards read these names.
package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/agentops-io/agentops/runtime/provider"
)

// Metric names. fn/compose/prometheusrule.go reads the first and the cost.
const (
	RequestsTotal            = "llm_requests_total"
	RequestDurationSeconds   = "llm_request_duration_seconds"
	TokensTotal              = "llm_tokens_total" //nolint:gosec // a metric's name, not a credential
	CostUSDTotal             = "llm_cost_usd_total"
	ContextWindowUtilization = "llm_context_window_utilization"
	CacheHitRate             = "llm_cache_hit_rate"
)

const labelModel = "model"

// Values of llm_requests_total's status label.
const (
	StatusSuccess  = "success"
	StatusError    = "error"
	StatusRejected = "rejected"
	StatusCanceled = "canceled"
)

// Metrics of one runtime, registered on their own registry.
type Metrics struct {
	Registry *prometheus.Registry

	model         string
	contextWindow int64
	prices        Prices

	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	tokens      *prometheus.CounterVec
	cost        *prometheus.CounterVec
	utilization *prometheus.GaugeVec
	cacheHit    *prometheus.GaugeVec

	mu                 sync.Mutex
	promptTokens       int64
	cachedPromptTokens int64
}

// New registers the metrics of model, whose context window is contextWindow
// tokens (0 when unknown), priced by prices.
func New(model string, contextWindow int64, prices Prices) *Metrics {
	m := &Metrics{
		Registry:      prometheus.NewRegistry(),
		model:         model,
		contextWindow: contextWindow,
		prices:        prices,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: RequestsTotal, Help: "Chat requests, by model and status (success, error, rejected, canceled).",
		}, []string{labelModel, "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: RequestDurationSeconds, Help: "Time from a chat request to its response's last byte.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120},
		}, []string{labelModel}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: TokensTotal, Help: "Tokens the provider reported, by type (prompt, completion).",
		}, []string{labelModel, "type"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: CostUSDTotal, Help: "Dollars spent on the model, from its tokens and the price table.",
		}, []string{labelModel}),
		utilization: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: ContextWindowUtilization, Help: "The last request's prompt and completion tokens over the model's context window.",
		}, []string{labelModel}),
		cacheHit: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: CacheHitRate, Help: "Prompt tokens served from the provider's prompt cache over all prompt tokens, since start.",
		}, []string{labelModel}),
	}
	m.Registry.MustRegister(m.requests, m.duration, m.tokens, m.cost, m.utilization, m.cacheHit,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every series exists from the start, so rate() and the alerts' ratios
	// see a zero rather than no data.
	for _, s := range []string{StatusSuccess, StatusError, StatusRejected, StatusCanceled} {
		m.requests.WithLabelValues(model, s)
	}
	for _, t := range []string{"prompt", "completion"} {
		m.tokens.WithLabelValues(model, t)
	}
	m.cost.WithLabelValues(model)
	return m
}

// Rejected counts a request turned away by the concurrency limit.
func (m *Metrics) Rejected() {
	m.requests.WithLabelValues(m.model, StatusRejected).Inc()
}

// Canceled counts a request its client gave up on.
func (m *Metrics) Canceled(took time.Duration) {
	m.requests.WithLabelValues(m.model, StatusCanceled).Inc()
	m.duration.WithLabelValues(m.model).Observe(took.Seconds())
}

// Failed counts a request the provider failed.
func (m *Metrics) Failed(took time.Duration) {
	m.requests.WithLabelValues(m.model, StatusError).Inc()
	m.duration.WithLabelValues(m.model).Observe(took.Seconds())
}

// Succeeded counts a completed request, its tokens and what they cost.
func (m *Metrics) Succeeded(took time.Duration, u provider.Usage) {
	m.requests.WithLabelValues(m.model, StatusSuccess).Inc()
	m.duration.WithLabelValues(m.model).Observe(took.Seconds())
	m.tokens.WithLabelValues(m.model, "prompt").Add(float64(u.Prompt))
	m.tokens.WithLabelValues(m.model, "completion").Add(float64(u.Completion))
	m.cost.WithLabelValues(m.model).Add(m.prices.Cost(m.model, u))
	if m.contextWindow > 0 {
		m.utilization.WithLabelValues(m.model).Set(float64(u.Prompt+u.Completion) / float64(m.contextWindow))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.promptTokens += u.Prompt
	m.cachedPromptTokens += u.CacheRead
	if m.promptTokens > 0 {
		m.cacheHit.WithLabelValues(m.model).Set(float64(m.cachedPromptTokens) / float64(m.promptTokens))
	}
}
