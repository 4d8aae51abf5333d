package observed_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/wire"
	"github.com/agentops-io/agentops/fn/observed"
)

// TestTrimRequest trims every request of observedCases on the wire and
// requires of the decoded result: each observed object holds exactly the
// fields the function reads of it, everything else in the request is as
// sent, and RunFunction answers as it does to the whole request.
func TestTrimRequest(t *testing.T) {
	for name, tc := range observedCases(t) {
		t.Run(name, func(t *testing.T) {
			req := tc.req(t)
			wire, err := proto.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			trimmed, ok := observed.TrimRequest(nil, wire)
			if !ok {
				t.Fatalf("%s\nTrimRequest(...): false, want the request trimmed", tc.reason)
			}
			got := &fnv1.RunFunctionRequest{}
			if err := proto.Unmarshal(trimmed, got); err != nil {
				t.Fatalf("%s\nthe trimmed request does not decode: %v", tc.reason, err)
			}

			want := observed.ReadFields(req.GetObserved().GetComposite().GetResource(), observed.CompositeWireRead)
			if diff := cmp.Diff(want, got.GetObserved().GetComposite().GetResource().AsMap()); diff != "" {
				t.Errorf("%s\nthe trimmed XR: -want (the fields read), +got:\n%s", tc.reason, diff)
			}
			for key, r := range req.GetObserved().GetResources() {
				want := observed.ReadComposed(r.GetResource())
				if diff := cmp.Diff(want, got.GetObserved().GetResources()[key].GetResource().AsMap()); diff != "" {
					t.Errorf("%s\nthe trimmed %s: -want (the fields read), +got:\n%s", tc.reason, key, diff)
				}
			}
			if diff := cmp.Diff(withoutObjects(req), withoutObjects(got), protocmp.Transform()); diff != "" {
				t.Errorf("%s\nthe request but its observed objects: -sent, +trimmed:\n%s", tc.reason, diff)
			}

			_ = sameResponse(t, tc.reason, req, got)
		})
	}
}

// withoutObjects is req with its observed objects removed, their Resources
// otherwise kept.
func withoutObjects(req *fnv1.RunFunctionRequest) *fnv1.RunFunctionRequest {
	out := proto.CloneOf(req)
	if c := out.GetObserved().GetComposite(); c != nil {
		c.Resource = nil
	}
	for _, r := range out.GetObserved().GetResources() {
		r.Resource = nil
	}
	return out
}

// TestTrimRequestEdges covers wire the Go encoder does not write, and
// objects trimmed in part or kept whole.
func TestTrimRequestEdges(t *testing.T) {
	object := func(t *testing.T, json string) *structpb.Struct {
		t.Helper()
		s := &structpb.Struct{}
		if err := s.UnmarshalJSON([]byte(json)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	// observedEntry is the wire of a request whose only observed composed
	// resource, "deployment", is the Resource r.
	observedEntry := func(r []byte) []byte {
		entry := protowire.AppendTag(nil, wire.MapEntryKey, protowire.BytesType)
		entry = protowire.AppendString(entry, "deployment")
		entry = protowire.AppendTag(entry, wire.MapEntryValue, protowire.BytesType)
		entry = protowire.AppendBytes(entry, r)
		state := protowire.AppendTag(nil, observed.StateResources, protowire.BytesType)
		state = protowire.AppendBytes(state, entry)
		req := protowire.AppendTag(nil, observed.RequestObserved, protowire.BytesType)
		return protowire.AppendBytes(req, state)
	}
	marshal := func(t *testing.T, m proto.Message) []byte {
		t.Helper()
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	resource := func(t *testing.T, json string) []byte {
		t.Helper()
		return marshal(t, &fnv1.Resource{Resource: object(t, json)})
	}
	deployment := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","managedFields":[{"manager":"kubectl"}]},"spec":{"replicas":2,"template":{"spec":{}}}}`

	type args struct {
		wire func(t *testing.T) []byte
	}
	type want struct {
		ok bool
		// composed is the observed composed resource decoded from the
		// trimmed wire, if ok.
		composed map[string]any
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"Empty": {
			reason: "An empty request has nothing to trim.",
			args:   args{wire: func(*testing.T) []byte { return nil }},
			want:   want{ok: true},
		},
		"Deployment": {
			reason: "A Deployment keeps the fields read of a Deployment: not its managed fields nor its pod template.",
			args:   args{wire: func(t *testing.T) []byte { return observedEntry(resource(t, deployment)) }},
			want: want{ok: true, composed: map[string]any{
				"apiVersion": "apps/v1", "kind": "Deployment",
				"metadata": map[string]any{"name": "a"},
				"spec":     map[string]any{"replicas": float64(2)},
			}},
		},
		"NoneRead": {
			reason: "An object none of whose fields is read, not even its kind, is kept whole, as observed.ReadComposed reads it.",
			args:   args{wire: func(t *testing.T) []byte { return observedEntry(resource(t, `{"spec":{"replicas":2}}`)) }},
			want:   want{ok: true, composed: map[string]any{"spec": map[string]any{"replicas": float64(2)}}},
		},
		"ReadFieldNotAnObject": {
			reason: "A value that is not an object where fields within it are read is kept whole.",
			args: args{wire: func(t *testing.T) []byte {
				return observedEntry(resource(t, `{"apiVersion":"apps/v1","kind":"Deployment","status":"broken"}`))
			}},
			want: want{ok: true, composed: map[string]any{
				"apiVersion": "apps/v1", "kind": "Deployment", "status": "broken",
			}},
		},
		"KindNotAString": {
			reason: "A kind that is not a string reads as none: the fields common to every kind are kept.",
			args: args{wire: func(t *testing.T) []byte {
				return observedEntry(resource(t, `{"apiVersion":"apps/v1","kind":7,"metadata":{"name":"a","uid":"u"}}`))
			}},
			want: want{ok: true, composed: map[string]any{
				"apiVersion": "apps/v1", "kind": float64(7), "metadata": map[string]any{"name": "a"},
			}},
		},
		"ObjectTwice": {
			reason: "Two objects in one Resource are merged by the decoder: not trimmed apart.",
			args: args{wire: func(t *testing.T) []byte {
				return observedEntry(append(resource(t, deployment), resource(t, `{"status":{}}`)...))
			}},
			want: want{ok: false},
		},
		"EntryWithUnknownField": {
			reason: "A map entry with a field besides its key and value is not trimmed.",
			args: args{wire: func(t *testing.T) []byte {
				entry := protowire.AppendTag(nil, wire.MapEntryKey, protowire.BytesType)
				entry = protowire.AppendString(entry, "kind")
				entry = protowire.AppendTag(entry, 3, protowire.VarintType)
				entry = protowire.AppendVarint(entry, 1)
				obj := protowire.AppendTag(nil, wire.StructFields, protowire.BytesType)
				obj = protowire.AppendBytes(obj, entry)
				r := protowire.AppendTag(nil, observed.ResourceObject, protowire.BytesType)
				return observedEntry(protowire.AppendBytes(r, obj))
			}},
			want: want{ok: false},
		},
		"KindWithTwoValues": {
			reason: "A kind's Value of two fields is not read as a kind: the request is not trimmed.",
			args: args{wire: func(t *testing.T) []byte {
				value := marshal(t, structpb.NewStringValue("Deployment"))
				value = append(value, marshal(t, structpb.NewStringValue("Service"))...)
				entry := protowire.AppendTag(nil, wire.MapEntryKey, protowire.BytesType)
				entry = protowire.AppendString(entry, "kind")
				entry = protowire.AppendTag(entry, wire.MapEntryValue, protowire.BytesType)
				entry = protowire.AppendBytes(entry, value)
				obj := protowire.AppendTag(nil, wire.StructFields, protowire.BytesType)
				obj = protowire.AppendBytes(obj, entry)
				r := protowire.AppendTag(nil, observed.ResourceObject, protowire.BytesType)
				return observedEntry(protowire.AppendBytes(r, obj))
			}},
			want: want{ok: false},
		},
		"Truncated": {
			reason: "A malformed request is left for the decoder to refuse.",
			args: args{wire: func(t *testing.T) []byte {
				b := observedEntry(resource(t, deployment))
				return b[:len(b)-1]
			}},
			want: want{ok: false},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			wire := tc.args.wire(t)
			prefix := []byte("kept")
			trimmed, ok := observed.TrimRequest(prefix, wire)
			if ok != tc.want.ok {
				t.Fatalf("%s\nTrimRequest(...): %t, want %t", tc.reason, ok, tc.want.ok)
			}
			if string(trimmed[:len(prefix)]) != string(prefix) {
				t.Fatalf("%s\nTrimRequest(dst, ...) changed dst's bytes: %q", tc.reason, trimmed[:len(prefix)])
			}
			if !ok {
				if len(trimmed) != len(prefix) {
					t.Errorf("%s\nTrimRequest(...) appended %d bytes and returned false", tc.reason, len(trimmed)-len(prefix))
				}
				return
			}
			got := &fnv1.RunFunctionRequest{}
			if err := proto.Unmarshal(trimmed[len(prefix):], got); err != nil {
				t.Fatalf("%s\nthe trimmed request does not decode: %v", tc.reason, err)
			}
			var composed map[string]any
			if r := got.GetObserved().GetResources()[string(compose.KeyDeployment)]; r != nil {
				composed = r.GetResource().AsMap()
			}
			if diff := cmp.Diff(tc.want.composed, composed); diff != "" {
				t.Errorf("%s\nthe trimmed deployment: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// FuzzTrimRequest: whatever the bytes, a request trimmed decodes where the
// whole one does, and the function reads the same observed state of both.
func FuzzTrimRequest(f *testing.F) {
	for _, tc := range observedCases(f) {
		wire, err := proto.Marshal(tc.req(f))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(wire)
	}
	f.Fuzz(func(t *testing.T, wire []byte) {
		whole := &fnv1.RunFunctionRequest{}
		if err := proto.Unmarshal(wire, whole); err != nil {
			return
		}
		trimmed, ok := observed.TrimRequest(nil, wire)
		if !ok {
			return
		}
		got := &fnv1.RunFunctionRequest{}
		if err := proto.Unmarshal(trimmed, got); err != nil {
			t.Fatalf("the request decodes whole, but not trimmed: %v", err)
		}
		if diff := cmp.Diff(observed.Composite(whole), observed.Composite(got)); diff != "" {
			t.Errorf("observed.Composite: -whole, +trimmed:\n%s", diff)
		}
		if diff := cmp.Diff(observed.Composed(whole), observed.Composed(got)); diff != "" {
			t.Errorf("observed.Composed: -whole, +trimmed:\n%s", diff)
		}
	})
}

// BenchmarkTrimRequest cuts the steady-state request on the wire, as the
// server does before decoding it.
func BenchmarkTrimRequest(b *testing.B) {
	wire, err := proto.Marshal(benchRequest("steady", 0)(b))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, len(wire))
	b.ReportAllocs()
	b.SetBytes(int64(len(wire)))
	var trimmed []byte
	for b.Loop() {
		var ok bool
		if trimmed, ok = observed.TrimRequest(buf[:0], wire); !ok {
			b.Fatal("not trimmed")
		}
	}
	b.ReportMetric(float64(len(trimmed)), "trimmed-bytes")
}

// sameResponse fails unless the function answers the trimmed request got
// exactly as it answers the whole request req, and returns that answer.
func sameResponse(t *testing.T, reason string, req, got *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	f := fn.NewFunction(logging.NewNopLogger())
	wantRsp, err := f.RunFunction(t.Context(), proto.CloneOf(req))
	if err != nil {
		t.Fatal(err)
	}
	gotRsp, err := f.RunFunction(t.Context(), got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRsp, gotRsp, protocmp.Transform()); diff != "" {
		t.Errorf("%s\nRunFunction: -want (the whole request), +got (trimmed):\n%s", reason, diff)
	}
	return gotRsp
}
