package observed

import (
	"google.golang.org/protobuf/encoding/protowire"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/internal/wire"
)

// Decoding a steady-state request costs more than all the function does
// with it, and most of it is fields no one reads: the observed objects'
// managed fields, pod templates, the XR's status (BENCHMARKS.md). The server
// therefore hands RunFunction the request with the observed objects cut, on
// the wire, to the fields Composite and Composed read. Nothing else in the
// request is touched but the required schemas, cut to whether each kind has
// one: input, context, desired state and extra resources keep every byte.

// Field numbers of the messages on the path to the observed objects, from
// the generated descriptors.
var (
	requestObserved = wire.FieldNumber(&fnv1.RunFunctionRequest{}, "observed")
	stateComposite  = wire.FieldNumber(&fnv1.State{}, "composite")
	stateResources  = wire.FieldNumber(&fnv1.State{}, "resources")
	resourceObject  = wire.FieldNumber(&fnv1.Resource{}, "resource")
	requestSchemas  = wire.FieldNumber(&fnv1.RunFunctionRequest{}, "required_schemas")
	schemaOpenAPI   = wire.FieldNumber(&fnv1.Schema{}, "openapi_v3")
)

// TrimRequest appends to dst the RunFunctionRequest encoded in req with its
// observed objects cut to the fields the function reads; decoded, it reads
// as req does to Composite and Composed. Where req is not as Go's protobuf
// encodes a request (a field repeated that is sent once, a malformed
// length), it returns false: decode req itself, which reports what is
// wrong. What it drops it does not check as a decoder would: a malformed
// managed field, say, is not refused.
func TrimRequest(dst, req []byte) ([]byte, bool) {
	out, ok := wire.Rewrite(dst, req, func(n protowire.Number) wire.Nested {
		if n == requestObserved {
			return trimState
		}
		if n == requestSchemas {
			return trimSchemaEntry
		}
		return nil
	})
	if !ok {
		return dst, false
	}
	return out, true
}

// trimSchemaEntry empties the OpenAPI schema of one entry of the required
// schemas (crds.Read reads only whether there is one): a CRD's schema is
// tens of kilobytes, a ServiceMonitor's over a hundred.
func trimSchemaEntry(dst, b []byte) ([]byte, bool) {
	return wire.Rewrite(dst, b, func(n protowire.Number) wire.Nested {
		if n == wire.MapEntryValue {
			return trimSchema
		}
		return nil
	})
}

// trimSchema keeps whether a Schema has an OpenAPI schema, as an empty one.
func trimSchema(dst, b []byte) ([]byte, bool) {
	return wire.Rewrite(dst, b, func(n protowire.Number) wire.Nested {
		if n == schemaOpenAPI {
			return func(dst, _ []byte) ([]byte, bool) { return dst, true }
		}
		return nil
	})
}

// trimState trims the observed XR and composed resources.
func trimState(dst, b []byte) ([]byte, bool) {
	return wire.Rewrite(dst, b, func(n protowire.Number) wire.Nested {
		if n == stateComposite {
			return trimComposite
		}
		if n == stateResources {
			return trimComposedEntry
		}
		return nil
	})
}

// trimComposite trims the XR to what Composite reads.
func trimComposite(dst, b []byte) ([]byte, bool) {
	return trimResource(dst, b, func(dst, obj []byte) ([]byte, bool) {
		dst, _, ok := trimStruct(dst, obj, compositeWireRead)
		return dst, ok
	})
}

// trimComposedEntry trims the composed resource of one entry of the map
// of them to what readComposed reads of its kind.
func trimComposedEntry(dst, b []byte) ([]byte, bool) {
	if count, ok := wire.Occurrences(b, wire.MapEntryValue); !ok || count > 1 {
		return dst, false
	}
	return wire.Rewrite(dst, b, func(n protowire.Number) wire.Nested {
		if n == wire.MapEntryValue {
			return func(dst, r []byte) ([]byte, bool) { return trimResource(dst, r, trimComposed) }
		}
		return nil
	})
}

// trimResource rewrites the object of a Resource with trimObject.
func trimResource(dst, b []byte, trimObject wire.Nested) ([]byte, bool) {
	// Two objects in one Resource would be merged into one when decoded:
	// each may not be cut alone.
	if count, ok := wire.Occurrences(b, resourceObject); !ok || count > 1 {
		return dst, false
	}
	return wire.Rewrite(dst, b, func(n protowire.Number) wire.Nested {
		if n == resourceObject {
			return trimObject
		}
		return nil
	})
}

// trimComposed trims a composed resource to the fields read of its kind,
// and keeps it whole if none of them is there, as readComposed does.
func trimComposed(dst, b []byte) ([]byte, bool) {
	apiVersion, kind, ok := wire.ObjectKind(b)
	if !ok {
		return dst, false
	}
	f, ok := wireComposedFields(b, groupKind(apiVersion, kind))
	if !ok {
		return dst, false
	}
	start := len(dst)
	dst, kept, ok := trimStruct(dst, b, f)
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
	count, _ := wire.Occurrences(b, wire.StructFields)
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
		if n != wire.StructFields || typ != protowire.BytesType {
			dst = append(dst, field...)
			continue
		}
		entry, _ := protowire.ConsumeBytes(field[tagLen:])
		key, value, canonical := wire.MapEntry(entry)
		if !canonical {
			return dst, kept, false
		}
		within, read := f[string(key)]
		if !read {
			continue
		}
		kept++
		object, isObject := wire.Object(value)
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
	dst = protowire.AppendTag(dst, wire.StructFields, protowire.BytesType)
	return wire.AppendNested(dst, nil, func(dst, _ []byte) ([]byte, bool) {
		dst = protowire.AppendTag(dst, wire.MapEntryKey, protowire.BytesType)
		dst = protowire.AppendBytes(dst, key)
		dst = protowire.AppendTag(dst, wire.MapEntryValue, protowire.BytesType)
		return wire.AppendNested(dst, nil, func(dst, _ []byte) ([]byte, bool) {
			dst = protowire.AppendTag(dst, wire.ValueStruct, protowire.BytesType)
			return wire.AppendNested(dst, b, func(dst, b []byte) ([]byte, bool) {
				dst, _, ok := trimStruct(dst, b, f)
				return dst, ok
			})
		})
	})
}
