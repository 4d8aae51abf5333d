package schemas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// Modules the schemas come from. The Kubernetes release is the one
// tools/kubernetes pins for the e2e tests' kube-apiserver; the
// Prometheus Operator API is the version the root go.mod builds the function
// with. Both versions are read from those go.mod files, never repeated here.
const (
	kubernetesModule = "k8s.io/kubernetes"
	kubernetesTools  = "tools/kubernetes"
	monitoringModule = "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring"
	monitoringPkg    = monitoringModule + "/v1"
	crossplaneModule = "github.com/crossplane/crossplane/v2"
	crossplaneTools  = "tools/crossplane-core"
	// The provider-kubernetes release e2e runs (remote delivery).
	providerKubernetesModule = "github.com/crossplane-contrib/provider-kubernetes"
	providerKubernetesTools  = "tools/provider-kubernetes"
)

// ProviderKubernetesObjectCRD copies the CRD of provider-kubernetes'
// namespaced Object, from the release tools/provider-kubernetes pins, into
// out: the Objects of Object mode are validated against the provider's own
// schema.
func ProviderKubernetesObjectCRD(ctx context.Context, root, out string) (Source, error) {
	src, err := module(ctx, filepath.Join(root, providerKubernetesTools), providerKubernetesModule)
	if err != nil {
		return src, err
	}
	b, err := os.ReadFile(filepath.Join(src.Dir, "package", "crds", "kubernetes.m.crossplane.io_objects.yaml"))
	if err != nil {
		return src, err
	}
	return src, os.WriteFile(filepath.Join(out, "kubernetes.m.crossplane.io_objects.yaml"), b, 0o600) //nolint:gosec // the pinned module's file, into the test's folder
}

// Source says where a set of schemas came from.
type Source struct {
	Module, Version, Dir string
}

// module returns where Go keeps module path at the version the go.mod in
// dir requires, downloading it (checked against go.sum) if need be.
func module(ctx context.Context, dir, path string) (Source, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", path) //nolint:gosec // A module path of ours.
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Source{}, fmt.Errorf("go mod download %s (in %s): %w\n%s", path, dir, err, stderr.Bytes())
	}
	var m struct {
		Path    string `json:"Path"`
		Version string `json:"Version"`
		Dir     string `json:"Dir"`
		Error   string `json:"Error"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return Source{}, err
	}
	if m.Error != "" {
		return Source{}, fmt.Errorf("go mod download %s: %s", path, m.Error)
	}
	return Source{Module: m.Path, Version: m.Version, Dir: m.Dir}, nil
}

// KubernetesCRDs writes a CRD for each of gvks, all Kubernetes built-in
// kinds, into out.
func KubernetesCRDs(ctx context.Context, root, out string, gvks []GVK) (Source, error) {
	src, err := module(ctx, filepath.Join(root, kubernetesTools), kubernetesModule)
	if err != nil {
		return src, err
	}
	dir := filepath.Join(src.Dir, "api", "openapi-spec", "v3")
	for _, g := range gvks {
		crd, err := CRD(dir, g)
		if err != nil {
			return src, err
		}
		b, err := yaml.Marshal(crd)
		if err != nil {
			return src, err
		}
		name := fmt.Sprintf("k8s_%s_%s_%s.yaml", g.Group, g.Version, g.Kind)
		if err := os.WriteFile(filepath.Join(out, name), b, 0o600); err != nil {
			return src, err
		}
	}
	return src, nil
}

// MonitoringCRDs generates the CRDs of monitoring.coreos.com/v1 into out
// with controller-gen, from the Go types of the module version the function
// is built with: the way the Prometheus Operator makes its own CRDs.
func MonitoringCRDs(ctx context.Context, root, controllerGen, out string) (Source, error) {
	src, err := module(ctx, root, monitoringModule)
	if err != nil {
		return src, err
	}
	cmd := exec.CommandContext(ctx, controllerGen, "crd:crdVersions=v1,maxDescLen=0", "paths="+monitoringPkg, "output:crd:artifacts:config="+out) //nolint:gosec // Pinned tool.
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return src, fmt.Errorf("controller-gen for %s: %w\n%s", monitoringPkg, err, b)
	}
	return src, nil
}

// CrossplaneCRDs is the folder of Crossplane's own CRDs (pkg.crossplane.io
// and the others) in the module of the Crossplane release tools/ pins
// for render and e2e.
func CrossplaneCRDs(ctx context.Context, root string) (Source, string, error) {
	src, err := module(ctx, filepath.Join(root, crossplaneTools), crossplaneModule)
	if err != nil {
		return src, "", err
	}
	return src, filepath.Join(src.Dir, "cluster", "crds"), nil
}
