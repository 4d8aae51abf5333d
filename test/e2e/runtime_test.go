//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// The function's runtime, as deploy/runtime.yaml names it, and where
// Crossplane runs packages.
const (
	runtimeImageConfig = "function-agentops-runtime"
	runtimeContainer   = "package-runtime"
	// Crossplane records the ImageConfig that chose a revision's runtime
	// config with this reason (crossplane/apis v2 pkg/v1
	// ImageConfigReasonRuntime).
	reasonConfigureRuntime = "ConfigureRuntime"
)

// hardenedRevision is the FunctionRevision the Deployment runtime rendered at
// set-up. TestFunctionRuntime reads that one, not the active one: the
// Upgrade scenario installs a newer revision under the External runtime,
// which renders nothing. The old revision keeps its Deployment (the revision
// history keeps it) and its runtime ImageConfig ref (only Crossplane's
// runtime reconciler sets or clears that reason, crossplane v2.3.4
// internal/controller/pkg/runtime/reconciler.go).
var hardenedRevision string

// installHardenedRuntime is install step 2: deploy/runtime.yaml, as a user
// who mirrors the packages applies it. Crossplane matches an ImageConfig's
// runtime config against the image after rewriting (crossplane v2.3.4
// internal/controller/pkg/runtime/reconciler.go: RuntimeConfigFor with the
// revision's resolved source), so the file's one package prefix moves to
// the mirror the test's rewrite ImageConfig points at, as the file tells
// mirror users to do; nothing else changes. The namespace Crossplane runs
// packages in enforces Pod Security "restricted" first, so that the API
// server's own admission judges the pods of the function's Deployment.
func installHardenedRuntime(ctx context.Context) error {
	file := filepath.Join(env.repo, "deploy", "runtime.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	from := "prefix: " + packagePrefix
	if n := strings.Count(string(b), from); n != 1 {
		return fmt.Errorf("%s: %d lines %q, want 1", file, n, from)
	}
	manifest := strings.Replace(string(b), from, "prefix: "+env.reg.Host+"/agentops-io/", 1)
	if _, err := env.k.Run(ctx, "", "label", "namespace", env.xp.Namespace,
		"pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest"); err != nil {
		return err
	}
	_, err = env.k.Apply(ctx, manifest)
	return err
}

// awaitFunctionDeployment waits until Crossplane's Deployment runtime has
// rendered the Deployment of the Function's active revision (named after
// the revision), and then restarts Crossplane with the External runtime:
// the tests run the function themselves. The Deployment stays for
// TestFunctionRuntime to read; nothing changes it after.
func awaitFunctionDeployment(ctx context.Context) error {
	start := time.Now()
	err := kube.Eventually(ctx, 2*time.Minute, 500*time.Millisecond, func(ctx context.Context) error {
		rev, err := env.xp.ActiveRevision(ctx, functionName)
		if err != nil {
			return err
		}
		if _, err := env.k.Run(ctx, "", "get", "deployment", rev, "-n", env.xp.Namespace, "-o", "name"); err != nil {
			return err
		}
		hardenedRevision = rev
		return nil
	})
	if err != nil {
		return fmt.Errorf("crossplane rendered no Deployment for %s: %w", functionName, err)
	}
	logf("crossplane rendered the Deployment of %s in %s", functionName, time.Since(start).Round(100*time.Millisecond))
	return env.xp.Restart(ctx, controlplane.RuntimeExternal)
}

// TestFunctionRuntime: the documented install (deploy/runtime.yaml, then
// the Configuration, whose dependency brings the Function) runs the
// Function hardened. The set-up ran Crossplane with its Deployment runtime
// until it had rendered the Function's Deployment; this reads what
// Crossplane resolved and produced: the ImageConfig it applied to the
// revision, the Deployment it rendered, and the pod the API server admitted
// for it in a namespace that enforces Pod Security "restricted".
func TestFunctionRuntime(t *testing.T) {
	if *controlPlaneOnly {
		t.Skip("-e2e.controlplane-only")
	}
	ctx := context.Background()
	rev := hardenedRevision
	if rev == "" {
		t.Fatal("the set-up recorded no FunctionRevision rendered by the Deployment runtime")
	}

	t.Run("ImageConfigApplied", func(t *testing.T) {
		var r struct {
			Spec struct {
				RuntimeConfigRef struct {
					Name string `json:"name"`
				} `json:"runtimeConfigRef"`
			} `json:"spec"`
			Status struct {
				AppliedImageConfigRefs []struct {
					Name   string `json:"name"`
					Reason string `json:"reason"`
				} `json:"appliedImageConfigRefs"`
			} `json:"status"`
		}
		decode(t, &r, "functionrevision", rev)
		// The Function Crossplane installed as a dependency names
		// Crossplane's default runtime config: the ImageConfig is what
		// brings ours.
		if got := r.Spec.RuntimeConfigRef.Name; got != "default" {
			t.Errorf("FunctionRevision %s: spec.runtimeConfigRef.name %q, want Crossplane's \"default\"", rev, got)
		}
		var got []string
		for _, ref := range r.Status.AppliedImageConfigRefs {
			if ref.Reason == reasonConfigureRuntime {
				got = append(got, ref.Name)
			}
		}
		if diff := cmp.Diff([]string{runtimeImageConfig}, got); diff != "" {
			t.Errorf("FunctionRevision %s: the ImageConfigs Crossplane chose its runtime config with (status.appliedImageConfigRefs, reason %s): -want, +got:\n%s", rev, reasonConfigureRuntime, diff)
		}
	})

	d := &appsv1.Deployment{}
	decode(t, d, "deployment", rev, "-n", env.xp.Namespace)
	t.Run("Deployment", func(t *testing.T) {
		if !slices.ContainsFunc(d.OwnerReferences, func(o metav1.OwnerReference) bool {
			return o.Kind == "FunctionRevision" && o.Name == rev && o.Controller != nil && *o.Controller
		}) {
			t.Errorf("Deployment %s is not controlled by FunctionRevision %s: %+v", d.Name, rev, d.OwnerReferences)
		}
		checkHardened(t, &d.Spec.Template.Spec)
	})

	t.Run("Pod", func(t *testing.T) {
		// The ReplicaSet controller creates it, and the API server admits it
		// only if it meets "restricted".
		selector := "pkg.crossplane.io/revision=" + rev
		var pods corev1.PodList
		err := kube.Eventually(ctx, time.Minute, 500*time.Millisecond, func(ctx context.Context) error {
			if err := env.k.Get(ctx, &pods, "pods", "-n", env.xp.Namespace, "-l", selector); err != nil {
				return err
			}
			if len(pods.Items) == 0 {
				events, _ := env.k.Run(ctx, "", "get", "events", "-n", env.xp.Namespace, "--field-selector=reason=FailedCreate", "-o", "custom-columns=MESSAGE:.message", "--no-headers")
				return fmt.Errorf("no pod %s in %s; FailedCreate events: %s", selector, env.xp.Namespace, events)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkHardened(t, &pods.Items[0].Spec)
	})

	t.Run("NamespaceEnforcesRestricted", func(t *testing.T) {
		// The control for the pod above: the same namespace refuses a pod
		// as Crossplane's default runtime config would make it (no seccomp
		// profile, capabilities kept).
		out, err := env.k.Run(ctx, "", "run", "default-runtime", "-n", env.xp.Namespace, "--dry-run=server",
			"--image=registry.example.com/function:v1", "--restart=Never",
			`--overrides={"spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":2000},"containers":[{"name":"default-runtime","image":"registry.example.com/function:v1","securityContext":{"allowPrivilegeEscalation":false,"privileged":false}}]}}`)
		if err == nil || !strings.Contains(err.Error(), "violates PodSecurity") {
			t.Errorf("kubectl run --dry-run=server in %s: %v %s; want a refusal that says it violates PodSecurity", env.xp.Namespace, err, out)
		}
	})
}

// checkHardened checks the hardening deploy/runtime.yaml configures on the
// pod of the Function's runtime.
func checkHardened(t *testing.T, spec *corev1.PodSpec) {
	t.Helper()
	i := slices.IndexFunc(spec.Containers, func(c corev1.Container) bool { return c.Name == runtimeContainer })
	if i < 0 {
		t.Fatalf("no container %s in the pod", runtimeContainer)
	}
	c := spec.Containers[i]
	pod := ptr.Deref(spec.SecurityContext, corev1.PodSecurityContext{})
	sc := ptr.Deref(c.SecurityContext, corev1.SecurityContext{})
	caps := ptr.Deref(sc.Capabilities, corev1.Capabilities{})
	cases := map[string]struct {
		reason string
		got    any
		want   any
	}{
		"TheFunctionsImage": {
			reason: "The container is the Function's, from the package Crossplane resolved.",
			got:    strings.HasPrefix(c.Image, env.reg.Host+"/agentops-io/function-agentops@") || strings.HasPrefix(c.Image, env.reg.Host+"/agentops-io/function-agentops:"),
			want:   true,
		},
		"NoServiceAccountToken": {
			reason: "The function never calls the Kubernetes API.",
			got:    ptr.Deref(spec.AutomountServiceAccountToken, true), want: false,
		},
		"NonRootUser": {
			reason: "The image's non-root user, in the pod and the container.",
			got:    []any{ptr.Deref(pod.RunAsNonRoot, false), ptr.Deref(pod.RunAsUser, 0), ptr.Deref(sc.RunAsNonRoot, false), ptr.Deref(sc.RunAsUser, 0)},
			want:   []any{true, int64(65532), true, int64(65532)},
		},
		"ReadOnlyRootFilesystem": {
			reason: "Nothing in the container writes to its root.",
			got:    ptr.Deref(sc.ReadOnlyRootFilesystem, false), want: true,
		},
		"NoPrivilegeEscalation": {
			reason: "Neither privileged nor able to gain privileges.",
			got:    []bool{ptr.Deref(sc.AllowPrivilegeEscalation, true), ptr.Deref(sc.Privileged, true)},
			want:   []bool{false, false},
		},
		"CapabilitiesDropAll": {
			reason: "Every capability dropped, none added.",
			got:    fmt.Sprint(caps.Drop, caps.Add), want: "[ALL] []",
		},
		"SeccompRuntimeDefault": {
			reason: "The runtime's default seccomp profile, in the pod and the container.",
			got:    []string{seccomp(pod.SeccompProfile), seccomp(sc.SeccompProfile)},
			want:   []string{"RuntimeDefault", "RuntimeDefault"},
		},
		"Limits": {
			reason: "CPU and memory are bounded.",
			got:    map[string]string{"cpu": c.Resources.Limits.Cpu().String(), "memory": c.Resources.Limits.Memory().String()},
			want:   map[string]string{"cpu": "1", "memory": "256Mi"},
		},
		"GOMEMLIMIT": {
			reason: "The Go runtime collects garbage harder before the memory limit kills it.",
			got:    envValue(c.Env, "GOMEMLIMIT"), want: "200MiB",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("%s\ncontainer %s: -want, +got:\n%s", tc.reason, runtimeContainer, diff)
			}
		})
	}
}

// seccomp is a seccomp profile's type, or "" without one.
func seccomp(p *corev1.SeccompProfile) string {
	if p == nil {
		return ""
	}
	return string(p.Type)
}

// envValue is the value of a container's environment variable.
func envValue(vars []corev1.EnvVar, name string) string {
	for _, v := range vars {
		if v.Name == name {
			return v.Value
		}
	}
	return ""
}
