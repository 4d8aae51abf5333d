package metrics

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentops-io/agentops/runtime/provider"
)

func TestCost(t *testing.T) {
	cases := map[string]struct {
		reason string
		model  string
		usage  provider.Usage
		want   float64
	}{
		"Anthropic": {
			reason: "Uncached input, cache reads, cache writes and output each at their price.",
			model:  "claude-sonnet-4-5",
			usage:  provider.Usage{Prompt: 1_000_000 + 2_000_000 + 100_000, Completion: 10_000, CacheRead: 2_000_000, CacheWrite: 100_000},
			want:   3 + 2*0.3 + 0.1*3.75 + 0.01*15,
		},
		"NoCachePrice": {
			reason: "A cache read of a model without a cache price costs the input price.",
			model:  "gpt-4",
			usage:  provider.Usage{Prompt: 1_000_000, CacheRead: 500_000},
			want:   30,
		},
		"SelfHosted": {
			reason: "A model without a price costs nothing.",
			model:  "llama-3.1-8b",
			usage:  provider.Usage{Prompt: 1_000_000, Completion: 1_000_000},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Builtin.Cost(tc.model, tc.usage); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s\nCost(%s): want %v, got %v", tc.reason, tc.model, tc.want, got)
			}
		})
	}
}

func TestLoadPrices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(path, []byte(`{"claude-sonnet-4-5":{"input":2.4,"output":12},"llama-3.1-8b":{"input":0.1,"output":0.1}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPrices(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p["claude-sonnet-4-5"]; got != (Price{Input: 2.4, Output: 12}) {
		t.Errorf("negotiated price: want it in place of the list price, got %+v", got)
	}
	if got := p["gpt-4o"]; got != Builtin["gpt-4o"] {
		t.Errorf("other models: want the list price, got %+v", got)
	}
	if _, ok := p["llama-3.1-8b"]; !ok {
		t.Errorf("a self-hosted model's price: want it added")
	}
	if err := os.WriteFile(path, []byte(`{"gpt-4o":{"input":-1}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPrices(path); err == nil {
		t.Errorf("a negative price: want an error")
	}
}
