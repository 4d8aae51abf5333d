// Package health judges an observed composed resource: its State (after
// kstatus: Current, InProgress, Failed, Terminating, NotFound, Unknown) and,
// for people, a reason and a message. Checks are kept in a table keyed by
// kind, so supporting a kind is one entry; they follow the semantics of
// kstatus and Argo CD health checks: a resource is Current only once its
// controller has reported on its current spec, and never while it is being
// deleted.
package health

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// A Check judges one observed object of a kind that exists and is not being
// deleted.
type Check func(u *unstructured.Unstructured) Result

// Reasons shared by every kind.
const (
	ReasonReady       = "Ready"
	ReasonNotObserved = "NotObserved"
	ReasonDeleting    = "Deleting"
	ReasonMalformed   = "Malformed"
)

// Kinds fn/status also reads as typed objects.
var (
	KindDeployment   = schema.GroupKind{Group: "apps", Kind: "Deployment"}
	KindService      = schema.GroupKind{Group: "", Kind: "Service"}
	KindHPA          = schema.GroupKind{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}
	KindScaledObject = schema.GroupKind{Group: "keda.sh", Kind: "ScaledObject"}
)

// A kind's check, and the fields of its objects that the check and fn/status
// read beyond the common ones (commonFields). Observed objects are read with
// those fields only (ReadFields): a field read but not listed reads as
// absent.
type kind struct {
	check Check
	reads []string
}

// kinds by group and kind. Kinds without a status to wait for are ready
// once they exist; a kind without an entry is too.
var kinds = map[schema.GroupKind]kind{
	KindDeployment: {check: deployment, reads: []string{
		// DeploymentHealth and fn/status's conditions; the whole status, so
		// that a malformed one reads as Malformed.
		"spec.replicas", "spec.paused", "spec.progressDeadlineSeconds", "status",
	}},
	KindService: {check: service, reads: []string{
		// spec.ports: fn/status's endpoint.
		"spec.type", "spec.clusterIP", "spec.ports", "status.loadBalancer",
	}},
	KindHPA: {check: exists, reads: []string{
		// fn/status: the AutoscalingActive condition, and the replica count
		// before the Deployment exists.
		// status.currentMetrics: whether it read the request rate.
		statusConditions, "status.currentReplicas", "status.desiredReplicas", "status.currentMetrics",
	}},
	KindScaledObject: {check: exists, reads: []string{
		// fn/status: the AutoscalingActive condition from KEDA's conditions
		// and each trigger's metric health.
		statusConditions, "status.health", "status.hpaName",
	}},
	{Group: "policy", Kind: "PodDisruptionBudget"}:           {check: podDisruptionBudget, reads: []string{"status.observedGeneration"}},
	{Group: "", Kind: "ConfigMap"}:                           {check: exists},
	{Group: "", Kind: "ServiceAccount"}:                      {check: exists},
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"}:      {check: exists},
	{Group: "monitoring.coreos.com", Kind: "ServiceMonitor"}: {check: exists},
	{Group: "monitoring.coreos.com", Kind: "PrometheusRule"}: {check: exists},
}

// Of judges an observed object; nil or empty means Crossplane has not
// observed it yet.
func Of(u *unstructured.Unstructured) Result {
	if v, done := present(u); done {
		return v
	}
	k, ok := kinds[u.GroupVersionKind().GroupKind()]
	if !ok {
		return exists(u)
	}
	return k.check(u)
}

// present rules out what no kind can be ready as: an object not observed
// yet, or one being deleted. done is true when that decides the result.
func present(u *unstructured.Unstructured) (Result, bool) {
	switch {
	case u == nil || len(u.Object) == 0:
		return Result{State: NotFound, Reason: ReasonNotObserved, Message: "not created yet"}, true
	case u.GetDeletionTimestamp() != nil:
		msg := "being deleted since " + u.GetDeletionTimestamp().UTC().Format("2006-01-02T15:04:05Z")
		if f := u.GetFinalizers(); len(f) > 0 {
			msg += ", waiting for finalizers " + strings.Join(f, ", ")
		}
		return Result{State: Terminating, Reason: ReasonDeleting, Message: msg + "; Crossplane creates it again once it is gone"}, true
	}
	return Result{}, false
}

// KindError is nil when u is of kind gk, and else says what u is. The
// object under a composition resource name may be of another kind (an
// earlier pipeline step put it there, or crossplane render was given it):
// its fields mean something else, and were not read for gk (ReadFields).
func KindError(u *unstructured.Unstructured, gk schema.GroupKind) error {
	if got := u.GroupVersionKind().GroupKind(); got != gk {
		return fmt.Errorf("cannot read %s %s: it is of kind %q (apiVersion %q)", gk.Kind, u.GetName(), u.GetKind(), u.GetAPIVersion())
	}
	return nil
}

func exists(*unstructured.Unstructured) Result {
	return Result{State: Current, Reason: ReasonReady, Message: "exists"}
}

// Int64 reads an integer field of an observed object. Observed objects
// arrive as protobuf Structs, whose numbers are float64: unstructured's
// NestedInt64 and GetGeneration, which read int64 only, would find nothing.
func Int64(u *unstructured.Unstructured, fields ...string) (int64, bool) {
	v, found, err := unstructured.NestedFieldNoCopy(u.Object, fields...)
	if !found || err != nil {
		return 0, false
	}
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}
