// Package health decides, from an observed composed resource, whether it is
// ready. Checks are kept in a table keyed by kind, so supporting a kind is
// one entry; they follow the semantics of kstatus and Argo CD health checks.
package health

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// A Verdict on one composed resource.
type Verdict struct {
	// Ready is true when the resource does what it should.
	Ready bool
	// Failed is true when it will not become ready without a change, such as
	// a rollout past its progress deadline.
	Failed bool
	// Reason is a CamelCase word for a condition; Message says why a person
	// should care, and what to look at.
	Reason  string
	Message string
}

// A Check judges one observed object of a kind.
type Check func(u *unstructured.Unstructured) Verdict

// Reasons shared by every kind.
const (
	ReasonReady       = "Ready"
	ReasonNotObserved = "NotObserved"
	ReasonDeleting    = "Deleting"
	ReasonMalformed   = "Malformed"
)

// checks by group and kind; a kind without an entry is ready once it exists.
var checks = map[schema.GroupKind]Check{
	{Group: "apps", Kind: "Deployment"}:                      deployment,
	{Group: "", Kind: "Service"}:                             service,
	{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}:  exists,
	{Group: "policy", Kind: "PodDisruptionBudget"}:           podDisruptionBudget,
	{Group: "", Kind: "ConfigMap"}:                           exists,
	{Group: "", Kind: "ServiceAccount"}:                      exists,
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"}:      exists,
	{Group: "monitoring.coreos.com", Kind: "ServiceMonitor"}: exists,
	{Group: "monitoring.coreos.com", Kind: "PrometheusRule"}: exists,
}

// Of judges an observed object; nil means Crossplane has not observed it yet.
func Of(u *unstructured.Unstructured) Verdict {
	if u == nil || len(u.Object) == 0 {
		return Verdict{Reason: ReasonNotObserved, Message: "not created yet"}
	}
	if u.GetDeletionTimestamp() != nil {
		return Verdict{Reason: ReasonDeleting, Message: "being deleted"}
	}
	check, ok := checks[u.GroupVersionKind().GroupKind()]
	if !ok {
		check = exists
	}
	return check(u)
}

func exists(*unstructured.Unstructured) Verdict {
	return Verdict{Ready: true, Reason: ReasonReady}
}
