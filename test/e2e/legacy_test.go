//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// Scenario 8: the legacy v1 XRD, with an AgentDeployment claim. Both XRDs
// define the CRD agentdeployments.agentops.io, so the v2 Configuration goes
// first, as a platform team moving back (or still on claims) would do.
func testLegacyClaim(t *testing.T) {
	ctx := context.Background()
	swapToLegacy(t)

	file := filepath.Join(env.repo, "examples", "legacy", "claim.yaml")
	var claim struct {
		Metadata struct{ Name, Namespace string }
		Spec     struct {
			Model    string
			Replicas int32
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &claim); err != nil {
		t.Fatal(err)
	}
	ns, name := namespace(t, claim.Metadata.Namespace), claim.Metadata.Name
	if _, err := env.k.Run(ctx, "", "apply", "-f", file); err != nil {
		t.Fatal(err)
	}
	x := waitXR(t, ns, name, "the claim Running", runningClaim(claim.Spec.Replicas))
	if x.Status.Model != claim.Spec.Model {
		t.Errorf("claim status.model %q, want %s", x.Status.Model, claim.Spec.Model)
	}

	// The claim's cluster-scoped composite, and what it composed: all in the
	// claim's namespace.
	composite, err := jsonPath(ctx, "{.spec.resourceRef.name}", "agentdeployment", name, "-n", ns)
	if err != nil || composite == "" {
		t.Fatalf("claim %s/%s has no resourceRef: %q %v", ns, name, composite, err)
	}
	composed, err := composedOf(ctx, ns, composite)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposed(name, false), composed); diff != "" {
		t.Errorf("objects composed for the claim in %s (-want, +got):\n%s", ns, diff)
	}
	for _, label := range []string{"crossplane.io/claim-name=" + name, "crossplane.io/claim-namespace=" + ns} {
		out, err := env.k.Run(ctx, "", "get", "deployments", "-n", ns, "-l", label, "-o", "name")
		if err != nil || strings.TrimSpace(out) != "deployment.apps/"+name {
			t.Errorf("Deployment labelled %s: %q %v", label, out, err)
		}
	}

	printed(t, ns, name, map[string]string{"MODEL": claim.Spec.Model, "READY-REPLICAS": strconv.Itoa(int(claim.Spec.Replicas)), "PHASE": "Running"})

	// kubectl scale works on the claim too.
	if _, err := env.k.Run(ctx, "", "scale", "ad/"+name, "-n", ns, "--replicas=3"); err != nil {
		t.Fatal(err)
	}
	waitXR(t, ns, name, "the claim Running with 3 replicas", runningClaim(3))

	if _, err := env.k.Run(ctx, "", "delete", "ad", name, "-n", ns, "--timeout=2m"); err != nil {
		t.Fatal(err)
	}
	err = kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
		if ok, err := env.k.Exists(ctx, "xagentdeployment", composite); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("composite %s still exists", composite)
		}
		left, err := composedOf(ctx, ns, composite)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("still there: %v", left)
		}
		out, err := env.k.Run(ctx, "", "get", "pods", "-n", ns, "-l", "app.kubernetes.io/instance="+name, "-o", "name")
		if err != nil {
			return err
		}
		if out != "" {
			return errors.New("pods still there: " + out)
		}
		return nil
	})
	if err != nil {
		t.Errorf("after deleting the claim: %v", err)
	}
}

// swapToLegacy removes the v2 Configuration (and so its XRD and the CRD)
// and installs the legacy Configuration from the local registry.
func swapToLegacy(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	// Any AgentDeployment left over would hold the v2 XRD's deletion.
	if _, err := env.k.Run(ctx, "", "delete", "agentdeployments", "--all", "-A", "--timeout=2m"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.k.Run(ctx, "", "delete", "configuration", "configuration-agentops", "--timeout=2m"); err != nil {
		t.Fatal(err)
	}
	err := kube.Eventually(ctx, 3*time.Minute, poll, func(ctx context.Context) error {
		for _, o := range [][]string{{"xrd", xrdName}, {"crd", "agentdeployments.agentops.io"}} {
			if ok, err := env.k.Exists(ctx, o...); err != nil {
				return err
			} else if ok {
				return fmt.Errorf("%s %s still exists", o[0], o[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("removing the v2 Configuration: %v", err)
	}

	tag, err := packageTag(filepath.Join(env.repo, "deploy", "configuration.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	apply(t, map[string]any{
		"apiVersion": "pkg.crossplane.io/v1",
		"kind":       "Configuration",
		"metadata":   map[string]any{"name": "configuration-agentops-legacy"},
		"spec":       map[string]any{"package": packagePrefix + "configuration-agentops-legacy:" + tag},
	})
	if err := waitPackage(ctx, "configuration", "configuration-agentops-legacy"); err != nil {
		t.Fatal(err)
	}
	if err := waitXRD(ctx, legacyXRDName, "Established", "Offered"); err != nil {
		t.Fatal(err)
	}
	logf("swapped to the legacy Configuration in %s", time.Since(start).Round(time.Second))
}
