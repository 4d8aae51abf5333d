package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agentops-io/agentops/runtime/config"
)

// OpenAI calls the Chat Completions API with openai-go: OpenAI itself,
// Mistral, self-hosted vLLM and TGI, and Gemini's OpenAI-compatible
// endpoint.
type OpenAI struct {
	provider    config.Provider
	completions openai.ChatCompletionService
	key         func() (string, error)
}

// NewOpenAI returns the adapter for an OpenAI-compatible provider. Built from
// the chat service alone, it never reads OPENAI_BASE_URL, OPENAI_API_KEY or
// the other variables openai.NewClient would.
func NewOpenAI(p config.Provider, o Options) *OpenAI {
	base := strings.TrimSuffix(o.Endpoint, "/")
	if p == config.Google && !strings.HasSuffix(base, "/openai") {
		// Gemini serves the Chat Completions API under /openai of its
		// versioned base URL.
		base += "/openai"
	}
	return &OpenAI{
		provider: p,
		completions: openai.NewChatCompletionService(
			option.WithHTTPClient(o.HTTPClient),
			option.WithBaseURL(base+"/"),
			option.WithMaxRetries(o.MaxRetries),
		),
		key: o.Key,
	}
}

// reasoning reports whether an OpenAI model is a reasoning model: they take
// max_completion_tokens and refuse any temperature but the default.
func reasoning(model string) bool {
	for _, prefix := range []string{"gpt-5", "o1", "o3", "o4"} {
		if strings.HasPrefix(model, prefix) {
			return true
		}
	}
	return false
}

func (c *OpenAI) params(r *Request) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{Model: r.Model}
	if r.System != "" {
		p.Messages = append(p.Messages, openai.SystemMessage(r.System))
	}
	for _, m := range r.Messages {
		if m.Role == "assistant" {
			p.Messages = append(p.Messages, openai.AssistantMessage(m.Text))
			continue
		}
		p.Messages = append(p.Messages, openai.UserMessage(m.Text))
	}
	// OpenAI deprecated max_tokens for max_completion_tokens; Mistral,
	// vLLM, TGI and Gemini's compatible endpoint take max_tokens.
	openAIModel := c.provider == config.OpenAI
	if openAIModel {
		p.MaxCompletionTokens = openai.Int(r.MaxTokens)
	} else {
		p.MaxTokens = openai.Int(r.MaxTokens)
	}
	if r.Temperature != nil && (!openAIModel || !reasoning(r.Model)) {
		p.Temperature = openai.Float(*r.Temperature)
	}
	if r.TopP != nil {
		p.TopP = openai.Float(*r.TopP)
	}
	if len(r.Stop) > 0 {
		p.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: r.Stop}
	}
	return p
}

func (c *OpenAI) auth() (option.RequestOption, error) {
	k, err := c.key()
	if err != nil {
		if c.provider.Hosted() {
			return nil, keyError(err)
		}
		// A self-hosted server usually wants no key; openai-go sends the
		// Authorization header only when one is set.
		return option.WithHeaderDel("Authorization"), nil
	}
	return option.WithAPIKey(k), nil
}

// Complete implements Provider.
func (c *OpenAI) Complete(ctx context.Context, r *Request) (*Result, error) {
	auth, err := c.auth()
	if err != nil {
		return nil, err
	}
	cc, err := c.completions.New(ctx, c.params(r), auth)
	if err != nil {
		return nil, openAIError(err)
	}
	res := &Result{Usage: openAIUsage(cc.Usage)}
	if len(cc.Choices) > 0 {
		res.Text = cc.Choices[0].Message.Content
		res.FinishReason = cc.Choices[0].FinishReason
	}
	return res, nil
}

// Stream implements Provider. include_usage asks for a last chunk with the
// call's usage.
func (c *OpenAI) Stream(ctx context.Context, r *Request, emit func(string) error) (*Result, error) {
	auth, err := c.auth()
	if err != nil {
		return nil, err
	}
	p := c.params(r)
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	s := c.completions.NewStreaming(ctx, p, auth)
	defer s.Close()
	res := &Result{}
	for s.Next() {
		chunk := s.Current()
		if chunk.JSON.Usage.Valid() {
			res.Usage = openAIUsage(chunk.Usage)
		}
		for _, ch := range chunk.Choices {
			if ch.FinishReason != "" {
				res.FinishReason = ch.FinishReason
			}
			if ch.Delta.Content == "" {
				continue
			}
			if err := emit(ch.Delta.Content); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Err(); err != nil {
		return nil, openAIError(err)
	}
	return res, nil
}

func openAIUsage(u openai.CompletionUsage) Usage {
	return Usage{Prompt: u.PromptTokens, Completion: u.CompletionTokens, CacheRead: u.PromptTokensDetails.CachedTokens}
}

func openAIError(err error) error {
	if apiErr, ok := errors.AsType[*openai.Error](err); ok {
		return &Error{Status: apiErr.StatusCode, Type: apiErr.Type, Err: err}
	}
	return &Error{Err: err}
}
