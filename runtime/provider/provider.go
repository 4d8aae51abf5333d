// Package provider calls a model through its provider's official Go SDK:
// one adapter per wire protocol, chosen by MODEL_PROVIDER.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/agentops-io/agentops/runtime/config"
)

// A Message of the conversation sent to the model.
type Message struct {
	Role string // user or assistant
	Text string
}

// A Request to the model, with the configured defaults already applied.
type Request struct {
	Model       string
	System      string
	Messages    []Message
	MaxTokens   int64
	Temperature *float64
	TopP        *float64
	Stop        []string
}

// Usage is the tokens a call used. Prompt counts every input token, the
// cached ones included.
type Usage struct {
	Prompt     int64
	Completion int64
	// CacheRead are prompt tokens served from the provider's prompt cache;
	// CacheWrite those written to it (Anthropic bills them apart).
	CacheRead  int64
	CacheWrite int64
}

// Finish reasons, as OpenAI names them.
const (
	FinishStop          = "stop"
	FinishLength        = "length"
	FinishToolCalls     = "tool_calls"
	FinishContentFilter = "content_filter"
)

// A Result of a call. Text is empty for a stream.
type Result struct {
	Text         string
	FinishReason string
	Usage        Usage
}

// A Provider calls one model.
type Provider interface {
	// Complete returns the whole completion.
	Complete(ctx context.Context, r *Request) (*Result, error)
	// Stream calls emit with each piece of text as it arrives.
	Stream(ctx context.Context, r *Request, emit func(text string) error) (*Result, error)
}

// An Error is a provider's failure: its HTTP status (0 when it never
// answered) and error type, never its body, which may quote the prompt.
type Error struct {
	Status int
	Type   string
	Err    error
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("provider unreachable: %v", e.Err)
	}
	if e.Type != "" {
		return fmt.Sprintf("provider answered %d %s", e.Status, e.Type)
	}
	return fmt.Sprintf("provider answered %d", e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// Options of every adapter.
type Options struct {
	Endpoint   string
	MaxRetries int
	// Key gives the API key for each call, so a renewed key is used at once.
	Key        func() (string, error)
	HTTPClient *http.Client
}

// New returns the adapter for c's provider.
func New(c *config.Config, o Options) (Provider, error) {
	switch c.Provider {
	case config.Anthropic:
		return NewAnthropic(o), nil
	case config.OpenAI, config.Mistral, config.SelfHosted, config.Google:
		return NewOpenAI(c.Provider, o), nil
	}
	return nil, fmt.Errorf("no adapter for provider %q", c.Provider)
}

// NewHTTPClient is the client every adapter shares: connections kept for as
// many concurrent calls as the runtime admits (net/http keeps 2 per host by
// default, which would reconnect under load). No overall timeout: a
// stream's duration is bounded by the request's context.
func NewHTTPClient(maxConns int) *http.Client {
	t := &http.Transport{}
	if d, ok := http.DefaultTransport.(*http.Transport); ok {
		// Go's defaults: proxy from the environment, dial and TLS timeouts.
		t = d.Clone()
	}
	t.MaxIdleConns = maxConns
	t.MaxIdleConnsPerHost = maxConns
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t}
}

// ErrNoKey says no call was made for want of an API key.
var ErrNoKey = errors.New("no API key")

func keyError(err error) error { return fmt.Errorf("%w: %w", ErrNoKey, err) }
