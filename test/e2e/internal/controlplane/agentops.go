package controlplane

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// The packages as users install them (deploy/*.yaml): they are pushed to a
// local registry and an ImageConfig rewrites this prefix to it, so the
// manifests users apply are the ones run.
const (
	PackagePrefix = "xpkg.crossplane.io/agentops-io/"
	FunctionName  = "agentops-io-function-agentops"
	XRDName       = "agentdeployments.agentops.io"
)

// AgentOpsOptions says where AgentOps' packages and manifests are.
type AgentOpsOptions struct {
	// Repo is the repository's root: deploy/ and the root go.mod.
	Repo string
	// XpkgDir holds `make xpkg`'s packages.
	XpkgDir string
	// FunctionBin is the function's binary, the one inside the Function
	// package; empty means XpkgDir's for this machine's architecture.
	FunctionBin string
	// CacheDir keeps the generated Prometheus Operator CRDs between runs.
	CacheDir string
	// FunctionArgs are the function's flags beyond its address, TLS and
	// metrics (--debug, say).
	FunctionArgs []string
	// BeforeConfiguration and BeforeFunction, when set, run once the
	// packages are in the registry and before the Configuration is applied,
	// and once it is applied and before the function is started: the e2e
	// suite installs the function's hardened runtime and waits for
	// Crossplane's Deployment runtime to render it there.
	BeforeConfiguration, BeforeFunction func(context.Context, *AgentOps) error
}

// AgentOps is AgentOps installed on a control plane: its packages in a local
// registry, and the function running as Crossplane's runtime would run it.
type AgentOps struct {
	Registry *Registry
	// Function is the function's process, FunctionBin its binary (to start
	// it again with Crossplane.RunFunction).
	Function    *Process
	FunctionBin string
}

// InstallAgentOps installs what a user installs, in the documented order:
// the Prometheus Operator's CRDs, our ClusterRole, then the Configuration,
// whose dependency brings the Function. It then plays the function runtime:
// the function's binary, from the package build, as a local process. The
// RBAC manager's stand-in runs until ctx ends.
func InstallAgentOps(ctx context.Context, cp *ControlPlane, xp *Crossplane, o AgentOpsOptions) (*AgentOps, error) {
	a := &AgentOps{FunctionBin: o.FunctionBin}
	if a.FunctionBin == "" {
		a.FunctionBin = filepath.Join(o.XpkgDir, "bin", "linux_"+runtime.GOARCH, "function")
	}
	for _, f := range []string{a.FunctionBin, filepath.Join(o.XpkgDir, "configuration-agentops.xpkg")} {
		if _, err := os.Stat(f); err != nil {
			return nil, fmt.Errorf("%w: run `make xpkg`", err)
		}
	}
	k := cp.Kubectl
	start := time.Now()
	if err := InstallPrometheusCRDs(ctx, k, cp.Bin("controller-gen"), o); err != nil {
		return nil, err
	}
	if _, err := k.Run(ctx, "", "apply", "-f", filepath.Join(o.Repo, "deploy", "rbac", "clusterrole.yaml")); err != nil {
		return nil, err
	}
	if err := a.pushPackages(ctx, cp, o); err != nil {
		return nil, err
	}
	logf("packages pushed to %s in %s", a.Registry.Host, time.Since(start).Round(100*time.Millisecond))

	start = time.Now()
	xp.StartRBACManager(ctx)
	if err := a.hook(ctx, o.BeforeConfiguration); err != nil {
		return nil, err
	}
	if _, err := k.Run(ctx, "", "apply", "-f", filepath.Join(o.Repo, "deploy", "configuration.yaml")); err != nil {
		return nil, err
	}
	if err := a.hook(ctx, o.BeforeFunction); err != nil {
		return nil, err
	}
	var err error
	if a.Function, err = xp.RunFunction(ctx, FunctionName, a.FunctionBin, o.FunctionArgs...); err != nil {
		return nil, fmt.Errorf("run function %s: %w", FunctionName, err)
	}
	if err := WaitPackage(ctx, k, "function", FunctionName); err != nil {
		return nil, err
	}
	if err := WaitPackage(ctx, k, "configuration", "configuration-agentops"); err != nil {
		return nil, err
	}
	if err := WaitXRD(ctx, k, XRDName, "Established"); err != nil {
		return nil, err
	}
	logf("configuration-agentops and %s healthy in %s", FunctionName, time.Since(start).Round(100*time.Millisecond))
	return a, nil
}

// hook runs an install hook, if set.
func (a *AgentOps) hook(ctx context.Context, h func(context.Context, *AgentOps) error) error {
	if h == nil {
		return nil
	}
	return h(ctx, a)
}

// pushPackages starts the registry, pushes the packages with the tag
// deploy/configuration.yaml installs, and points Crossplane at them.
func (a *AgentOps) pushPackages(ctx context.Context, cp *ControlPlane, o AgentOpsOptions) error {
	tag, err := PackageTag(filepath.Join(o.Repo, "deploy", "configuration.yaml"))
	if err != nil {
		return err
	}
	if a.Registry, err = StartRegistry(ctx, cp); err != nil {
		return err
	}
	for file, repo := range map[string]string{
		"function-agentops-" + runtime.GOARCH + ".xpkg": "function-agentops",
		"configuration-agentops.xpkg":                   "configuration-agentops",
		"configuration-agentops-legacy.xpkg":            "configuration-agentops-legacy",
	} {
		if _, err := a.Registry.Push(ctx, filepath.Join(o.XpkgDir, file), "agentops-io/"+repo, tag); err != nil {
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
`, PackagePrefix, a.Registry.Host)
	_, err = cp.Kubectl.Apply(ctx, imageConfig)
	return err
}

// PackageTag is the tag of the package a deploy manifest installs.
func PackageTag(manifest string) (string, error) {
	b, err := os.ReadFile(manifest) //nolint:gosec // the repository's own manifest
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

// WaitPackage waits for a Function or Configuration to be Installed and
// Healthy.
func WaitPackage(ctx context.Context, k *kube.Kubectl, kind, name string) error {
	return kube.Eventually(ctx, 3*time.Minute, time.Second, func(ctx context.Context) error {
		conds, err := Conditions(ctx, k, kind, name)
		if err != nil {
			return err
		}
		for _, t := range []string{"Installed", "Healthy"} {
			if c := conds[t]; c.Status != StatusTrue {
				return fmt.Errorf("%s %s: %s=%s %s: %s", kind, name, t, c.Status, c.Reason, c.Message)
			}
		}
		return nil
	})
}

// WaitXRD waits for an XRD's conditions to be True.
func WaitXRD(ctx context.Context, k *kube.Kubectl, name string, types ...string) error {
	return kube.Eventually(ctx, 2*time.Minute, time.Second, func(ctx context.Context) error {
		conds, err := Conditions(ctx, k, "compositeresourcedefinition", name)
		if err != nil {
			return err
		}
		for _, t := range types {
			if c := conds[t]; c.Status != StatusTrue {
				return fmt.Errorf("XRD %s: %s=%s %s: %s", name, t, c.Status, c.Reason, c.Message)
			}
		}
		return nil
	})
}

// StatusTrue is a condition's status when it holds.
const StatusTrue = "True"

// Condition is a Kubernetes or Crossplane status condition.
type Condition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	Reason             string `json:"reason"`
	Message            string `json:"message"`
	ObservedGeneration int64  `json:"observedGeneration"`
}

// Conditions are the status conditions of the object `kubectl get args`
// names, by type.
func Conditions(ctx context.Context, k *kube.Kubectl, args ...string) (map[string]Condition, error) {
	var o struct {
		Status struct {
			Conditions []Condition `json:"conditions"`
		} `json:"status"`
	}
	if err := k.Get(ctx, &o, args...); err != nil {
		return nil, err
	}
	m := map[string]Condition{}
	for _, c := range o.Status.Conditions {
		m[c.Type] = c
	}
	return m, nil
}

// InstallPrometheusCRDs installs, with k, the ServiceMonitor and
// PrometheusRule CRDs of the Prometheus Operator version whose Go types the
// function builds them from (o.Repo's go.mod pins it). The module proxy does
// not serve the operator's own module at that version, so controllerGen
// generates the CRDs from those types, as the operator's release does, into
// o.CacheDir.
func InstallPrometheusCRDs(ctx context.Context, k *kube.Kubectl, controllerGen string, o AgentOpsOptions) error {
	const module = "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring"
	version, err := ModuleVersion(ctx, o.Repo, module)
	if err != nil {
		return err
	}
	dir := filepath.Join(o.CacheDir, "prometheus-operator-crds-"+version)
	files := []string{
		filepath.Join(dir, "monitoring.coreos.com_servicemonitors.yaml"),
		filepath.Join(dir, "monitoring.coreos.com_prometheusrules.yaml"),
	}
	if _, err := os.Stat(files[1]); err != nil {
		tmp := dir + ".tmp"
		_ = os.RemoveAll(tmp)
		cmd := exec.CommandContext(ctx, controllerGen, "crd:crdVersions=v1,allowDangerousTypes=true", //nolint:gosec // the pinned controller-gen
			"paths="+module+"/v1", "output:crd:dir="+tmp)
		cmd.Dir = o.Repo
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
