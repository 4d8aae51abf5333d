package metrics

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"

	"github.com/agentops-io/agentops/runtime/provider"
)

// A Price is dollars per million tokens. CachedInput is a prompt-cache read,
// CacheWrite a cache creation (Anthropic); zero means the input price.
type Price struct {
	Input       float64 `json:"input"`
	Output      float64 `json:"output"`
	CachedInput float64 `json:"cachedInput,omitempty"`
	CacheWrite  float64 `json:"cacheWrite,omitempty"`
}

// Prices by model name.
type Prices map[string]Price

// Builtin are the providers' published list prices for the catalog's hosted
// models, in USD per million tokens (standard tier, prompts up to 200k
// tokens). Self-hosted models are absent: they cost 0 per token.
var Builtin = Prices{
	"claude-3-opus":     {Input: 15, Output: 75, CachedInput: 1.5, CacheWrite: 18.75},
	"claude-3-sonnet":   {Input: 3, Output: 15, CachedInput: 0.3, CacheWrite: 3.75},
	"claude-haiku-4-5":  {Input: 1, Output: 5, CachedInput: 0.1, CacheWrite: 1.25},
	"claude-opus-4-1":   {Input: 15, Output: 75, CachedInput: 1.5, CacheWrite: 18.75},
	"claude-sonnet-4-5": {Input: 3, Output: 15, CachedInput: 0.3, CacheWrite: 3.75},
	"gemini-2.5-flash":  {Input: 0.3, Output: 2.5, CachedInput: 0.075},
	"gemini-2.5-pro":    {Input: 1.25, Output: 10, CachedInput: 0.31},
	"gemini-pro":        {Input: 0.5, Output: 1.5},
	"gpt-3.5-turbo":     {Input: 0.5, Output: 1.5},
	"gpt-4":             {Input: 30, Output: 60},
	"gpt-4.1":           {Input: 2, Output: 8, CachedInput: 0.5},
	"gpt-4o":            {Input: 2.5, Output: 10, CachedInput: 1.25},
	"gpt-5":             {Input: 1.25, Output: 10, CachedInput: 0.125},
	"gpt-5-mini":        {Input: 0.25, Output: 2, CachedInput: 0.025},
	"mistral-large":     {Input: 2, Output: 6},
}

// LoadPrices is Builtin with the entries of the JSON file at path (none when
// path is empty) in place of its own.
func LoadPrices(path string) (Prices, error) {
	p := maps.Clone(Builtin)
	if path == "" {
		return p, nil
	}
	b, err := os.ReadFile(path) //nolint:gosec // PRICES_FILE is the platform's configuration
	if err != nil {
		return nil, fmt.Errorf("PRICES_FILE: %w", err)
	}
	var override Prices
	if err := json.Unmarshal(b, &override); err != nil {
		return nil, fmt.Errorf("PRICES_FILE %s: not a price table (%w)", path, err)
	}
	for model, price := range override {
		if price.Input < 0 || price.Output < 0 || price.CachedInput < 0 || price.CacheWrite < 0 {
			return nil, fmt.Errorf("PRICES_FILE %s: %s: prices may not be negative", path, model)
		}
	}
	maps.Copy(p, override)
	return p, nil
}

// Cost is the dollars a call of model with usage u cost.
func (p Prices) Cost(model string, u provider.Usage) float64 {
	price, ok := p[model]
	if !ok {
		return 0
	}
	or := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return v
	}
	uncached := max(0, u.Prompt-u.CacheRead-u.CacheWrite)
	usd := float64(uncached)*price.Input +
		float64(u.CacheRead)*or(price.CachedInput, price.Input) +
		float64(u.CacheWrite)*or(price.CacheWrite, price.Input) +
		float64(u.Completion)*price.Output
	return usd / 1e6
}
