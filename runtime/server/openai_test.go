package server_test

import (
	"maps"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/config"
)

// Bodies in the Chat Completions API's wire format.
const openAICompletion = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06",
"choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},
"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"}`

var openAIStream = []string{
	`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"! How can I help?"},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}`,
	`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4}}}`,
	`data: [DONE]`,
}

const openAIRateLimited = `{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`

func TestOpenAICompatible(t *testing.T) {
	cases := map[string]struct {
		reason   string
		provider config.Provider
		model    string
		base     string // the catalog's endpoint path
		wantPath string
		wantAuth string
		// wantSent are the fields the runtime must send beyond the messages.
		wantSent map[string]any
	}{
		"OpenAI": {
			reason:   "OpenAI gets max_completion_tokens (max_tokens is deprecated there) and the key as a bearer token.",
			provider: config.OpenAI, model: "gpt-4o", base: "/v1", wantPath: "/v1/chat/completions", wantAuth: "Bearer " + testKey,
			wantSent: map[string]any{"model": "gpt-4o", "max_completion_tokens": float64(1024), "temperature": 0.7},
		},
		"OpenAIReasoning": {
			reason:   "OpenAI's reasoning models refuse any temperature but the default: none is sent.",
			provider: config.OpenAI, model: "gpt-5", base: "/v1", wantPath: "/v1/chat/completions", wantAuth: "Bearer " + testKey,
			wantSent: map[string]any{"model": "gpt-5", "max_completion_tokens": float64(1024)},
		},
		"Mistral": {
			reason:   "Mistral's API takes max_tokens.",
			provider: config.Mistral, model: "mistral-large", base: "/v1", wantPath: "/v1/chat/completions", wantAuth: "Bearer " + testKey,
			wantSent: map[string]any{"model": "mistral-large", "max_tokens": float64(1024), "temperature": 0.7},
		},
		"Gemini": {
			reason:   "Gemini is called on its OpenAI-compatible endpoint, /openai under the catalog's /v1beta.",
			provider: config.Google, model: "gemini-2.5-pro", base: "/v1beta", wantPath: "/v1beta/openai/chat/completions", wantAuth: "Bearer " + testKey,
			wantSent: map[string]any{"model": "gemini-2.5-pro", "max_tokens": float64(1024), "temperature": 0.7},
		},
		"SelfHosted": {
			reason:   "A self-hosted vLLM or TGI server gets no key when none is configured.",
			provider: config.SelfHosted, model: "llama-3.1-8b", base: "/v1", wantPath: "/v1/chat/completions", wantAuth: "",
			wantSent: map[string]any{"model": "llama-3.1-8b", "max_tokens": float64(1024), "temperature": 0.7},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := newUpstream(t, reply{status: http.StatusOK, body: openAICompletion})
			var opts []option
			if tc.wantAuth == "" {
				opts = append(opts, func(c *config.Config) { c.APIKey = "" })
			}
			rt := newRuntime(t, tc.provider, tc.model, up.URL+tc.base, opts...)
			res, body := rt.post(t, `{"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":5000}`)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s\nPOST: want 200, got %d: %s", tc.reason, res.StatusCode, body)
			}
			sent := up.calls()[0]
			if sent.path != tc.wantPath || sent.header.Get("Authorization") != tc.wantAuth {
				t.Errorf("%s\nupstream: want %s with %q, got %s with %q", tc.reason, tc.wantPath, tc.wantAuth, sent.path, sent.header.Get("Authorization"))
			}
			want := map[string]any{"messages": []any{
				map[string]any{"role": "system", "content": testPrompt + "\n\nBe brief."},
				map[string]any{"role": "user", "content": "Hi"},
			}}
			maps.Copy(want, tc.wantSent)
			if diff := cmp.Diff(want, sent.body); diff != "" {
				t.Errorf("%s\nsent: -want, +got:\n%s", tc.reason, diff)
			}
			got := decode[chat.Response](t, body)
			wantUsage := chat.Usage{PromptTokens: 19, CompletionTokens: 10, TotalTokens: 29, PromptTokensDetails: chat.PromptTokensDetails{CachedTokens: 4}}
			if got.Model != tc.model || len(got.Choices) != 1 || got.Choices[0].Message.Content != "Hello! How can I help?" || got.Usage != wantUsage {
				t.Errorf("%s\nresponse: got %+v", tc.reason, got)
			}
		})
	}
}

func TestOpenAIStream(t *testing.T) {
	up := newUpstream(t, reply{events: openAIStream})
	rt := newRuntime(t, config.OpenAI, "gpt-4o", up.URL+"/v1")
	res, body := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}],"stream":true}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST: want 200, got %d: %s", res.StatusCode, body)
	}
	sent := up.calls()[0].body
	if diff := cmp.Diff(map[string]any{"include_usage": true}, sent["stream_options"]); sent["stream"] != true || diff != "" {
		t.Errorf("sent: want stream with include_usage (the usage the metrics need), got stream=%v, stream_options %v", sent["stream"], sent["stream_options"])
	}
	s := readStream(t, body)
	if s.text != "Hello! How can I help?" || s.finish != "stop" || !s.done {
		t.Errorf("stream: got text %q, finish %q, [DONE] %t", s.text, s.finish, s.done)
	}
	if s.usage != nil {
		t.Errorf("stream: the client did not ask for usage, got %+v", s.usage)
	}
}
