package fn

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
	"google.golang.org/protobuf/types/known/structpb"
)

// jsonStruct parses a JSON object into a Struct, token by token, leaving out
// null values. It builds the Struct directly rather than through a
// map[string]any, makes each map and list at its final size, and allocates
// each Value together with its kind: half the allocations of
// structpb.NewStruct on a map.
func jsonStruct(b *bytes.Buffer) (*structpb.Struct, error) {
	// A bytes.Buffer is parsed in place; the JSON is encoding/json's, so no
	// name repeats within an object.
	r := jsonReader{d: jsontext.NewDecoder(b, jsontext.AllowDuplicateNames(true))}
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	s := v.GetStructValue()
	if s == nil {
		return nil, errors.New("not a JSON object")
	}
	return s, nil
}

// A jsonReader reads Values. The fields of the objects and the items of the
// arrays being read wait on its stacks until their map or list is made.
type jsonReader struct {
	d      *jsontext.Decoder
	names  []string
	values []*structpb.Value
}

// value reads the next value; nil for a JSON null.
func (r *jsonReader) value() (*structpb.Value, error) {
	t, err := r.d.ReadToken()
	if err != nil {
		return nil, err
	}
	switch t.Kind() {
	case 'n':
		return nil, nil //nolint:nilnil // A null leaves the field out.
	case '"':
		return stringValue(t.String()), nil
	case '0':
		return numberValue(t.Float()), nil
	case 't', 'f':
		return boolValue(t.Bool()), nil
	case '{':
		return r.object()
	case '[':
		return r.array()
	}
	return nil, fmt.Errorf("unexpected JSON token %s", t.Kind())
}

func (r *jsonReader) object() (*structpb.Value, error) {
	base := len(r.names)
	for r.d.PeekKind() != '}' {
		t, err := r.d.ReadToken()
		if err != nil {
			return nil, err
		}
		// A token holds only until the next is read.
		name := t.String()
		f, err := r.value()
		if err != nil {
			return nil, err
		}
		if f != nil {
			r.names = append(r.names, name)
			r.values = append(r.values, f)
		}
	}
	if _, err := r.d.ReadToken(); err != nil {
		return nil, err
	}
	v, s := structValue(len(r.names) - base)
	for i := base; i < len(r.names); i++ {
		s.Fields[r.names[i]] = r.values[i]
	}
	r.names, r.values = r.names[:base], r.values[:base]
	return v, nil
}

func (r *jsonReader) array() (*structpb.Value, error) {
	base := len(r.values)
	for r.d.PeekKind() != ']' {
		e, err := r.value()
		if err != nil {
			return nil, err
		}
		if e == nil {
			e = structpb.NewNullValue()
		}
		// The names stack stays level with the values stack.
		r.names = append(r.names, "")
		r.values = append(r.values, e)
	}
	if _, err := r.d.ReadToken(); err != nil {
		return nil, err
	}
	v, l := listValue()
	l.Values = slices.Clone(r.values[base:])
	r.names, r.values = r.names[:base], r.values[:base]
	return v, nil
}

// Each constructor allocates a Value and its kind, and a Struct or a list,
// in one piece.

func stringValue(s string) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_StringValue
	}{k: structpb.Value_StringValue{StringValue: s}}
	p.v.Kind = &p.k
	return &p.v
}

func numberValue(n float64) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_NumberValue
	}{k: structpb.Value_NumberValue{NumberValue: n}}
	p.v.Kind = &p.k
	return &p.v
}

func boolValue(b bool) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_BoolValue
	}{k: structpb.Value_BoolValue{BoolValue: b}}
	p.v.Kind = &p.k
	return &p.v
}

func structValue(fields int) (*structpb.Value, *structpb.Struct) {
	p := &struct {
		v structpb.Value
		k structpb.Value_StructValue
		s structpb.Struct
	}{}
	p.s.Fields = make(map[string]*structpb.Value, fields)
	p.k.StructValue = &p.s
	p.v.Kind = &p.k
	return &p.v, &p.s
}

func listValue() (*structpb.Value, *structpb.ListValue) {
	p := &struct {
		v structpb.Value
		k structpb.Value_ListValue
		l structpb.ListValue
	}{}
	p.k.ListValue = &p.l
	p.v.Kind = &p.k
	return &p.v, &p.l
}
