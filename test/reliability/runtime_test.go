package reliability

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	pkgv1beta1 "github.com/crossplane/crossplane/apis/v2/pkg/v1beta1"
)

// crossplaneCRD reads one of Crossplane's own CRDs from the source of the
// Crossplane core the tools build (tools/crossplane-core pins it).
func crossplaneCRD(t *testing.T, file string) *extv1.CustomResourceDefinition {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "go", "mod", "download", "-json", "github.com/crossplane/crossplane/v2")
	cmd.Dir = filepath.Join(root, "tools", "crossplane-core")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download github.com/crossplane/crossplane/v2 in %s: %v", cmd.Dir, err)
	}
	var mod struct {
		Dir string `json:"Dir"`
	}
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: no module folder in %s (%v)", out, err)
	}
	b, err := os.ReadFile(filepath.Join(mod.Dir, "cluster", "crds", file))
	if err != nil {
		t.Fatal(err)
	}
	crd := &extv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(b, crd); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return crd
}

// TestHardenedRuntime: the documented install (deploy/runtime.yaml before
// deploy/configuration.yaml) runs the function, which Crossplane installs as
// a dependency, hardened. The ImageConfig and the DeploymentRuntimeConfig
// are admitted by Crossplane's own CRDs (schema and CEL rules, as an API
// server runs them); the ImageConfig matches the Function's package, as the
// Configuration depends on it and as deploy/function.yaml installs it, and
// names the runtime config; the runtime config's pod drops every privilege,
// mounts no token, has CPU and memory limits and a Go memory limit under
// the container's, and meets Pod Security "restricted".
func TestHardenedRuntime(t *testing.T) {
	docs := documents(t, filepath.Join(root, "deploy", "runtime.yaml"))
	servers := map[string]*apiServer{
		"ImageConfig":             apiServerFor(t, crossplaneCRD(t, "pkg.crossplane.io_imageconfigs.yaml"), "Crossplane's ImageConfig CRD"),
		"DeploymentRuntimeConfig": apiServerFor(t, crossplaneCRD(t, "pkg.crossplane.io_deploymentruntimeconfigs.yaml"), "Crossplane's DeploymentRuntimeConfig CRD"),
	}
	ic, drc := &pkgv1beta1.ImageConfig{}, &pkgv1beta1.DeploymentRuntimeConfig{}
	for _, d := range docs {
		kind, _ := d["kind"].(string)
		srv, ok := servers[kind]
		if !ok {
			t.Fatalf("deploy/runtime.yaml: unexpected kind %q", kind)
		}
		if _, msg := srv.admit(d); msg != "" {
			t.Errorf("deploy/runtime.yaml: the API server would refuse the %s: %s", kind, msg)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		into := map[string]any{"ImageConfig": ic, "DeploymentRuntimeConfig": drc}[kind]
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatal(err)
		}
		delete(servers, kind)
	}
	if len(servers) > 0 {
		t.Fatalf("deploy/runtime.yaml lacks %v", servers)
	}

	// The ImageConfig applies to the Function's package and names the
	// runtime config.
	var packages []string
	for _, d := range documents(t, filepath.Join(root, "configuration", "crossplane.yaml")) {
		deps, _ := d["spec"].(map[string]any)["dependsOn"].([]any)
		for _, dep := range deps {
			if p, _ := dep.(map[string]any)["package"].(string); strings.Contains(p, "function-agentops") {
				packages = append(packages, p)
			}
		}
	}
	for _, d := range documents(t, filepath.Join(root, "deploy", "function.yaml")) {
		packages = append(packages, d["spec"].(map[string]any)["package"].(string))
	}
	if len(packages) != 2 {
		t.Fatalf("want the Function's package from configuration/crossplane.yaml and deploy/function.yaml, got %q", packages)
	}
	for _, p := range packages {
		matched := false
		for _, m := range ic.Spec.MatchImages {
			matched = matched || strings.HasPrefix(p, m.Prefix)
		}
		if !matched {
			t.Errorf("the ImageConfig matches %v, not the Function's package %s", ic.Spec.MatchImages, p)
		}
	}
	if ref := ic.Spec.Runtime; ref == nil || ref.ConfigReference == nil || ref.ConfigReference.Name != drc.Name {
		t.Errorf("the ImageConfig's spec.runtime.configRef: want the DeploymentRuntimeConfig %q, got %+v", drc.Name, ref)
	}

	pod := drc.Spec.DeploymentTemplate.Spec.Template
	var runtime *corev1.Container
	for i := range pod.Spec.Containers {
		if pod.Spec.Containers[i].Name == "package-runtime" {
			runtime = &pod.Spec.Containers[i]
			// Crossplane sets the image and the rest of its container.
			runtime.Image = "xpkg.crossplane.io/agentops-io/function-agentops:v0.1.0"
		}
	}
	if runtime == nil {
		t.Fatalf("no container named package-runtime, the name Crossplane gives the function's container")
	}
	type hardening struct {
		RunAsNonRoot, ReadOnlyRootFilesystem, NoPrivilegeEscalation, NoToken bool
		DroppedCapabilities, Seccomp                                         string
		CPULimit, MemoryLimit                                                bool
		GoMemLimitUnderMemoryLimit                                           bool
	}
	sc := ptr.Deref(runtime.SecurityContext, corev1.SecurityContext{})
	got := hardening{
		RunAsNonRoot:           ptr.Deref(sc.RunAsNonRoot, false),
		ReadOnlyRootFilesystem: ptr.Deref(sc.ReadOnlyRootFilesystem, false),
		NoPrivilegeEscalation:  !ptr.Deref(sc.AllowPrivilegeEscalation, true),
		NoToken:                !ptr.Deref(pod.Spec.AutomountServiceAccountToken, true),
		CPULimit:               !runtime.Resources.Limits.Cpu().IsZero(),
		MemoryLimit:            !runtime.Resources.Limits.Memory().IsZero(),
	}
	if sc.Capabilities != nil {
		for _, c := range sc.Capabilities.Drop {
			got.DroppedCapabilities += string(c)
		}
	}
	if p := sc.SeccompProfile; p != nil {
		got.Seccomp = string(p.Type)
	} else if p := ptr.Deref(pod.Spec.SecurityContext, corev1.PodSecurityContext{}).SeccompProfile; p != nil {
		got.Seccomp = string(p.Type)
	}
	for _, e := range runtime.Env {
		if e.Name != "GOMEMLIMIT" {
			continue
		}
		// Go writes its limit as a byte count with an IEC suffix.
		q, err := resource.ParseQuantity(strings.TrimSuffix(e.Value, "B"))
		got.GoMemLimitUnderMemoryLimit = err == nil && q.Sign() > 0 && q.Cmp(*runtime.Resources.Limits.Memory()) < 0
	}
	want := hardening{
		RunAsNonRoot: true, ReadOnlyRootFilesystem: true, NoPrivilegeEscalation: true, NoToken: true,
		DroppedCapabilities: "ALL", Seccomp: string(corev1.SeccompProfileTypeRuntimeDefault),
		CPULimit: true, MemoryLimit: true, GoMemLimitUnderMemoryLimit: true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the function's runtime: -want, +got:\n%s", diff)
	}
	if msg := restricted(t, &pod.ObjectMeta, &pod.Spec); msg != "" {
		t.Errorf("the function's pod violates PodSecurity restricted:latest: %s", msg)
	}
	if pod.Spec.HostNetwork || pod.Spec.HostPID || pod.Spec.HostIPC {
		t.Errorf("the runtime config asks for the host's namespaces")
	}
}
