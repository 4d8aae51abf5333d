//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// Crossplane v2.3.4's per-XR circuit breaker (internal/circuit), at its
// defaults (cmd/crossplane/core/core.go): a token bucket per XR holding
// 100 tokens, refilled at 1 a second; empty, the circuit opens for 5
// minutes, letting one event through every 30 seconds. Every watch event
// mapped to the XR takes a token: a create or delete one, an update two
// (controller-runtime's EnqueueRequestsFromMapFunc maps the old and the
// new object). The XR's own watch and its composed resources' watches
// (realtime compositions) both go through it, with no predicate: status
// updates count.
const (
	breakerBurst  = 100.0
	breakerRefill = 1.0 // tokens a second
)

// fleetSize is how many agents TestCircuitBreaker rolls out at once.
const fleetSize = 20

// quietWindow is how long TestCircuitBreaker watches the settled fleet:
// past the HPA controller's 15s sync and the function's 15s TTL while
// converging, so status churn of either would show.
const quietWindow = 40 * time.Second

// TestCircuitBreaker measures the breaker under a 20-agent rollout with
// Crossplane's default settings: fleetSize agents created at once (half
// autoscaled), then every pod of every agent rolled by a config change,
// then the fleet left alone. It reports, from Crossplane's own metrics
// (circuit_breaker_opens_total, circuit_breaker_events_total), how many
// circuits opened, and from Crossplane's debug log and a watch of the XRs
// which watch events took each XR's tokens, by kind, and how low each
// XR's bucket went. It fails if an agent does not reach Running, open
// circuit or not (the function's TTL requeues the XR, and requeues do not
// pass through the breaker), or if the settled fleet still makes events
// (the function would then be rewriting something that did not change).
// It takes about two minutes and runs only with
// -e2e.circuit-breaker-defaults (make e2e-circuit-breaker): make e2e runs
// Crossplane with a larger burst.
func TestCircuitBreaker(t *testing.T) {
	if !*breakerDefaults || *controlPlaneOnly {
		t.Skip("run by make e2e-circuit-breaker (-e2e.circuit-breaker-defaults)")
	}
	ns := namespace(t, "breaker")
	logPath := filepath.Join(env.cp.LogDir, "crossplane.log")
	logStart := fileSize(t, logPath)
	metricsBefore := scrapeBreaker(t)
	xrs, err := env.k.Watch("agentdeployments", "-n", ns, "-o", `jsonpath={.metadata.name}{"\n"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer xrs.Stop()

	names := make([]string, fleetSize)
	for i := range names {
		names[i] = fmt.Sprintf("fleet-%02d", i)
	}
	fleet := func(prompt string) map[string]any {
		items := make([]any, 0, fleetSize)
		for i, name := range names {
			spec := baseSpec()
			spec["replicas"] = 2
			spec["config"] = map[string]any{"systemPrompt": prompt}
			if i%2 == 1 {
				spec["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 4}
			}
			items = append(items, agent(ns, name, spec))
		}
		return map[string]any{"apiVersion": "v1", "kind": "List", "items": items}
	}
	phases := map[string]time.Time{"create": time.Now()}
	apply(t, fleet("first"))
	waitFleet(t, ns, names, "created")
	phases["rollout"] = time.Now()
	apply(t, fleet("second: every pod rolls"))
	waitFleet(t, ns, names, "rolled out")
	phases["quiet"] = time.Now()
	time.Sleep(quietWindow)
	end := time.Now()

	opened := scrapeBreaker(t)
	for k, v := range metricsBefore {
		opened[k] -= v
	}
	t.Logf("Crossplane's breaker metrics over the test: %v", opened)

	events := append(composedEvents(t, logPath, logStart, ns), xrEvents(xrs)...)
	slices.SortStableFunc(events, func(a, b breakerEvent) int { return a.at.Compare(b.at) })
	for _, p := range []struct {
		name     string
		from, to time.Time
	}{
		{"create", phases["create"], phases["rollout"]},
		{"rollout", phases["rollout"], phases["quiet"]},
		{"quiet", phases["quiet"], end},
	} {
		t.Logf("%s (%s): tokens taken per XR, by source: %s", p.name, p.to.Sub(p.from).Round(time.Second), tokensBySource(events, p.from, p.to, fleetSize))
	}
	lowest := lowestBuckets(events)
	t.Logf("lowest bucket level of each XR (of %v, refill %v/s): %s", breakerBurst, breakerRefill, levelSpread(lowest))

	t.Logf("circuits opened at Crossplane's default settings: %v", opened["opens"])
	var quiet []string
	for _, e := range events {
		if !e.at.Before(phases["quiet"].Add(5 * time.Second)) {
			quiet = append(quiet, e.String())
		}
	}
	if len(quiet) > 0 {
		t.Errorf("the settled fleet still made %d watch events:\n%s", len(quiet), strings.Join(quiet, "\n"))
	}
}

// waitFleet waits for every agent of the fleet to be Running at its latest
// generation with 2 replicas, and logs the circuits that opened meanwhile.
func waitFleet(t *testing.T, ns string, names []string, what string) {
	t.Helper()
	start := time.Now()
	open := map[string]string{}
	err := kube.Eventually(context.Background(), burstPatience, poll, func(ctx context.Context) error {
		var list struct{ Items []xr }
		if err := env.k.Get(ctx, &list, "agentdeployments", "-n", ns); err != nil {
			return err
		}
		done := 0
		for _, x := range list.Items {
			if c := x.Status.condition("Responsive"); c.Status == "False" {
				if _, seen := open[x.Metadata.Name]; !seen {
					open[x.Metadata.Name] = fmt.Sprintf("after %s: %s", time.Since(start).Round(time.Second), c.Message)
				}
			}
			// running, less its refusal of an open circuit.
			x.Status.Conditions = slices.DeleteFunc(x.Status.Conditions, func(c condition) bool { return c.Type == "Responsive" })
			if running(2)(&x) == nil {
				done++
			}
		}
		if done < len(names) {
			return fmt.Errorf("%d of %d Running", done, len(names))
		}
		return nil
	})
	for _, name := range slices.Sorted(maps.Keys(open)) {
		t.Logf("fleet %s: %s's circuit opened %s", what, name, open[name])
	}
	if err != nil {
		t.Fatalf("fleet %s: %v", what, err)
	}
	t.Logf("fleet %s: every agent Running after %s", what, time.Since(start).Round(time.Second))
}

// breakerEvent is tokens taken from one XR's bucket by one watch event.
type breakerEvent struct {
	at     time.Time
	xr     string
	source string
	tokens float64
}

func (e breakerEvent) String() string {
	return fmt.Sprintf("%s %s: %s (%v)", e.at.Format(time.TimeOnly), e.xr, e.source, e.tokens)
}

// composedEvents reads, from Crossplane's debug log after offset, every
// composed resource's watch event mapped to an XR in ns: one line, one
// token (an update is logged twice, for its old and new object).
func composedEvents(t *testing.T, logPath string, offset int64, ns string) []breakerEvent {
	t.Helper()
	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, 0); err != nil {
		t.Fatal(err)
	}
	const msg = "Mapping composite resource because composed resource changed"
	var out []breakerEvent
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		_, rest, found := strings.Cut(line, msg)
		if !found {
			continue
		}
		at, err := time.Parse(time.RFC3339, strings.Fields(line)[0])
		if err != nil {
			t.Fatalf("crossplane.log: %q: %v", line, err)
		}
		var fields struct {
			Namespace string `json:"namespace"`
			Name      string `json:"name"`
			GVK       string `json:"cdGVK"`
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(rest)), &fields); err != nil {
			t.Fatalf("crossplane.log: %q: %v", line, err)
		}
		if fields.Namespace != ns {
			continue
		}
		kind := fields.GVK[strings.LastIndex(fields.GVK, "Kind=")+len("Kind="):]
		out = append(out, breakerEvent{at: at, xr: fields.Name, source: kind, tokens: 1})
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// xrEvents are the XRs' own watch events, from a kubectl watch that printed
// each version's name: the first version is a create (one token), every
// later one an update (two).
func xrEvents(w *kube.Watch) []breakerEvent {
	seen := map[string]bool{}
	lines := w.Since(0)
	out := make([]breakerEvent, 0, len(lines))
	for _, l := range lines {
		e := breakerEvent{at: l.At, xr: l.Text, source: "AgentDeployment", tokens: 2}
		if !seen[l.Text] {
			e.tokens, seen[l.Text] = 1, true
		}
		out = append(out, e)
	}
	return out
}

// tokensBySource sums the tokens events between from and to took, per
// source, divided among n XRs.
func tokensBySource(events []breakerEvent, from, to time.Time, n int) string {
	by := map[string]float64{}
	total := 0.0
	for _, e := range events {
		if e.at.Before(from.Truncate(time.Second)) || !e.at.Before(to) {
			continue
		}
		by[e.source] += e.tokens
		total += e.tokens
	}
	parts := make([]string, 0, 1+len(by))
	parts = append(parts, fmt.Sprintf("total %.1f", total/float64(n)))
	for _, s := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%s %.1f", s, by[s]/float64(n)))
	}
	return strings.Join(parts, ", ")
}

// lowestBuckets replays the events through each XR's token bucket, as
// Crossplane's breaker keeps it, and returns the lowest level each reached.
func lowestBuckets(events []breakerEvent) map[string]float64 {
	type bucket struct {
		tokens, lowest float64
		last           time.Time
	}
	buckets := map[string]*bucket{}
	for _, e := range events {
		b := buckets[e.xr]
		if b == nil {
			b = &bucket{tokens: breakerBurst, lowest: breakerBurst, last: e.at}
			buckets[e.xr] = b
		}
		b.tokens = min(breakerBurst, b.tokens+breakerRefill*e.at.Sub(b.last).Seconds()) - e.tokens
		b.last = e.at
		b.lowest = min(b.lowest, b.tokens)
	}
	out := map[string]float64{}
	for xr, b := range buckets {
		out[xr] = b.lowest
	}
	return out
}

// levelSpread sums up bucket levels: the lowest, the median and the highest.
func levelSpread(v map[string]float64) string {
	all := slices.Sorted(maps.Values(v))
	if len(all) == 0 {
		return "none"
	}
	return fmt.Sprintf("min %.0f, median %.0f, max %.0f", all[0], all[len(all)/2], all[len(all)-1])
}

// scrapeBreaker reads Crossplane's circuit breaker counters, summed over
// its controllers: opens, closes and events by result.
func scrapeBreaker(t *testing.T) map[string]float64 {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, env.xp.MetricsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	out := map[string]float64{"opens": 0, "closes": 0}
	s := bufio.NewScanner(rsp.Body)
	for s.Scan() {
		line := s.Text()
		if !strings.HasPrefix(line, "circuit_breaker_") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics: %q: %v", line, err)
		}
		name, labels, _ := strings.Cut(line[:i], "{")
		key := strings.TrimSuffix(strings.TrimPrefix(name, "circuit_breaker_"), "_total")
		if _, result, ok := strings.Cut(labels, `result="`); ok {
			key += "/" + result[:strings.IndexByte(result, '"')]
		}
		out[key] += v
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
