package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/credentials/insecure"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

var metricsAddress = regexp.MustCompile(`"msg"="Serving metrics" "address"="([^"]+)"`)

// TestMetrics scrapes the metrics listener: it serves the gRPC server's
// metrics, counting calls, at /metrics and nothing else.
func TestMetrics(t *testing.T) {
	cfg := testConfig()
	cfg.MetricsAddress = "127.0.0.1:0"
	r := serve(t, echo{}, insecure.NewCredentials(), cfg)
	if _, err := dial(t, r.addr, nil).RunFunction(callCtx(t), &fnv1.RunFunctionRequest{}); err != nil {
		t.Fatalf("RunFunction(...): %v", err)
	}
	addr := loggedAddress(r, metricsAddress, watchdog)
	if addr == "" {
		t.Fatalf("the log never said where metrics are served:\n%s", r.log)
	}
	get := func(path string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(callCtx(t), http.MethodGet, "http://"+addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		rsp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer func() { _ = rsp.Body.Close() }()
		b, err := io.ReadAll(rsp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return rsp.StatusCode, string(b)
	}
	code, body := get("/metrics")
	want := `grpc_server_handled_total{grpc_code="OK",grpc_method="RunFunction",grpc_service="apiextensions.fn.proto.v1.FunctionRunnerService",grpc_type="unary"} 1`
	if code != http.StatusOK || !strings.Contains(body, want) {
		t.Errorf("GET /metrics: want 200 and a line %q, got %d:\n%s", want, code, body)
	}
	if code, _ := get("/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/: want 404 (only /metrics is served), got %d", code)
	}
}

// loggedAddress waits up to d for the server's log to match re, and returns
// the address re captures, or "" if it never does.
func loggedAddress(r *running, re *regexp.Regexp, d time.Duration) string {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(r.log.String()); m != nil {
			return m[1]
		}
	}
	return ""
}
