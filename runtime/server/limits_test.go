package server_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentops-io/agentops/runtime/config"
)

// TestConcurrencyLimit: with MAX_CONCURRENT_REQUESTS in flight the next
// request is answered 429 at once, with Retry-After, instead of queueing.
func TestConcurrencyLimit(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, reply{status: http.StatusOK, body: anthropicMessage, block: release})
	rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1", func(c *config.Config) { c.MaxConcurrentRequests = 2 })
	var wg sync.WaitGroup
	statuses := make(chan int, 2)
	for range 2 {
		wg.Go(func() {
			res, _ := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}]}`)
			statuses <- res.StatusCode
		})
	}
	waitFor(t, func() bool { return len(up.calls()) == 2 })
	start := time.Now()
	res, body := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}]}`)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || time.Since(start) > time.Second {
		t.Errorf("third request: want an immediate 429 with Retry-After, got %d %q after %v: %s", res.StatusCode, res.Header.Get("Retry-After"), time.Since(start), body)
	}
	close(release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("admitted request: want 200, got %d", s)
		}
	}
	if got := scrape(t, rt.URL).requests("rejected"); got != 1 {
		t.Errorf("llm_requests_total{status=rejected}: want 1, got %v", got)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestReadiness: ready only with a key (hosted models) and the system
// prompt read; the key file is read again when Vault rewrites it.
func TestReadiness(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "api-key")
	promptPath := filepath.Join(dir, "systemPrompt")
	if err := os.WriteFile(promptPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	up := newUpstream(t, reply{status: http.StatusOK, body: anthropicMessage})
	c := &config.Config{Model: "claude-sonnet-4-5", Provider: config.Anthropic, Endpoint: up.URL + "/v1", APIKeyFile: keyPath,
		MaxTokens: 100, RequestTimeout: 5 * time.Second, MaxConcurrentRequests: 4, MaxRequestBytes: 1 << 20}
	keyFile := config.NewWatchedFile(keyPath)
	s, _ := newServer(t, c, config.NewWatchedFile(promptPath), keyFile)
	hs := newHTTPServer(t, s.Handler())

	if code, _ := get(t, hs+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: want 200 while serving, got %d", code)
	}
	if code, body := get(t, hs+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "api-key") {
		t.Errorf("/readyz without the key file: want 503 naming it, got %d %q", code, body)
	}
	res, err := http.Post(hs+"/v1/chat/completions", "application/json", strings.NewReader(`{"messages":[{"role":"user","content":"Hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || len(up.calls()) != 0 {
		t.Errorf("chat without a key: want 503 and no upstream call, got %d and %d calls", res.StatusCode, len(up.calls()))
	}
	for i, key := range []string{"first-key", "renewed-key"} {
		if err := os.WriteFile(keyPath, []byte(key+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if !keyFile.Reload() {
			t.Errorf("Reload after writing %s: want a change", key)
		}
		if code, _ := get(t, hs+"/readyz"); code != http.StatusOK {
			t.Errorf("/readyz with a key: want 200, got %d", code)
		}
		res, err := http.Post(hs+"/v1/chat/completions", "application/json", strings.NewReader(`{"messages":[{"role":"user","content":"Hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if got := up.calls()[i].header.Get("Authorization"); got != "Bearer "+key {
			t.Errorf("call %d: want the key now in the file, %s, got %q", i, key, got)
		}
	}
	s.Drain()
	if code, _ := get(t, hs+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: want 503, got %d", code)
	}
	if code, _ := get(t, hs+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while draining: want 200 (alive), got %d", code)
	}
}

func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String()
}

// TestGracefulShutdown: on shutdown a stream in flight finishes, readiness
// fails at once, and the listener closes after the delay.
func TestGracefulShutdown(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, reply{events: anthropicStream, block: release})
	temp := 0.5
	c := &config.Config{Model: "claude-sonnet-4-5", Provider: config.Anthropic, Endpoint: up.URL + "/v1", APIKey: testKey,
		MaxTokens: 100, Temperature: &temp, RequestTimeout: 10 * time.Second, MaxConcurrentRequests: 4, MaxRequestBytes: 1 << 20,
		ShutdownDelay: 300 * time.Millisecond, ShutdownTimeout: 5 * time.Second}
	s, _ := newServer(t, c, nil, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, l) }()
	t.Cleanup(func() { stop(); <-served })

	type result struct {
		status int
		body   []byte
	}
	inflight := make(chan result, 1)
	go func() {
		res, err := http.Post(url+"/v1/chat/completions", "application/json", strings.NewReader(`{"messages":[{"role":"user","content":"Hi"}],"stream":true}`))
		if err != nil {
			inflight <- result{}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		inflight <- result{res.StatusCode, b}
	}()
	waitFor(t, func() bool { return len(up.calls()) == 1 })
	stop()
	waitFor(t, func() bool { return s.Ready() != nil })
	if code, _ := get(t, url+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the shutdown delay: want 503, got %d", code)
	}
	time.Sleep(500 * time.Millisecond)
	if res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get(url + "/healthz"); err == nil {
		_ = res.Body.Close()
		t.Errorf("a new connection after the shutdown delay: want refused")
	}
	close(release)
	r := <-inflight
	if r.status != http.StatusOK || !strings.HasSuffix(string(r.body), "data: [DONE]\n\n") {
		t.Errorf("the in-flight stream: want it finished with [DONE], got %d %q", r.status, r.body)
	}
	if err := <-served; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Serve: %v", err)
	}
	served <- nil
}
