package health

import (
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// KindObject is provider-kubernetes' namespaced Object, which carries a
// composed object to a workload cluster in Object mode. It is judged twice:
// by its own Synced and Ready conditions (ReadObject), and by the remote
// object it reports in status.atProvider.manifest, with the check of that
// object's kind.
var KindObject = schema.GroupKind{Group: "kubernetes.m.crossplane.io", Kind: "Object"}

// Reasons of an Object's own health.
const (
	ReasonObjectNotSynced = "ObjectNotSynced"
	ReasonObjectNotReady  = "ObjectNotReady"
	ReasonObjectPending   = "ObjectPending"
)

// objectFields are read of every Object: the common fields, the
// ProviderConfig it goes through (for messages) and its conditions.
var objectFields = slices.Concat(commonFields, []string{"spec.providerConfigRef", statusConditions})

// statusConditions is the path of a status's conditions, read of the HPA,
// the ScaledObject and the Object.
const statusConditions = "status.conditions"

// manifestPath is where an Object reports the remote object.
var manifestPath = []string{"status", "atProvider", "manifest"}

// objectFieldsByManifest are the fields read of an Object by the kind of
// the manifest it reports: objectFields, and of the manifest the fields
// read of its kind.
var objectFieldsByManifest = func() map[schema.GroupKind]Fields {
	out := make(map[schema.GroupKind]Fields, len(kinds)+1)
	for gk := range kinds {
		out[gk] = objectReadFields(gk)
	}
	out[schema.GroupKind{}] = objectReadFields(schema.GroupKind{})
	return out
}()

func objectReadFields(manifest schema.GroupKind) Fields {
	f := NewFields(objectFields...)
	f["status"]["atProvider"] = Fields{"manifest": ReadFields(manifest)}
	return f
}

// ObjectReadFields are the fields read of an Object whose manifest is of
// kind manifest (none when it reports none yet). Callers must not change
// them.
func ObjectReadFields(manifest schema.GroupKind) Fields {
	if f, ok := objectFieldsByManifest[manifest]; ok {
		return f
	}
	return objectFieldsByManifest[schema.GroupKind{}]
}

// An ObjectState is what an observed Object says.
type ObjectState struct {
	// Result is the Object's own health: whether provider-kubernetes applies
	// and observes its manifest through its ProviderConfig.
	Result Result
	// Manifest is the remote object it reports, or nil before the
	// provider has observed one.
	Manifest *unstructured.Unstructured
}

// ReadObject judges an observed Object by its own conditions, and returns
// the remote object it reports.
func ReadObject(u *unstructured.Unstructured) ObjectState {
	if r, done := present(u); done {
		return ObjectState{Result: r}
	}
	if err := KindError(u, KindObject); err != nil {
		return ObjectState{Result: Result{State: Unknown, Reason: ReasonMalformed, Message: err.Error()}}
	}
	s := ObjectState{Result: objectConditions(u)}
	// The provider reports whole objects; one without a kind is none that
	// could be judged (and reads the same with or without its other fields).
	if m, ok, _ := unstructured.NestedMap(u.Object, manifestPath...); ok {
		if kind, _ := m["kind"].(string); kind != "" {
			s.Manifest = &unstructured.Unstructured{Object: m}
		}
	}
	return s
}

// objectConditions judges the Object's Synced and Ready conditions. Synced
// is False when the provider cannot reach the workload cluster (a missing
// ProviderConfig, bad credentials) or cannot apply the manifest there; the
// message names the ProviderConfig, the one thing a person can fix from the
// control plane.
func objectConditions(u *unstructured.Unstructured) Result {
	via := providerConfig(u)
	synced, syncedFound := objectCondition(u, "Synced")
	switch {
	case syncedFound && synced.Status == metav1.ConditionFalse:
		return Result{State: Failed, Reason: ReasonObjectNotSynced, Message: fmt.Sprintf("provider-kubernetes cannot apply it through %s: %s; check that %s exists and its credentials reach the workload cluster", via, synced.Message, via)}
	case !syncedFound || synced.Status != metav1.ConditionTrue:
		return Result{State: InProgress, Reason: ReasonObjectPending, Message: "provider-kubernetes has not applied it through " + via + " yet"}
	}
	if gen, ok := Int64(u, "metadata", "generation"); ok && synced.ObservedGeneration < gen {
		return Result{State: InProgress, Reason: ReasonObjectPending, Message: fmt.Sprintf("provider-kubernetes has not applied generation %d through %s yet", gen, via)}
	}
	if ready, found := objectCondition(u, "Ready"); found && ready.Status != metav1.ConditionTrue {
		return Result{State: InProgress, Reason: ReasonObjectNotReady, Message: fmt.Sprintf("the Object is not Ready (%s): %s", ready.Reason, ready.Message)}
	}
	return Result{State: Current, Reason: ReasonReady, Message: "applied through " + via}
}

// providerConfig names the Object's ProviderConfig for a message, such as
// "ClusterProviderConfig default".
func providerConfig(u *unstructured.Unstructured) string {
	kind, _, _ := unstructured.NestedString(u.Object, "spec", "providerConfigRef", "kind")
	name, _, _ := unstructured.NestedString(u.Object, "spec", "providerConfigRef", "name")
	if kind == "" || name == "" {
		return "its ProviderConfig"
	}
	return kind + " " + name
}

// objectCondition reads one of u's status.conditions, as observed: an
// observedGeneration is a float64 there.
func objectCondition(u *unstructured.Unstructured, typ string) (metav1.Condition, bool) {
	list, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, item := range list {
		c, ok := item.(map[string]any)
		if !ok || c["type"] != typ {
			continue
		}
		out := metav1.Condition{Type: typ}
		out.Status = metav1.ConditionStatus(stringOf(c["status"]))
		out.Reason, out.Message = stringOf(c["reason"]), stringOf(c["message"])
		if g, ok := c["observedGeneration"].(float64); ok {
			out.ObservedGeneration = int64(g)
		} else if g, ok := c["observedGeneration"].(int64); ok {
			out.ObservedGeneration = g
		}
		return out, true
	}
	return metav1.Condition{}, false
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
