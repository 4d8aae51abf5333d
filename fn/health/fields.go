package health

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Fields of an object, by name, each with the fields within it; a field
// without any is meant whole.
type Fields map[string]Fields

// commonFields are read of every kind: its kind, to find its check; its
// name and namespace, for messages; its generation; and whether it is being
// deleted, and what for.
var commonFields = []string{
	"apiVersion", "kind",
	"metadata.name", "metadata.namespace", "metadata.generation",
	"metadata.deletionTimestamp", "metadata.finalizers",
}

// fieldsByKind are the fields read of each kind in kinds, common ones
// included.
var fieldsByKind = func() map[schema.GroupKind]Fields {
	out := make(map[schema.GroupKind]Fields, len(kinds))
	for gk, k := range kinds {
		out[gk] = NewFields(slices.Concat(commonFields, k.reads)...)
	}
	return out
}()

// common are the fields read of a kind without an entry in kinds.
var common = NewFields(commonFields...)

// ReadFields are the fields of an observed object of kind gk that Of and
// fn/status read. Callers must not change them.
func ReadFields(gk schema.GroupKind) Fields {
	if f, ok := fieldsByKind[gk]; ok {
		return f
	}
	return common
}

// NewFields makes Fields of dotted paths such as "spec.replicas". A path
// within one meant whole adds nothing.
func NewFields(paths ...string) Fields {
	f := Fields{}
	for _, p := range paths {
		f.add(strings.Split(p, "."))
	}
	return f
}

func (f Fields) add(path []string) {
	within, seen := f[path[0]]
	switch {
	case seen && len(within) == 0:
		// Already meant whole.
	case len(path) == 1:
		f[path[0]] = nil
	default:
		if within == nil {
			within = Fields{}
			f[path[0]] = within
		}
		within.add(path[1:])
	}
}
