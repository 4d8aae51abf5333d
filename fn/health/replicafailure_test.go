package health

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FailedCreate messages as a v1.35 API server words them, and the
// ReplicaSet controller copies them into its ReplicaFailure condition (which
// the Deployment controller copies into the Deployment's). A mutating
// admission plugin sees the pod before its name is generated, so the
// ServiceAccount plugin names the generateName prefix; validating ones see
// the generated name.
const (
	// plugin/pkg/admission/serviceaccount: the pod's ServiceAccount does not
	// exist (not in the plugin's cache, nor on a live lookup).
	serviceAccountMissing = `pods "support-agent-7d9c6b5f4-" is forbidden: error looking up service account agents/support-agent: serviceaccount "support-agent" not found`
	// apiserver's resourcequota plugin: over a hard limit.
	quotaExceeded = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1500m, limited: requests.cpu=2`
	// The same plugin: the quota needs a limit the pod does not set.
	quotaNeedsLimits = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: failed quota: compute: must specify limits.cpu for: agent; limits.memory for: agent`
	// The same plugin: the quota controller has not counted usage yet.
	quotaNotCounted = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: status unknown for quota: compute, resources: requests.cpu`
	// pod-security-admission, enforce mode.
	podSecurity = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "vault-agent" must set securityContext.allowPrivilegeEscalation=false)`
	// The ServiceAccount plugin, on a ServiceAccount annotated
	// kubernetes.io/enforce-mountable-secrets=true: an image pull secret it
	// does not list.
	pullSecretNotListed = `pods "support-agent-7d9c6b5f4-" is forbidden: imagePullSecrets[0].name="registry-credentials" is not allowed because service account support-agent does not reference that imagePullSecret`
	// plugin/pkg/admission/limitranger.
	limitRange = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: maximum cpu usage per Container is 1, but limit is 2`
	// A validating admission webhook that refuses the pod.
	webhookDenied = `admission webhook "validate.kyverno.svc-fail" denied the request: resource Pod/agents/support-agent-7d9c6b5f4-x2x8q was blocked due to the following policies require-team-label`
	// A ValidatingAdmissionPolicy that refuses the pod.
	policyDenied = `pods "support-agent-7d9c6b5f4-x2x8q" is forbidden: ValidatingAdmissionPolicy 'require-team-label' with binding 'require-team-label' denied request: pods must carry a team label`
	// A mutating webhook that cannot be reached, such as Vault's injector
	// while it restarts.
	webhookDown = `Internal error occurred: failed calling webhook "vault.hashicorp.com": failed to call webhook: Post "https://vault-agent-injector-svc.vault.svc:443/mutate?timeout=10s": dial tcp 10.96.12.7:443: connect: connection refused`
)

func TestReplicaFailure(t *testing.T) {
	ours := Object{Kind: "ServiceAccount", Namespace: "agents", Name: "support-agent"}
	type args struct {
		message string
		since   time.Duration
		opts    DeploymentOptions
	}
	type want struct {
		state  State
		reason string
		suffix string
	}
	failed := func(cause string) want {
		return want{state: Failed, reason: ReasonReplicaFailure, suffix: " (" + cause + ")"}
	}
	retrying := want{state: InProgress, reason: ReasonPodCreationRetrying, suffix: "; it retries, and the agent is Failed if this lasts 120s from 2026-11-26T08:59:00Z"}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"OurServiceAccountNotObserved": {
			reason: "Our ServiceAccount not observed yet: InProgress however long it lasts (past the progress deadline the rollout is Failed anyway).",
			args:   args{message: serviceAccountMissing, since: time.Hour, opts: DeploymentOptions{Now: now, Unobserved: []Object{ours}}},
			want:   want{state: InProgress, reason: ReasonPodCreationRetrying, suffix: "; it retries until ServiceAccount agents/support-agent, composed with it, exists"},
		},
		"OurServiceAccountObservedWithinGrace": {
			reason: "Our ServiceAccount exists, the ReplicaSet has not retried since: InProgress within the grace period.",
			args:   args{message: serviceAccountMissing, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   retrying,
		},
		"OurServiceAccountObservedPastGrace": {
			reason: "Our ServiceAccount exists, yet pods are still refused past the grace period: Failed.",
			args:   args{message: serviceAccountMissing, since: 3 * time.Minute, opts: DeploymentOptions{Now: now}},
			want:   want{state: Failed, reason: ReasonReplicaFailure, suffix: " (since 2026-11-26T08:57:00Z, longer than 120s)"},
		},
		"AnotherServiceAccountUnobserved": {
			reason: "Only the ServiceAccount the message names counts.",
			args:   args{message: serviceAccountMissing, since: time.Minute, opts: DeploymentOptions{Now: now, Unobserved: []Object{{Kind: "ServiceAccount", Namespace: "agents", Name: "other"}}}},
			want:   retrying,
		},
		"QuotaExceeded": {
			reason: "A quota used up needs a person: Failed at once.",
			args:   args{message: quotaExceeded, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("a ResourceQuota of the namespace is used up"),
		},
		"QuotaNeedsLimits": {
			reason: "A quota that needs limits the pods do not set: Failed at once.",
			args:   args{message: quotaNeedsLimits, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("a ResourceQuota of the namespace requires requests or limits the pods do not set"),
		},
		"QuotaNotCounted": {
			reason: "A quota whose usage is not counted yet passes: InProgress.",
			args:   args{message: quotaNotCounted, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   retrying,
		},
		"PodSecurity": {
			reason: "Pod Security forbids the pods: Failed at once.",
			args:   args{message: podSecurity, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("the namespace's Pod Security level forbids the pods"),
		},
		"ImagePullSecretNotListed": {
			reason: "An image pull secret the ServiceAccount does not list, where it enforces mountable secrets: Failed at once.",
			args:   args{message: pullSecretNotListed, since: time.Minute, opts: DeploymentOptions{Now: now, Unobserved: []Object{ours}}},
			want:   failed("the ServiceAccount enforces mountable secrets and does not list a secret or image pull secret the pods use"),
		},
		"LimitRange": {
			reason: "A LimitRange forbids the containers' limits: Failed at once.",
			args:   args{message: limitRange, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("a LimitRange of the namespace forbids the containers' requests or limits"),
		},
		"WebhookDenied": {
			reason: "An admission webhook refuses the pods: Failed at once.",
			args:   args{message: webhookDenied, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("an admission webhook refused the pods"),
		},
		"PolicyDenied": {
			reason: "An admission policy refuses the pods: Failed at once.",
			args:   args{message: policyDenied, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   failed("an admission policy refused the pods"),
		},
		"WebhookDownWithinGrace": {
			reason: "A webhook that cannot be reached can come back: InProgress within the grace period.",
			args:   args{message: webhookDown, since: time.Minute, opts: DeploymentOptions{Now: now}},
			want:   retrying,
		},
		"WebhookDownPastGrace": {
			reason: "Still unreachable past the grace period: Failed.",
			args:   args{message: webhookDown, since: ReplicaFailureGrace + time.Second, opts: DeploymentOptions{Now: now}},
			want:   want{state: Failed, reason: ReasonReplicaFailure, suffix: " (since 2026-11-26T08:57:59Z, longer than 120s)"},
		},
		"NoClock": {
			reason: "Without the time, a cause that can pass is not judged Failed.",
			args:   args{message: webhookDown, since: time.Hour},
			want:   want{state: InProgress, reason: ReasonPodCreationRetrying, suffix: "; it retries, and the agent is Failed if this lasts 120s from 2026-11-26T08:00:00Z"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := appsv1.DeploymentCondition{Type: appsv1.DeploymentReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate", Message: tc.args.message, LastTransitionTime: metav1.Time{Time: now.Add(-tc.args.since)}}
			got := replicaFailure(c, tc.args.opts)
			want := Result{State: tc.want.state, Reason: tc.want.reason, Message: "its ReplicaSet cannot create pods (FailedCreate): " + tc.args.message + tc.want.suffix}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nreplicaFailure(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
