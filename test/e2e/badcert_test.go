//go:build e2e

package e2e

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
)

// Scenario 13: the function answers, but with a certificate Crossplane
// must refuse: one from another CA, then one from Crossplane's CA for
// another name. Crossplane cannot compose the XRs and must not take that
// for an empty desired state: every composed object, ReplicaSet and pod
// keeps its UID, and the XRs say Synced=False with the TLS error. Served
// with the runtime's certificate again, every agent is Running without a
// rollout. Unlike FunctionOutage it needs no wait past the poll interval:
// each XR is poked, so Crossplane calls the function at once.
func testFunctionBadCertificate(t *testing.T) {
	ns := namespace(t, "badcert")
	names := []string{"badcert-a", "badcert-b"}
	before := runningAgents(t, ns, names, "Running before the bad certificate")
	// Whatever fails below, the scenarios after this one need the function.
	defer serveFunction(t, controlplane.TrustedCert)

	for _, bad := range []struct {
		what  string
		issue controlplane.CertIssuer
		// want is in the TLS error Crossplane reports (crypto/x509's).
		want string
	}{
		{what: "a certificate from another CA", issue: controlplane.ForeignCACert, want: "certificate signed by unknown authority"},
		{what: "a certificate for another name", issue: controlplane.WrongNameCert, want: "doesn't contain any IP SANs"},
	} {
		serveFunction(t, bad.issue)
		for _, name := range names {
			poke(t, ns, name)
			x := waitXR(t, ns, name, "Synced=False for "+bad.what, syncedFalseSaying(bad.want))
			t.Logf("%s served with %s: %s", name, bad.what, x.Status.condition("Synced").Message)
		}
	}
	if during := uids(t, ns); !maps.Equal(before, during) {
		t.Errorf("while the function served bad certificates the composed objects and ReplicaSets changed:\nbefore %v\nduring %v", before, during)
	}

	serveFunction(t, controlplane.TrustedCert)
	for _, name := range names {
		poke(t, ns, name)
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
