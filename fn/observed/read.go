package observed

import (
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// Observed objects are read as the SDK's request.GetObservedCompositeResource
// and request.GetObservedComposedResources read them, but with only the
// fields the function reads: converting the rest (managed fields, pod
// templates, the XR's status) was most of a call's cost (BENCHMARKS.md).

// Composite is the observed XR of req, with the fields fn/agent reads.
func Composite(req *fnv1.RunFunctionRequest) *unstructured.Unstructured {
	s := req.GetObserved().GetComposite().GetResource()
	m := readFields(s, compositeFields)
	if spec, ok := s.GetFields()["spec"]; ok {
		m["spec"] = agentSpec(spec)
	}
	return &unstructured.Unstructured{Object: m}
}

// agentSpec converts the fields of the XR's spec that fn/agent decodes:
// those the AgentDeployment API defines, matched as encoding/json matches
// them, ignoring case. Not Crossplane's own, such as spec.crossplane with a
// reference to every composed resource. A spec that is not an object is
// converted whole, for fn/agent to refuse.
func agentSpec(v *structpb.Value) any {
	spec := v.GetStructValue()
	if spec == nil {
		return v.AsInterface()
	}
	m := make(map[string]any, len(specFields))
	for name, f := range spec.GetFields() {
		if isSpecField(name) {
			m[name] = f.AsInterface()
		}
	}
	return m
}

func isSpecField(name string) bool {
	for _, n := range specFields {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Composed are the observed composed resources, each with the fields
// fn/health and fn/status read of its kind.
func Composed(req *fnv1.RunFunctionRequest) map[compose.Key]*unstructured.Unstructured {
	out := make(map[compose.Key]*unstructured.Unstructured, len(req.GetObserved().GetResources()))
	for name, r := range req.GetObserved().GetResources() {
		out[compose.Key(name)] = &unstructured.Unstructured{Object: readComposed(r.GetResource())}
	}
	return out
}

// readComposed reads the fields of s that are read of its kind.
func readComposed(s *structpb.Struct) map[string]any {
	m := readFields(s, composedFields(s))
	if len(m) == 0 && len(s.GetFields()) > 0 {
		// None of its fields is read, not even its kind; read it whole, for
		// an empty object would read as one not observed yet.
		return s.AsMap()
	}
	return m
}

// groupKindOf s, as groupKind reads it.
func groupKindOf(s *structpb.Struct) schema.GroupKind {
	return groupKind(s.GetFields()["apiVersion"].GetStringValue(), s.GetFields()["kind"].GetStringValue())
}

// groupKind of an object, as unstructured.Unstructured's GroupVersionKind
// reads it: none at all if its apiVersion does not parse.
func groupKind(apiVersion, kind string) schema.GroupKind {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return schema.GroupKind{}
	}
	return schema.GroupKind{Group: gv.Group, Kind: kind}
}

// readFields converts the fields f of s as s.AsMap converts them. A value
// that is not an object where f names fields within it is converted whole:
// a reader of those fields then finds the wrong type, as it would in all of
// s.
func readFields(s *structpb.Struct, f health.Fields) map[string]any {
	m := make(map[string]any, min(len(f), len(s.GetFields())))
	for name, within := range f {
		v, ok := s.GetFields()[name]
		if !ok {
			continue
		}
		if obj := v.GetStructValue(); obj != nil && len(within) > 0 {
			m[name] = readFields(obj, within)
			continue
		}
		m[name] = v.AsInterface()
	}
	return m
}
