//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// Scenario 14: the Function package upgraded under live agents, to another
// tag of the same build, as a release that changes no pod template is
// (README's upgrade notes). The Function's spec.package moves to the new
// tag; Crossplane installs a new FunctionRevision and deactivates the old
// one; the test plays the runtime, starting the function for the new
// revision and stopping the old. No composed object, ReplicaSet or pod is
// recreated, no Deployment's spec changes (its generation stays) and every
// agent stays Running, served by the new revision.
func testUpgrade(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t, "upgrade")
	autoscaled := baseSpec()
	autoscaled["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 3}
	specs := map[string]map[string]any{"upgrade-fixed": baseSpec(), "upgrade-autoscaled": autoscaled}
	replicas := map[string]int32{"upgrade-fixed": 1, "upgrade-autoscaled": 2}
	for name, spec := range specs {
		apply(t, agent(ns, name, spec))
	}
	for name, n := range replicas {
		waitXR(t, ns, name, "Running before the upgrade", running(n))
	}
	before, generations := uids(t, ns), deploymentGenerations(t, ns)

	from, to, err := upgradeTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldRevision := activeRevision(t, "")
	if _, err := env.reg.Retag(ctx, env.reg.Host+"/agentops-io/function-agentops:"+from, to, "agentops.io/e2e-upgrade="+to); err != nil {
		t.Fatal(err)
	}
	patch := fmt.Sprintf(`{"spec":{"package":%q}}`, packagePrefix+"function-agentops:"+to)
	if _, err := env.k.Run(ctx, "", "patch", "function", functionName, "--type=merge", "-p", patch); err != nil {
		t.Fatal(err)
	}
	newRevision := activeRevision(t, oldRevision)
	t.Logf("FunctionRevision %s (%s) replaced by %s (%s)", oldRevision, from, newRevision, to)

	// The runtime's part: the new revision's function up, the old one's down.
	old := env.fn
	serveNewRevision(t)
	old.Stop(10 * time.Second)
	if err := waitPackage(ctx, "function", functionName); err != nil {
		t.Fatal(err)
	}

	for name, n := range replicas {
		poke(t, ns, name)
		waitXR(t, ns, name, "Running after the upgrade, composed by the new revision", running(n))
	}
	if after := uids(t, ns); !maps.Equal(before, after) {
		t.Errorf("the upgrade recreated or rolled something:\nbefore %v\nafter  %v", before, after)
	}
	if after := deploymentGenerations(t, ns); !maps.Equal(generations, after) {
		t.Errorf("the upgrade changed a Deployment's spec: generations before %v, after %v", generations, after)
	}
}

// upgradeTags are the Function's installed tag and the next patch version,
// which the Configuration's dependency (>= the installed one) admits.
func upgradeTags(ctx context.Context) (string, string, error) {
	var fn struct {
		Spec struct {
			Package string `json:"package"`
		} `json:"spec"`
	}
	if err := env.k.Get(ctx, &fn, "function", functionName); err != nil {
		return "", "", err
	}
	i := strings.LastIndex(fn.Spec.Package, ":")
	if i < 0 {
		return "", "", fmt.Errorf("function %s: package %q has no tag", functionName, fn.Spec.Package)
	}
	from := fn.Spec.Package[i+1:]
	j := strings.LastIndex(from, ".")
	patch, err := strconv.Atoi(from[j+1:])
	if j < 0 || err != nil {
		return "", "", fmt.Errorf("function %s: tag %q is not vMAJOR.MINOR.PATCH", functionName, from)
	}
	return from, from[:j+1] + strconv.Itoa(patch+1), nil
}

// activeRevision waits for the Function's active revision other than
// not, and returns its name.
func activeRevision(t *testing.T, not string) string {
	t.Helper()
	var name string
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		active, err := env.xp.ActiveRevision(ctx, functionName)
		if err != nil {
			return err
		}
		if active == not {
			return fmt.Errorf("active revision %s, want another", active)
		}
		name = active
		return nil
	})
	if err != nil {
		t.Fatalf("function %s: %v", functionName, err)
	}
	return name
}

// serveNewRevision starts the function for the Function's active revision
// beside the one running, as the runtime starts a new revision's pods
// before it removes the old ones.
func serveNewRevision(t *testing.T) {
	t.Helper()
	fn, err := env.xp.RunFunction(context.Background(), functionName, env.fnBin, "--debug")
	if err != nil {
		t.Fatalf("start the function for the new revision: %v", err)
	}
	env.fn = fn
}

// deploymentGenerations maps each Deployment in ns to its generation,
// which the API server raises on every change of its spec.
func deploymentGenerations(t *testing.T, ns string) map[string]int64 {
	t.Helper()
	var list struct {
		Items []struct {
			Metadata struct {
				Name       string `json:"name"`
				Generation int64  `json:"generation"`
			} `json:"metadata"`
		} `json:"items"`
	}
	decode(t, &list, "deployments.apps", "-n", ns)
	out := map[string]int64{}
	for _, d := range list.Items {
		out[d.Metadata.Name] = d.Metadata.Generation
	}
	return out
}
