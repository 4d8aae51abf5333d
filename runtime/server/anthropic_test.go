package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/config"
)

// Bodies in the Messages API's wire format (docs.anthropic.com, "Messages"
// and "Streaming Messages").
const anthropicMessage = `{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",
"content":[{"type":"text","text":"Hello! How can I help?"}],"stop_reason":"end_turn","stop_sequence":null,
"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":7}}`

var anthropicStream = []string{
	"event: message_start\ndata: " + `{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":8,"cache_read_input_tokens":100,"output_tokens":1}}}`,
	"event: content_block_start\ndata: " + `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
	"event: ping\ndata: " + `{"type":"ping"}`,
	"event: content_block_delta\ndata: " + `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
	"event: content_block_delta\ndata: " + `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! How can I help?"}}`,
	"event: content_block_stop\ndata: " + `{"type":"content_block_stop","index":0}`,
	"event: message_delta\ndata: " + `{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":7}}`,
	"event: message_stop\ndata: " + `{"type":"message_stop"}`,
}

const anthropicRateLimited = `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`

const chatRequest = `{"model":"whatever","messages":[{"role":"system","content":"Answer briefly."},{"role":"user","content":"Hi there"},` +
	`{"role":"assistant","content":"Hello."},{"role":"user","content":[{"type":"text","text":"How "},{"type":"text","text":"are you?"}]}],"max_tokens":4000}`

func TestAnthropicComplete(t *testing.T) {
	up := newUpstream(t, reply{status: http.StatusOK, body: anthropicMessage})
	rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1")
	res, body := rt.post(t, chatRequest)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST: want 200, got %d: %s", res.StatusCode, body)
	}
	calls := up.calls()
	if len(calls) != 1 {
		t.Fatalf("want one upstream call, got %d", len(calls))
	}
	sent := calls[0]
	if sent.path != "/v1/messages" {
		t.Errorf("upstream path: want /v1/messages, got %s", sent.path)
	}
	// anthropic-sdk-go v2 sends the key as a bearer token (its
	// option.WithAPIKey), no longer as x-api-key.
	if got := sent.header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("authorization: want the configured key as a bearer token, got %q", got)
	}
	if sent.header.Get("Anthropic-Version") == "" {
		t.Errorf("anthropic-version header missing")
	}
	wantSent := map[string]any{
		"model":      "claude-sonnet-4-5",
		"max_tokens": float64(1024),
		"system":     []any{map[string]any{"type": "text", "text": testPrompt + "\n\nAnswer briefly."}},
		"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Hi there"}}},
			map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "Hello."}}},
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "How are you?"}}},
		},
	}
	if diff := cmp.Diff(wantSent, sent.body); diff != "" {
		t.Errorf("sent to Anthropic: the configured prompt first, max_tokens capped at MAX_TOKENS, no temperature; -want, +got:\n%s", diff)
	}
	got := decode[chat.Response](t, body)
	got.ID, got.Created = "", 0
	want := chat.Response{
		Object: "chat.completion", Model: "claude-sonnet-4-5",
		Choices: []chat.Choice{{Message: chat.Message{Role: "assistant", Content: "Hello! How can I help?"}, FinishReason: "stop"}},
		Usage:   chat.Usage{PromptTokens: 112, CompletionTokens: 7, TotalTokens: 119, PromptTokensDetails: chat.PromptTokensDetails{CachedTokens: 100}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response: cache reads count as prompt tokens; -want, +got:\n%s", diff)
	}
}

func TestAnthropicStream(t *testing.T) {
	up := newUpstream(t, reply{events: anthropicStream})
	rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1")
	res, body := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}`)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("POST: want 200 text/event-stream, got %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if sent := up.calls()[0].body; sent["stream"] != true {
		t.Errorf("sent to Anthropic: want stream true, got %v", sent["stream"])
	}
	s := readStream(t, body)
	if s.text != "Hello! How can I help?" || s.finish != "length" || !s.done {
		t.Errorf("stream: got text %q, finish %q, [DONE] %t; want the deltas joined, length (max_tokens), [DONE]", s.text, s.finish, s.done)
	}
	want := &chat.Usage{PromptTokens: 120, CompletionTokens: 7, TotalTokens: 127, PromptTokensDetails: chat.PromptTokensDetails{CachedTokens: 100}}
	if diff := cmp.Diff(want, s.usage); diff != "" {
		t.Errorf("usage chunk: input, cache reads and cache writes are prompt tokens; -want, +got:\n%s", diff)
	}
}

// streamed is what a chat.completion.chunk stream said: the text, the
// finish reason, the usage chunk and whether it ended with [DONE].
type streamed struct {
	text, finish string
	usage        *chat.Usage
	done         bool
}

func readStream(t *testing.T, body []byte) streamed {
	t.Helper()
	var s streamed
	var sb strings.Builder
	for i, e := range events(t, body) {
		if e == "[DONE]" {
			s.done = true
			continue
		}
		c := decode[chat.Chunk](t, []byte(e))
		if c.Object != "chat.completion.chunk" {
			t.Errorf("event %d: object %q", i, c.Object)
		}
		if i == 0 && (len(c.Choices) != 1 || c.Choices[0].Delta.Role != "assistant") {
			t.Errorf("first chunk: want the assistant role, got %s", e)
		}
		if c.Usage != nil {
			s.usage = c.Usage
		}
		for _, ch := range c.Choices {
			sb.WriteString(ch.Delta.Content)
			if ch.FinishReason != nil {
				s.finish = *ch.FinishReason
			}
		}
	}
	s.text = sb.String()
	return s
}

// TestAnthropicStreamError: an error event after some text (Anthropic sends
// overloaded_error mid-stream) ends the client's stream with OpenAI's error
// event, and no [DONE]; the request counts as an error.
func TestAnthropicStreamError(t *testing.T) {
	broken := append(append([]string{}, anthropicStream[:4]...),
		"event: error\ndata: "+`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
	up := newUpstream(t, reply{events: broken})
	rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1")
	res, body := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}],"stream":true}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST: the stream had started, want 200, got %d", res.StatusCode)
	}
	ev := events(t, body)
	last := decode[chat.ErrorBody](t, []byte(ev[len(ev)-1]))
	if last.Error.Type == "" || strings.Contains(string(body), "[DONE]") {
		t.Errorf("stream: want it to end with an error event and no [DONE], got %s", body)
	}
	if got := scrape(t, rt.URL).requests("error"); got != 1 {
		t.Errorf("llm_requests_total{status=error}: want 1, got %v", got)
	}
}
