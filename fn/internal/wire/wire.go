package wire

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/structpb"
)

// Field numbers of a Struct's map of fields and of a Value's kinds, from
// the generated descriptors.
var (
	StructFields = FieldNumber(&structpb.Struct{}, "fields")
	ValueStruct  = FieldNumber(&structpb.Value{}, "struct_value")
	ValueString  = FieldNumber(&structpb.Value{}, "string_value")
)

// A map entry on the wire is a message of its key and its value.
const (
	MapEntryKey   protowire.Number = 1
	MapEntryValue protowire.Number = 2
)

// FieldNumber is the number of m's field name; it panics if m has none,
// which only a change of the protocol's messages can cause.
func FieldNumber(m proto.Message, name protoreflect.Name) protowire.Number {
	f := m.ProtoReflect().Descriptor().Fields().ByName(name)
	if f == nil {
		panic("no field " + string(name) + " in " + string(m.ProtoReflect().Descriptor().FullName()))
	}
	return f.Number()
}

// Nested appends the rewritten content of a length-delimited field to dst.
type Nested func(dst, b []byte) ([]byte, bool)

// Rewrite appends message b to dst field by field: a length-delimited field
// for which rewriteOf returns a function is passed through it, all else is
// copied.
func Rewrite(dst, b []byte, rewriteOf func(protowire.Number) Nested) ([]byte, bool) {
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
		var f Nested
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
		if dst, ok = AppendNested(dst, content, f); !ok {
			return dst, false
		}
	}
	return dst, true
}

// AppendNested appends f's rewrite of b, prefixed with its length. The
// length is known only once written: it is put in front after.
func AppendNested(dst, b []byte, f Nested) ([]byte, bool) {
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

// ObjectKind reads an object's apiVersion and kind as Struct.GetFields does:
// the last entry of a key counts, and a value that is not a string is "".
func ObjectKind(b []byte) (string, string, bool) {
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
		if n != StructFields || typ != protowire.BytesType {
			continue
		}
		entry, _ := protowire.ConsumeBytes(field)
		key, value, ok := MapEntry(entry)
		if !ok {
			return "", "", false
		}
		switch string(key) {
		case "apiVersion":
			apiVersion, ok = String(value)
		case "kind":
			kind, ok = String(value)
		}
		if !ok {
			return "", "", false
		}
	}
	return apiVersion, kind, true
}

// MapEntry splits an entry of a Struct's map, sent as one key and one
// value; false for an entry with anything else, which is then not cut.
func MapEntry(b []byte) ([]byte, []byte, bool) {
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
		if n != MapEntryKey && n != MapEntryValue {
			return nil, nil, false
		}
		if n == MapEntryKey {
			key, keys = v, keys+1
			continue
		}
		value, values = v, values+1
	}
	return key, value, keys <= 1 && values <= 1
}

// Object is the object a Value holds, if it holds one and nothing
// else.
func Object(b []byte) ([]byte, bool) {
	n, typ, tagLen := protowire.ConsumeTag(b)
	if tagLen < 0 || n != ValueStruct || typ != protowire.BytesType {
		return nil, false
	}
	object, valueLen := protowire.ConsumeBytes(b[tagLen:])
	if valueLen < 0 || tagLen+valueLen != len(b) {
		return nil, false
	}
	return object, true
}

// String is the string a Value of at most one field holds, as
// GetStringValue reads it: "" unless it is a string. It returns false for
// more fields, or malformed ones.
func String(b []byte) (string, bool) {
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
	if n != ValueString || typ != protowire.BytesType {
		return "", true
	}
	v, _ := protowire.ConsumeBytes(b[tagLen:])
	return string(v), true
}

// Occurrences counts the fields numbered n in message b.
func Occurrences(b []byte, n protowire.Number) (int, bool) {
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
