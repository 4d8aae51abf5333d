package reliability

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

// The Vault Agent Injector's admission preconditions, read from
// hashicorp/vault-k8s v1.7.6 (commit fbc5b1f), agent-inject/agent/agent.go
// `New` and `Validate`, and agent-inject/agent/annotations.go `runAsSameID`.
// The webhook refuses a pod when any of them fails, and the pod is never
// created: the agent's Deployment then has no replica at all.
const (
	vaultInject        = "vault.hashicorp.com/agent-inject"
	vaultRole          = "vault.hashicorp.com/role"
	vaultRunAsSameUser = "vault.hashicorp.com/agent-run-as-same-user"
	vaultContainers    = "vault.hashicorp.com/agent-inject-containers"
	vaultTokenVolume   = "vault.hashicorp.com/agent-service-account-token-volume-name"
	// The ServiceAccount admission plugin runs before mutating webhooks and
	// mounts the token here when the pod automounts it.
	serviceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
)

// vaultInjectorRefusal returns the error the injector's webhook gives the
// pod, nil when it would inject it. pod is the pod as the webhook sees it,
// before the ServiceAccount admission plugin (admitted applies it).
func vaultInjectorRefusal(pod *corev1.PodTemplateSpec) error {
	a := pod.Annotations
	if inject, err := strconv.ParseBool(a[vaultInject]); err != nil || !inject {
		return errors.New("not asked to inject (" + vaultInject + ")")
	}
	spec := admitted(&pod.Spec)
	// agent.go serviceaccount(): a named projected volume, or a mount whose
	// path contains "serviceaccount".
	if !hasTokenMount(spec, a[vaultTokenVolume]) {
		return errors.New("failed to find service account volume mount")
	}
	// annotations.go runAsSameID().
	if same, ok := a[vaultRunAsSameUser]; ok {
		on, err := strconv.ParseBool(same)
		if err != nil {
			return err
		}
		if on {
			switch c := spec.Containers; {
			case len(c) == 0:
				return errors.New("No containers found in Pod Spec")
			case c[0].SecurityContext == nil:
				return errors.New("No SecurityContext found for Container 0")
			case c[0].SecurityContext.RunAsUser == nil:
				return errors.New("RunAsUser is nil for Container 0's SecurityContext")
			case *c[0].SecurityContext.RunAsUser == 0:
				return errors.New("container not allowed to run as root")
			}
		}
	}
	// agent.go Validate(): the default auth type "kubernetes" needs a role.
	if a[vaultRole] == "" {
		return errors.New("no Vault role found")
	}
	// Not the injector's check, ours: the containers it is told to serve
	// exist, else the secret is written where no container reads it.
	for name := range strings.SplitSeq(a[vaultContainers], ",") {
		if !hasContainer(spec, name) {
			return errors.New(vaultContainers + " names no container " + strconv.Quote(name))
		}
	}
	return nil
}

// admitted is the pod spec after the ServiceAccount admission plugin, which
// mounts the token into every container unless the pod opts out.
func admitted(spec *corev1.PodSpec) *corev1.PodSpec {
	out := spec.DeepCopy()
	if !ptr.Deref(out.AutomountServiceAccountToken, true) {
		return out
	}
	for i := range out.Containers {
		out.Containers[i].VolumeMounts = append(out.Containers[i].VolumeMounts,
			corev1.VolumeMount{Name: "kube-api-access", MountPath: serviceAccountMountPath, ReadOnly: true})
	}
	return out
}

func hasTokenMount(spec *corev1.PodSpec, volume string) bool {
	for _, c := range spec.Containers {
		for _, m := range c.VolumeMounts {
			if (volume == "" && strings.Contains(m.MountPath, "serviceaccount")) || (volume != "" && m.Name == volume) {
				return true
			}
		}
	}
	for _, v := range spec.Volumes {
		if volume != "" && v.Name == volume && v.Projected != nil {
			return true
		}
	}
	return false
}

func hasContainer(spec *corev1.PodSpec, name string) bool {
	for _, c := range spec.Containers {
		if c.Name == name {
			return true
		}
	}
	return false
}

// TestVaultInjectorAdmits: the pod of every Vault example, as the function
// composes it, passes the Vault Agent Injector's admission checks; pods
// that break one of them are refused, so the check is not vacuous.
func TestVaultInjectorAdmits(t *testing.T) {
	var vaultPods int
	for _, e := range examples(t) {
		pod := agentPod(t, e)
		if pod.Annotations[vaultInject] == "" {
			continue
		}
		vaultPods++
		t.Run(e.Name, func(t *testing.T) {
			if err := vaultInjectorRefusal(&pod); err != nil {
				t.Fatalf("the Vault Agent Injector refuses the agent's pod of %s: %v", e.Name, err)
			}
			broken := map[string]struct {
				reason string
				mutate func(p *corev1.PodTemplateSpec)
				want   string
			}{
				"NoRunAsUser": {
					reason: "the pod-level runAsUser does not count: the injector reads container 0's",
					mutate: func(p *corev1.PodTemplateSpec) { p.Spec.Containers[0].SecurityContext.RunAsUser = nil },
					want:   "RunAsUser is nil for Container 0's SecurityContext",
				},
				"NoContainerSecurityContext": {
					reason: "container 0 needs a securityContext",
					mutate: func(p *corev1.PodTemplateSpec) { p.Spec.Containers[0].SecurityContext = nil },
					want:   "No SecurityContext found for Container 0",
				},
				"Root": {
					reason: "the agent may not run as root",
					mutate: func(p *corev1.PodTemplateSpec) { p.Spec.Containers[0].SecurityContext.RunAsUser = new(int64(0)) },
					want:   "container not allowed to run as root",
				},
				"NoToken": {
					reason: "the injector's agent logs in with a service-account token: with automount off, only the projected volume the annotation names gives it one",
					mutate: func(p *corev1.PodTemplateSpec) {
						p.Spec.AutomountServiceAccountToken = new(false)
						p.Spec.Volumes = slices.DeleteFunc(p.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == p.Annotations[vaultTokenVolume] })
					},
					want: "failed to find service account volume mount",
				},
				"NoRole": {
					reason: "Kubernetes auth needs a role",
					mutate: func(p *corev1.PodTemplateSpec) { delete(p.Annotations, vaultRole) },
					want:   "no Vault role found",
				},
			}
			for name, tc := range broken {
				p := pod.DeepCopy()
				tc.mutate(p)
				got := ""
				if err := vaultInjectorRefusal(p); err != nil {
					got = err.Error()
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s: %s\nvaultInjectorRefusal(...): -want, +got:\n%s", name, tc.reason, diff)
				}
			}
		})
	}
	if vaultPods == 0 {
		t.Fatal("no example enables Vault: nothing was checked")
	}
}
