package structcodec

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/randfill"
)

// viaJSON is what a Encoder must produce: encoding/json's output read
// back by protojson, with null fields left out.
func viaJSON(t testing.TB, v any) (*structpb.Struct, error) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := &structpb.Struct{}
	if err := protojson.Unmarshal(b, s); err != nil {
		t.Fatalf("protojson cannot read what encoding/json wrote: %v\n%s", err, b)
	}
	dropNulls(s)
	return s, nil
}

func dropNulls(s *structpb.Struct) {
	for k, v := range s.GetFields() {
		if _, null := v.GetKind().(*structpb.Value_NullValue); null {
			delete(s.GetFields(), k)
		}
		dropValueNulls(v)
	}
}

func dropValueNulls(v *structpb.Value) {
	switch k := v.GetKind().(type) {
	case *structpb.Value_StructValue:
		dropNulls(k.StructValue)
	case *structpb.Value_ListValue:
		for _, e := range k.ListValue.GetValues() {
			dropValueNulls(e)
		}
	}
}

// encodeTyped encodes what v points to with a fresh encoder.
func encodeTyped(v any) (*structpb.Struct, error) {
	return NewEncoder().Object(v, "")
}

// Types that use the parts of encoding/json Kubernetes types rarely do.

type textName string

func (n textName) MarshalText() ([]byte, error) { return []byte("name:" + string(n)), nil }

type pointerMarshaler struct{ N int }

func (p *pointerMarshaler) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"n":%d,"s":"\u00e9"}`, p.N), nil
}

type zeroByMethod struct{ N int }

func (z *zeroByMethod) IsZero() bool { return z.N < 0 }

type Inner struct {
	A      string `json:"a"`
	Shared string `json:"shared"`
	Tagged string `json:"tagged"`
}

type Other struct {
	Shared string `json:"shared"`
	B      int
	Tagged string
}

type features struct {
	Inner
	*Other
	Named        Inner                       `json:"named"`
	Bytes        []byte                      `json:"bytes"`
	Text         textName                    `json:"text"`
	TextMap      map[string]textName         `json:"textMap,omitempty"`
	Pointer      pointerMarshaler            `json:"pointer"`
	PointerMap   map[string]pointerMarshaler `json:"pointerMap"`
	PointerList  []pointerMarshaler          `json:"pointerList"`
	PointerArray [1]pointerMarshaler         `json:"pointerArray"`
	Any          any                         `json:"any"`
	F32          float32                     `json:"f32"`
	F64          float64                     `json:"f64"`
	Uint         uint16                      `json:"uint"`
	Quoted       int                         `json:"quoted,string"`
	QuotedBool   *bool                       `json:"quotedBool,string"`
	ZeroMethod   zeroByMethod                `json:"zeroMethod,omitzero"`
	ZeroStruct   struct{ X int }             `json:"zeroStruct,omitzero"`
	ZeroTime     metav1.Time                 `json:"zeroTime,omitzero"`
	TimeMap      map[string]metav1.Time      `json:"timeMap"`
	Empty        []string                    `json:"empty,omitempty"`
	EmptyNotNil  []string                    `json:"emptyNotNil"`
	Array        [2]int                      `json:"array"`
	UTF8         string                      `json:"utf8"`
	Skip         string                      `json:"-"`
	Dash         string                      `json:"-,"` //nolint:staticcheck // encoding/json names this field "-": the encoder must too.
	NoTag        string
	Nested       map[string]map[string][]*int              `json:"nested"`
	Quantities   map[corev1.ResourceName]resource.Quantity `json:"quantities"`
	Ports        []intstr.IntOrString                      `json:"ports"`
	unexported   string
}

func TestEncoderFeatures(t *testing.T) {
	one := 1
	cases := map[string]struct {
		reason string
		v      any
	}{
		"Zero": {
			reason: "A zero struct: omitzero and omitempty fields out, nil maps and slices null (so out), nil embedded pointer's fields out.",
			v:      &features{},
		},
		"Full": {
			reason: "Every rule of encoding/json the Kubernetes types touch, and some they do not, give its result.",
			v: &features{
				Inner:        Inner{A: "a", Shared: "inner", Tagged: "t"},
				Other:        &Other{Shared: "other", B: 2, Tagged: "o"},
				Named:        Inner{A: "named"},
				Bytes:        []byte{0, 1, 2, 255},
				Text:         "x",
				TextMap:      map[string]textName{"k": "v"},
				Pointer:      pointerMarshaler{N: 1},
				PointerMap:   map[string]pointerMarshaler{"m": {N: 2}},
				PointerList:  []pointerMarshaler{{N: 3}},
				PointerArray: [1]pointerMarshaler{{N: 4}},
				Any:          pointerMarshaler{N: 5},
				F32:          0.1,
				F64:          1e21,
				Uint:         65535,
				Quoted:       42,
				QuotedBool:   new(true),
				ZeroMethod:   zeroByMethod{N: -1},
				ZeroStruct:   struct{ X int }{X: 1},
				ZeroTime:     metav1.NewTime(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
				TimeMap:      map[string]metav1.Time{"t": metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), "zero": {}},
				Empty:        []string{"e"},
				EmptyNotNil:  []string{},
				Array:        [2]int{1, 2},
				UTF8:         "ok \xff\xfe é <&>",
				Skip:         "skipped",
				Dash:         "dash",
				NoTag:        "no tag",
				Nested:       map[string]map[string][]*int{"a": {"b": {&one, nil}}, "c": nil},
				Quantities:   map[corev1.ResourceName]resource.Quantity{corev1.ResourceCPU: resource.MustParse("1500m"), "memory": resource.MustParse("1Gi")},
				Ports:        []intstr.IntOrString{intstr.FromInt32(8080), intstr.FromString("http")},
				unexported:   "hidden",
			},
		},
		"PointerInInterface": {
			reason: "A pointer held by an interface uses its Marshaler with a pointer receiver.",
			v:      &features{Any: &pointerMarshaler{N: 6}, ZeroMethod: zeroByMethod{N: 1}},
		},
		"InvalidUTF8Keys": {
			reason: "Map keys that are not UTF-8 are mended as values are.",
			v:      &features{TextMap: map[string]textName{"\xffk": "v"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := viaJSON(t, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeTyped(tc.v)
			if err != nil {
				t.Fatalf("%s\nencodeTyped(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\nencodeTyped(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestEncoderErrors(t *testing.T) {
	type withFunc struct {
		F func() `json:"f"`
	}
	type withIntKeys struct {
		M map[int]string `json:"m"`
	}
	type withNaN struct {
		F float64 `json:"f"`
	}
	type quotedString struct {
		S string `json:"s,string"`
	}
	cases := map[string]struct {
		reason string
		v      any
	}{
		"NotAPointer":  {reason: "Only a pointer to a struct encodes to a Struct.", v: features{}},
		"NilPointer":   {reason: "A nil pointer has nothing to encode.", v: (*features)(nil)},
		"Func":         {reason: "A func has no JSON form.", v: &withFunc{F: func() {}}},
		"IntKeys":      {reason: "Map keys must be strings: Kubernetes types use no others.", v: &withIntKeys{M: map[int]string{1: "a"}}},
		"NaN":          {reason: "NaN has no JSON form.", v: &withNaN{F: nanValue()}},
		"QuotedString": {reason: "A string with the ,string option is not supported: no Kubernetes type uses it.", v: &quotedString{S: "s"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := encodeTyped(tc.v); err == nil {
				t.Errorf("%s\nencodeTyped(...): no error", tc.reason)
			}
		})
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

// composedKinds makes an empty object of each kind the function composes.
var composedKinds = map[string]func() any{
	"Deployment":              func() any { return &appsv1.Deployment{} },
	"Service":                 func() any { return &corev1.Service{} },
	"ServiceAccount":          func() any { return &corev1.ServiceAccount{} },
	"ConfigMap":               func() any { return &corev1.ConfigMap{} },
	"HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"PodDisruptionBudget":     func() any { return &policyv1.PodDisruptionBudget{} },
	"NetworkPolicy":           func() any { return &networkingv1.NetworkPolicy{} },
	"ServiceMonitor":          func() any { return &monitoringv1.ServiceMonitor{} },
	"PrometheusRule":          func() any { return &monitoringv1.PrometheusRule{} },
}

// randomFiller fills objects with random values, from seed, that their
// own marshalers accept: parsed quantities, valid times and managed fields.
func randomFiller(seed int64) *randfill.Filler {
	quantities := []string{"0", "100m", "1500m", "2", "512Mi", "1Gi", "1e3", "1.5"}
	return randfill.NewWithSeed(seed).NilChance(0.2).NumElements(0, 2).MaxDepth(12).Funcs(
		func(q *resource.Quantity, c randfill.Continue) {
			*q = resource.MustParse(quantities[c.Intn(len(quantities))])
		},
		func(i *intstr.IntOrString, c randfill.Continue) {
			if c.Intn(2) == 0 {
				*i = intstr.FromInt32(c.Int31())
			} else {
				*i = intstr.FromString(c.String(8))
			}
		},
		func(tm *metav1.Time, c randfill.Continue) {
			*tm = metav1.Unix(c.Int63n(4_000_000_000), 0)
		},
		func(fv *metav1.FieldsV1, c randfill.Continue) {
			if err := fv.UnmarshalJSON(fmt.Appendf(nil, `{"f:metadata":{"f:labels":{"f:%d":{}}}}`, c.Intn(100))); err != nil {
				panic(err)
			}
		},
		func(tm *metav1.MicroTime, c randfill.Continue) {
			*tm = metav1.NewMicroTime(time.Unix(c.Int63n(4_000_000_000), c.Int63n(1e9)))
		},
	)
}

// matchesJSON fails t unless the encoder writes o as encoding/json does.
func matchesJSON(t *testing.T, o any) {
	t.Helper()
	want, wantErr := viaJSON(t, o)
	got, err := encodeTyped(o)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("encodeTyped(%T): error %v, encoding/json's error %v", o, err, wantErr)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Fatalf("encodeTyped(%T) differs from encoding/json: -want, +got:\n%s", o, diff)
	}
}

// TestEncoderMatchesJSON fills every kind the function composes with
// random values and compares the encoder with encoding/json.
func TestEncoderMatchesJSON(t *testing.T) {
	t.Parallel()
	for kind, newObj := range composedKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := randomFiller(int64(len(kind)))
			for i := range 50 {
				o := newObj()
				f.Fill(o)
				t.Run(strconv.Itoa(i), func(t *testing.T) { matchesJSON(t, o) })
			}
		})
	}
}

// FuzzEncoderMatchesJSON: whatever the seed, a random object of each kind
// encodes as encoding/json writes it.
func FuzzEncoderMatchesJSON(f *testing.F) {
	for _, seed := range []int64{0, 1, 42, -7} {
		f.Add(seed)
	}
	kinds := slices.Sorted(maps.Keys(composedKinds))
	f.Fuzz(func(t *testing.T, seed int64) {
		fill := randomFiller(seed)
		for _, kind := range kinds {
			o := composedKinds[kind]()
			fill.Fill(o)
			matchesJSON(t, o)
		}
	})
}

// BenchmarkEncoder encodes a Deployment of every field filled, through
// encoding/json and protojson as the SDK's helpers do, and with an Encoder.
func BenchmarkEncoder(b *testing.B) {
	d := &appsv1.Deployment{}
	randomFiller(1).NilChance(0).Fill(d)
	b.Run("encoding/json+protojson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			j, err := json.Marshal(d)
			if err != nil {
				b.Fatal(err)
			}
			if err := protojson.Unmarshal(j, &structpb.Struct{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Encoder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := GetEncoder()
			if _, err := e.Object(d, "status"); err != nil {
				b.Fatal(err)
			}
			PutEncoder(e)
		}
	})
}

// TestEncoderSharesStrings: within one response equal strings are one
// Value; after reset, the next response shares nothing with the last.
func TestEncoderSharesStrings(t *testing.T) {
	type named struct {
		Name  string            `json:"name"`
		Other string            `json:"other"`
		Tags  map[string]string `json:"tags"`
	}
	e := NewEncoder()
	first, err := e.Object(&named{Name: "agent", Other: "x", Tags: map[string]string{"k": "agent"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Object(&named{Name: "agent"}, "")
	if err != nil {
		t.Fatal(err)
	}
	e.Reset()
	next, err := e.Object(&named{Name: "agent"}, "")
	if err != nil {
		t.Fatal(err)
	}
	type shared struct{ WithinObject, AcrossObjects, AcrossResponses bool }
	name := func(s *structpb.Struct) *structpb.Value { return s.GetFields()["name"] }
	got := shared{
		WithinObject:    name(first) == first.GetFields()["tags"].GetStructValue().GetFields()["k"],
		AcrossObjects:   name(first) == name(second),
		AcrossResponses: name(first) == name(next),
	}
	if diff := cmp.Diff(shared{WithinObject: true, AcrossObjects: true}, got); diff != "" {
		t.Errorf("equal strings share a Value within a response only: -want, +got:\n%s", diff)
	}
}
