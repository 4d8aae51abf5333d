//go:build e2e && scale

package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/measure"
)

// scaleResult is one run, written as JSON (for the plot,
// test/scale/plot) and as Markdown tables (for BENCHMARKS.md).
type scaleResult struct {
	N          int `json:"n"`
	Autoscaled int `json:"autoscaled"`
	Pods       int `json:"pods"`
	Nodes      int `json:"nodes"`
	// Settle and Window are the steady state's delay after all are
	// Running and its length, in seconds.
	Settle    float64   `json:"settleSeconds"`
	Window    float64   `json:"windowSeconds"`
	Started   time.Time `json:"started"`
	LoadStart string    `json:"loadAverageStart"`
	LoadEnd   string    `json:"loadAverageEnd"`

	ApplySeconds       float64    `json:"applySeconds"`
	Running            int        `json:"running"`
	ToRunning          timeSpread `json:"toRunningSeconds"`
	RunningAfterWindow int        `json:"runningAfterWindow"`

	Components       map[string]componentResult `json:"components"`
	QueueDepthCreate float64                    `json:"queueDepthCreate"`
	QueueDepthSteady float64                    `json:"queueDepthSteady"`

	// Steady state, per minute of the window.
	RunFunctionPerXRPerMinute float64            `json:"runFunctionPerXRPerMinute"`
	FunctionP50               float64            `json:"functionSecondsP50"`
	FunctionP99               float64            `json:"functionSecondsP99"`
	ReconcilesPerMinute       float64            `json:"reconcilesPerMinute"`
	ReconcileP50              float64            `json:"reconcileSecondsP50"`
	ReconcileP99              float64            `json:"reconcileSecondsP99"`
	WriteRequestsPerMinute    map[string]float64 `json:"writeRequestsPerMinute"`
	EtcdWritesPerMinute       map[string]float64 `json:"etcdWritesPerMinute"`
	WriteCauses               map[string]int     `json:"writeCauses"`
	EventCauses               map[string]int     `json:"eventCauses"`

	// From the apply to all Running.
	CreateRunFunctionPerXR float64 `json:"createRunFunctionPerXR"`
	CreateReconcileP50     float64 `json:"createReconcileSecondsP50"`
	CreateReconcileP99     float64 `json:"createReconcileSecondsP99"`
	CreateReconcilesPerXR  float64 `json:"createReconcilesPerXR"`

	Wave   timeSpread `json:"waveSeconds"`
	Rolled int        `json:"rolled"`

	DeleteSeconds   float64 `json:"deleteSeconds"`
	LeftAfterDelete int     `json:"leftAfterDelete"`

	CircuitOpens  float64            `json:"circuitBreakerOpens"`
	CircuitEvents map[string]float64 `json:"circuitBreakerEvents"`
	Unresponsive  int                `json:"unresponsiveSeen"`

	Samples []measure.Sample `json:"samples"`
}

// componentResult is a component's usage idle (before the apply), while
// the fleet is created, and at steady state.
type componentResult struct {
	Idle   measure.Usage `json:"idle"`
	Create measure.Usage `json:"create"`
	Steady measure.Usage `json:"steady"`
}

// writeVerbs are the API server's verbs that change objects.
var writeVerbs = map[string]bool{"POST": true, "PUT": true, "PATCH": true, "APPLY": true, "DELETE": true, "DELETECOLLECTION": true}

func isWrite(l map[string]string) bool { return writeVerbs[l["verb"]] }

func isEtcdWrite(l map[string]string) bool {
	switch l["operation"] {
	case "create", "update", "delete":
		return true
	}
	return false
}

func isRunFunction(l map[string]string) bool { return l["grpc_method"] == "RunFunction" }

// steady reads the steady state's rates from the scrapes at the window's
// start and end.
func (r *scaleResult) steady(start, end scrapes, minutes float64) {
	calls := end.function.Sum("grpc_server_handled_total", isRunFunction) - start.function.Sum("grpc_server_handled_total", isRunFunction)
	r.RunFunctionPerXRPerMinute = calls / float64(r.N) / minutes
	fh := end.function.Histogram("grpc_server_handling_seconds", isRunFunction).Minus(start.function.Histogram("grpc_server_handling_seconds", isRunFunction))
	r.FunctionP50, r.FunctionP99 = fh.Quantile(0.5), fh.Quantile(0.99)
	rh := end.crossplane.Histogram("controller_runtime_reconcile_time_seconds", xrController("controller")).
		Minus(start.crossplane.Histogram("controller_runtime_reconcile_time_seconds", xrController("controller")))
	r.ReconcilesPerMinute = rh.Count / minutes
	r.ReconcileP50, r.ReconcileP99 = rh.Quantile(0.5), rh.Quantile(0.99)
	r.WriteRequestsPerMinute = perMinute(start.apiserver.By("apiserver_request_total", isWrite, "verb", "resource", "subresource"),
		end.apiserver.By("apiserver_request_total", isWrite, "verb", "resource", "subresource"), minutes)
	r.EtcdWritesPerMinute = perMinute(start.apiserver.By("etcd_requests_total", isEtcdWrite, "operation", "group", "resource"),
		end.apiserver.By("etcd_requests_total", isEtcdWrite, "operation", "group", "resource"), minutes)
}

// creation reads the cost of creating the fleet from the scrapes before
// the apply and once all were Running.
func (r *scaleResult) creation(before, after scrapes) {
	calls := after.function.Sum("grpc_server_handled_total", isRunFunction) - before.function.Sum("grpc_server_handled_total", isRunFunction)
	r.CreateRunFunctionPerXR = calls / float64(r.N)
	rh := after.crossplane.Histogram("controller_runtime_reconcile_time_seconds", xrController("controller")).
		Minus(before.crossplane.Histogram("controller_runtime_reconcile_time_seconds", xrController("controller")))
	r.CreateReconcilesPerXR = rh.Count / float64(r.N)
	r.CreateReconcileP50, r.CreateReconcileP99 = rh.Quantile(0.5), rh.Quantile(0.99)
}

// perMinute is the rate of every counter that grew between two scrapes.
func perMinute(before, after map[string]float64, minutes float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d / minutes
		}
	}
	return out
}

// write stores the result as JSON and Markdown in out and logs the
// Markdown.
func (r *scaleResult) write(t *testing.T, out string) {
	t.Helper()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(out, fmt.Sprintf("n%d", r.N))
	if err := os.WriteFile(base+".json", b, 0o600); err != nil {
		t.Fatal(err)
	}
	md := r.markdown()
	if err := os.WriteFile(base+".md", []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("results in %s.json and .md:\n%s", base, md)
}

const mib = 1 << 20

func (r *scaleResult) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### N = %d\n\n", r.N)
	fmt.Fprintf(&b, "%d AgentDeployments (%d autoscaled), %d pods on %d kwok nodes; started %s, load average %s at the start, %s at the end; steady state: %s to %s after all were Running.\n\n",
		r.N, r.Autoscaled, r.Pods, r.Nodes, r.Started.Format(time.RFC3339), r.LoadStart, r.LoadEnd,
		time.Duration(r.Settle)*time.Second, time.Duration(r.Settle+r.Window)*time.Second)
	fmt.Fprintf(&b, "| measure | value |\n| --- | --- |\n")
	row := func(k, format string, a ...any) { fmt.Fprintf(&b, "| %s | %s |\n", k, fmt.Sprintf(format, a...)) }
	row("kubectl apply of the fleet", "%.1f s", r.ApplySeconds)
	row("apply to Running, per XR: p50 / p99 / max", "%.1f / %.1f / %.1f s", r.ToRunning.P50, r.ToRunning.P99, r.ToRunning.Max)
	row("apply to all Running (batch)", "%.1f s (%d of %d)", r.ToRunning.Batch, r.Running, r.N)
	row("RunFunction calls per XR, apply to all Running", "%.1f", r.CreateRunFunctionPerXR)
	row("XR reconciles per XR, apply to all Running; p50 / p99 latency", "%.1f; %s / %s", r.CreateReconcilesPerXR, secs(r.CreateReconcileP50), secs(r.CreateReconcileP99))
	row("Crossplane work queue depth, max: creating / steady", "%.0f / %.0f", r.QueueDepthCreate, r.QueueDepthSteady)
	row("steady: RunFunction calls per XR per minute", "%.3f", r.RunFunctionPerXRPerMinute)
	row("steady: RunFunction latency in the function, p50 / p99", "%s / %s", secs(r.FunctionP50), secs(r.FunctionP99))
	row("steady: XR reconciles per minute; p50 / p99 latency", "%.1f; %s / %s", r.ReconcilesPerMinute, secs(r.ReconcileP50), secs(r.ReconcileP99))
	row("steady: Running at the window's end", "%d of %d", r.RunningAfterWindow, r.N)
	row("update wave: rolled and Running, per XR p50 / p99 / max", "%.1f / %.1f / %.1f s", r.Wave.P50, r.Wave.P99, r.Wave.Max)
	row("update wave: all rolled and Running (batch)", "%.1f s (%d of %d)", r.Wave.Batch, r.Rolled, r.N)
	row("delete all: every composed object and pod gone", "%.1f s (%d left)", r.DeleteSeconds, r.LeftAfterDelete)
	row("circuit breaker: openings (metric); XRs seen Responsive=False", "%.0f; %d", r.CircuitOpens, r.Unresponsive)
	row("circuit breaker: watch events by result", "%s", counts(r.CircuitEvents, "%.0f"))
	b.WriteString("\n| component | idle CPU | steady CPU | peak CPU | idle RSS | steady RSS | peak RSS | steady CPU per XR | steady RSS per XR |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, name := range components {
		c := r.Components[name]
		peakCPU := max(c.Create.PeakCPU, c.Steady.PeakCPU)
		peakRSS := max(c.Create.PeakRSS, c.Steady.PeakRSS)
		fmt.Fprintf(&b, "| %s | %.0fm | %.0fm | %.0fm | %.0f MiB | %.0f MiB | %.0f MiB | %.2fm | %.0f KiB |\n", name,
			1000*c.Idle.CPU, 1000*c.Steady.CPU, 1000*peakCPU,
			float64(c.Idle.RSS)/mib, float64(c.Steady.RSS)/mib, float64(peakRSS)/mib,
			1000*c.Steady.CPU/float64(r.N), float64(c.Steady.RSS-c.Idle.RSS)/1024/float64(r.N))
	}
	b.WriteString("\nSteady state, write requests per minute (API server, verb resource subresource): ")
	b.WriteString(counts(r.WriteRequestsPerMinute, "%.1f"))
	b.WriteString("\n\nSteady state, writes to etcd per minute (operation group resource): ")
	b.WriteString(counts(r.EtcdWritesPerMinute, "%.1f"))
	b.WriteString("\n\nComposed objects changed during the window, by kind, field manager, operation, subresource (managed fields): ")
	b.WriteString(counts(intCounts(r.WriteCauses), "%.0f"))
	b.WriteString("\n\nEvent objects emitted or repeated during the window, by reporting component, type, reason, object kind: ")
	b.WriteString(counts(intCounts(r.EventCauses), "%.0f"))
	b.WriteString("\n")
	return b.String()
}

func secs(s float64) string {
	if s == 0 { // nothing observed
		return "-"
	}
	return (time.Duration(s * float64(time.Second))).Round(100 * time.Microsecond).String()
}

func counts(m map[string]float64, format string) string {
	if len(m) == 0 {
		return "none"
	}
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: "+format, k, m[k]))
	}
	return strings.Join(parts, "; ")
}

func intCounts(m map[string]int) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}
