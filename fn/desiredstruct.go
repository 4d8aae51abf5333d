package fn

import (
	"fmt"
	"maps"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/runtime"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
)

// The desired composed resources are written straight from the typed
// objects to Structs (fn/internal/structcodec), not through JSON and an
// unstructured map as the SDK's helpers do: that was most of a call's cost
// (BENCHMARKS.md).

// desiredStruct converts a typed object into the Struct of a desired
// composed resource, as encoding/json writes it, honouring omitempty, so the
// desired state states only what the function means: no null values (such
// as metadata.creationTimestamp), no zero-valued fields the API server would
// default differently, and no status.
func desiredStruct(e *structcodec.Encoder, o runtime.Object) (*structpb.Struct, error) {
	if obj, ok := o.(*compose.Object); ok {
		return desiredProviderObject(e, obj)
	}
	gvks, _, err := scheme.ObjectKinds(o)
	if err != nil || len(gvks) == 0 {
		return nil, fmt.Errorf("unknown kind %T: %w", o, err)
	}
	s, err := e.Object(o, "status")
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", o, err)
	}
	s.Fields["apiVersion"] = e.Intern(gvks[0].GroupVersion().String())
	s.Fields["kind"] = e.Intern(gvks[0].Kind)
	return s, nil
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
