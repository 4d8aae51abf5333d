//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// hpaSyncs is how long the HPA controller takes for two of its syncs (every
// 15s): long enough for it and Crossplane to disagree if they are going to.
const hpaSyncs = 35 * time.Second

// Scenario 10: autoscaling turned on and off on a running agent. A kubectl
// watch sees every version of the Deployment: its spec.replicas never
// drops below the count it had before the switch, nor below minReplicas
// once on, and while the HPA owns the count Crossplane keeps what the HPA
// chose (the HPA's own call, a scale of the Deployment, is made here: the
// control plane has no metrics server).
func testAutoscalingToggle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, name := namespace(t, "toggle"), "toggled-agent"
	spec := baseSpec()
	spec["replicas"] = 3
	apply(t, agent(ns, name, spec))
	waitXR(t, ns, name, "Running with 3 replicas", running(3))

	w, err := env.k.Watch("deployment", name, "-n", ns, "-o", `jsonpath={.metadata.resourceVersion} {.spec.replicas}{"\n"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	counts := func(from int) (int, []int32) {
		lines := w.Lines()
		lines = lines[min(from, len(lines)):]
		out := make([]int32, 0, len(lines))
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) != 2 {
				t.Fatalf("kubectl watch printed %q", l)
			}
			n, err := strconv.ParseInt(f[1], 10, 32)
			if err != nil {
				t.Fatalf("kubectl watch printed %q: %v", l, err)
			}
			out = append(out, int32(n))
		}
		return from + len(lines), out
	}
	// step switches autoscaling, waits for the agent to settle and checks
	// every count the Deployment had meanwhile.
	mark := 0
	step := func(what string, autoscaling map[string]any, replicas, atLeast, settle int32) {
		t.Helper()
		spec["autoscaling"] = autoscaling
		spec["replicas"] = replicas
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, what, running(settle))
		if autoscaling["enabled"] == true {
			waitHPAReports(t, ns, name)
			time.Sleep(hpaSyncs)
		}
		var seen []int32
		mark, seen = counts(mark)
		if len(seen) > 0 && slices.Min(seen) < atLeast {
			t.Errorf("%s: the Deployment's spec.replicas went through %v, below %d", what, seen, atLeast)
		}
		if got := deploymentReplicas(t, ns, name); got != settle {
			t.Errorf("%s: the Deployment has %d replicas, want %d", what, got, settle)
		}
		t.Logf("%s: spec.replicas went through %v", what, seen)
	}

	// On, with three running and minReplicas two: three stay (no metrics
	// server, so the HPA does not scale); never one, as when Crossplane
	// stopped sending spec.replicas and the API server defaulted it.
	on := map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 5}
	step("autoscaling turned on at 3 replicas", on, 3, 3, 3)

	// The HPA scales to four: Crossplane keeps four, whatever makes it
	// reconcile (here an annotation on the AgentDeployment).
	if _, err := env.k.Run(ctx, "", "scale", "deployment/"+name, "-n", ns, "--replicas=4"); err != nil {
		t.Fatal(err)
	}
	poke(t, ns, name)
	waitXR(t, ns, name, "Running with the HPA's 4 replicas", running(4))
	time.Sleep(hpaSyncs)
	var seen []int32
	mark, seen = counts(mark)
	if i := slices.Index(seen, 4); i < 0 || slices.ContainsFunc(seen[i:], func(n int32) bool { return n != 4 }) {
		t.Errorf("after the HPA's scale to 4 the Deployment's spec.replicas went through %v: Crossplane undid it", seen)
	}

	// Off, with spec.replicas two: the agent goes from the HPA's four to
	// two, never through one.
	step("autoscaling turned off", map[string]any{"enabled": false}, 2, 2, 2)

	// On again with minReplicas three: up to three at once, never below two.
	step("autoscaling turned on below minReplicas", map[string]any{"enabled": true, "minReplicas": 3, "maxReplicas": 5}, 2, 2, 3)
}

// waitHPAReports waits until the HPA controller has looked at the agent's
// HPA at least once.
func waitHPAReports(t *testing.T, ns, name string) {
	t.Helper()
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		got, err := jsonPath(ctx, `{.status.conditions[?(@.type=="AbleToScale")].status}`, "hpa", name, "-n", ns)
		if err != nil {
			return err
		}
		if got == "" {
			return fmt.Errorf("HPA %s/%s has no AbleToScale condition yet", ns, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func deploymentReplicas(t *testing.T, ns, name string) int32 {
	t.Helper()
	got, err := jsonPath(context.Background(), "{.spec.replicas}", "deployment", name, "-n", ns)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(got, 10, 32)
	if err != nil {
		t.Fatalf("Deployment %s/%s spec.replicas %q: %v", ns, name, got, err)
	}
	return int32(n)
}
