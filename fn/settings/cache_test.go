package settings

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/util/validation/field"

	sdkresource "github.com/crossplane/function-sdk-go/resource"
)

// inputJSON is an input as a Composition holds it.
func inputJSON(json string) *structpb.Struct {
	return sdkresource.MustStructJSON(`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input"` + json + `}`)
}

// productionInput is the input of compositions/agentdeployment.yaml, after
// its apiVersion and kind; fn's TestRunFunctionExamples reads the file.
const productionInput = `,"gateway":{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"agent-gateway"}}},` +
	`"monitoring":{"labels":{"release":"prometheus"},"scrapeInterval":"30s","scrapeTimeout":"10s"},` +
	`"alerts":{"errorRatePercent":5,"errorRateFor":"5m","costPerHourUSD":100,"costFor":"15m"}`

// countingCache is a cache of at most limit inputs that counts how often it
// resolves one.
func countingCache(limit int) (*Cache, *int) {
	c := NewCache(limit)
	resolves := new(int)
	c.resolve = func(in *structpb.Struct) (*Settings, field.ErrorList) {
		*resolves++
		return Read(in)
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
	production := inputJSON(productionInput)
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
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{production, production},
			wantResolves: 1,
		},
		"EqualInputHits": {
			reason:       "An equal input in another Struct, as every gRPC request has, is a hit.",
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{production, proto.CloneOf(production)},
			wantResolves: 1,
		},
		"DifferentInputs": {
			reason:       "Each distinct input resolves once, then hits.",
			limit:        DefaultCacheSize,
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
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{typo, typo},
			wantResolves: 1,
		},
		"InvalidSettingsCached": {
			reason:       "An input that decodes but does not resolve is refused with the same errors, resolved once.",
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{tooHigh, proto.CloneOf(tooHigh)},
			wantResolves: 1,
		},
		"NilInput": {
			reason:       "A Composition without input resolves the defaults once.",
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{nil, nil},
			wantResolves: 1,
		},
		"NilIsNotEmpty": {
			reason:       "No input and an empty input are distinct inputs.",
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{nil, {}, nil, {}},
			wantResolves: 2,
		},
		"NegativeZero": {
			reason:       "Numbers compare by their bits: -0 is not 0.",
			limit:        DefaultCacheSize,
			calls:        []*structpb.Struct{zero, negativeZero, zero, negativeZero},
			wantResolves: 2,
		},
		"TooBig": {
			reason:       "An input bigger than the bound is resolved on every call.",
			limit:        DefaultCacheSize,
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
				wantS, wantErrs := Read(in)
				s, errs := cache.For(in)
				if diff := cmp.Diff(wantS, s, quantityEqual); diff != "" {
					t.Errorf("%s\nFor(call %d): -want settings, +got:\n%s", tc.reason, i, diff)
				}
				if diff := cmp.Diff(messages(wantErrs), messages(errs)); diff != "" {
					t.Errorf("%s\nFor(call %d): -want errors, +got:\n%s", tc.reason, i, diff)
				}
			}
			if diff := cmp.Diff(tc.wantResolves, *resolves); diff != "" {
				t.Errorf("%s\nFor(...): -want resolves, +got:\n%s", tc.reason, diff)
			}
			if n := len(entries(cache)); n > tc.limit {
				t.Errorf("%s\nFor(...): %d entries, more than the limit of %d", tc.reason, n, tc.limit)
			}
		})
	}
}

func entries(c *Cache) []*cachedInput {
	if e := c.entries.Load(); e != nil {
		return *e
	}
	return nil
}

// TestInputCacheKeepsItsOwnCopy changes a request's input after the call: the
// cache must not see the change.
func TestInputCacheKeepsItsOwnCopy(t *testing.T) {
	cache, resolves := countingCache(DefaultCacheSize)
	in := inputJSON(`,"resourceNamePrefix":"a-"`)
	first, _ := cache.For(in)
	in.GetFields()["resourceNamePrefix"] = structpb.NewStringValue("b-")
	changed, _ := cache.For(in)
	again, _ := cache.For(inputJSON(`,"resourceNamePrefix":"a-"`))

	got := map[string]any{"resolves": *resolves, "changed": changed.ResourceNamePrefix, "again is first": again == first}
	want := map[string]any{"resolves": 2, "changed": "b-", "again is first": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("For(...): -want, +got:\n%s", diff)
	}
}

// TestInputCacheErrorsAreShielded appends to the errors of a cached input:
// the next call must get the cached errors alone.
func TestInputCacheErrorsAreShielded(t *testing.T) {
	cache := NewCache(DefaultCacheSize)
	in := inputJSON(`,"gatway":{},"monitorng":{}`)
	_, errs := cache.For(in)
	want := messages(errs)
	_ = append(errs, field.Invalid(field.NewPath("x"), "x", "appended by a caller"))
	_, again := cache.For(in)
	if diff := cmp.Diff(want, messages(again)); diff != "" {
		t.Errorf("For(...): -want errors, +got:\n%s", diff)
	}
}

// TestInputCacheConcurrent has goroutines resolve a few inputs through a
// cache smaller than they are, so that lookups, inserts and evictions race:
// -race finds any unsynchronised access, and every call must get its input's
// settings.
func TestInputCacheConcurrent(t *testing.T) {
	inputs := []*structpb.Struct{
		nil,
		inputJSON(productionInput),
		inputJSON(`,"resourceNamePrefix":"a-"`),
		inputJSON(`,"resourceNamePrefix":"b-"`),
		inputJSON(`,"gatway":{}`),
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		s, errs := Read(in)
		want[i] = prefixOf(s) + strings.Join(messages(errs), ";")
	}
	cache := NewCache(3)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 200 {
				i := (g + n) % len(inputs)
				// Each call sees its own Struct, as over gRPC.
				s, errs := cache.For(proto.CloneOf(inputs[i]))
				if got := prefixOf(s) + strings.Join(messages(errs), ";"); got != want[i] {
					t.Errorf("For(input %d): want %q, got %q", i, want[i], got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func prefixOf(s *Settings) string {
	if s == nil {
		return ""
	}
	return s.ResourceNamePrefix
}

// BenchmarkRead decodes and resolves the input of the Composition, as a
// miss of the cache does; structcodec's BenchmarkEqual is what a hit costs.
func BenchmarkRead(b *testing.B) {
	in := inputJSON(productionInput)
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := Read(in); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
