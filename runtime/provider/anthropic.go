package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Anthropic calls the Messages API with anthropic-sdk-go.
type Anthropic struct {
	messages anthropic.MessageService
	key      func() (string, error)
}

// NewAnthropic returns the Anthropic adapter. The catalog's endpoint ends in
// /v1 like every other provider's, while the SDK's paths start with v1/:
// the base URL is the endpoint without it. The SDK's environment defaults
// (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, profiles) are never read: the
// message service is built from these options alone.
func NewAnthropic(o Options) *Anthropic {
	base := strings.TrimSuffix(strings.TrimSuffix(o.Endpoint, "/"), "/v1") + "/"
	return &Anthropic{
		messages: anthropic.NewMessageService(
			option.WithHTTPClient(o.HTTPClient),
			option.WithBaseURL(base),
			option.WithMaxRetries(o.MaxRetries),
		),
		key: o.Key,
	}
}

// params translates a request. Temperature is not sent: the API version the
// SDK speaks (2026-10-21) deprecated it and MessageNewParams has no field
// for it.
func (a *Anthropic) params(r *Request) anthropic.MessageNewParams {
	p := anthropic.MessageNewParams{
		Model:         r.Model,
		MaxTokens:     r.MaxTokens,
		StopSequences: r.Stop,
	}
	if r.System != "" {
		p.System = []anthropic.TextBlockParam{{Text: r.System}}
	}
	for _, m := range r.Messages {
		block := anthropic.NewTextBlock(m.Text)
		if m.Role == "assistant" {
			p.Messages = append(p.Messages, anthropic.NewAssistantMessage(block))
			continue
		}
		p.Messages = append(p.Messages, anthropic.NewUserMessage(block))
	}
	return p
}

func (a *Anthropic) auth() (option.RequestOption, error) {
	k, err := a.key()
	if err != nil {
		return nil, keyError(err)
	}
	return option.WithAPIKey(k), nil
}

// Complete implements Provider.
func (a *Anthropic) Complete(ctx context.Context, r *Request) (*Result, error) {
	auth, err := a.auth()
	if err != nil {
		return nil, err
	}
	m, err := a.messages.New(ctx, a.params(r), auth)
	if err != nil {
		return nil, anthropicError(err)
	}
	var text strings.Builder
	for _, b := range m.Content {
		if b.Type == "text" {
			text.WriteString(b.Text)
		}
	}
	return &Result{
		Text:         text.String(),
		FinishReason: anthropicFinish(string(m.StopReason)),
		Usage:        anthropicUsage(m.Usage.InputTokens, m.Usage.OutputTokens, m.Usage.CacheReadInputTokens, m.Usage.CacheCreationInputTokens),
	}, nil
}

// Stream implements Provider. Usage comes in message_start (input) and
// message_delta (cumulative counts).
func (a *Anthropic) Stream(ctx context.Context, r *Request, emit func(string) error) (*Result, error) {
	auth, err := a.auth()
	if err != nil {
		return nil, err
	}
	s := a.messages.NewStreaming(ctx, a.params(r), auth)
	defer s.Close()
	res := &Result{}
	var in, out, cacheRead, cacheWrite int64
	for s.Next() {
		e := s.Current()
		switch e.Type {
		case "message_start":
			u := e.Message.Usage
			in, out, cacheRead, cacheWrite = u.InputTokens, u.OutputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens
		case "content_block_delta":
			if e.Delta.Type == "text_delta" && e.Delta.Text != "" {
				if err := emit(e.Delta.Text); err != nil {
					return nil, err
				}
			}
		case "message_delta":
			res.FinishReason = anthropicFinish(string(e.Delta.StopReason))
			u := e.Usage
			out = u.OutputTokens
			// Counts in message_delta are cumulative; zero means not sent.
			in, cacheRead, cacheWrite = max(in, u.InputTokens), max(cacheRead, u.CacheReadInputTokens), max(cacheWrite, u.CacheCreationInputTokens)
		}
	}
	if err := s.Err(); err != nil {
		return nil, anthropicError(err)
	}
	res.Usage = anthropicUsage(in, out, cacheRead, cacheWrite)
	return res, nil
}

// anthropicUsage: input_tokens leaves out the tokens read from or written to
// the cache; a prompt's tokens are all three.
func anthropicUsage(in, out, cacheRead, cacheWrite int64) Usage {
	return Usage{Prompt: in + cacheRead + cacheWrite, Completion: out, CacheRead: cacheRead, CacheWrite: cacheWrite}
}

func anthropicFinish(stop string) string {
	switch stop {
	case "max_tokens", "model_context_window_exceeded":
		return FinishLength
	case "tool_use":
		return FinishToolCalls
	case "refusal":
		return FinishContentFilter
	}
	return FinishStop
}

func anthropicError(err error) error {
	if apiErr, ok := errors.AsType[*anthropic.Error](err); ok {
		return &Error{Status: apiErr.StatusCode, Type: string(apiErr.Type()), Err: err}
	}
	return &Error{Err: err}
}
