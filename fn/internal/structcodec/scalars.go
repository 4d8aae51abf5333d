package structcodec

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/structpb"
)

// marshaled encodes v through its own Marshaler, if encoding/json would use
// one; the bool is false when it would not.
func marshaled(v reflect.Value, info *typeInfo, addressable bool) (*structpb.Value, bool, error) {
	var sv *structpb.Value
	var err error
	switch {
	case info.jsonPointer && addressable:
		sv, err = marshaledJSON(v.Addr())
	case info.jsonValue:
		sv, err = marshaledJSON(v)
	case info.textPointer && addressable:
		sv, err = marshaledText(v.Addr())
	case info.textValue:
		sv, err = marshaledText(v)
	default:
		return nil, false, nil
	}
	return sv, true, err
}

// scalar encodes a boolean or number; the bool is false for other kinds.
func scalar(v reflect.Value) (*structpb.Value, bool, error) {
	switch v.Kind() { //nolint:exhaustive // The other kinds are not scalars.
	case reflect.Bool:
		return Bool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Number(float64(v.Int())), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return Number(float64(v.Uint())), true, nil
	case reflect.Float32, reflect.Float64:
		sv, err := floatValue(v)
		return sv, true, err
	}
	return nil, false, nil
}

// marshaledJSON encodes what the json.Marshaler v writes, as encoding/json
// embeds it.
func marshaledJSON(v reflect.Value) (*structpb.Value, error) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return nil, nil //nolint:nilnil // encoding/json writes null for a nil Marshaler.
	}
	b, err := v.Interface().(json.Marshaler).MarshalJSON() //nolint:forcetypeassert // typeInfo checked.
	if err != nil {
		return nil, err
	}
	return jsonValue(b)
}

// marshaledText encodes what the encoding.TextMarshaler v writes.
func marshaledText(v reflect.Value) (*structpb.Value, error) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return nil, nil //nolint:nilnil // encoding/json writes null for a nil Marshaler.
	}
	b, err := v.Interface().(encoding.TextMarshaler).MarshalText() //nolint:forcetypeassert // typeInfo checked.
	if err != nil {
		return nil, err
	}
	return String(validUTF8(string(b))), nil
}

// jsonValue reads the JSON value a Marshaler wrote. The values Kubernetes
// types marshal themselves (quantities, int-or-strings, times) are short
// strings and numbers, read without a parser.
func jsonValue(b []byte) (*structpb.Value, error) {
	s := string(b)
	switch {
	case s == "null":
		return nil, nil //nolint:nilnil // A null leaves the field out.
	case s == "true" || s == "false":
		return Bool(s == "true"), nil
	case plainJSONString(s):
		return String(s[1 : len(s)-1]), nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && json.Valid(b) {
		return Number(n), nil
	}
	r := jsonReader{d: newJSONDecoder(bytes.NewBuffer(b))}
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	if _, err := r.d.ReadToken(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid JSON %q: more than one value", b)
	}
	return v, nil
}

// plainJSONString tells whether s is a JSON string that reads as the text
// between its quotes: no escapes, no control characters, valid UTF-8.
func plainJSONString(s string) bool {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	for _, c := range []byte(s[1 : len(s)-1]) {
		if c < ' ' || c == '"' || c == '\\' {
			return false
		}
	}
	return utf8.ValidString(s)
}

func floatValue(v reflect.Value) (*structpb.Value, error) {
	f := v.Float()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("unsupported value %v", f)
	}
	if v.Kind() == reflect.Float32 {
		// encoding/json writes a float32 in its shortest 32-bit form, which
		// reads back as a different float64 than the float32 itself.
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
	}
	return Number(f), nil
}

// quotedValue encodes a field tagged `json:",string"`.
func quotedValue(v reflect.Value) (*structpb.Value, error) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil //nolint:nilnil // A null leaves the field out.
		}
		v = v.Elem()
	}
	switch v.Kind() { //nolint:exhaustive // The kinds left out are not supported.
	case reflect.Bool:
		return String(strconv.FormatBool(v.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return String(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return String(strconv.FormatUint(v.Uint(), 10)), nil
	}
	return nil, fmt.Errorf("cannot encode a %s with the ,string option", v.Type())
}

// validUTF8 replaces each byte of s that is not UTF-8 with U+FFFD, as
// encoding/json does; a Struct's strings must be UTF-8.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
