package fn

import (
	"fmt"
	"maps"
	"reflect"
	"sync"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/runtime"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// Conversions between the protocol's protobuf Structs and the function's
// objects. They run on every call and were most of its cost through the
// SDK's helpers (BENCHMARKS.md), so they take shorter ways to the same
// result: typed objects go to Structs directly (fn/typedstruct.go), not
// through JSON and an unstructured map, and of observed objects only the
// fields the function reads are converted (fn/observed.go).

// encoders are reused across calls: their stacks and the table of their
// strings, emptied, are all they keep.
var encoders = sync.Pool{New: func() any { return newStructEncoder() }}

// getEncoder returns an encoder for one response; putEncoder returns it.
func getEncoder() *structEncoder {
	return encoders.Get().(*structEncoder) //nolint:forcetypeassert // The pool holds only encoders.
}

func putEncoder(e *structEncoder) {
	e.reset()
	encoders.Put(e)
}

// desiredStruct converts a typed object into the Struct of a desired
// composed resource, as encoding/json writes it, honouring omitempty, so the
// desired state states only what the function means: no null values (such
// as metadata.creationTimestamp), no zero-valued fields the API server would
// default differently, and no status.
func desiredStruct(e *structEncoder, o runtime.Object) (*structpb.Struct, error) {
	gvks, _, err := scheme.ObjectKinds(o)
	if err != nil || len(gvks) == 0 {
		return nil, fmt.Errorf("unknown kind %T: %w", o, err)
	}
	s, err := e.object(reflect.ValueOf(o), "status")
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", o, err)
	}
	s.Fields["apiVersion"] = e.str(gvks[0].GroupVersion().String())
	s.Fields["kind"] = e.str(gvks[0].Kind)
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
