// Package server serves the agent contract's HTTP API: health, readiness,
// metrics and OpenAI's chat completions in front of one model.
package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/agentops-io/agentops/runtime/config"
	"github.com/agentops-io/agentops/runtime/contract"
	"github.com/agentops-io/agentops/runtime/metrics"
	"github.com/agentops-io/agentops/runtime/provider"
)

// A Server is the runtime's HTTP handler and the state it needs.
type Server struct {
	cfg      *config.Config
	provider provider.Provider
	metrics  *metrics.Metrics
	creds    *config.Credentials
	// prompt is SYSTEM_PROMPT_FILE's watcher; nil when the variable is unset.
	prompt *config.WatchedFile
	log    *slog.Logger

	// slots admits MaxConcurrentRequests chat requests at once.
	slots    chan struct{}
	draining atomic.Bool
}

// New returns a server of the model c configures.
func New(c *config.Config, p provider.Provider, m *metrics.Metrics, creds *config.Credentials, prompt *config.WatchedFile, log *slog.Logger) *Server {
	return &Server{
		cfg: c, provider: p, metrics: m, creds: creds, prompt: prompt, log: log,
		slots: make(chan struct{}, c.MaxConcurrentRequests),
	}
}

// Handler serves the contract's paths.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+contract.PathHealthz, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET "+contract.PathReadyz, s.readyz)
	mux.Handle("GET "+contract.PathMetrics, promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc(contract.PathCompletions, s.completions)
	return mux
}

// Drain makes the server not ready, ahead of its shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// Ready is nil when the server can serve a chat request, or why not.
func (s *Server) Ready() error {
	if s.draining.Load() {
		return errors.New("shutting down")
	}
	if s.prompt != nil {
		if _, err := s.prompt.Content(); err != nil {
			return err
		}
	}
	if s.cfg.Provider.Hosted() {
		if _, err := s.creds.Key(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	if err := s.Ready(); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// systemPrompt is the configured prompt, trimmed; "" for none.
func (s *Server) systemPrompt() string {
	if s.prompt == nil {
		return ""
	}
	b, _ := s.prompt.Content()
	return strings.TrimSpace(string(b))
}
