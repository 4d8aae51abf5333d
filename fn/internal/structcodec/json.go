package structcodec

import (
	"fmt"
	"io"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
	"google.golang.org/protobuf/types/known/structpb"
)

// JSON the encoder cannot avoid, what a type's own MarshalJSON writes, is
// read into Values here; and here are the Value constructors every
// conversion to a Struct uses.

// newJSONDecoder reads the JSON in r. Names are not checked for repeats:
// the JSON comes from encoding/json and Marshalers.
func newJSONDecoder(r io.Reader) *jsontext.Decoder {
	return jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true))
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
		return String(t.String()), nil
	case '0':
		return Number(t.Float()), nil
	case 't', 'f':
		return Bool(t.Bool()), nil
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
	v, s := Struct(len(r.names) - base)
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
	v, l := List()
	l.Values = slices.Clone(r.values[base:])
	r.names, r.values = r.names[:base], r.values[:base]
	return v, nil
}

// Each constructor allocates a Value and its kind, and a Struct or a list,
// in one piece.

func String(s string) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_StringValue
	}{k: structpb.Value_StringValue{StringValue: s}}
	p.v.Kind = &p.k
	return &p.v
}

func Number(n float64) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_NumberValue
	}{k: structpb.Value_NumberValue{NumberValue: n}}
	p.v.Kind = &p.k
	return &p.v
}

func Bool(b bool) *structpb.Value {
	p := &struct {
		v structpb.Value
		k structpb.Value_BoolValue
	}{k: structpb.Value_BoolValue{BoolValue: b}}
	p.v.Kind = &p.k
	return &p.v
}

func Struct(fields int) (*structpb.Value, *structpb.Struct) {
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

func List() (*structpb.Value, *structpb.ListValue) {
	p := &struct {
		v structpb.Value
		k structpb.Value_ListValue
		l structpb.ListValue
	}{}
	p.k.ListValue = &p.l
	p.v.Kind = &p.k
	return &p.v, &p.l
}
