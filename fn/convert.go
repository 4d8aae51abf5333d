package fn

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/function-sdk-go/resource/composed"
)

// toComposed converts a typed object into a composed resource the way
// encoding/json would, honouring omitempty, so the desired state states only
// what the function means: no zero-valued fields the API server would default
// differently (composed.From keeps zeros and false), no status.
func toComposed(o runtime.Object) (*composed.Unstructured, error) {
	gvks, _, err := composed.Scheme.ObjectKinds(o)
	if err != nil || len(gvks) == 0 {
		return nil, fmt.Errorf("unknown kind %T: %w", o, err)
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", o, err)
	}
	delete(m, "status")
	dropNulls(m)
	u := &composed.Unstructured{Unstructured: unstructured.Unstructured{Object: m}}
	u.SetGroupVersionKind(gvks[0])
	return u, nil
}

// dropNulls removes null values, such as metadata.creationTimestamp, which
// typed objects carry but a desired state should not.
func dropNulls(m map[string]any) {
	for k, v := range m {
		switch t := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			dropNulls(t)
		case []any:
			for _, e := range t {
				if em, ok := e.(map[string]any); ok {
					dropNulls(em)
				}
			}
		}
	}
}
