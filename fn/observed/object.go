package observed

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/internal/wire"
)

// A provider-kubernetes Object (Object mode) is read with the fields of the
// remote object it reports, by that object's kind: its manifest is judged
// as a composed object of that kind would be (health.ObjectReadFields).

// manifestPath leads from an Object to the remote object it reports.
var manifestPath = []string{"status", "atProvider", "manifest"}

// composedFields are the fields read of composed resource s.
func composedFields(s *structpb.Struct) health.Fields {
	gk := groupKindOf(s)
	if gk != health.KindObject {
		return health.ReadFields(gk)
	}
	m := s
	for _, name := range manifestPath {
		m = m.GetFields()[name].GetStructValue()
	}
	return health.ObjectReadFields(groupKindOf(m))
}

// wireComposedFields are the fields read of the composed resource in Struct
// b, of kind gk, as composedFields finds them in the decoded Struct; false
// where b's manifest cannot be found as decoding would find it.
func wireComposedFields(b []byte, gk schema.GroupKind) (health.Fields, bool) {
	if gk != health.KindObject {
		return health.ReadFields(gk), true
	}
	m := b
	for _, name := range manifestPath {
		var found, ok bool
		if m, found, ok = wireObjectEntry(m, name); !ok {
			return nil, false
		}
		if !found {
			return health.ObjectReadFields(schema.GroupKind{}), true
		}
	}
	apiVersion, kind, ok := wire.ObjectKind(m)
	if !ok {
		return nil, false
	}
	return health.ObjectReadFields(groupKind(apiVersion, kind)), true
}

// wireObjectEntry is the object Struct b holds under key, as GetFields and
// GetStructValue read it: the last entry of the key counts; found is false
// when there is none or its value is not an object. ok is false when b is
// malformed or the value holds an object along with anything else, which
// decoding would merge.
func wireObjectEntry(b []byte, key string) ([]byte, bool, bool) {
	var last []byte
	found := false
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return nil, false, false
		}
		valueLen := protowire.ConsumeFieldValue(n, typ, b[tagLen:])
		if valueLen < 0 {
			return nil, false, false
		}
		field := b[tagLen : tagLen+valueLen]
		b = b[tagLen+valueLen:]
		if n != wire.StructFields || typ != protowire.BytesType {
			continue
		}
		entry, _ := protowire.ConsumeBytes(field)
		k, v, canonical := wire.MapEntry(entry)
		if !canonical {
			return nil, false, false
		}
		if string(k) == key {
			last, found = v, true
		}
	}
	if !found {
		return nil, false, true
	}
	if object, isObject := wire.Object(last); isObject {
		return object, true, true
	}
	if count, ok := wire.Occurrences(last, wire.ValueStruct); !ok || count > 0 {
		return nil, false, false
	}
	return nil, false, true
}
