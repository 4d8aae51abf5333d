//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// The packages as users install them (deploy/*.yaml), installed by the
// harness (controlplane.InstallAgentOps) from a local registry.
const (
	packagePrefix   = controlplane.PackagePrefix
	functionName    = controlplane.FunctionName
	xrdName         = controlplane.XRDName
	legacyXRDName   = "xagentdeployments.agentops.io"
	compositionName = "agentdeployments.agentops.io"
)

// installAgentOps installs what a user installs, in the documented order,
// through the harness (controlplane.InstallAgentOps, as `make up` does):
// the Prometheus Operator's CRDs, our ClusterRole, the function's hardened
// runtime (deploy/runtime.yaml, this suite's step), then the Configuration,
// whose dependency brings the Function. Crossplane runs with its Deployment
// runtime until it has rendered the Function's Deployment
// (TestFunctionRuntime reads it), then with the External runtime, and the
// harness plays the function runtime: our function binary, from the package
// build, as a local process.
func installAgentOps(ctx context.Context) error {
	o := agentOpsOptions()
	// A default install's function logs no debug lines (-e2e.as-installed).
	o.FunctionArgs = functionArgs()
	o.BeforeConfiguration = func(ctx context.Context, a *controlplane.AgentOps) error {
		env.reg = a.Registry
		return installHardenedRuntime(ctx)
	}
	o.BeforeFunction = func(ctx context.Context, _ *controlplane.AgentOps) error { return awaitFunctionDeployment(ctx) }
	a, err := controlplane.InstallAgentOps(ctx, env.cp, env.xp, o)
	if err != nil {
		return err
	}
	env.reg, env.fn, env.fnBin = a.Registry, a.Function, a.FunctionBin
	return nil
}

// agentOpsOptions says where the suite finds the packages, the function's
// binary and the cache of generated CRDs.
func agentOpsOptions() controlplane.AgentOpsOptions {
	return controlplane.AgentOpsOptions{
		Repo:        env.repo,
		XpkgDir:     setting("E2E_XPKG_DIR", filepath.Join(env.repo, "_output", "xpkg")),
		FunctionBin: os.Getenv("E2E_FUNCTION_BIN"),
		CacheDir:    setting("E2E_CACHE", filepath.Join(env.repo, ".cache", "e2e")),
	}
}

// installPrometheusCRDs installs the Prometheus Operator's CRDs with k, as
// InstallAgentOps does on the suite's cluster: the workload cluster of
// RemoteDelivery needs them too.
func installPrometheusCRDs(ctx context.Context, k *kube.Kubectl) error {
	return controlplane.InstallPrometheusCRDs(ctx, k, env.cp.Bin("controller-gen"), agentOpsOptions())
}

// functionArgs are the function's flags beyond those the harness sets.
func functionArgs() []string {
	if *asInstalled {
		return functionProfileArgs
	}
	return append([]string{"--debug"}, functionProfileArgs...)
}

// condition is a Kubernetes or Crossplane status condition.
type condition = controlplane.Condition

// packageTag is the tag of the package a deploy manifest installs.
func packageTag(manifest string) (string, error) { return controlplane.PackageTag(manifest) }

// waitPackage waits for a Function or Configuration to be Installed and
// Healthy.
func waitPackage(ctx context.Context, kind, name string) error {
	return controlplane.WaitPackage(ctx, env.k, kind, name)
}

// waitXRD waits for an XRD's conditions to be True.
func waitXRD(ctx context.Context, name string, types ...string) error {
	return controlplane.WaitXRD(ctx, env.k, name, types...)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "e2e: "+format+"\n", args...)
}

// toJSON is a manifest kubectl accepts, from any value.
func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
