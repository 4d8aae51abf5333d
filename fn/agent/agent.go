// Package agent reads the observed composite resource of a request into an
// Agent: the AgentDeployment's spec with defaults applied, and where its
// composed resources go. It serves both the v2 namespaced XR and the legacy
// cluster-scoped XR of a claim.
package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/internal/decode"
)

// Labels Crossplane puts on the composite resource of a legacy claim.
const (
	LabelClaimName      = "crossplane.io/claim-name"
	LabelClaimNamespace = "crossplane.io/claim-namespace"
)

// An Agent is one AgentDeployment as the function composes it.
type Agent struct {
	// Name the composed resources' names derive from: the XR's, or the
	// claim's on the legacy path.
	Name string
	// Namespace the composed resources go to: the XR's, or the claim's.
	Namespace string
	// Generation of the XR, reported back as status.observedGeneration.
	Generation int64
	// Legacy is true for the cluster-scoped XR of a legacy claim.
	Legacy bool
	// Spec with every default applied.
	Spec v1alpha1.AgentDeploymentSpec
}

// FromComposite reads xr. The errors name the offending field.
func FromComposite(xr *unstructured.Unstructured) (*Agent, field.ErrorList) {
	a := &Agent{Generation: generation(xr)}
	gvk := xr.GetObjectKind().GroupVersionKind()
	switch {
	case gvk.Group != v1alpha1.Group:
		return nil, field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), gvk.GroupVersion().String(), []string{v1alpha1.SchemeGroupVersion.String()})}
	case gvk.Kind == v1alpha1.Kind:
		a.Name, a.Namespace = xr.GetName(), xr.GetNamespace()
		if a.Namespace == "" {
			return nil, field.ErrorList{field.Required(field.NewPath("metadata", "namespace"),
				"an AgentDeployment composite resource is namespaced (apiextensions.crossplane.io/v2 XRD); for cluster-scoped composites use the legacy XAgentDeployment XRD with an AgentDeployment claim")}
		}
	case gvk.Kind == v1alpha1.LegacyKind:
		a.Legacy = true
		labels := xr.GetLabels()
		a.Name, a.Namespace = labels[LabelClaimName], labels[LabelClaimNamespace]
		if a.Name == "" || a.Namespace == "" {
			return nil, field.ErrorList{field.Required(field.NewPath("metadata", "labels").Key(LabelClaimNamespace),
				fmt.Sprintf("XAgentDeployment %q has no claim: the legacy XRD composes into the namespace of an AgentDeployment claim; create an AgentDeployment claim (kind %s) in a namespace instead of an XAgentDeployment", xr.GetName(), v1alpha1.Kind))}
		}
	default:
		return nil, field.ErrorList{field.NotSupported(field.NewPath("kind"), gvk.Kind, []string{v1alpha1.Kind, v1alpha1.LegacyKind})}
	}

	spec, errs := decodeSpec(xr.Object["spec"])
	if len(errs) > 0 {
		return nil, errs
	}
	spec.Default()
	a.Spec = spec
	return a, nil
}

// decodeSpec converts the XR's spec to the typed spec. Fields the API does
// not define (Crossplane's own, such as spec.crossplane or
// spec.compositionRef) are ignored; values of the wrong type are errors that
// name their field.
func decodeSpec(raw any) (v1alpha1.AgentDeploymentSpec, field.ErrorList) {
	var spec v1alpha1.AgentDeploymentSpec
	path := field.NewPath("spec")
	m, ok := raw.(map[string]any)
	if !ok {
		return spec, field.ErrorList{field.Required(path, "an AgentDeployment needs a spec with at least spec.model")}
	}
	if errs := checkQuantities(m, path); len(errs) > 0 {
		return spec, errs
	}
	b, err := json.Marshal(m)
	if err != nil {
		return spec, field.ErrorList{field.Invalid(path, "<object>", err.Error())}
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&spec); err != nil {
		return spec, field.ErrorList{typeError(m, path, err)}
	}
	return spec, nil
}

// generation reads metadata.generation. From a request it arrives as a
// float64 (protobuf's Struct has no integers), which unstructured's
// GetGeneration, reading int64 only, would report as 0.
func generation(xr *unstructured.Unstructured) int64 {
	meta, _ := xr.Object["metadata"].(map[string]any)
	switch g := meta["generation"].(type) {
	case int64:
		return g
	case float64:
		return int64(g)
	}
	return 0
}

// typeError turns a JSON decoding error into a field error that shows the
// offending value itself (the decoder only knows its JSON type).
func typeError(spec map[string]any, path *field.Path, err error) *field.Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		var v any = te.Value
		if raw, ok := valueAt(spec, te.Field); ok {
			v = raw
		}
		return field.Invalid(path.Child(te.Field), v, "must be of type "+decode.JSONType(te.Type.Kind().String()))
	}
	return field.Invalid(path, "<object>", err.Error())
}

// valueAt finds the value at a dotted path, as a decoding error names it.
func valueAt(m map[string]any, dotted string) (any, bool) {
	var cur any = m
	for k := range strings.SplitSeq(dotted, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}
