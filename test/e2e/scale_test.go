//go:build e2e && scale

package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
	"github.com/agentops-io/agentops/test/e2e/internal/measure"
)

// `make bench-scale` builds this suite with the scale tag (never part of
// make e2e or make test): a fleet of AgentDeployments on the e2e control
// plane, measured from apply to delete (BENCHMARKS.md, "At scale").
var (
	scaleN        = flag.Int("scale.n", 100, "How many AgentDeployments to apply.")
	scaleSettle   = flag.Duration("scale.settle", 5*time.Minute, "How long after every agent is Running the steady-state window starts.")
	scaleWindow   = flag.Duration("scale.window", 5*time.Minute, "How long the steady-state window lasts.")
	scalePatience = flag.Duration("scale.patience", 30*time.Minute, "How long to wait for the fleet to be Running, rolled or gone.")
	scaleOut      = flag.String("scale.out", "", "Folder for the results (default _output/bench-scale).")
)

// idleSpan is how long the control plane is sampled idle before the apply.
const idleSpan = 30 * time.Second

// TestScale applies the fleet, waits for it to be Running, measures the
// steady state, changes every agent's config at once, and deletes it all.
// It measures; it fails only when the fleet never gets where it should.
func TestScale(t *testing.T) {
	ctx := context.Background()
	out := *scaleOut
	if out == "" {
		out = filepath.Join(env.repo, "_output", "bench-scale")
	}
	if err := os.MkdirAll(out, 0o750); err != nil {
		t.Fatal(err)
	}
	agents, err := fleet(*scaleN)
	if err != nil {
		t.Fatal(err)
	}
	r := &scaleResult{N: len(agents), Settle: scaleSettle.Seconds(), Window: scaleWindow.Seconds(), Started: time.Now().UTC(), LoadStart: loadAverage()}
	for _, a := range agents {
		r.Pods += a.pods
		if a.autoscaled {
			r.Autoscaled++
		}
	}
	if r.Nodes, err = prepareCluster(ctx, agents); err != nil {
		t.Fatal(err)
	}
	tr, err := newTracker()
	if err != nil {
		t.Fatal(err)
	}
	defer tr.stop()
	s := startSampler()
	defer s.Stop()

	time.Sleep(idleSpan)
	idleEnd := s.Since(time.Now())
	idle := measure.Over(s.All(), components, idleEnd-idleSpan.Seconds(), idleEnd)
	before := scrapeAll(ctx, t)

	t.Logf("applying %d AgentDeployments (%d autoscaled, %d pods) on %d nodes", r.N, r.Autoscaled, r.Pods, r.Nodes)
	applied := time.Now()
	profiles := profileControlPlane(t, out, fmt.Sprintf("n%d-create", r.N), 30*time.Second)
	if err := runFollowing(ctx, tr, fleetList(agents), "apply", "--server-side", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	r.ApplySeconds = time.Since(applied).Seconds()
	runningAt, err := waitFor(tr, agents, "Running", func() int { return tr.running(agents) })
	profiles.Wait()
	r.Running = tr.running(agents)
	toRunning := make([]float64, 0, len(agents))
	for _, a := range agents {
		if x := tr.xr[a.key()]; x != nil && !x.firstRunning.IsZero() {
			toRunning = append(toRunning, x.firstRunning.Sub(x.firstSeen).Seconds())
		}
	}
	r.ToRunning = spreadOf(toRunning, runningAt.Sub(applied).Seconds())
	if err != nil {
		r.write(t, out)
		t.Fatalf("%v; %d of %d Running", err, r.Running, r.N)
	}
	created := scrapeAll(ctx, t)
	t.Logf("all %d Running %s after the apply; settling for %s, then measuring for %s", r.N, runningAt.Sub(applied).Round(time.Second), *scaleSettle, *scaleWindow)

	time.Sleep(*scaleSettle)
	windowStart := time.Now()
	start := scrapeAll(ctx, t)
	profiles = profileControlPlane(t, out, fmt.Sprintf("n%d-steady", r.N), time.Minute)
	time.Sleep(*scaleWindow)
	profiles.Wait()
	end := scrapeAll(ctx, t)
	windowEnd := time.Now()
	tr.update()
	r.RunningAfterWindow = tr.running(agents)
	r.steady(start, end, windowEnd.Sub(windowStart).Minutes())
	r.creation(before, created)
	if r.WriteCauses, err = writeCauses(ctx, windowStart); err != nil {
		t.Logf("managed fields of the composed objects: %v", err)
	}
	if r.EventCauses, err = eventCauses(ctx, windowStart); err != nil {
		t.Logf("events: %v", err)
	}
	all := s.All()
	r.Components = map[string]componentResult{}
	steadyUse := measure.Over(all, components, s.Since(windowStart), s.Since(windowEnd))
	createUse := measure.Over(all, components, s.Since(applied), s.Since(runningAt))
	for _, name := range components {
		r.Components[name] = componentResult{Idle: idle[name], Create: createUse[name], Steady: steadyUse[name]}
	}
	r.QueueDepthCreate = measure.MaxGauge(all, s.Since(applied), s.Since(runningAt))
	r.QueueDepthSteady = measure.MaxGauge(all, s.Since(windowStart), s.Since(windowEnd))

	t.Logf("update wave: every agent's config.temperature to %v", waveTemperature)
	xrGen, depGen := tr.generations()
	withWaveConfig(agents)
	waved := time.Now()
	if err := runFollowing(ctx, tr, fleetList(agents), "apply", "--server-side", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	rolled := func() int {
		n := 0
		for _, a := range agents {
			if _, ok := tr.rolled(a.key(), xrGen, depGen); ok {
				n++
			}
		}
		return n
	}
	waveDone, err := waitFor(tr, agents, "rolled and Running", rolled)
	times := make([]float64, 0, len(agents))
	for _, a := range agents {
		if at, ok := tr.rolled(a.key(), xrGen, depGen); ok {
			times = append(times, at.Sub(waved).Seconds())
		}
	}
	r.Wave = spreadOf(times, waveDone.Sub(waved).Seconds())
	r.Rolled = rolled()
	if err != nil {
		t.Errorf("update wave: %v", err)
	}

	t.Log("deleting every AgentDeployment")
	deleted := time.Now()
	if err := runFollowing(ctx, tr, "", "delete", "agentdeployments", "--all", "--all-namespaces", "--wait=false"); err != nil {
		t.Fatal(err)
	}
	left, err := waitGone(ctx)
	r.DeleteSeconds = time.Since(deleted).Seconds()
	r.LeftAfterDelete = left
	if err != nil {
		t.Errorf("delete: %v", err)
	}
	final := scrapeAll(ctx, t)
	r.CircuitOpens = final.crossplane.Sum("circuit_breaker_opens_total", nil)
	r.CircuitEvents = final.crossplane.By("circuit_breaker_events_total", nil, "result")
	r.Unresponsive = tr.circuitOpenings()
	r.Samples = s.Stop()
	r.LoadEnd = loadAverage()
	r.write(t, out)
}

// waitFor waits until count says every agent is there, and returns when.
// runFollowing runs kubectl with stdin and args, for up to the benchmark's
// patience, while it follows the fleet: an apply of a thousand objects
// takes minutes, and a watch the API server ends meanwhile is started
// again at once, so no version goes unseen for long.
func runFollowing(ctx context.Context, tr *tracker, stdin string, args ...string) error {
	done := make(chan error, 1)
	go func() {
		_, err := env.k.RunWithin(ctx, *scalePatience, stdin, args...)
		done <- err
	}()
	for {
		select {
		case err := <-done:
			return err
		case <-time.After(time.Second):
			tr.update()
		}
	}
}

func waitFor(tr *tracker, agents []fleetAgent, what string, count func() int) (time.Time, error) {
	deadline := time.Now().Add(*scalePatience)
	lastLog := time.Now()
	for {
		tr.update()
		n := count()
		if n == len(agents) {
			return time.Now(), nil
		}
		if time.Now().After(deadline) {
			return time.Now(), fmt.Errorf("%d of %d %s after %s", n, len(agents), what, *scalePatience)
		}
		if time.Since(lastLog) > 30*time.Second {
			fmt.Fprintf(os.Stderr, "scale: %d of %d %s\n", n, len(agents), what)
			lastLog = time.Now()
		}
		time.Sleep(time.Second)
	}
}

// composedResources are the kinds the function composes.
const composedResources = "deployments.apps,services,serviceaccounts,configmaps,horizontalpodautoscalers.autoscaling," +
	"poddisruptionbudgets.policy,networkpolicies.networking.k8s.io,servicemonitors.monitoring.coreos.com,prometheusrules.monitoring.coreos.com"

// waitGone waits until no AgentDeployment, composed object or agent pod is
// left, and returns how many are.
func waitGone(ctx context.Context) (int, error) {
	left := -1
	err := kube.Eventually(ctx, *scalePatience, 2*time.Second, func(ctx context.Context) error {
		out, err := env.k.Run(ctx, "", "get", "agentdeployments,"+composedResources, "-A", "-o", "name", "-l", "crossplane.io/composite")
		if err != nil {
			return err
		}
		xrs, err := env.k.Run(ctx, "", "get", "agentdeployments,pods", "-A", "-o", "name", "-l", "app.kubernetes.io/name=agentops-agent")
		if err != nil {
			return err
		}
		left = len(strings.Fields(out)) + len(strings.Fields(xrs))
		if left > 0 {
			return fmt.Errorf("%d objects left", left)
		}
		return nil
	})
	return left, err
}

func scrapeAll(ctx context.Context, t *testing.T) scrapes {
	t.Helper()
	var s scrapes
	var err error
	if s.crossplane, err = measure.Scrape(ctx, env.xp.MetricsURL); err != nil {
		t.Logf("crossplane metrics: %v", err)
	}
	if s.function, err = measure.Scrape(ctx, "http://"+functionServes(t, "metrics")+"/metrics"); err != nil {
		t.Logf("function metrics: %v", err)
	}
	if s.apiserver, err = apiServerMetrics(ctx); err != nil {
		t.Logf("API server metrics: %v", err)
	}
	return s
}

// functionServes is the address the function serves what ("metrics",
// "profiles") on, from its log.
func functionServes(t *testing.T, what string) string {
	t.Helper()
	addr, err := env.fn.WaitFor(func(line string) (string, bool) {
		var entry struct {
			Msg     string `json:"msg"`
			Address string `json:"address"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil || entry.Msg != "Serving "+what {
			return "", false
		}
		return entry.Address, entry.Address != ""
	}, 10*time.Second)
	if err != nil {
		t.Fatalf("the function's %s address: %v", what, err)
	}
	return addr
}

// profileControlPlane takes CPU profiles of Crossplane and of the function
// for d at once, into out/<name>-crossplane-cpu.pprof and
// out/<name>-function-cpu.pprof, in the background; Wait returns when both
// are written.
func profileControlPlane(t *testing.T, out, name string, d time.Duration) *sync.WaitGroup {
	t.Helper()
	var wg sync.WaitGroup
	for file, base := range map[string]string{
		name + "-crossplane-cpu.pprof": env.xp.ProfileURL,
		name + "-function-cpu.pprof":   "http://" + functionServes(t, "profiles") + "/debug/pprof",
	} {
		wg.Go(func() { takeProfile(base, filepath.Join(out, file), d) })
	}
	return &wg
}

// takeProfile writes the CPU profile of d seconds served under base (a
// pprof root) to file.
func takeProfile(base, file string, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	url := fmt.Sprintf("%s/profile?seconds=%d", base, int(d.Seconds()))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "scale: profile %s: %v\n", file, err)
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(file)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, resp.Body)
}

// writeCauses counts, per kind, field manager, operation and subresource,
// the composed objects that a manager changed after since, from their
// managed fields: who writes at steady state, and to what.
func writeCauses(ctx context.Context, since time.Time) (map[string]int, error) {
	out, err := env.k.Run(ctx, "", "get", composedResources, "-A", "-l", "crossplane.io/composite", "-o",
		`jsonpath={range .items[*]}{.kind}{range .metadata.managedFields[*]}{"\t"}{.manager}|{.operation}|{.subresource}|{.time}{end}{"\n"}{end}`)
	if err != nil {
		return nil, err
	}
	causes := map[string]int{}
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		for _, m := range f[1:] {
			p := strings.Split(m, "|")
			if len(p) != 4 {
				continue
			}
			at, err := time.Parse(time.RFC3339, p[3])
			if err != nil || at.Before(since.Truncate(time.Second)) {
				continue
			}
			causes[strings.Join([]string{f[0], p[0], p[1], p[2]}, " ")]++
		}
	}
	return causes, nil
}

// eventCauses counts the events emitted or repeated after since, by
// reporting component, type, reason and the kind of object they are about:
// events are writes too, and name their cause.
func eventCauses(ctx context.Context, since time.Time) (map[string]int, error) {
	out, err := env.k.Run(ctx, "", "get", "events", "-A", "-o",
		`jsonpath={range .items[*]}{.reportingComponent}|{.source.component}|{.type}|{.reason}|{.involvedObject.kind}|{.lastTimestamp}|{.series.lastObservedTime}{"\n"}{end}`)
	if err != nil {
		return nil, err
	}
	causes := map[string]int{}
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 7 {
			continue
		}
		// Events name their reporter in either field, and a repeated
		// one its last time in either; both may be set.
		component := cmp.Or(f[0], f[1])
		at := latest(f[5], f[6])
		if at.IsZero() || at.Before(since.Truncate(time.Second)) {
			continue
		}
		causes[strings.Join([]string{component, f[2], f[3], f[4]}, " ")]++
	}
	return causes, nil
}

// latest is the later of the RFC 3339 times given, zero if none parses.
func latest(times ...string) time.Time {
	var out time.Time
	for _, s := range times {
		if at, err := time.Parse(time.RFC3339, s); err == nil && at.After(out) {
			out = at
		}
	}
	return out
}

// loadAverage is /proc/loadavg's first three fields.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// timeSpread is a distribution of per-agent times, and the whole batch's.
type timeSpread struct {
	P50   float64 `json:"p50"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
	Batch float64 `json:"batch"`
}

func spreadOf(v []float64, batch float64) timeSpread {
	if len(v) == 0 {
		return timeSpread{Batch: batch}
	}
	slices.Sort(v)
	at := func(q float64) float64 { return v[min(len(v)-1, int(math.Ceil(q*float64(len(v))))-1)] }
	return timeSpread{P50: at(0.5), P99: at(0.99), Max: v[len(v)-1], Batch: batch}
}
