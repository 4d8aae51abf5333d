package structcodec

import (
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// mustStruct reads a JSON object as protojson does.
func mustStruct(t testing.TB, json string) *structpb.Struct {
	t.Helper()
	s := &structpb.Struct{}
	if err := protojson.Unmarshal([]byte(json), s); err != nil {
		t.Fatalf("%s: %v", json, err)
	}
	return s
}

func TestEqual(t *testing.T) {
	number := func(n float64) *structpb.Struct {
		return &structpb.Struct{Fields: map[string]*structpb.Value{"n": structpb.NewNumberValue(n)}}
	}
	cases := map[string]struct {
		reason string
		a, b   func(t *testing.T) *structpb.Struct
		want   bool
	}{
		"SameContent": {
			reason: "Structs of the same content are equal, whatever their maps' order.",
			a:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":[1,"x",true,null,{"b":{}}],"c":"d"}`) },
			b:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"c":"d","a":[1,"x",true,null,{"b":{}}]}`) },
			want:   true,
		},
		"StringAndNumber": {
			reason: "A string is not the number it spells.",
			a:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":"1"}`) },
			b:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":1}`) },
		},
		"ObjectAndList": {
			reason: "An empty object is not an empty list.",
			a:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":{}}`) },
			b:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":[]}`) },
		},
		"ListOrder": {
			reason: "A list's order matters.",
			a:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":[1,2]}`) },
			b:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":[2,1]}`) },
		},
		"MissingField": {
			reason: "A field more is a difference.",
			a:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":1}`) },
			b:      func(t *testing.T) *structpb.Struct { return mustStruct(t, `{"a":1,"b":null}`) },
		},
		"NegativeZero": {
			reason: "Numbers compare by their bits: -0 is not 0, unlike proto.Equal.",
			a:      func(*testing.T) *structpb.Struct { return number(0) },
			b:      func(*testing.T) *structpb.Struct { return number(math.Copysign(0, -1)) },
		},
		"NaN": {
			reason: "A NaN equals the same NaN, unlike proto.Equal.",
			a:      func(*testing.T) *structpb.Struct { return number(math.NaN()) },
			b:      func(*testing.T) *structpb.Struct { return number(math.NaN()) },
			want:   true,
		},
		"NilAndEmpty": {
			reason: "A nil Struct is not an empty one.",
			a:      func(*testing.T) *structpb.Struct { return nil },
			b:      func(*testing.T) *structpb.Struct { return &structpb.Struct{} },
		},
		"ValueOfNoKind": {
			reason: "A Value of no kind is not a null.",
			a: func(*testing.T) *structpb.Struct {
				return &structpb.Struct{Fields: map[string]*structpb.Value{"a": {}}}
			},
			b: func(*testing.T) *structpb.Struct {
				return &structpb.Struct{Fields: map[string]*structpb.Value{"a": structpb.NewNullValue()}}
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := tc.a(t), tc.b(t)
			if got := Equal(a, b); got != tc.want {
				t.Errorf("%s\nEqual(...): %t, want %t", tc.reason, got, tc.want)
			}
			if got := Equal(b, a); got != tc.want {
				t.Errorf("%s\nEqual(b, a): %t, want %t", tc.reason, got, tc.want)
			}
			if ha, _ := Fingerprint(a); tc.want {
				if hb, _ := Fingerprint(b); ha != hb {
					t.Errorf("%s\nFingerprint(...): %x and %x, want equal Structs to hash alike", tc.reason, ha, hb)
				}
			}
		})
	}
}

func TestFingerprintSize(t *testing.T) {
	cases := map[string]struct {
		reason string
		json   string
		want   int
	}{
		"Empty":  {reason: "An empty Struct takes nothing beyond itself.", json: `{}`, want: 0},
		"String": {reason: "A field counts its name, a node and its string.", json: `{"ab":"cde"}`, want: 2 + nodeBytes + 3},
		"Nested": {reason: "Nested objects and lists count every node.", json: `{"a":{"b":[1,2]}}`, want: 1 + nodeBytes + 1 + nodeBytes + 2*nodeBytes},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, got := Fingerprint(mustStruct(t, tc.json)); got != tc.want {
				t.Errorf("%s\nFingerprint(%s): size %d, want %d", tc.reason, tc.json, got, tc.want)
			}
		})
	}
}

// FuzzEqual: a Struct equals its copy and hashes alike; two Structs that
// Equal calls equal are equal to proto.Equal too, and hash alike.
func FuzzEqual(f *testing.F) {
	f.Add(`{"a":[1,"x",true,null,{"b":{}}]}`, `{"a":[1,"x",true,null,{"b":{}}]}`)
	f.Add(`{"a":"1"}`, `{"a":1}`)
	f.Add(`{"a":-0}`, `{"a":0}`)
	f.Add(`{}`, `{"a":[]}`)
	f.Fuzz(func(t *testing.T, x, y string) {
		a, b := &structpb.Struct{}, &structpb.Struct{}
		if protojson.Unmarshal([]byte(x), a) != nil || protojson.Unmarshal([]byte(y), b) != nil {
			t.Skip("not a JSON object")
		}
		ha, _ := Fingerprint(a)
		if c := proto.CloneOf(a); !Equal(a, c) {
			t.Fatalf("Equal(%s, its copy): false", x)
		} else if hc, _ := Fingerprint(c); hc != ha {
			t.Fatalf("Fingerprint(%s) differs from its copy's", x)
		}
		if !Equal(a, b) {
			return
		}
		if !proto.Equal(a, b) {
			t.Fatalf("Equal(%s, %s): true, proto.Equal: false", x, y)
		}
		if hb, _ := Fingerprint(b); ha != hb {
			t.Fatalf("Equal(%s, %s) but their fingerprints differ", x, y)
		}
	})
}

// BenchmarkEqual compares an input the size of the Composition's
// (compositions/agentdeployment.yaml) with an equal copy, as a hit of the
// input cache does, by reflection and by a type switch.
func BenchmarkEqual(b *testing.B) {
	in := mustStruct(b, `{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input",`+
		`"gateway":{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"agent-gateway"}}},`+
		`"monitoring":{"labels":{"release":"prometheus"},"scrapeInterval":"30s","scrapeTimeout":"10s"},`+
		`"alerts":{"errorRatePercent":5,"errorRateFor":"5m","costPerHourUSD":100,"costFor":"15m"}}`)
	other := proto.CloneOf(in)
	b.Run("proto.Equal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !proto.Equal(in, other) {
				b.Fatal("not equal")
			}
		}
	})
	b.Run("Equal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !Equal(in, other) {
				b.Fatal("not equal")
			}
		}
	})
	b.Run("Fingerprint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Fingerprint(other)
		}
	})
}
