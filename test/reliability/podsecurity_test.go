package reliability

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
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
// from every example, meets "restricted", and what "restricted" does not
// check: a read-only root filesystem for every container, and no
// ServiceAccount token for the agent's container (none automounted, none
// projected into it). A pod stripped of its security context is refused,
// so the check is not vacuous.
func TestPodSecurityRestricted(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			pod := agentPod(t, e)
			if got := restricted(t, &pod.ObjectMeta, &pod.Spec); got != "" {
				t.Errorf("the agent's pod of %s violates PodSecurity restricted:latest: %s", e.Name, got)
			}
			if pod.Spec.AutomountServiceAccountToken == nil || *pod.Spec.AutomountServiceAccountToken {
				t.Errorf("the agent's pod of %s: automountServiceAccountToken: want false, got %v", e.Name, pod.Spec.AutomountServiceAccountToken)
			}
			tokenVolumes := map[string]bool{}
			for _, v := range pod.Spec.Volumes {
				if v.Projected != nil && slices.ContainsFunc(v.Projected.Sources, func(s corev1.VolumeProjection) bool { return s.ServiceAccountToken != nil }) {
					tokenVolumes[v.Name] = true
				}
			}
			for _, c := range pod.Spec.Containers {
				if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
					t.Errorf("the agent's pod of %s: container %s: want readOnlyRootFilesystem true", e.Name, c.Name)
				}
				for _, m := range c.VolumeMounts {
					if tokenVolumes[m.Name] {
						t.Errorf("the agent's pod of %s: container %s mounts the ServiceAccount token volume %s", e.Name, c.Name, m.Name)
					}
				}
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
