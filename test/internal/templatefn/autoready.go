package templatefn

import (
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// statusTrue is a condition's status True.
const statusTrue = "True"

// autoReady marks ready what function-auto-ready would: each desired
// resource that exists and whose readiness no earlier step decided.
func autoReady(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) {
	for name, d := range rsp.GetDesired().GetResources() {
		o, ok := req.GetObserved().GetResources()[name]
		if !ok || d.GetReady() != fnv1.Ready_READY_UNSPECIFIED {
			continue
		}
		if healthy(&unstructured.Unstructured{Object: o.GetResource().AsMap()}) {
			d.Ready = fnv1.Ready_READY_TRUE
		}
	}
}

// healthy is function-auto-ready's check for the kinds our examples compose.
func healthy(u *unstructured.Unstructured) bool {
	switch u.GroupVersionKind().GroupKind().String() {
	case "Deployment.apps":
		want, found, _ := unstructured.NestedFloat64(u.Object, "spec", "replicas")
		if !found {
			want = 1
		}
		updated, _, _ := unstructured.NestedFloat64(u.Object, "status", "updatedReplicas")
		available, _, _ := unstructured.NestedFloat64(u.Object, "status", "availableReplicas")
		return updated == want && available == want && conditionStatus(u, "Available") == statusTrue
	case "Service", "ConfigMap":
		return true
	default:
		return conditionStatus(u, "Ready") == statusTrue
	}
}

// conditionStatus is the status of the object's condition of type t, or
// Unknown.
func conditionStatus(u *unstructured.Unstructured, t string) string {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	i := slices.IndexFunc(conds, func(c any) bool {
		m, ok := c.(map[string]any)
		return ok && m["type"] == t
	})
	if i < 0 {
		return "Unknown"
	}
	s, _ := conds[i].(map[string]any)["status"].(string)
	return s
}
