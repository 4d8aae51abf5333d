// Package catalog is the one list of models AgentOps knows: for each, its
// provider, the agent image that serves it by default, the provider's API
// endpoint and the model's context window.
//
// The AgentDeployment XRD's model enum is generated from it (`make
// generate`), and platform teams extend or override entries through the
// function's input.
package catalog

import (
	"slices"
	"strings"
)

// A Provider serves a model.
type Provider string

// Providers. Every provider but SelfHosted is reached over the internet and
// needs an API key.
const (
	Anthropic  Provider = "anthropic"
	OpenAI     Provider = "openai"
	Google     Provider = "google"
	Mistral    Provider = "mistral"
	SelfHosted Provider = "self-hosted"
)

// Providers lists every provider, for messages and validation.
var Providers = []Provider{Anthropic, OpenAI, Google, Mistral, SelfHosted}

// Hosted reports whether the provider is reached with an API key.
func (p Provider) Hosted() bool { return p != SelfHosted }

// An Entry describes one model.
type Entry struct {
	// Name is what an AgentDeployment's spec.model says.
	Name string
	// Provider serves the model.
	Provider Provider
	// Image of the agent runtime that talks to the model.
	Image string
	// Endpoint is the model's API base URL.
	Endpoint string
	// ContextWindow is the model's context window, in tokens.
	ContextWindow int32
}

// RuntimeImage is the agent runtime this repository builds (runtime/,
// docs/agent-contract.md): one image for every provider, MODEL_PROVIDER
// choosing the adapter. Its tag is the release's (Version, which make
// generate writes from the VERSION file), the packages' own, so the versions
// move together.
const RuntimeImage = "ghcr.io/agentops-io/agent-runtime:" + Version

const (
	anthropicEndpoint = "https://api.anthropic.com/v1"
	openAIEndpoint    = "https://api.openai.com/v1"
	googleEndpoint    = "https://generativelanguage.googleapis.com/v1beta"
	mistralEndpoint   = "https://api.mistral.ai/v1"
)

// selfHostedEndpoint is where a platform serves an open model in-cluster by
// default: a Service named after the model in the llm-serving namespace.
func selfHostedEndpoint(model string) string {
	return "http://" + ServiceName(model) + ".llm-serving.svc.cluster.local:8000/v1"
}

// ServiceName is the name of the Service that serves a self-hosted model:
// the model's name with every character a Service name may not hold (a
// DNS-1035 label: lower case letters, digits and '-') replaced by '-', so
// llama-3.1-8b is served by llama-3-1-8b.
func ServiceName(model string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(model))
}

// builtin is the catalog, sorted by name. Keep it sorted: the XRD enum and
// error messages list models in this order.
var builtin = []Entry{
	{Name: "claude-3-opus", Provider: Anthropic, Image: RuntimeImage, Endpoint: anthropicEndpoint, ContextWindow: 200000},
	{Name: "claude-3-sonnet", Provider: Anthropic, Image: RuntimeImage, Endpoint: anthropicEndpoint, ContextWindow: 200000},
	{Name: "claude-haiku-4-5", Provider: Anthropic, Image: RuntimeImage, Endpoint: anthropicEndpoint, ContextWindow: 200000},
	{Name: "claude-opus-4-1", Provider: Anthropic, Image: RuntimeImage, Endpoint: anthropicEndpoint, ContextWindow: 200000},
	{Name: "claude-sonnet-4-5", Provider: Anthropic, Image: RuntimeImage, Endpoint: anthropicEndpoint, ContextWindow: 1000000},
	{Name: "gemini-2.5-flash", Provider: Google, Image: RuntimeImage, Endpoint: googleEndpoint, ContextWindow: 1048576},
	{Name: "gemini-2.5-pro", Provider: Google, Image: RuntimeImage, Endpoint: googleEndpoint, ContextWindow: 1048576},
	{Name: "gemini-pro", Provider: Google, Image: RuntimeImage, Endpoint: googleEndpoint, ContextWindow: 32760},
	{Name: "gpt-3.5-turbo", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 16385},
	{Name: "gpt-4", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 8192},
	{Name: "gpt-4.1", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 1047576},
	{Name: "gpt-4o", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 128000},
	{Name: "gpt-5", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 400000},
	{Name: "gpt-5-mini", Provider: OpenAI, Image: RuntimeImage, Endpoint: openAIEndpoint, ContextWindow: 400000},
	{Name: "llama-2-13b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("llama-2-13b"), ContextWindow: 4096},
	{Name: "llama-2-70b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("llama-2-70b"), ContextWindow: 4096},
	{Name: "llama-3.1-8b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("llama-3.1-8b"), ContextWindow: 131072},
	{Name: "llama-3.3-70b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("llama-3.3-70b"), ContextWindow: 131072},
	{Name: "mistral-large", Provider: Mistral, Image: RuntimeImage, Endpoint: mistralEndpoint, ContextWindow: 131072},
	{Name: "mixtral-8x7b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("mixtral-8x7b"), ContextWindow: 32768},
	{Name: "qwen-2.5-72b", Provider: SelfHosted, Image: RuntimeImage, Endpoint: selfHostedEndpoint("qwen-2.5-72b"), ContextWindow: 131072},
}

// Builtin returns a copy of the built-in catalog, sorted by name.
func Builtin() []Entry { return slices.Clone(builtin) }

// Names returns the built-in model names, sorted.
func Names() []string {
	names := make([]string, len(builtin))
	for i, e := range builtin {
		names[i] = e.Name
	}
	return names
}
