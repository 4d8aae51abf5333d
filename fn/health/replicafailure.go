package health

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
)

// ReplicaFailureGrace is how long a ReplicaSet may fail to create pods, for
// a cause that can pass by itself, before the Deployment is Failed. The
// ReplicaSet controller retries with a backoff; causes such as a webhook
// that is briefly down, or a quota whose usage is not counted yet, pass
// within it.
const ReplicaFailureGrace = 2 * time.Minute

// ReasonPodCreationRetrying: the ReplicaSet cannot create pods yet, for a
// cause that can pass by itself.
const ReasonPodCreationRetrying = "PodCreationRetrying"

// An Object named in a ReplicaSet's refusal.
type Object struct {
	Kind, Namespace, Name string
}

// FailedCreate causes a person must fix: the ReplicaSet retries, but the
// API server refuses each pod the same way until the quota, the namespace's
// policy or the agent's spec changes. Each is a part of the API server's
// message that only that refusal has (Kubernetes v1.35: the ResourceQuota,
// PodSecurity, ServiceAccount and LimitRanger admission plugins, admission
// webhooks and policies).
var personCauses = []struct{ text, cause string }{
	{"exceeded quota: ", "a ResourceQuota of the namespace is used up"},
	{"failed quota: ", "a ResourceQuota of the namespace requires requests or limits the pods do not set"},
	{"insufficient quota to consume: ", "the API server limits a resource the namespace has no ResourceQuota for"},
	{"violates PodSecurity ", "the namespace's Pod Security level forbids the pods"},
	{"is not allowed because service account ", "the ServiceAccount enforces mountable secrets and does not list a secret or image pull secret the pods use"},
	{" usage per Container is ", "a LimitRange of the namespace forbids the containers' requests or limits"},
	{" usage per Pod is ", "a LimitRange of the namespace forbids the pods' requests or limits"},
	{" denied the request", "an admission webhook refused the pods"},
	{" denied request: ", "an admission policy refused the pods"},
}

// replicaFailure judges a ReplicaFailure condition: Failed when its cause
// needs a person, or has lasted longer than ReplicaFailureGrace (judged
// only when o.Now is set); InProgress while the cause can still pass, and
// always while it is a composed object not observed yet (o.Unobserved).
func replicaFailure(c appsv1.DeploymentCondition, o DeploymentOptions) Result {
	what := fmt.Sprintf("its ReplicaSet cannot create pods (%s): %s", c.Reason, c.Message)
	for _, p := range personCauses {
		if strings.Contains(c.Message, p.text) {
			return Result{State: Failed, Reason: ReasonReplicaFailure, Message: what + " (" + p.cause + ")"}
		}
	}
	if obj, ok := awaitedServiceAccount(c.Message, o.Unobserved); ok {
		return Result{State: InProgress, Reason: ReasonPodCreationRetrying, Message: fmt.Sprintf("%s; it retries until %s %s/%s, composed with it, exists", what, obj.Kind, obj.Namespace, obj.Name)}
	}
	since := c.LastTransitionTime.Time
	if !o.Now.IsZero() && o.Now.Sub(since) > ReplicaFailureGrace {
		return Result{State: Failed, Reason: ReasonReplicaFailure, Message: fmt.Sprintf("%s (since %s, longer than %ds)", what, since.UTC().Format(time.RFC3339), int(ReplicaFailureGrace.Seconds()))}
	}
	// The message names the time, not the time left: it must not change
	// on every call.
	return Result{State: InProgress, Reason: ReasonPodCreationRetrying, Message: fmt.Sprintf("%s; it retries, and the agent is Failed if this lasts %ds from %s", what, int(ReplicaFailureGrace.Seconds()), since.UTC().Format(time.RFC3339))}
}

// awaitedServiceAccount finds, of unobserved, the ServiceAccount the
// ServiceAccount admission plugin did not find: "error looking up service
// account <namespace>/<name>: serviceaccount "<name>" not found".
func awaitedServiceAccount(msg string, unobserved []Object) (Object, bool) {
	for _, u := range unobserved {
		if u.Kind == "ServiceAccount" && strings.Contains(msg, "error looking up service account "+u.Namespace+"/"+u.Name+": ") {
			return u, true
		}
	}
	return Object{}, false
}
