//go:build e2e

package e2e

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
)

// Scenario 13: the function answers, but with a certificate from a CA
// Crossplane does not trust (the function itself still trusts Crossplane's
// client certificate). Crossplane cannot compose the XRs and must not take
// that for an empty desired state: every composed object, ReplicaSet and
// pod keeps its UID, and the XRs say Synced=False with the TLS error. Served
// with the runtime's certificate again, every agent is Running without a
// rollout. Crossplane waits for a function to be ready (gRPC waitForReady)
// up to its 2-minute reconcile timeout, so the XRs say Synced=False two
// minutes after they are poked; that wait is the scenario's length.
func testFunctionBadCertificate(t *testing.T) {
	ns := namespace(t, "badcert")
	names := []string{"badcert-a", "badcert-b"}
	before := runningAgents(t, ns, names, "Running before the bad certificate")
	// Whatever fails below, the scenarios after this one need the function.
	restored := false
	defer func() {
		if !restored {
			serveFunction(t, controlplane.TrustedCert)
		}
	}()

	serveFunction(t, controlplane.ForeignCACert)
	pokeAll(t, ns, names)
	for _, name := range names {
		x := waitXR(t, ns, name, "Synced=False for a certificate from another CA", syncedFalseSaying("certificate signed by unknown authority"))
		t.Logf("%s: %s", name, x.Status.condition("Synced").Message)
	}
	if during := uids(t, ns); !maps.Equal(before, during) {
		t.Errorf("while the function served a bad certificate the composed objects and ReplicaSets changed:\nbefore %v\nduring %v", before, during)
	}

	serveFunction(t, controlplane.TrustedCert)
	restored = true
	reconnect(t, "badcert-reconnect")
	pokeAll(t, ns, names)
	for _, name := range names {
		waitXR(t, ns, name, "Running again with the runtime's certificate", running(1))
	}
	if after := uids(t, ns); !maps.Equal(before, after) {
		t.Errorf("the good certificate's return recreated or rolled something:\nbefore %v\nafter  %v", before, after)
	}
}

// syncedFalseSaying accepts an AgentDeployment whose Synced condition is
// False with a message that contains want, and whose phase and Ready are
// still those of a Running agent: Crossplane keeps them when it cannot
// compose.
func syncedFalseSaying(want string) func(*xr) error {
	return func(x *xr) error {
		c := x.Status.condition("Synced")
		switch {
		case c.Status != "False" || !strings.Contains(c.Message, want):
			return fmt.Errorf("Synced is %s (%s), want False saying %q", c.Status, c.Message, want)
		case x.Status.Phase != "Running" || x.Status.condition("Ready").Status != "True":
			return fmt.Errorf("phase %q, Ready %q: want them kept at Running and True", x.Status.Phase, x.Status.condition("Ready").Status)
		}
		return nil
	}
}
