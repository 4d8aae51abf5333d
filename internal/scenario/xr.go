//nolint:goconst // Kubernetes field names read best as themselves in object literals.
package scenario

import (
	"encoding/json"
	"sort"

	"k8s.io/apimachinery/pkg/runtime"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// Times the API server stamped on the objects; any past instant will do.
const (
	created    = "2025-11-20T09:00:00Z"
	transition = "2025-11-20T09:01:30Z"
)

// observedXR is the XR as the API server returns it to Crossplane: applied
// with kubectl, with Crossplane's references to its composed resources and,
// once the function has answered on them (last), the status and conditions
// it derived.
func observedXR(v variant, observed map[string]map[string]any, last *fnv1.RunFunctionResponse) map[string]any {
	spec, _ := runtime.DeepCopyJSONValue(v.spec).(map[string]any)
	applied, _ := json.Marshal(map[string]any{ //nolint:errchkjson // Plain maps of JSON values.
		"apiVersion": "agentops.io/v1alpha1", "kind": "AgentDeployment",
		"metadata": map[string]any{"name": v.name, "namespace": v.namespace}, "spec": v.spec,
	})
	xr := map[string]any{
		"apiVersion": "agentops.io/v1alpha1",
		"kind":       "AgentDeployment",
		"metadata": map[string]any{
			"name": v.name, "namespace": v.namespace, "uid": v.uid,
			"generation": int64(1), "resourceVersion": "48213", "creationTimestamp": created,
			"finalizers":  []any{"composite.apiextensions.crossplane.io"},
			"labels":      map[string]any{"crossplane.io/composite": v.name},
			"annotations": map[string]any{"kubectl.kubernetes.io/last-applied-configuration": string(applied) + "\n"},
		},
		"spec": spec,
	}
	spec["crossplane"] = map[string]any{
		"compositionRef":          map[string]any{"name": "agentdeployments.agentops.io"},
		"compositionRevisionRef":  map[string]any{"name": "agentdeployments.agentops.io-5f3c2a1"},
		"compositionUpdatePolicy": "Automatic",
		"resourceRefs":            resourceRefs(observed),
	}
	if last != nil {
		xr["status"] = lastStatus(last)
	}
	setManagedFields(xr, []managedEntry{
		{manager: "kubectl-client-side-apply", operation: "Update", fields: map[string]any{"metadata": map[string]any{"annotations": get(xr, "metadata", "annotations")}, "spec": v.spec}},
		{manager: "apiextensions.crossplane.io/composite", operation: "Apply", fields: map[string]any{"spec": map[string]any{"crossplane": spec["crossplane"]}}},
		{manager: "apiextensions.crossplane.io/composite", operation: "Apply", subresource: "status", fields: map[string]any{"status": xr["status"]}},
	})
	return xr
}

func resourceRefs(observed map[string]map[string]any) []any {
	names := make([]string, 0, len(observed))
	for n := range observed {
		names = append(names, n)
	}
	sort.Strings(names)
	refs := make([]any, 0, len(names))
	for _, n := range names {
		o := observed[n]
		refs = append(refs, map[string]any{"apiVersion": o["apiVersion"], "kind": o["kind"], "name": get(o, "metadata", "name")})
	}
	return refs
}

// lastStatus is the status the function last desired for the XR, with the
// conditions it set and Crossplane's own Synced and Ready.
func lastStatus(rsp *fnv1.RunFunctionResponse) map[string]any {
	st, _ := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	if st == nil {
		st = map[string]any{}
	}
	ready := "False"
	if rsp.GetDesired().GetComposite().GetReady() == fnv1.Ready_READY_TRUE {
		ready = "True"
	}
	conds := make([]any, 0, 2+len(rsp.GetConditions()))
	conds = append(conds, condition("Synced", "True", "ReconcileSuccess", ""), condition("Ready", ready, "Available", ""))
	for _, c := range rsp.GetConditions() {
		status := "False"
		if c.GetStatus() == fnv1.Status_STATUS_CONDITION_TRUE {
			status = "True"
		}
		conds = append(conds, condition(c.GetType(), status, c.GetReason(), c.GetMessage()))
	}
	st["conditions"] = conds
	return st
}

func condition(typ, status, reason, message string) map[string]any {
	c := map[string]any{"type": typ, "status": status, "reason": reason, "lastTransitionTime": transition, "observedGeneration": int64(1)}
	if message != "" {
		c["message"] = message
	}
	return c
}
