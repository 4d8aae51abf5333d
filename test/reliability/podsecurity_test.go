package reliability

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"k8s.io/utils/ptr"

	pkgv1beta1 "github.com/crossplane/crossplane/apis/v2/pkg/v1beta1"
)

// restricted evaluates a pod against Pod Security Standards "restricted",
// latest version, with the checks the API server's PodSecurity admission
// runs. It returns the forbidden reasons, "" when the pod is admitted.
func restricted(t *testing.T, meta *metav1.ObjectMeta, spec *corev1.PodSpec) string {
	t.Helper()
	e, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lv := psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}
	agg := policy.AggregateCheckResults(e.EvaluatePod(lv, meta, spec))
	if agg.Allowed {
		return ""
	}
	return agg.ForbiddenReason() + ": " + agg.ForbiddenDetail()
}

// agentPod is the pod template of the Deployment the function composes
// for example e, on create.
func agentPod(t *testing.T, e example) corev1.PodTemplateSpec {
	t.Helper()
	rsp, _ := run(t, request(t, e.XR, e.Input, withDependencies(nil)))
	if msg := fatal(rsp); msg != "" {
		t.Fatalf("RunFunction(%s): %s", e.Name, msg)
	}
	d := &appsv1.Deployment{}
	desired(t, rsp, "deployment", d)
	return d.Spec.Template
}

// TestPodSecurityRestricted: the agent's pod, as the function composes it
// from every example, meets "restricted". A pod stripped of its security
// context is refused, so the check is not vacuous.
func TestPodSecurityRestricted(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			pod := agentPod(t, e)
			if got := restricted(t, &pod.ObjectMeta, &pod.Spec); got != "" {
				t.Errorf("the agent's pod of %s violates PodSecurity restricted:latest: %s", e.Name, got)
			}

			weak := pod.DeepCopy()
			weak.Spec.SecurityContext = nil
			weak.Spec.Containers[0].SecurityContext = nil
			want := `allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile: allowPrivilegeEscalation != false (container "agent" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "agent" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "agent" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "agent" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`
			if diff := cmp.Diff(want, restricted(t, &weak.ObjectMeta, &weak.Spec)); diff != "" {
				t.Errorf("a pod without security contexts: -want, +got:\n%s", diff)
			}
		})
	}
}

// TestRuntimeConfig: the function's own runtime, as
// examples/deploymentruntimeconfig.yaml configures it, runs as non-root on
// a read-only root filesystem and meets "restricted".
func TestRuntimeConfig(t *testing.T) {
	docs := documents(t, filepath.Join(root, "examples/deploymentruntimeconfig.yaml"))
	b, err := json.Marshal(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	drc := &pkgv1beta1.DeploymentRuntimeConfig{}
	if err := json.Unmarshal(b, drc); err != nil {
		t.Fatal(err)
	}
	pod := drc.Spec.DeploymentTemplate.Spec.Template
	// Crossplane sets the image and the rest of its container.
	var runtime *corev1.Container
	for i := range pod.Spec.Containers {
		if pod.Spec.Containers[i].Name == "package-runtime" {
			runtime = &pod.Spec.Containers[i]
			runtime.Image = "xpkg.crossplane.io/agentops-io/function-agentops:v0.1.0"
		}
	}
	if runtime == nil {
		t.Fatalf("no container named package-runtime, the name Crossplane gives the function's container")
	}
	type hardening struct {
		RunAsNonRoot, ReadOnlyRootFilesystem, NoPrivilegeEscalation bool
		DroppedCapabilities                                         string
	}
	sc := ptr.Deref(runtime.SecurityContext, corev1.SecurityContext{})
	got := hardening{
		RunAsNonRoot:           ptr.Deref(sc.RunAsNonRoot, false),
		ReadOnlyRootFilesystem: ptr.Deref(sc.ReadOnlyRootFilesystem, false),
		NoPrivilegeEscalation:  !ptr.Deref(sc.AllowPrivilegeEscalation, true),
	}
	if sc.Capabilities != nil {
		for _, c := range sc.Capabilities.Drop {
			got.DroppedCapabilities += string(c)
		}
	}
	want := hardening{RunAsNonRoot: true, ReadOnlyRootFilesystem: true, NoPrivilegeEscalation: true, DroppedCapabilities: "ALL"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the function's container: -want, +got:\n%s", diff)
	}
	if msg := restricted(t, &pod.ObjectMeta, &pod.Spec); msg != "" {
		t.Errorf("the function's pod violates PodSecurity restricted:latest: %s", msg)
	}
	if strings.Contains(string(b), "hostNetwork") {
		t.Errorf("the runtime config asks for the host network")
	}
}
