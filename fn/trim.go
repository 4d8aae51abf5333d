package fn

import (
	"maps"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/health"
)

// Decoding a steady-state request costs more than all the function does
// with it, and most of it is fields no one reads: the observed objects'
// managed fields, pod templates, the XR's status (BENCHMARKS.md). The server
// therefore hands RunFunction the request with the observed objects cut, on
// the wire, to the fields observedComposite and observedComposed read.
// Nothing else in the request is touched: input, context, desired state and
// extra resources keep every byte.

// Field numbers of the messages on the path to the observed objects, from
// the generated descriptors.
var (
	requestObserved   = fieldNumber(&fnv1.RunFunctionRequest{}, "observed")
	stateComposite    = fieldNumber(&fnv1.State{}, "composite")
	stateResources    = fieldNumber(&fnv1.State{}, "resources")
	resourceObject    = fieldNumber(&fnv1.Resource{}, "resource")
	structEntries     = fieldNumber(&structpb.Struct{}, "fields")
	valueStructValue  = fieldNumber(&structpb.Value{}, "struct_value")
	valueStringValue  = fieldNumber(&structpb.Value{}, "string_value")
	compositeWireRead = func() health.Fields {
		f := maps.Clone(compositeFields)
		f["spec"] = nil // agentSpec picks its fields ignoring case: keep it whole.
		return f
	}()
)

// A map entry on the wire is a message of its key and its value.
const (
	mapEntryKey   protowire.Number = 1
	mapEntryValue protowire.Number = 2
)

func fieldNumber(m proto.Message, name protoreflect.Name) protowire.Number {
	f := m.ProtoReflect().Descriptor().Fields().ByName(name)
	if f == nil {
		panic("no field " + string(name) + " in " + string(m.ProtoReflect().Descriptor().FullName()))
	}
	return f.Number()
}

// TrimRequest appends to dst the RunFunctionRequest encoded in wire with its
// observed objects cut to the fields the function reads; decoded, it reads
// as wire does to observedComposite and observedComposed. Where wire is not
// as Go's protobuf encodes a request (a field repeated that is sent once, a
// malformed length), it returns false: decode wire itself, which reports
// what is wrong. What it drops it does not check as a decoder would: a
// malformed managed field, say, is not refused.
func TrimRequest(dst, wire []byte) ([]byte, bool) {
	out, ok := rewrite(dst, wire, func(n protowire.Number) nested {
		if n == requestObserved {
			return trimState
		}
		return nil
	})
	if !ok {
		return dst, false
	}
	return out, true
}

// nested appends the rewritten content of a length-delimited field to dst.
type nested func(dst, b []byte) ([]byte, bool)

// rewrite appends message b to dst field by field: a length-delimited field
// for which rewriteOf returns a function is passed through it, all else is
// copied.
func rewrite(dst, b []byte, rewriteOf func(protowire.Number) nested) ([]byte, bool) {
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return dst, false
		}
		valueLen := protowire.ConsumeFieldValue(n, typ, b[tagLen:])
		if valueLen < 0 {
			return dst, false
		}
		field := b[:tagLen+valueLen]
		b = b[tagLen+valueLen:]
		var f nested
		if typ == protowire.BytesType {
			f = rewriteOf(n)
		}
		if f == nil {
			dst = append(dst, field...)
			continue
		}
		content, _ := protowire.ConsumeBytes(field[tagLen:])
		dst = protowire.AppendTag(dst, n, typ)
		var ok bool
		if dst, ok = appendNested(dst, content, f); !ok {
			return dst, false
		}
	}
	return dst, true
}

// appendNested appends f's rewrite of b, prefixed with its length. The
// length is known only once written: it is put in front after.
func appendNested(dst, b []byte, f nested) ([]byte, bool) {
	start := len(dst)
	dst, ok := f(dst, b)
	if !ok {
		return dst, false
	}
	n := len(dst) - start
	size := protowire.SizeVarint(uint64(n))
	var room [10]byte // A varint is at most 10 bytes.
	dst = append(dst, room[:size]...)
	copy(dst[start+size:], dst[start:start+n])
	protowire.AppendVarint(dst[:start], uint64(n))
	return dst, true
}

// trimState trims the observed XR and composed resources.
func trimState(dst, b []byte) ([]byte, bool) {
	return rewrite(dst, b, func(n protowire.Number) nested {
		if n == stateComposite {
			return trimComposite
		}
		if n == stateResources {
			return trimComposedEntry
		}
		return nil
	})
}

// trimComposite trims the XR to what observedComposite reads.
func trimComposite(dst, b []byte) ([]byte, bool) {
	return trimResource(dst, b, func(dst, obj []byte) ([]byte, bool) {
		dst, _, ok := trimStruct(dst, obj, compositeWireRead)
		return dst, ok
	})
}

// trimComposedEntry trims the composed resource of one entry of the map
// of them to what readComposed reads of its kind.
func trimComposedEntry(dst, b []byte) ([]byte, bool) {
	if count, ok := occurrences(b, mapEntryValue); !ok || count > 1 {
		return dst, false
	}
	return rewrite(dst, b, func(n protowire.Number) nested {
		if n == mapEntryValue {
			return func(dst, r []byte) ([]byte, bool) { return trimResource(dst, r, trimComposed) }
		}
		return nil
	})
}

// trimResource rewrites the object of a Resource with trimObject.
func trimResource(dst, b []byte, trimObject nested) ([]byte, bool) {
	// Two objects in one Resource would be merged into one when decoded:
	// each may not be cut alone.
	if count, ok := occurrences(b, resourceObject); !ok || count > 1 {
		return dst, false
	}
	return rewrite(dst, b, func(n protowire.Number) nested {
		if n == resourceObject {
			return trimObject
		}
		return nil
	})
}

// trimComposed trims a composed resource to the fields read of its kind,
// and keeps it whole if none of them is there, as readComposed does.
func trimComposed(dst, b []byte) ([]byte, bool) {
	apiVersion, kind, ok := objectKind(b)
	if !ok {
		return dst, false
	}
	start := len(dst)
	dst, kept, ok := trimStruct(dst, b, health.ReadFields(groupKind(apiVersion, kind)))
	if !ok {
		return dst, false
	}
	if kept == 0 && hasEntries(b) {
		return append(dst[:start], b...), true
	}
	return dst, true
}

// hasEntries tells whether Struct b, well-formed, has any field.
func hasEntries(b []byte) bool {
	count, _ := occurrences(b, structEntries)
	return count > 0
}

// trimStruct appends the entries of Struct b that f names, and how many;
// of an object value whose fields f names, only those.
func trimStruct(dst, b []byte, f health.Fields) ([]byte, int, bool) {
	kept := 0
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return dst, kept, false
		}
		valueLen := protowire.ConsumeFieldValue(n, typ, b[tagLen:])
		if valueLen < 0 {
			return dst, kept, false
		}
		field := b[:tagLen+valueLen]
		b = b[tagLen+valueLen:]
		if n != structEntries || typ != protowire.BytesType {
			dst = append(dst, field...)
			continue
		}
		entry, _ := protowire.ConsumeBytes(field[tagLen:])
		key, value, canonical := mapEntry(entry)
		if !canonical {
			return dst, kept, false
		}
		within, read := f[string(key)]
		if !read {
			continue
		}
		kept++
		object, isObject := wireObject(value)
		if !isObject || len(within) == 0 {
			dst = append(dst, field...)
			continue
		}
		var ok bool
		if dst, ok = appendTrimmedEntry(dst, key, object, within); !ok {
			return dst, kept, false
		}
	}
	return dst, kept, true
}

// appendTrimmedEntry appends a Struct's entry of key whose value is the
// object b, cut to f.
func appendTrimmedEntry(dst, key, b []byte, f health.Fields) ([]byte, bool) {
	dst = protowire.AppendTag(dst, structEntries, protowire.BytesType)
	return appendNested(dst, nil, func(dst, _ []byte) ([]byte, bool) {
		dst = protowire.AppendTag(dst, mapEntryKey, protowire.BytesType)
		dst = protowire.AppendBytes(dst, key)
		dst = protowire.AppendTag(dst, mapEntryValue, protowire.BytesType)
		return appendNested(dst, nil, func(dst, _ []byte) ([]byte, bool) {
			dst = protowire.AppendTag(dst, valueStructValue, protowire.BytesType)
			return appendNested(dst, b, func(dst, b []byte) ([]byte, bool) {
				dst, _, ok := trimStruct(dst, b, f)
				return dst, ok
			})
		})
	})
}

// objectKind reads an object's apiVersion and kind as Struct.GetFields does:
// the last entry of a key counts, and a value that is not a string is "".
func objectKind(b []byte) (string, string, bool) {
	var apiVersion, kind string
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return "", "", false
		}
		valueLen := protowire.ConsumeFieldValue(n, typ, b[tagLen:])
		if valueLen < 0 {
			return "", "", false
		}
		field := b[tagLen : tagLen+valueLen]
		b = b[tagLen+valueLen:]
		if n != structEntries || typ != protowire.BytesType {
			continue
		}
		entry, _ := protowire.ConsumeBytes(field)
		key, value, ok := mapEntry(entry)
		if !ok {
			return "", "", false
		}
		switch string(key) {
		case "apiVersion":
			apiVersion, ok = wireString(value)
		case "kind":
			kind, ok = wireString(value)
		}
		if !ok {
			return "", "", false
		}
	}
	return apiVersion, kind, true
}

// mapEntry splits an entry of a Struct's map, sent as one key and one
// value. An entry with anything else is not cut: it returns false.
func mapEntry(b []byte) ([]byte, []byte, bool) {
	var key, value []byte
	var keys, values int
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 || typ != protowire.BytesType {
			return nil, nil, false
		}
		v, valueLen := protowire.ConsumeBytes(b[tagLen:])
		if valueLen < 0 {
			return nil, nil, false
		}
		b = b[tagLen+valueLen:]
		if n != mapEntryKey && n != mapEntryValue {
			return nil, nil, false
		}
		if n == mapEntryKey {
			key, keys = v, keys+1
			continue
		}
		value, values = v, values+1
	}
	return key, value, keys <= 1 && values <= 1
}

// wireObject is the object a Value holds, if it holds one and nothing
// else.
func wireObject(b []byte) ([]byte, bool) {
	n, typ, tagLen := protowire.ConsumeTag(b)
	if tagLen < 0 || n != valueStructValue || typ != protowire.BytesType {
		return nil, false
	}
	object, valueLen := protowire.ConsumeBytes(b[tagLen:])
	if valueLen < 0 || tagLen+valueLen != len(b) {
		return nil, false
	}
	return object, true
}

// wireString is the string a Value of at most one field holds, as
// GetStringValue reads it: "" unless it is a string. It returns false for
// more fields, or malformed ones.
func wireString(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", true
	}
	n, typ, tagLen := protowire.ConsumeTag(b)
	if tagLen < 0 {
		return "", false
	}
	valueLen := protowire.ConsumeFieldValue(n, typ, b[tagLen:])
	if valueLen < 0 || tagLen+valueLen != len(b) {
		return "", false
	}
	if n != valueStringValue || typ != protowire.BytesType {
		return "", true
	}
	v, _ := protowire.ConsumeBytes(b[tagLen:])
	return string(v), true
}

// occurrences counts the fields numbered n in message b.
func occurrences(b []byte, n protowire.Number) (int, bool) {
	count := 0
	for len(b) > 0 {
		num, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return 0, false
		}
		valueLen := protowire.ConsumeFieldValue(num, typ, b[tagLen:])
		if valueLen < 0 {
			return 0, false
		}
		if num == n {
			count++
		}
		b = b[tagLen+valueLen:]
	}
	return count, true
}
