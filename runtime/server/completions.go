package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/provider"
)

// completions serves POST /v1/chat/completions.
func (s *Server) completions(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, errInvalidRequest, "use POST")
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		// Full: answer now rather than queue without bound.
		s.metrics.Rejected()
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, errRateLimit, "the agent is at its concurrency limit; retry shortly")
		return
	}
	if s.draining.Load() {
		writeError(w, http.StatusServiceUnavailable, errUnavailable, "the agent is shutting down")
		return
	}
	req, ok := s.decode(w, r)
	if !ok {
		return
	}
	call := s.providerRequest(req)
	id := newID()
	log := s.log.With("request_id", id, "stream", req.Stream)
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	defer cancel()
	start := time.Now()
	var res *provider.Result
	var err error
	if req.Stream {
		res, err = s.stream(ctx, w, call, id, req.StreamOptions != nil && req.StreamOptions.IncludeUsage)
	} else {
		res, err = s.complete(ctx, w, call, id)
	}
	took := time.Since(start)
	switch {
	case err == nil:
		s.metrics.Succeeded(took, res.Usage)
		log.Info("completion", "status", "success", "duration_ms", took.Milliseconds(),
			"prompt_tokens", res.Usage.Prompt, "completion_tokens", res.Usage.Completion, "cached_tokens", res.Usage.CacheRead)
	case r.Context().Err() != nil && !errors.Is(err, context.DeadlineExceeded):
		// The client hung up: not the model's failure.
		s.metrics.Canceled(took)
		log.Info("completion", "status", "canceled", "duration_ms", took.Milliseconds())
	default:
		s.metrics.Failed(took)
		log.Warn("completion", "status", "error", "duration_ms", took.Milliseconds(), "error", failureOf(err).msg)
	}
}

// decode reads and checks the request, answering 413 or 400 itself.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (*chat.Request, bool) {
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestBytes)
	var req chat.Request
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeError(w, http.StatusRequestEntityTooLarge, errInvalidRequest, "the request body is larger than the agent's limit")
			return nil, false
		}
		writeError(w, http.StatusBadRequest, errInvalidRequest, "the body is not a chat completion request: "+jsonProblem(err))
		return nil, false
	}
	if err := req.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, errInvalidRequest, err.Error())
		return nil, false
	}
	return &req, true
}

// jsonProblem says where a body is wrong without quoting it.
func jsonProblem(err error) string {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return typeErr.Field + " has the wrong type"
	}
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		return "invalid JSON"
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: ") || strings.Contains(msg, "must be") || strings.Contains(msg, "part ") {
		return strings.TrimPrefix(msg, "json: ")
	}
	return "invalid JSON"
}

// providerRequest applies the agent's configuration: its system prompt
// first, MAX_TOKENS as default and ceiling, TEMPERATURE as default.
func (s *Server) providerRequest(req *chat.Request) *provider.Request {
	call := &provider.Request{
		Model:       s.cfg.Model,
		MaxTokens:   s.cfg.MaxTokens,
		Temperature: s.cfg.Temperature,
		TopP:        req.TopP,
		Stop:        req.Stop,
	}
	for _, asked := range []*int64{req.MaxCompletionTokens, req.MaxTokens} {
		if asked != nil {
			call.MaxTokens = min(*asked, s.cfg.MaxTokens)
			break
		}
	}
	if req.Temperature != nil {
		call.Temperature = req.Temperature
	}
	var system []string
	if p := s.systemPrompt(); p != "" {
		system = append(system, p)
	}
	for _, m := range req.Messages {
		switch m.Role {
		case chat.RoleSystem, chat.RoleDeveloper:
			system = append(system, string(m.Content))
		default:
			call.Messages = append(call.Messages, provider.Message{Role: m.Role, Text: string(m.Content)})
		}
	}
	call.System = strings.Join(system, "\n\n")
	return call
}

// complete answers with the whole completion.
func (s *Server) complete(ctx context.Context, w http.ResponseWriter, call *provider.Request, id string) (*provider.Result, error) {
	res, err := s.provider.Complete(ctx, call)
	if err != nil {
		f := failureOf(err)
		writeError(w, f.status, f.typ, f.msg)
		return nil, err
	}
	writeJSON(w, http.StatusOK, chat.Response{
		ID: id, Object: "chat.completion", Created: time.Now().Unix(), Model: s.cfg.Model,
		Choices: []chat.Choice{{
			Message:      chat.Message{Role: chat.RoleAssistant, Content: chat.Content(res.Text)},
			FinishReason: finishReason(res.FinishReason),
		}},
		Usage: usage(res.Usage),
	})
	return res, nil
}

func finishReason(r string) string {
	if r == "" {
		return provider.FinishStop
	}
	return r
}

func usage(u provider.Usage) chat.Usage {
	return chat.Usage{
		PromptTokens: u.Prompt, CompletionTokens: u.Completion, TotalTokens: u.Prompt + u.Completion,
		PromptTokensDetails: chat.PromptTokensDetails{CachedTokens: u.CacheRead},
	}
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "chatcmpl-" + hex.EncodeToString(b)
}
