package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentops-io/agentops/runtime/config"
	"github.com/agentops-io/agentops/runtime/metrics"
	"github.com/agentops-io/agentops/runtime/provider"
	"github.com/agentops-io/agentops/runtime/server"
)

const (
	testKey    = "sk-test-key-0123456789"
	testPrompt = "You are the support agent of Example Corp."
)

// runtime is a runtime under test in front of a fake upstream.
type runtime struct {
	*httptest.Server
	srv  *server.Server
	logs *syncBuffer
}

type option func(*config.Config)

// newRuntime serves a runtime for model of provider p, calling upstream at
// endpoint, with the key testKey and the system prompt testPrompt.
func newRuntime(tb testing.TB, p config.Provider, model, endpoint string, opts ...option) *runtime {
	tb.Helper()
	temp := 0.7
	c := &config.Config{
		Port: 8080, Model: model, Provider: p, Endpoint: endpoint, ContextWindow: 200000,
		APIKey: testKey, MaxTokens: 1024, Temperature: &temp,
		RequestTimeout: 10 * time.Second, MaxRetries: 2, MaxConcurrentRequests: 64, MaxRequestBytes: 1 << 20,
		ShutdownDelay: 0, ShutdownTimeout: 5 * time.Second, FilePollInterval: time.Second,
	}
	for _, o := range opts {
		o(c)
	}
	prompt := filepath.Join(tb.TempDir(), "systemPrompt")
	if err := os.WriteFile(prompt, []byte(testPrompt+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	s, logs := newServer(tb, c, config.NewWatchedFile(prompt), nil)
	hs := httptest.NewServer(s.Handler())
	tb.Cleanup(hs.Close)
	return &runtime{Server: hs, srv: s, logs: logs}
}

func newServer(tb testing.TB, c *config.Config, prompt, keyFile *config.WatchedFile) (*server.Server, *syncBuffer) {
	tb.Helper()
	creds := config.NewCredentials(c, keyFile)
	p, err := provider.New(c, provider.Options{Endpoint: c.Endpoint, MaxRetries: c.MaxRetries, Key: creds.Key, HTTPClient: provider.NewHTTPClient(c.MaxConcurrentRequests)})
	if err != nil {
		tb.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return server.New(c, p, metrics.New(c.Model, c.ContextWindow, metrics.Builtin), creds, prompt, log), logs
}

// answer is a response whose body was read and closed.
type answer struct {
	StatusCode int
	Header     http.Header
}

// post sends a chat request and returns the answer and its body.
func (r *runtime) post(t *testing.T, body string) (answer, []byte) {
	t.Helper()
	res, err := http.Post(r.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{res.StatusCode, res.Header}, b
}

// events splits a server-sent event stream into its data payloads.
func events(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return out
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	return v
}

// syncBuffer collects log lines from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// upstream is a fake provider: it records each request and answers with
// the next of its replies (the last one repeats).
type upstream struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
	replies  []reply
}

type recorded struct {
	at     time.Time
	path   string
	header http.Header
	body   map[string]any
}

// A reply is a status, headers and a body; events, when set, are written as
// server-sent events with a flush after each, delay before each.
type reply struct {
	status int
	header map[string]string
	body   string
	events []string
	delay  time.Duration
	// block, when set, holds the reply until it is closed.
	block chan struct{}
}

func newUpstream(t *testing.T, replies ...reply) *upstream {
	t.Helper()
	u := &upstream{replies: replies}
	u.Server = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec := recorded{at: time.Now(), path: r.URL.Path, header: r.Header.Clone()}
	_ = json.Unmarshal(b, &rec.body)
	u.mu.Lock()
	u.requests = append(u.requests, rec)
	rep := u.replies[min(len(u.requests), len(u.replies))-1]
	u.mu.Unlock()
	if rep.block != nil {
		select {
		case <-rep.block:
		case <-r.Context().Done():
			return
		}
	}
	time.Sleep(rep.delay)
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.events != nil {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		for _, e := range rep.events {
			_, _ = io.WriteString(w, e+"\n\n")
			w.(http.Flusher).Flush()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (u *upstream) calls() []recorded {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]recorded(nil), u.requests...)
}
