//nolint:goconst // Kubernetes field names read best as themselves in object literals.
package scenario

import (
	"embed"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// AnnotationResourceName is how Crossplane finds a composed resource's
// composition resource name.
const AnnotationResourceName = fixtures.AnnotationResourceName

// apiserver holds, per kind, what the API server and the kind's controller
// add to an object: defaults and a steady-state status. Used when the
// repository has no observed-state fixtures.
//
//go:embed apiserver/*.yaml
var apiserver embed.FS

// observeAll turns the function's desired objects for v into the objects
// Crossplane would observe once they exist and are ready.
func (b *Builder) observeAll(v variant, desired map[string]*fnv1.Resource) (map[string]map[string]any, error) {
	out := make(map[string]map[string]any, len(desired))
	for name, r := range desired {
		d := r.GetResource().AsMap()
		base, err := b.observedBase(name, d)
		if err != nil {
			return nil, err
		}
		out[name] = observe(v, name, base, d)
	}
	return out, nil
}

// observedBase is what the API server would add to d: the fixture of the
// same composition resource name, or the built-in additions for its kind.
func (b *Builder) observedBase(name string, d map[string]any) (map[string]any, error) {
	if f, ok := b.fixtures[name]; ok {
		return runtime.DeepCopyJSON(f), nil
	}
	kind, _ := d["kind"].(string)
	raw, err := apiserver.ReadFile("apiserver/" + strings.ToLower(kind) + ".yaml")
	if err != nil {
		return map[string]any{}, nil //nolint:nilerr // A kind the API server adds nothing to but metadata.
	}
	var m map[string]any
	if err := yaml.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("apiserver/%s.yaml: %w", strings.ToLower(kind), err)
	}
	return m, nil
}

// observe lays the desired object d over base and adds what every stored
// object has: identity, owner, Crossplane's annotation and label, managed
// fields; then sets the replica counts of the steady state.
func observe(v variant, name string, base, d map[string]any) map[string]any {
	o, _ := overlay(base, d).(map[string]any)
	kind, _ := o["kind"].(string)
	objName, _ := get(o, "metadata", "name").(string)
	set(o, uid(kind, v.namespace, objName), "metadata", "uid")
	set(o, "48391", "metadata", "resourceVersion")
	set(o, created, "metadata", "creationTimestamp")
	set(o, name, "metadata", "annotations", AnnotationResourceName)
	set(o, v.name, "metadata", "labels", "crossplane.io/composite")
	set(o, []any{map[string]any{
		"apiVersion": "agentops.io/v1alpha1", "kind": "AgentDeployment", "name": v.name, "uid": v.uid,
		"controller": true, "blockOwnerDeletion": true,
	}}, "metadata", "ownerReferences")
	steadyReplicas(o, kind, v.replicas)
	if get(o, "metadata", "managedFields") == nil {
		applied := map[string]any{"metadata": d["metadata"], "spec": d["spec"], "data": d["data"]}
		setManagedFields(o, []managedEntry{
			{manager: "apiextensions.crossplane.io/composed/" + v.uid[:8], operation: "Apply", fields: applied},
			{manager: "kube-controller-manager", operation: "Update", subresource: "status", fields: map[string]any{"status": o["status"]}},
		})
	}
	return o
}

// steadyReplicas makes the status of the kinds that count replicas agree
// with the n replicas the agent runs.
func steadyReplicas(o map[string]any, kind string, n int64) {
	var paths [][]string
	switch kind {
	case "Deployment":
		paths = [][]string{{"spec", "replicas"}, {"status", "replicas"}, {"status", "updatedReplicas"}, {"status", "readyReplicas"}, {"status", "availableReplicas"}}
	case "HorizontalPodAutoscaler":
		paths = [][]string{{"status", "currentReplicas"}, {"status", "desiredReplicas"}}
	case "PodDisruptionBudget":
		paths = [][]string{{"status", "currentHealthy"}, {"status", "expectedPods"}}
		set(o, n-1, "status", "disruptionsAllowed")
	}
	for _, p := range paths {
		set(o, n, p...)
	}
}

// overlay lays top over base: maps merge key by key, lists of equal length
// item by item (the API server defaults fields inside list items), and
// anything else is top's.
func overlay(base, top any) any {
	switch t := top.(type) {
	case map[string]any:
		b, ok := base.(map[string]any)
		if !ok {
			return runtime.DeepCopyJSONValue(t)
		}
		for k, v := range t {
			b[k] = overlay(b[k], v)
		}
		return b
	case []any:
		b, ok := base.([]any)
		if !ok || len(b) != len(t) {
			return runtime.DeepCopyJSONValue(t)
		}
		for i := range t {
			b[i] = overlay(b[i], t[i])
		}
		return b
	default:
		return top
	}
}
