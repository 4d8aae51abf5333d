package server_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentops-io/agentops/runtime/config"
)

// TestLoad: 2,000 requests, half of them streams, from 64 clients at once
// on loopback against a fake OpenAI that answers at once. Budget: no error,
// and the slowest 1% under 1.5s, with room for the race detector (`make
// unit` runs it; p99 measured 187ms without it, 555ms with it, on a shared
// 2-core machine). Bounded: it stops after the requests are done.
// BENCHMARKS.md has the benchmark.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const requests, clients = 2000, 64
	up := newUpstream(t, reply{status: http.StatusOK, body: openAICompletion})
	upStream := newUpstream(t, reply{events: openAIStream})
	plain := newRuntime(t, config.OpenAI, "gpt-4o", up.URL+"/v1")
	streaming := newRuntime(t, config.OpenAI, "gpt-4o", upStream.URL+"/v1")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 10 * time.Second}

	var next, failed atomic.Int64
	latencies := make([]time.Duration, requests)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= requests {
					return
				}
				rt, body := plain, `{"messages":[{"role":"user","content":"Hi"}]}`
				if i%2 == 1 {
					rt, body = streaming, `{"messages":[{"role":"user","content":"Hi"}],"stream":true}`
				}
				start := time.Now()
				res, err := client.Post(rt.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
				if err != nil {
					failed.Add(1)
					continue
				}
				b, _ := io.ReadAll(res.Body)
				_ = res.Body.Close()
				latencies[i] = time.Since(start)
				if res.StatusCode != http.StatusOK || (i%2 == 1 && !strings.HasSuffix(string(b), "data: [DONE]\n\n")) {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(latencies)
	p50, p99 := latencies[requests/2], latencies[requests*99/100]
	t.Logf("%d requests, %d clients: p50 %v, p99 %v", requests, clients, p50, p99)
	if n := failed.Load(); n != 0 {
		t.Errorf("%d of %d requests failed: the budget is 0", n, requests)
	}
	if p99 > 1500*time.Millisecond {
		t.Errorf("p99 %v: over the 1.5s budget", p99)
	}
	got := scrape(t, plain.URL).requests("success") + scrape(t, streaming.URL).requests("success")
	if got != requests {
		t.Errorf("llm_requests_total{status=success}: want %d, got %v", requests, got)
	}
}
