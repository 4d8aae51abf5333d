//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// burstSize is how many AgentDeployments TestBurst applies at once.
const burstSize = 50

// burstPatience bounds the wait for every agent of the burst to be Running.
const burstPatience = 5 * time.Minute

// testBurst applies burstSize AgentDeployments in one kubectl apply, as a
// team rolling out a fleet would (issue 23). Crossplane applies each XR's
// composed resources in no particular order; the function composes the
// Deployment only once its ServiceAccount and ConfigMap exist, so no
// ReplicaSet is refused pods for want of them. No agent may ever report
// Failed, no Warning event may be emitted, and no pod creation may fail
// (FailedCreate). It logs how long the agents took to be Running, and how
// long each Deployment was created after its ServiceAccount: the cost of
// the ordering.
func testBurst(t *testing.T) {
	ns := namespace(t, "burst")
	items := make([]any, 0, burstSize)
	for i := range burstSize {
		items = append(items, agent(ns, fmt.Sprintf("burst-%02d", i), baseSpec()))
	}
	start := time.Now()
	apply(t, map[string]any{"apiVersion": "v1", "kind": "List", "items": items})

	toRunning, failed := watchBurst(t, ns, start)
	if len(failed) > 0 {
		t.Errorf("AgentDeployments reported Failed during the burst:\n%s", strings.Join(failed, "\n"))
	}
	if len(toRunning) != burstSize {
		t.Fatalf("%d of %d AgentDeployments Running after %s", len(toRunning), burstSize, burstPatience)
	}
	t.Logf("time from apply to Running, %d agents: %s", burstSize, spread(toRunning))

	lag, err := deploymentLag(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Deployment created after its ServiceAccount (the ordering's cost, 1s resolution): %s", spread(lag))

	events, err := burstEvents(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	if len(events.apiServerRace) > 0 {
		t.Logf("the API server's own IP repair race (not ours, see kube.Event.IPRepairRace):\n%s", strings.Join(events.apiServerRace, "\n"))
	}
	t.Logf("FailedCreate events: %d (target: none)", events.failedCreate)
	if events.failedCreate > 0 {
		t.Errorf("%d FailedCreate events: ReplicaSets were refused pods", events.failedCreate)
	}
	if len(events.warnings) > 0 {
		t.Errorf("%d Warning events, want none:\n%s", len(events.warnings), strings.Join(events.warnings, "\n"))
	}
}

// watchBurst polls the namespace's AgentDeployments until every one is
// Running, and returns how long each took from start and every Failed
// status seen on the way.
func watchBurst(t *testing.T, ns string, start time.Time) (map[string]time.Duration, []string) {
	t.Helper()
	toRunning := map[string]time.Duration{}
	var failed []string
	err := kube.Eventually(context.Background(), burstPatience, poll, func(ctx context.Context) error {
		var list struct{ Items []xr }
		if err := env.k.Get(ctx, &list, "agentdeployments", "-n", ns); err != nil {
			return err
		}
		for _, x := range list.Items {
			name := x.Metadata.Name
			if x.Status.Phase == "Failed" {
				failed = append(failed, fmt.Sprintf("%s at %s: %s", name, time.Since(start).Round(time.Second), x.Status.summary()))
			}
			if _, done := toRunning[name]; !done && running(1)(&x) == nil {
				toRunning[name] = time.Since(start)
			}
		}
		if len(toRunning) < burstSize {
			return fmt.Errorf("%d of %d Running", len(toRunning), burstSize)
		}
		return nil
	})
	if err != nil {
		t.Logf("waiting for the burst: %v", err)
	}
	return toRunning, failed
}

// deploymentLag is, for each agent, how much later than its ServiceAccount
// its Deployment was created.
func deploymentLag(ctx context.Context, ns string) (map[string]time.Duration, error) {
	created := func(resource string) (map[string]time.Time, error) {
		var list struct {
			Items []struct {
				Metadata struct {
					Name              string    `json:"name"`
					CreationTimestamp time.Time `json:"creationTimestamp"`
				} `json:"metadata"`
			} `json:"items"`
		}
		if err := env.k.Get(ctx, &list, resource, "-n", ns, "-l", "app.kubernetes.io/name=agentops-agent"); err != nil {
			return nil, err
		}
		out := map[string]time.Time{}
		for _, i := range list.Items {
			out[i.Metadata.Name] = i.Metadata.CreationTimestamp
		}
		return out, nil
	}
	deployments, err := created("deployments.apps")
	if err != nil {
		return nil, err
	}
	accounts, err := created("serviceaccounts")
	if err != nil {
		return nil, err
	}
	lag := map[string]time.Duration{}
	for name, d := range deployments {
		if sa, ok := accounts[name]; ok {
			lag[name] = d.Sub(sa)
		}
	}
	if len(lag) != burstSize {
		return nil, fmt.Errorf("found %d Deployments with their ServiceAccount, want %d", len(lag), burstSize)
	}
	return lag, nil
}

// burstEvents lists the namespace's Warning events, apart from those of the
// API server's IP repair race, and counts the FailedCreate ones (a
// ReplicaSet refused pods).
func burstEvents(ctx context.Context, ns string) (burstWarnings, error) {
	var list struct {
		Items []kube.Event `json:"items"`
	}
	var out burstWarnings
	if err := env.k.Get(ctx, &list, "events", "-n", ns); err != nil {
		return out, err
	}
	for _, e := range list.Items {
		if e.Reason == "FailedCreate" {
			out.failedCreate += max(e.Count, 1)
		}
		if e.Type != "Warning" {
			continue
		}
		line := fmt.Sprintf("%s %s: %s (x%d): %s", e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, max(e.Count, 1), e.Message)
		if e.IPRepairRace() {
			out.apiServerRace = append(out.apiServerRace, line)
			continue
		}
		out.warnings = append(out.warnings, line)
	}
	slices.Sort(out.warnings)
	slices.Sort(out.apiServerRace)
	return out, nil
}

// burstWarnings is what the burst's events say.
type burstWarnings struct {
	warnings      []string // every Warning but the API server's race
	apiServerRace []string // kube.Event.IPRepairRace Warnings, logged only
	failedCreate  int      // pods refused to ReplicaSets
}

// spread sums up durations: the fastest, the median and the slowest.
func spread(d map[string]time.Duration) string {
	all := make([]time.Duration, 0, len(d))
	for _, v := range d {
		all = append(all, v)
	}
	if len(all) == 0 {
		return "none"
	}
	slices.Sort(all)
	return fmt.Sprintf("min %s, median %s, max %s", all[0].Round(time.Second), all[len(all)/2].Round(time.Second), all[len(all)-1].Round(time.Second))
}
