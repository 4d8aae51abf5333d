package structcodec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestJSONValue(t *testing.T) {
	cases := map[string]struct {
		reason string
		json   string
		want   *structpb.Value
		err    bool
	}{
		"Nested": {
			reason: "Objects, arrays, strings, numbers and booleans convert as protojson reads them; null fields are left out, null array items kept.",
			json:   `{"a":{"b":[1,"x",true,null,{"c":null,"d":2.5}]},"e":null,"f":"\u003c\u00e9"}`,
			want:   structpb.NewStructValue(mustStruct(t, `{"a":{"b":[1,"x",true,null,{"d":2.5}]},"f":"<é"}`)),
		},
		"PlainString":   {reason: "A string without escapes is the text between its quotes.", json: `"500m"`, want: structpb.NewStringValue("500m")},
		"EscapedString": {reason: "A string with escapes is unescaped.", json: `"a\"b\u00e9"`, want: structpb.NewStringValue(`a"bé`)},
		"Number":        {reason: "A number is a float64.", json: `-1.5e3`, want: structpb.NewNumberValue(-1500)},
		"True":          {reason: "Booleans are booleans.", json: `true`, want: structpb.NewBoolValue(true)},
		"Null":          {reason: "A null is no value, so the field is left out.", json: `null`},
		"NotANumber":    {reason: "What strconv reads but JSON does not define is an error.", json: `NaN`, err: true},
		"ControlChar":   {reason: "A control character must be escaped in JSON.", json: "\"a\tb\"", err: true},
		"TwoValues":     {reason: "A Marshaler writes one value.", json: `1 2`, err: true},
		"Malformed":     {reason: "Malformed JSON is an error.", json: `{"a":`, err: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := jsonValue([]byte(tc.json))
			if (err != nil) != tc.err {
				t.Fatalf("%s\njsonValue(%s): error %v, want error: %t", tc.reason, tc.json, err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\njsonValue(%s): -want, +got:\n%s", tc.reason, tc.json, diff)
			}
		})
	}
}
