package fn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/resource/composite"
)

// Conversions between the protocol's protobuf Structs and the function's
// objects. They run on every call and were most of its cost through the
// SDK's helpers (BENCHMARKS.md), so they take shorter ways to the same
// result: typed objects go to Structs through JSON once, not through an
// unstructured map as well, and observed objects are read without the
// managed fields that nothing here reads.

// desiredStruct converts a typed object into the Struct of a desired
// composed resource, as encoding/json writes it, honouring omitempty, so the
// desired state states only what the function means: no null values (such
// as metadata.creationTimestamp), no zero-valued fields the API server would
// default differently, and no status.
func desiredStruct(o runtime.Object) (*structpb.Struct, error) {
	gvks, _, err := composed.Scheme.ObjectKinds(o)
	if err != nil || len(gvks) == 0 {
		return nil, fmt.Errorf("unknown kind %T: %w", o, err)
	}
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", o, err)
	}
	s, err := jsonStruct(bytes.NewBuffer(b))
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", o, err)
	}
	delete(s.GetFields(), "status")
	s.Fields["apiVersion"] = stringValue(gvks[0].GroupVersion().String())
	s.Fields["kind"] = stringValue(gvks[0].Kind)
	return s, nil
}

// observedComposite is the observed XR, as the SDK's
// request.GetObservedCompositeResource reads it but without managed fields.
func observedComposite(req *fnv1.RunFunctionRequest) *composite.Unstructured {
	return &composite.Unstructured{Unstructured: unstructured.Unstructured{Object: objectMap(req.GetObserved().GetComposite().GetResource())}}
}

// observedComposed are the observed composed resources, as the SDK's
// request.GetObservedComposedResources reads them but without managed
// fields.
func observedComposed(req *fnv1.RunFunctionRequest) map[resource.Name]resource.ObservedComposed {
	out := make(map[resource.Name]resource.ObservedComposed, len(req.GetObserved().GetResources()))
	for name, r := range req.GetObserved().GetResources() {
		details := r.GetConnectionDetails()
		if details == nil {
			details = resource.ConnectionDetails{}
		}
		out[resource.Name(name)] = resource.ObservedComposed{
			Resource:          &composed.Unstructured{Unstructured: unstructured.Unstructured{Object: objectMap(r.GetResource())}},
			ConnectionDetails: details,
		}
	}
	return out
}

// objectMap is s.AsMap() without metadata.managedFields: the API server's
// record of which manager set which field, about 40 % of an object.
func objectMap(s *structpb.Struct) map[string]any {
	m := make(map[string]any, len(s.GetFields()))
	for k, v := range s.GetFields() {
		meta := v.GetStructValue()
		if k != "metadata" || meta == nil {
			m[k] = v.AsInterface()
			continue
		}
		mm := make(map[string]any, len(meta.GetFields()))
		for mk, mv := range meta.GetFields() {
			if mk != "managedFields" {
				mm[mk] = mv.AsInterface()
			}
		}
		m[k] = mm
	}
	return m
}

// setDesiredComposed adds rs to the response's desired composed resources,
// as the SDK's response.SetDesiredComposedResources does with its own type.
func setDesiredComposed(rsp *fnv1.RunFunctionResponse, rs map[string]*fnv1.Resource) {
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	if rsp.GetDesired().GetResources() == nil {
		rsp.Desired.Resources = make(map[string]*fnv1.Resource, len(rs))
	}
	maps.Copy(rsp.GetDesired().GetResources(), rs)
}
