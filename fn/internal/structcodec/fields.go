package structcodec

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// typeInfo is what encoding a type needs, worked out once per type.
type typeInfo struct {
	// How the type marshals itself, if it does: encoding/json prefers a
	// json.Marshaler to an encoding.TextMarshaler, and uses a method with a
	// pointer receiver only on an addressable value.
	jsonPointer, jsonValue, textPointer, textValue bool
	// bytes is true for a []byte, which encoding/json writes as base64.
	bytes  bool
	fields []fieldInfo
}

type fieldInfo struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool
	quoted    bool
	isZero    func(reflect.Value) bool
}

// omitted tells whether encoding/json leaves the field out for its value.
func (f fieldInfo) omitted(v reflect.Value) bool {
	if f.omitEmpty && isEmpty(v) {
		return true
	}
	return f.omitZero && f.isZero(v)
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() { //nolint:exhaustive // encoding/json never omits the other kinds as empty.
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

var (
	typeInfos         sync.Map // reflect.Type to *typeInfo
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[isZeroer]()
)

func typeInfoOf(t reflect.Type) *typeInfo {
	if i, ok := typeInfos.Load(t); ok {
		return i.(*typeInfo) //nolint:forcetypeassert // Only *typeInfo is stored.
	}
	notPointer := t.Kind() != reflect.Pointer
	i := &typeInfo{
		jsonValue:   t.Implements(jsonMarshalerType),
		jsonPointer: notPointer && reflect.PointerTo(t).Implements(jsonMarshalerType),
		textValue:   t.Implements(textMarshalerType),
		textPointer: notPointer && reflect.PointerTo(t).Implements(textMarshalerType),
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		p := reflect.PointerTo(t.Elem())
		i.bytes = !p.Implements(jsonMarshalerType) && !p.Implements(textMarshalerType)
	}
	if t.Kind() == reflect.Struct {
		i.fields = structFields(t)
	}
	actual, _ := typeInfos.LoadOrStore(t, i)
	return actual.(*typeInfo) //nolint:forcetypeassert // Only *typeInfo is stored.
}

// JSONFieldNames are the names encoding/json gives the fields of struct
// type t.
func JSONFieldNames(t reflect.Type) []string {
	fields := typeInfoOf(t).fields
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

// structFields lists the fields encoding/json writes for the struct type t:
// exported fields under their JSON names, and the fields of embedded
// structs without a JSON name (such as TypeMeta's `json:",inline"`)
// promoted. Where embedded fields share a name, the shallowest wins, then
// the one with a JSON name in its tag; a tie leaves them all out, as
// encoding/json does.
func structFields(t reflect.Type) []fieldInfo {
	var candidates []candidateField
	collectFields(t, nil, map[reflect.Type]bool{}, &candidates)

	byName := map[string][]candidateField{}
	var order []string
	for _, c := range candidates {
		if _, seen := byName[c.info.name]; !seen {
			order = append(order, c.info.name)
		}
		byName[c.info.name] = append(byName[c.info.name], c)
	}
	fields := make([]fieldInfo, 0, len(order))
	for _, name := range order {
		if f, ok := dominant(byName[name]); ok {
			fields = append(fields, f)
		}
	}
	return fields
}

type candidateField struct {
	info   fieldInfo
	tagged bool
}

func (c candidateField) depth() int { return len(c.info.index) }

// dominant picks the field that wins a name, if one does.
func dominant(cs []candidateField) (fieldInfo, bool) {
	shallowest := slices.MinFunc(cs, func(a, b candidateField) int { return a.depth() - b.depth() }).depth()
	var top []candidateField
	for _, c := range cs {
		if c.depth() == shallowest {
			top = append(top, c)
		}
	}
	if len(top) == 1 {
		return top[0].info, true
	}
	var tagged []candidateField
	for _, c := range top {
		if c.tagged {
			tagged = append(tagged, c)
		}
	}
	if len(tagged) == 1 {
		return tagged[0].info, true
	}
	return fieldInfo{}, false
}

// collectFields adds the fields of t, reached through index, to out.
// onPath guards against a struct that embeds itself through pointers.
func collectFields(t reflect.Type, index []int, onPath map[reflect.Type]bool, out *[]candidateField) {
	if onPath[t] {
		return
	}
	onPath[t] = true
	defer delete(onPath, t)

	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		ft, encoded := encodedType(sf)
		if tag == "-" || !encoded {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		at := append(slices.Clone(index), i)
		if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
			collectFields(ft, at, onPath, out)
			continue
		}
		f := fieldInfo{name: name, index: at}
		if f.name == "" {
			f.name = sf.Name
		}
		f.setOptions(opts, sf.Type)
		*out = append(*out, candidateField{info: f, tagged: name != ""})
	}
}

// encodedType is the type of a field encoding/json writes, the struct an
// embedded pointer points to; encoded is false for a field it leaves out:
// unexported, unless an embedded struct whose exported fields it promotes.
func encodedType(sf reflect.StructField) (reflect.Type, bool) {
	if !sf.Anonymous {
		return sf.Type, sf.IsExported()
	}
	t := sf.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t, sf.IsExported() || t.Kind() == reflect.Struct
}

// setOptions applies a tag's options to a field of type t.
func (f *fieldInfo) setOptions(opts string, t reflect.Type) {
	for o := range strings.SplitSeq(opts, ",") {
		switch o {
		case "omitempty":
			f.omitEmpty = true
		case "omitzero":
			f.omitZero = true
			f.isZero = zeroTest(t)
		case "string":
			f.quoted = quotable(t)
		}
	}
}

// quotable tells whether `json:",string"` applies to a field of type t.
func quotable(t reflect.Type) bool {
	if t.Name() == "" && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() { //nolint:exhaustive // The option applies to these kinds only.
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

type isZeroer interface{ IsZero() bool }

// zeroTest is how omitzero tests a value of type t: with its IsZero method
// if it has one (also through a pointer receiver), else as reflect does.
func zeroTest(t reflect.Type) func(reflect.Value) bool {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || (v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil()) || v.Interface().(isZeroer).IsZero() //nolint:forcetypeassert // t implements it.
		}
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Interface().(isZeroer).IsZero() //nolint:forcetypeassert // t implements it.
		}
	case t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.Interface().(isZeroer).IsZero() } //nolint:forcetypeassert // t implements it.
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(v.Type()).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(isZeroer).IsZero() //nolint:forcetypeassert // *t implements it.
		}
	}
	return reflect.Value.IsZero
}
