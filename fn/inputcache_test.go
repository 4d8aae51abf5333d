package fn

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	sdkresource "github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/fn/settings"
)

// quantityEqual compares quantities by value: a parsed and a copied quantity
// may differ in their cached string.
var quantityEqual = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

// inputJSON is an input as a Composition holds it.
func inputJSON(json string) *structpb.Struct {
	return sdkresource.MustStructJSON(`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input"` + json + `}`)
}

// countingCache is a cache of at most limit inputs that counts how often it
// resolves one.
func countingCache(limit int) (*inputCache, *int) {
	c := newInputCache(limit)
	resolves := new(int)
	c.resolve = func(in *structpb.Struct) (*settings.Settings, field.ErrorList) {
		*resolves++
		return resolveInput(in)
	}
	return c, resolves
}

// messages are the errors' texts, which the function reports.
func messages(errs field.ErrorList) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestInputCache(t *testing.T) {
	a := inputJSON(`,"resourceNamePrefix":"a-"`)
	b := inputJSON(`,"resourceNamePrefix":"b-"`)
	c := inputJSON(`,"resourceNamePrefix":"c-"`)
	production := compositionInput(t, "agentdeployment.yaml")
	typo := inputJSON(`,"gatway":{}`)
	tooHigh := inputJSON(`,"alerts":{"errorRatePercent":150}`)
	zero := inputJSON(`,"alerts":{"errorRatePercent":0}`)
	negativeZero := proto.CloneOf(zero)
	negativeZero.GetFields()["alerts"].GetStructValue().GetFields()["errorRatePercent"] = structpb.NewNumberValue(math.Copysign(0, -1))
	big := inputJSON(`,"resourceNamePrefix":"` + strings.Repeat("x", maxCachedInputBytes) + `"`)

	cases := map[string]struct {
		reason       string
		limit        int
		calls        []*structpb.Struct
		wantResolves int
	}{
		"Hit": {
			reason:       "The second call with the same input resolves nothing.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{production, production},
			wantResolves: 1,
		},
		"EqualInputHits": {
			reason:       "An equal input in another Struct, as every gRPC request has, is a hit.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{production, proto.CloneOf(production)},
			wantResolves: 1,
		},
		"DifferentInputs": {
			reason:       "Each distinct input resolves once, then hits.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{production, a, b, production, a, b},
			wantResolves: 3,
		},
		"Eviction": {
			reason:       "A full cache evicts the oldest input not used since it was cached.",
			limit:        2,
			calls:        []*structpb.Struct{a, b, c, a},
			wantResolves: 4,
		},
		"SecondChance": {
			reason:       "An input used again survives an eviction that a one-off input does not.",
			limit:        2,
			calls:        []*structpb.Struct{a, b, a, c, a},
			wantResolves: 3,
		},
		"InvalidInputCached": {
			reason:       "An input with an unknown field is refused with the same errors, resolved once.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{typo, typo},
			wantResolves: 1,
		},
		"InvalidSettingsCached": {
			reason:       "An input that decodes but does not resolve is refused with the same errors, resolved once.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{tooHigh, proto.CloneOf(tooHigh)},
			wantResolves: 1,
		},
		"NilInput": {
			reason:       "A Composition without input resolves the defaults once.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{nil, nil},
			wantResolves: 1,
		},
		"NilIsNotEmpty": {
			reason:       "No input and an empty input are distinct inputs.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{nil, {}, nil, {}},
			wantResolves: 2,
		},
		"NegativeZero": {
			reason:       "Numbers compare by their bits: -0 is not 0.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{zero, negativeZero, zero, negativeZero},
			wantResolves: 2,
		},
		"TooBig": {
			reason:       "An input bigger than the bound is resolved on every call.",
			limit:        defaultInputCacheSize,
			calls:        []*structpb.Struct{big, big},
			wantResolves: 2,
		},
		"NoCache": {
			reason:       "A cache of no entries resolves every call.",
			limit:        0,
			calls:        []*structpb.Struct{a, a},
			wantResolves: 2,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cache, resolves := countingCache(tc.limit)
			for i, in := range tc.calls {
				wantS, wantErrs := resolveInput(in)
				s, errs := cache.settingsFor(in)
				if diff := cmp.Diff(wantS, s, quantityEqual); diff != "" {
					t.Errorf("%s\nsettingsFor(call %d): -want settings, +got:\n%s", tc.reason, i, diff)
				}
				if diff := cmp.Diff(messages(wantErrs), messages(errs)); diff != "" {
					t.Errorf("%s\nsettingsFor(call %d): -want errors, +got:\n%s", tc.reason, i, diff)
				}
			}
			if diff := cmp.Diff(tc.wantResolves, *resolves); diff != "" {
				t.Errorf("%s\nsettingsFor(...): -want resolves, +got:\n%s", tc.reason, diff)
			}
			if n := len(entries(cache)); n > tc.limit {
				t.Errorf("%s\nsettingsFor(...): %d entries, more than the limit of %d", tc.reason, n, tc.limit)
			}
		})
	}
}

func entries(c *inputCache) []*cachedInput {
	if e := c.entries.Load(); e != nil {
		return *e
	}
	return nil
}

// TestInputCacheKeepsItsOwnCopy changes a request's input after the call: the
// cache must not see the change.
func TestInputCacheKeepsItsOwnCopy(t *testing.T) {
	cache, resolves := countingCache(defaultInputCacheSize)
	in := inputJSON(`,"resourceNamePrefix":"a-"`)
	first, _ := cache.settingsFor(in)
	in.GetFields()["resourceNamePrefix"] = structpb.NewStringValue("b-")
	changed, _ := cache.settingsFor(in)
	again, _ := cache.settingsFor(inputJSON(`,"resourceNamePrefix":"a-"`))

	got := map[string]any{"resolves": *resolves, "changed": changed.ResourceNamePrefix, "again is first": again == first}
	want := map[string]any{"resolves": 2, "changed": "b-", "again is first": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settingsFor(...): -want, +got:\n%s", diff)
	}
}

// TestInputCacheErrorsAreShielded appends to the errors of a cached input:
// the next call must get the cached errors alone.
func TestInputCacheErrorsAreShielded(t *testing.T) {
	cache := newInputCache(defaultInputCacheSize)
	in := inputJSON(`,"gatway":{},"monitorng":{}`)
	_, errs := cache.settingsFor(in)
	want := messages(errs)
	_ = append(errs, field.Invalid(field.NewPath("x"), "x", "appended by a caller"))
	_, again := cache.settingsFor(in)
	if diff := cmp.Diff(want, messages(again)); diff != "" {
		t.Errorf("settingsFor(...): -want errors, +got:\n%s", diff)
	}
}

// TestInputCacheConcurrent has goroutines resolve a few inputs through a
// cache smaller than they are, so that lookups, inserts and evictions race:
// -race finds any unsynchronised access, and every call must get its input's
// settings.
func TestInputCacheConcurrent(t *testing.T) {
	inputs := []*structpb.Struct{
		nil,
		compositionInput(t, "agentdeployment.yaml"),
		inputJSON(`,"resourceNamePrefix":"a-"`),
		inputJSON(`,"resourceNamePrefix":"b-"`),
		inputJSON(`,"gatway":{}`),
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		s, errs := resolveInput(in)
		want[i] = prefixOf(s) + strings.Join(messages(errs), ";")
	}
	cache := newInputCache(3)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 200 {
				i := (g + n) % len(inputs)
				// Each call sees its own Struct, as over gRPC.
				s, errs := cache.settingsFor(proto.CloneOf(inputs[i]))
				if got := prefixOf(s) + strings.Join(messages(errs), ";"); got != want[i] {
					t.Errorf("settingsFor(input %d): want %q, got %q", i, want[i], got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func prefixOf(s *settings.Settings) string {
	if s == nil {
		return ""
	}
	return s.ResourceNamePrefix
}

// TestCallsLeaveTheSettingsUnchanged runs the function concurrently on
// several agents sharing one input, then checks the cached settings against
// freshly resolved ones: no call may write to the settings it shares, and
// every response must be that of a Function of its own.
func TestCallsLeaveTheSettingsUnchanged(t *testing.T) {
	input := compositionInput(t, "agentdeployment.yaml")
	input.GetFields()["defaultResources"] = structpb.NewStructValue(sdkresource.MustStructJSON(`{"requests":{"cpu":"300m"},"limits":{"memory":"2Gi"}}`))
	input.GetFields()["models"] = structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{
		structpb.NewStructValue(sdkresource.MustStructJSON(`{"name":"my-model","provider":"openai","image":"registry.example.com/agent:v1","endpoint":"https://llm.example.com/v1"}`)),
	}})
	examples := []string{"minimal.yaml", "production-claude-agent.yaml", "self-hosted-llama.yaml", "autoscaling-off.yaml", "vault.yaml"}
	requests := make([]*fnv1.RunFunctionRequest, len(examples))
	want := make([]*fnv1.RunFunctionResponse, len(examples))
	for i, e := range examples {
		requests[i] = newRequest(t, exampleXR(t, e), input, nil)
		want[i] = run(t, proto.CloneOf(requests[i]))
		// Only calls that compose read the settings throughout.
		if n := len(want[i].GetDesired().GetResources()); n == 0 {
			t.Fatalf("RunFunction(%s): composes nothing: %v", e, want[i].GetResults())
		}
	}

	f := NewFunction(logging.NewNopLogger())
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for n := range 10 {
				i := (g + n) % len(requests)
				rsp, err := f.RunFunction(t.Context(), proto.CloneOf(requests[i]))
				if err != nil {
					t.Errorf("RunFunction(%s): %v", examples[i], err)
					return
				}
				if diff := cmp.Diff(want[i], rsp, protocmp.Transform()); diff != "" {
					t.Errorf("RunFunction(%s): -want (a Function of its own), +got:\n%s", examples[i], diff)
					return
				}
			}
		})
	}
	wg.Wait()

	fresh, _ := resolveInput(input)
	cached, _ := f.inputs.settingsFor(input)
	if diff := cmp.Diff(fresh, cached, quantityEqual); diff != "" {
		t.Errorf("settingsFor(...) after the calls: -want (freshly resolved), +got (cached):\n%s", diff)
	}
}

// BenchmarkInputComparison compares the input of the Composition
// (compositions/agentdeployment.yaml) with an equal copy, as a cache hit
// does, and resolves it, as a miss does.
func BenchmarkInputComparison(b *testing.B) {
	in := inputJSON(`,"gateway":{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"agent-gateway"}}},` +
		`"monitoring":{"labels":{"release":"prometheus"},"scrapeInterval":"30s","scrapeTimeout":"10s"},` +
		`"alerts":{"errorRatePercent":5,"errorRateFor":"5m","costPerHourUSD":100,"costFor":"15m"}`)
	other := proto.CloneOf(in)
	b.Run("proto.Equal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !proto.Equal(in, other) {
				b.Fatal("not equal")
			}
		}
	})
	b.Run("structsEqual", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !structsEqual(in, other) {
				b.Fatal("not equal")
			}
		}
	})
	b.Run("fingerprint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fingerprint(other)
		}
	})
	b.Run("resolveInput", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := resolveInput(other); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
}
