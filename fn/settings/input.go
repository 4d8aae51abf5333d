package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"

	"github.com/agentops-io/agentops/fn/internal/decode"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// The input's group and kind (input/v1beta1).
const (
	inputAPIVersion = "agentops.fn.crossplane.io/v1beta1"
	inputGroup      = "agentops.fn.crossplane.io"
	inputKind       = "Input"
)

// inputPath roots the input's field errors, as Resolve does.
var inputPath = field.NewPath("input")

// Read reads the Composition's input and resolves it into settings, or the
// errors that name what is wrong with it. The outcome depends on the input
// alone, so a Function caches it (Cache).
func Read(input *structpb.Struct) (*Settings, field.ErrorList) {
	in, errs := readInput(input)
	if len(errs) > 0 {
		return nil, errs
	}
	return Resolve(in)
}

// readInput decodes the Composition's input strictly. Crossplane does not
// validate a function's input against its schema, so a typo (gatway for
// gateway) would otherwise fall back to a default without a word; and a
// value of the wrong type must name its field.
func readInput(input *structpb.Struct) (*v1beta1.Input, field.ErrorList) {
	in := &v1beta1.Input{}
	if input == nil {
		return in, nil
	}
	b, err := protojson.Marshal(input)
	if err != nil {
		return nil, field.ErrorList{field.InternalError(inputPath, err)}
	}
	if err := json.Unmarshal(b, in); err != nil {
		return nil, field.ErrorList{inputTypeError(err)}
	}
	var errs field.ErrorList
	if gvk := in.GroupVersionKind(); gvk.Kind != "" && (gvk.Group != inputGroup || gvk.Kind != inputKind) {
		errs = append(errs, field.Invalid(inputPath.Child("kind"), in.APIVersion+", Kind="+in.Kind, fmt.Sprintf("this function takes an input of apiVersion %s, kind %s", inputAPIVersion, inputKind)))
	}
	strict, err := sigsjson.UnmarshalStrict(b, &v1beta1.Input{}, sigsjson.DisallowUnknownFields)
	if err != nil {
		return nil, field.ErrorList{field.Invalid(inputPath, "<object>", err.Error())}
	}
	for _, e := range strict {
		errs = append(errs, unknownField(e))
	}
	return in, errs
}

// inputTypeError names the field a value of the wrong type is in.
func inputTypeError(err error) *field.Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		p := inputPath
		for f := range strings.SplitSeq(te.Field, ".") {
			p = p.Child(f)
		}
		return field.Invalid(p, te.Value, "must be of type "+decode.JSONType(te.Type.Kind().String()))
	}
	return field.Invalid(inputPath, "<object>", err.Error())
}

// unknownField turns `unknown field "a.b"` into a field error on input.a.b.
func unknownField(err error) *field.Error {
	name := strings.TrimSuffix(strings.TrimPrefix(err.Error(), `unknown field "`), `"`)
	p := inputPath
	for f := range strings.SplitSeq(name, ".") {
		p = p.Child(f)
	}
	return field.Invalid(p, name, "unknown field: the Input (agentops.fn.crossplane.io/v1beta1) does not define it; its fields are "+inputFieldList)
}

// inputFieldList names the Input's own fields, from its type, so the message
// never misses one.
var inputFieldList = func() string {
	var names []string
	for _, n := range structcodec.JSONFieldNames(reflect.TypeFor[v1beta1.Input]()) {
		if n != "apiVersion" && n != "kind" && n != "metadata" {
			names = append(names, n)
		}
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}()
