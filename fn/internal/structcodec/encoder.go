package structcodec

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"slices"

	"google.golang.org/protobuf/types/known/structpb"
)

// An Encoder converts typed Kubernetes objects into protobuf Structs
// directly, field by field, to the same result as encoding/json followed by
// a JSON-to-Struct parse with null values left out: each Value is made
// once, and strings are shared with the typed object instead of copied
// through JSON text. It follows encoding/json's rules (field names and
// embedding, omitempty, omitzero, json.Marshaler and encoding.TextMarshaler,
// []byte as base64, invalid UTF-8 replaced) as far as Kubernetes API types
// use them; TestEncoderMatchesJSON holds it to encoding/json.
//
// Equal strings share one Value: objects of one agent repeat their labels,
// names and selectors many times, and a response is only ever read once it
// is made (Crossplane gets a copy over the wire).
//
// An encoder is not safe for concurrent use; a call of the function uses one
// for all its objects, then Reset (GetEncoder and PutEncoder do both).
type Encoder struct {
	// The fields and items being encoded wait on these stacks until their
	// map or list is made at its final size.
	names  []string
	values []*structpb.Value
	// strings made so far, for this response only.
	strings map[string]*structpb.Value
}

// NewEncoder returns an encoder with empty stacks and no strings.
func NewEncoder() *Encoder {
	// Room for the deepest Kubernetes objects without growing.
	return &Encoder{
		names:   make([]string, 0, 64),
		values:  make([]*structpb.Value, 0, 64),
		strings: make(map[string]*structpb.Value, 256),
	}
}

// Reset forgets the strings of the last response, so that no Value is
// shared between two.
func (e *Encoder) Reset() {
	clear(e.strings)
}

// Intern is s as a Value, shared with every equal string of the response.
func (e *Encoder) Intern(s string) *structpb.Value {
	v, ok := e.strings[s]
	if !ok {
		v = String(s)
		e.strings[s] = v
	}
	return v
}

// Object encodes the struct obj points to, without its field named skip
// (such as "status"); obj must be a non-nil pointer to a struct.
func (e *Encoder) Object(obj any, skip string) (*structpb.Struct, error) {
	return e.object(reflect.ValueOf(obj), skip)
}

// object encodes the struct v points to, without its field named skip.
func (e *Encoder) object(v reflect.Value, skip string) (*structpb.Struct, error) {
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("cannot encode %s: not a pointer to a struct", v.Type())
	}
	sv, err := e.structFields(v.Elem(), skip, true)
	if err != nil {
		return nil, err
	}
	return sv.GetStructValue(), nil
}

// value encodes v; nil stands for JSON null. addressable tells whether
// encoding/json would see v as addressable, which decides whether it uses a
// Marshaler with a pointer receiver: it does for struct fields and slice
// items reached through pointers, not for map values.
func (e *Encoder) value(v reflect.Value, addressable bool) (*structpb.Value, error) {
	info := typeInfoOf(v.Type())
	if sv, done, err := marshaled(v, info, addressable); done {
		return sv, err
	}
	if v.Kind() == reflect.String {
		return e.Intern(validUTF8(v.String())), nil
	}
	if sv, done, err := scalar(v); done {
		return sv, err
	}
	switch v.Kind() { //nolint:exhaustive // Scalars are done above; the kinds left out have no JSON form.
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, nil //nolint:nilnil // A null leaves the field out.
		}
		// What a pointer points to is addressable; what an interface
		// holds is not.
		return e.value(v.Elem(), v.Kind() == reflect.Pointer)
	case reflect.Struct:
		return e.structFields(v, "", addressable)
	case reflect.Map:
		return e.mapEntries(v)
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil //nolint:nilnil // A null leaves the field out.
		}
		if info.bytes {
			return String(base64.StdEncoding.EncodeToString(v.Bytes())), nil
		}
		return e.list(v, true)
	case reflect.Array:
		return e.list(v, addressable)
	}
	return nil, fmt.Errorf("cannot encode a value of type %s", v.Type())
}

func (e *Encoder) structFields(v reflect.Value, skip string, addressable bool) (*structpb.Value, error) {
	base := len(e.names)
	for _, f := range typeInfoOf(v.Type()).fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.name == skip || f.omitted(fv) {
			continue
		}
		var (
			ev  *structpb.Value
			err error
		)
		if f.quoted {
			ev, err = quotedValue(fv)
		} else {
			ev, err = e.value(fv, addressable)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if ev != nil {
			e.names = append(e.names, f.name)
			e.values = append(e.values, ev)
		}
	}
	return e.popStruct(base), nil
}

func (e *Encoder) mapEntries(v reflect.Value) (*structpb.Value, error) {
	if v.IsNil() {
		return nil, nil //nolint:nilnil // A null leaves the field out.
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return nil, fmt.Errorf("cannot encode a map with keys of type %s", t.Key())
	}
	// One key and one value reused for every entry: MapIter.Key and Value
	// would allocate a copy of each.
	key, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
	base := len(e.names)
	for it := v.MapRange(); it.Next(); {
		key.SetIterKey(it)
		val.SetIterValue(it)
		ev, err := e.value(val, false)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key.String(), err)
		}
		if ev != nil {
			e.names = append(e.names, validUTF8(key.String()))
			e.values = append(e.values, ev)
		}
	}
	return e.popStruct(base), nil
}

func (e *Encoder) list(v reflect.Value, addressable bool) (*structpb.Value, error) {
	base := len(e.values)
	for i := range v.Len() {
		ev, err := e.value(v.Index(i), addressable)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if ev == nil {
			ev = structpb.NewNullValue()
		}
		// The names stack stays level with the values stack.
		e.names = append(e.names, "")
		e.values = append(e.values, ev)
	}
	lv, l := List()
	l.Values = slices.Clone(e.values[base:])
	e.names, e.values = e.names[:base], e.values[:base]
	return lv, nil
}

// popStruct makes a Struct of the fields on the stacks above base.
func (e *Encoder) popStruct(base int) *structpb.Value {
	sv, s := Struct(len(e.names) - base)
	for i := base; i < len(e.names); i++ {
		s.Fields[e.names[i]] = e.values[i]
	}
	e.names, e.values = e.names[:base], e.values[:base]
	return sv
}

// fieldByIndex follows index through embedded structs; ok is false when it
// passes a nil embedded pointer, whose fields encoding/json leaves out.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
