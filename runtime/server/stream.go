package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/provider"
)

// sse writes a streaming completion as server-sent events. Nothing is
// written before the provider's first piece of text, so a call that fails
// before it (after the SDK's retries) is answered with a status and an error
// body, like a non-streaming one.
type sse struct {
	w       http.ResponseWriter
	flusher http.Flusher
	started bool
	base    chat.Chunk
}

func (e *sse) start() {
	if e.started {
		return
	}
	e.started = true
	h := e.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	e.w.WriteHeader(http.StatusOK)
	e.chunk(chat.Delta{Role: chat.RoleAssistant}, nil, nil)
}

func (e *sse) data(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	_, _ = e.w.Write([]byte("data: "))
	_, _ = e.w.Write(b)
	_, _ = e.w.Write([]byte("\n\n"))
	if e.flusher != nil {
		e.flusher.Flush()
	}
}

func (e *sse) chunk(d chat.Delta, finish *string, u *chat.Usage) {
	c := e.base
	c.Choices = []chat.ChunkChoice{{Delta: d, FinishReason: finish}}
	if u != nil {
		c.Choices = []chat.ChunkChoice{}
		c.Usage = u
	}
	e.data(c)
}

// stream relays the provider's text as chat.completion.chunk events, then
// the finish reason, the usage when asked for, and [DONE].
func (s *Server) stream(ctx context.Context, w http.ResponseWriter, call *provider.Request, id string, includeUsage bool) (*provider.Result, error) {
	flusher, _ := w.(http.Flusher)
	e := &sse{w: w, flusher: flusher, base: chat.Chunk{ID: id, Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: s.cfg.Model}}
	res, err := s.provider.Stream(ctx, call, func(text string) error {
		e.start()
		e.chunk(chat.Delta{Content: text}, nil, nil)
		return ctx.Err()
	})
	if err != nil {
		f := failureOf(err)
		if !e.started {
			writeError(w, f.status, f.typ, f.msg)
			return nil, err
		}
		// Headers are sent: OpenAI's streams end with an error event.
		e.data(chat.ErrorBody{Error: chat.ErrorDetail{Message: f.msg, Type: f.typ}})
		return nil, err
	}
	e.start()
	finish := finishReason(res.FinishReason)
	e.chunk(chat.Delta{}, &finish, nil)
	if includeUsage {
		u := usage(res.Usage)
		e.chunk(chat.Delta{}, nil, &u)
	}
	_, _ = w.Write([]byte("data: [DONE]\n\n"))
	if flusher != nil {
		flusher.Flush()
	}
	return res, nil
}
