package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/proc"
)

// A target is a function binary under load.
type target struct {
	name, bin string
	env, args []string
	check     func(*fnv1.RunFunctionResponse) error
}

// A result of one run.
type result struct {
	function, scenario string
	concurrency, n     int
	wall               time.Duration
	// latencies, in the order the calls started.
	latencies []time.Duration
	// cpu the server used for the measured calls.
	cpu time.Duration
	// memory before and after the measured calls.
	before, after proc.Memory
}

// measure runs l against a fresh process of t, after warmup calls.
func measure(ctx context.Context, t target, l load, warmup int) (result, error) {
	res := result{function: t.name, concurrency: l.concurrency, n: l.n}
	s, err := startServer(ctx, t.bin, t.env, t.args)
	if err != nil {
		return res, err
	}
	defer s.stop()
	if warmup > 0 {
		w := l
		w.n = warmup
		if _, _, err := w.drive(ctx, s.Addr, 0); err != nil {
			return res, fmt.Errorf("warm-up: %w", err)
		}
	}
	cpu0, err := s.cpuTime()
	if err != nil {
		return res, err
	}
	if res.before, err = s.memory(); err != nil {
		return res, err
	}
	if res.latencies, res.wall, err = l.drive(ctx, s.Addr, warmup); err != nil {
		return res, err
	}
	cpu1, err := s.cpuTime()
	if err != nil {
		return res, err
	}
	res.cpu = cpu1 - cpu0
	res.after, err = s.memory()
	return res, err
}

func (r result) throughput() float64 { return float64(r.n) / r.wall.Seconds() }

func (r result) cpuPerCall() time.Duration { return r.cpu / time.Duration(r.n) }

// percentile p of the latencies of calls [from, to).
func (r result) percentile(p float64, from, to int) time.Duration {
	l := slices.Clone(r.latencies[from:to])
	slices.Sort(l)
	return l[min(len(l)-1, int(p*float64(len(l))))]
}

func (r result) p(p float64) time.Duration { return r.percentile(p, 0, r.n) }

// firstAndLastP50 are the median latencies of the first and the last tenth
// of the calls: equal when nothing builds up as the XRs go by.
func (r result) firstAndLastP50() (time.Duration, time.Duration) {
	tenth := max(1, r.n/10)
	return r.percentile(0.5, 0, tenth), r.percentile(0.5, r.n-tenth, r.n)
}

func (r result) String() string {
	return fmt.Sprintf("%-8s %-6s c=%-3d %8.0f calls/s  p50 %-9s p99 %-9s cpu/call %-8s peak RSS %.1f MiB",
		r.function, r.scenario, r.concurrency, r.throughput(), r.p(0.5).Round(time.Microsecond), r.p(0.99).Round(time.Microsecond),
		r.cpuPerCall().Round(time.Microsecond), mib(r.after.Peak))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// checkComposed fails a response of function-agentops that did not compose
// the agent: a benchmark of the error path would measure nothing.
func checkComposed(rsp *fnv1.RunFunctionResponse) error {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return fmt.Errorf("fatal result: %s", r.GetMessage())
		}
	}
	if n := len(rsp.GetDesired().GetResources()); n != 9 {
		return fmt.Errorf("want 9 desired composed resources, got %d", n)
	}
	return nil
}

// checkRunning fails a steady-state response that does not find the agent
// Running: the observed state would not be the steady state.
func checkRunning(rsp *fnv1.RunFunctionResponse) error {
	if err := checkComposed(rsp); err != nil {
		return err
	}
	if rsp.GetDesired().GetComposite().GetReady() != fnv1.Ready_READY_TRUE {
		return errors.New("the XR is not ready in the steady state")
	}
	return nil
}
