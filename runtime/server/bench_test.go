package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentops-io/agentops/runtime/config"
	"github.com/agentops-io/agentops/runtime/internal/fakeupstream"
)

// BenchmarkOverhead measures a chat call through the runtime side by side
// with the same call made directly to the same fake upstream, all in one
// process: the difference is what the runtime adds. It reports the p50 and
// p99 of each call's latency and the process CPU time per call.
func BenchmarkOverhead(b *testing.B) {
	up := httptest.NewServer(fakeupstream.Handler(nil))
	b.Cleanup(up.Close)
	body := map[string]string{
		"complete": `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":100}`,
		"stream":   `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":100,"stream":true}`,
	}
	for _, mode := range []string{"complete", "stream"} {
		b.Run(mode+"/direct", func(b *testing.B) { measure(b, up.URL+"/v1/chat/completions", body[mode]) })
		b.Run(mode+"/runtime", func(b *testing.B) {
			rt := newRuntime(b, config.OpenAI, "gpt-4o", up.URL+"/v1")
			measure(b, rt.URL+"/v1/chat/completions", body[mode])
		})
	}
}

func measure(b *testing.B, url, body string) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	lat := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		res, err := client.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
