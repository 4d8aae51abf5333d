//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// The packages as users install them (deploy/*.yaml): the test pushes ours
// to a local registry and rewrites this prefix to it with an ImageConfig,
// so the manifests users apply are the ones tested.
const (
	packagePrefix   = "xpkg.crossplane.io/agentops-io/"
	functionName    = "agentops-io-function-agentops"
	xrdName         = "agentdeployments.agentops.io"
	legacyXRDName   = "xagentdeployments.agentops.io"
	compositionName = "agentdeployments.agentops.io"
)

// installAgentOps installs what a user installs, in the documented order:
// the Prometheus Operator's CRDs, our ClusterRole, the function's hardened
// runtime (deploy/runtime.yaml), then the Configuration, whose dependency
// brings the Function. Crossplane runs with its Deployment runtime until it
// has rendered the Function's Deployment (TestFunctionRuntime reads it),
// then with the External runtime, and the test plays the function runtime:
// our function binary, from the package build, as a local process.
func installAgentOps(ctx context.Context) error {
	xpkgDir := setting("E2E_XPKG_DIR", filepath.Join(env.repo, "_output", "xpkg"))
	fnBin := setting("E2E_FUNCTION_BIN", filepath.Join(xpkgDir, "bin", "linux_"+runtime.GOARCH, "function"))
	for _, f := range []string{fnBin, filepath.Join(xpkgDir, "configuration-agentops.xpkg")} {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%w: run `make xpkg` (make e2e does)", err)
		}
	}

	start := time.Now()
	if err := installPrometheusCRDs(ctx, env.k); err != nil {
		return err
	}
	if _, err := env.k.Run(ctx, "", "apply", "-f", filepath.Join(env.repo, "deploy", "rbac", "clusterrole.yaml")); err != nil {
		return err
	}

	tag, err := packageTag(filepath.Join(env.repo, "deploy", "configuration.yaml"))
	if err != nil {
		return err
	}
	env.reg, err = controlplane.StartRegistry(ctx, env.cp)
	if err != nil {
		return err
	}
	for file, repo := range map[string]string{
		"function-agentops-" + runtime.GOARCH + ".xpkg": "function-agentops",
		"configuration-agentops.xpkg":                   "configuration-agentops",
		"configuration-agentops-legacy.xpkg":            "configuration-agentops-legacy",
	} {
		if _, err := env.reg.Push(ctx, filepath.Join(xpkgDir, file), "agentops-io/"+repo, tag); err != nil {
			return err
		}
	}
	imageConfig := fmt.Sprintf(`apiVersion: pkg.crossplane.io/v1beta1
kind: ImageConfig
metadata:
  name: e2e-local-registry
spec:
  matchImages:
  - type: Prefix
    prefix: %s
  rewriteImage:
    prefix: %s/agentops-io/
`, packagePrefix, env.reg.Host)
	if _, err := env.k.Apply(ctx, imageConfig); err != nil {
		return err
	}
	logf("packages pushed to %s in %s", env.reg.Host, time.Since(start).Round(100*time.Millisecond))

	start = time.Now()
	env.xp.StartRBACManager(ctx)
	if err := installHardenedRuntime(ctx); err != nil {
		return err
	}
	if _, err := env.k.Run(ctx, "", "apply", "-f", filepath.Join(env.repo, "deploy", "configuration.yaml")); err != nil {
		return err
	}
	if err := awaitFunctionDeployment(ctx); err != nil {
		return err
	}
	env.fnBin = fnBin
	var fnArgs []string
	if !*asInstalled {
		fnArgs = append(fnArgs, "--debug")
	}
	if env.fn, err = env.xp.RunFunction(ctx, functionName, fnBin, fnArgs...); err != nil {
		return fmt.Errorf("run function %s: %w", functionName, err)
	}
	if err := waitPackage(ctx, "function", functionName); err != nil {
		return err
	}
	if err := waitPackage(ctx, "configuration", "configuration-agentops"); err != nil {
		return err
	}
	if err := waitXRD(ctx, xrdName, "Established"); err != nil {
		return err
	}
	logf("configuration-agentops and %s healthy in %s", functionName, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// packageTag is the tag of the package a deploy manifest installs.
func packageTag(manifest string) (string, error) {
	b, err := os.ReadFile(manifest)
	if err != nil {
		return "", err
	}
	var pkg struct {
		Spec struct {
			Package string `json:"package"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &pkg); err != nil {
		return "", err
	}
	i := strings.LastIndex(pkg.Spec.Package, ":")
	if i < 0 {
		return "", fmt.Errorf("%s: package %q has no tag", manifest, pkg.Spec.Package)
	}
	return pkg.Spec.Package[i+1:], nil
}

// waitPackage waits for a Function or Configuration to be Installed and
// Healthy.
func waitPackage(ctx context.Context, kind, name string) error {
	return kube.Eventually(ctx, 3*time.Minute, time.Second, func(ctx context.Context) error {
		conds, err := conditionsOf(ctx, kind, name)
		if err != nil {
			return err
		}
		for _, t := range []string{"Installed", "Healthy"} {
			if c := conds[t]; c.Status != "True" {
				return fmt.Errorf("%s %s: %s=%s %s: %s", kind, name, t, c.Status, c.Reason, c.Message)
			}
		}
		return nil
	})
}

// waitXRD waits for an XRD's condition to be True.
func waitXRD(ctx context.Context, name string, types ...string) error {
	return kube.Eventually(ctx, 2*time.Minute, time.Second, func(ctx context.Context) error {
		conds, err := conditionsOf(ctx, "compositeresourcedefinition", name)
		if err != nil {
			return err
		}
		for _, t := range types {
			if c := conds[t]; c.Status != "True" {
				return fmt.Errorf("XRD %s: %s=%s %s: %s", name, t, c.Status, c.Reason, c.Message)
			}
		}
		return nil
	})
}

// condition is a Kubernetes or Crossplane status condition.
type condition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	Reason             string `json:"reason"`
	Message            string `json:"message"`
	ObservedGeneration int64  `json:"observedGeneration"`
}

func conditionsOf(ctx context.Context, args ...string) (map[string]condition, error) {
	var o struct {
		Status struct {
			Conditions []condition `json:"conditions"`
		} `json:"status"`
	}
	if err := env.k.Get(ctx, &o, args...); err != nil {
		return nil, err
	}
	m := map[string]condition{}
	for _, c := range o.Status.Conditions {
		m[c.Type] = c
	}
	return m, nil
}

// installPrometheusCRDs installs the ServiceMonitor and PrometheusRule CRDs
// of the Prometheus Operator version whose Go types the function builds
// them from (the root go.mod pins it). The module proxy does not serve the
// operator's own module at that version, so the CRDs are generated from
// those types with controller-gen, as the operator's release does.
func installPrometheusCRDs(ctx context.Context, k *kube.Kubectl) error {
	const module = "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring"
	version, err := controlplane.ModuleVersion(ctx, env.repo, module)
	if err != nil {
		return err
	}
	dir := filepath.Join(setting("E2E_CACHE", filepath.Join(env.repo, ".cache", "e2e")), "prometheus-operator-crds-"+version)
	files := []string{
		filepath.Join(dir, "monitoring.coreos.com_servicemonitors.yaml"),
		filepath.Join(dir, "monitoring.coreos.com_prometheusrules.yaml"),
	}
	if _, err := os.Stat(files[1]); err != nil {
		tmp := dir + ".tmp"
		_ = os.RemoveAll(tmp)
		cmd := exec.CommandContext(ctx, env.cp.Bin("controller-gen"), "crd:crdVersions=v1,allowDangerousTypes=true",
			"paths="+module+"/v1", "output:crd:dir="+tmp)
		cmd.Dir = env.repo
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("controller-gen for %s@%s: %w: %s", module, version, err, out)
		}
		if err := os.Rename(tmp, dir); err != nil {
			return err
		}
	}
	for _, f := range files {
		// Server-side: the CRDs are too large for kubectl's last-applied annotation.
		if _, err := k.Run(ctx, "", "apply", "--server-side", "-f", f); err != nil {
			return err
		}
	}
	_, err = k.Run(ctx, "", "wait", "--for=condition=Established", "--timeout=60s",
		"crd/servicemonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com")
	return err
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
