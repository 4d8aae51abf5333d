package fn

import (
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/resource/composite"
)

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
