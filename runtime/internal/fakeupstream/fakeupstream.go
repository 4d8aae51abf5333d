// Package fakeupstream is an OpenAI-compatible server that answers at once,
// for benchmarks of the runtime's own cost: a completion, or a stream of
// chunks that can be held open.
package fakeupstream

import (
	"io"
	"net/http"
	"strings"
)

// Completion is a Chat Completions answer.
const Completion = `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o",` +
	`"choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?"},"finish_reason":"stop"}],` +
	`"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4}}}`

// Chunks of a streamed answer, ending with the usage and [DONE].
var Chunks = []string{
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`,
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}`,
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"! How can I help?"},"finish_reason":null}]}`,
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`,
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}`,
	`[DONE]`,
}

// Handler answers POST .../chat/completions. A streaming request gets
// Chunks; when hold is not nil, the stream stops after its first chunk
// until hold is closed.
func Handler(hold <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(b), `"stream":true`) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, Completion)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		f, _ := w.(http.Flusher)
		for i, c := range Chunks {
			_, _ = io.WriteString(w, "data: "+c+"\n\n")
			if f != nil {
				f.Flush()
			}
			if i == 1 && hold != nil {
				select {
				case <-hold:
				case <-r.Context().Done():
					return
				}
			}
		}
	})
}
