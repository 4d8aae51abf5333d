//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// outageLength is how long the function stays down: longer than
// Crossplane's default poll interval (1m), so that every XR is reconciled
// at least once without it, by its poll as well as by the poke below.
const outageLength = 75 * time.Second

// Scenario 12: the function stops while agents run. Crossplane cannot
// compose their XRs, and must not take that for an empty desired state:
// every composed object stays (same UIDs), no pod is replaced, and the
// XRs say Synced=False. Once the function serves again, every agent is
// Running without a rollout (the same ReplicaSets, none added).
func testFunctionOutage(t *testing.T) {
	ns := namespace(t, "outage")
	names := []string{"outage-a", "outage-b"}
	before := runningAgents(t, ns, names, "Running before the outage")

	env.fn.Stop(10 * time.Second)
	stopped := time.Now()
	restarted := false
	restart := func() {
		if restarted {
			return
		}
		restarted = true
		serveFunction(t, controlplane.TrustedCert)
	}
	// Whatever fails below, the scenarios after this one need the function.
	defer restart()

	pokeAll(t, ns, names)
	for _, name := range names {
		waitXR(t, ns, name, "Synced=False while the function is down", synced("False"))
	}
	time.Sleep(time.Until(stopped.Add(outageLength)))
	for _, name := range names {
		x := waitXR(t, ns, name, "still Synced=False after the poll interval", synced("False"))
		t.Logf("%s during the outage: %s", name, x.Status.summary())
	}
	if during := uids(t, ns); !maps.Equal(before, during) {
		t.Errorf("during the outage the composed objects and ReplicaSets changed:\nbefore %v\nduring %v", before, during)
	}

	restart()
	reconnect(t, "outage-reconnect")
	pokeAll(t, ns, names)
	for _, name := range names {
		waitXR(t, ns, name, "Running again after the outage", running(1))
	}
	if after := uids(t, ns); !maps.Equal(before, after) {
		t.Errorf("the function's return recreated or rolled something:\nbefore %v\nafter  %v", before, after)
	}
}

// runningAgents applies a small agent for each name, waits for all to be
// Running, and returns the UIDs of what they consist of (uids).
func runningAgents(t *testing.T, ns string, names []string, what string) map[string]string {
	t.Helper()
	for _, name := range names {
		apply(t, agent(ns, name, baseSpec()))
	}
	for _, name := range names {
		waitXR(t, ns, name, what, running(1))
	}
	return uids(t, ns)
}

// serveFunction starts the function again, serving the certificate issue
// makes, in place of the one running or stopped, and points the
// FunctionRevision at it: a new address, so Crossplane dials it afresh.
func serveFunction(t *testing.T, issue controlplane.CertIssuer) {
	t.Helper()
	env.fn.Stop(10 * time.Second)
	fn, err := env.xp.RunFunctionWith(context.Background(), functionName, env.fnBin, issue, "--debug")
	if err != nil {
		t.Fatalf("start the function: %v", err)
	}
	env.fn = fn
}

// synced accepts an AgentDeployment whose Synced condition has status s.
func synced(s string) func(*xr) error {
	return func(x *xr) error {
		if got := x.Status.condition("Synced").Status; got != s {
			return fmt.Errorf("Synced is %q, want %q", got, s)
		}
		return nil
	}
}

// poke makes Crossplane reconcile the AgentDeployment now, or as soon as
// the reconcile under way ends.
func poke(t *testing.T, ns, name string) {
	t.Helper()
	if _, err := env.k.Run(context.Background(), "", "annotate", "ad/"+name, "-n", ns, "--overwrite",
		"agentops.io/e2e-poke="+time.Now().Format(time.RFC3339Nano)); err != nil {
		t.Fatal(err)
	}
}

// pokeAll pokes every named AgentDeployment before any wait, so that
// their reconciles, each up to two minutes long while the function cannot
// be reached, run side by side.
func pokeAll(t *testing.T, ns string, names []string) {
	t.Helper()
	for _, name := range names {
		poke(t, ns, name)
	}
}

// reconnect makes Crossplane dial the FunctionRevision's new endpoint now.
// A reconcile that called the function while it could not be reached
// waits on the old endpoint's connection (waitForReady) until its 2-minute
// timeout, and a poke does not interrupt it. Crossplane closes that
// connection, failing the waiting calls at once, when any call finds the
// revision's endpoint changed (internal/xfn getClientConn): this creates
// an agent in namespace ns, whose first reconcile is such a call. In a
// cluster the endpoint is a Service's name, which a restart keeps, and
// the waiting calls go on when the function is back.
func reconnect(t *testing.T, ns string) {
	t.Helper()
	ns = namespace(t, ns)
	apply(t, agent(ns, "reconnect", baseSpec()))
	waitXR(t, ns, "reconnect", "composed through the new endpoint", synced("True"))
}

// uids maps kind/name to UID for every composed object, ReplicaSet and pod
// in ns: a recreated object, a rollout (a new ReplicaSet) or a replaced pod
// changes the map.
func uids(t *testing.T, ns string) map[string]string {
	t.Helper()
	resources := make([]string, 0, 2+len(composedKinds))
	resources = append(resources, "replicasets.apps", "pods")
	for _, k := range composedKinds {
		resources = append(resources, k.resource)
	}
	out := map[string]string{}
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		clear(out)
		for _, r := range resources {
			var list struct {
				Items []struct {
					Metadata struct {
						Name string `json:"name"`
						UID  string `json:"uid"`
					} `json:"metadata"`
				} `json:"items"`
			}
			if err := env.k.Get(ctx, &list, r, "-n", ns); err != nil {
				return err
			}
			for _, i := range list.Items {
				out[r+"/"+i.Metadata.Name] = i.Metadata.UID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("objects in %s: %v", ns, slices.Sorted(maps.Keys(out)))
	return out
}
