package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/config"
)

// TestRetryAfter: a 429 with Retry-After is retried after the time the
// provider asked for, and the client sees only the success.
func TestRetryAfter(t *testing.T) {
	cases := map[string]struct {
		provider config.Provider
		model    string
		limited  string
		ok       reply
	}{
		"Anthropic": {config.Anthropic, "claude-sonnet-4-5", anthropicRateLimited, reply{status: http.StatusOK, body: anthropicMessage}},
		"OpenAI":    {config.OpenAI, "gpt-4o", openAIRateLimited, reply{status: http.StatusOK, body: openAICompletion}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := newUpstream(t, reply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "1"}, body: tc.limited}, tc.ok)
			rt := newRuntime(t, tc.provider, tc.model, up.URL+"/v1")
			res, body := rt.post(t, `{"messages":[{"role":"user","content":"Hi"}]}`)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("POST: want 200 after a retry, got %d: %s", res.StatusCode, body)
			}
			calls := up.calls()
			if len(calls) != 2 {
				t.Fatalf("want 2 upstream calls, got %d", len(calls))
			}
			if gap := calls[1].at.Sub(calls[0].at); gap < time.Second {
				t.Errorf("retried after %v: Retry-After asked for 1s", gap)
			}
		})
	}
}

// TestUpstreamErrors: what the client gets when the provider fails, and
// that the provider's error body (which may quote the prompt) never reaches
// the client or the logs.
func TestUpstreamErrors(t *testing.T) {
	const secret = "the user's confidential prompt text"
	serverError := `{"type":"error","error":{"type":"api_error","message":"` + secret + `"}}`
	cases := map[string]struct {
		reason     string
		replies    []reply
		stream     bool
		timeout    time.Duration
		wantStatus int
		wantType   string
		wantCalls  int
	}{
		"ServerErrorRetried": {
			reason:     "A 500 is retried MAX_RETRIES times, then answered 502.",
			replies:    []reply{{status: http.StatusInternalServerError, body: serverError}},
			wantStatus: http.StatusBadGateway, wantType: "server_error", wantCalls: 3,
		},
		"OverloadedThenOK": {
			reason:     "Anthropic's 529 overloaded is a 5xx: retried.",
			replies:    []reply{{status: 529, body: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`}, {status: http.StatusOK, body: anthropicMessage}},
			wantStatus: http.StatusOK, wantCalls: 2,
		},
		"BadRequestNotRetried": {
			reason:     "A 400 is the request's fault: not retried, answered 400.",
			replies:    []reply{{status: http.StatusBadRequest, body: `{"type":"error","error":{"type":"invalid_request_error","message":"` + secret + `"}}`}},
			wantStatus: http.StatusBadRequest, wantType: "invalid_request_error", wantCalls: 1,
		},
		"RateLimitedThroughout": {
			reason:     "A 429 still there after the retries is passed on as 429.",
			replies:    []reply{{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After-Ms": "10"}, body: anthropicRateLimited}},
			wantStatus: http.StatusTooManyRequests, wantType: "rate_limit_exceeded", wantCalls: 3,
		},
		"StreamFailsBeforeFirstByte": {
			reason:  "A stream that fails before any text is answered with a status, like a plain request.",
			replies: []reply{{status: http.StatusInternalServerError, body: serverError}},
			stream:  true, wantStatus: http.StatusBadGateway, wantType: "server_error", wantCalls: 3,
		},
		"Timeout": {
			reason:  "A provider slower than REQUEST_TIMEOUT is answered 504.",
			replies: []reply{{status: http.StatusOK, body: anthropicMessage, delay: 2 * time.Second}},
			timeout: 300 * time.Millisecond, wantStatus: http.StatusGatewayTimeout, wantType: "timeout", wantCalls: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := newUpstream(t, tc.replies...)
			rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1", func(c *config.Config) {
				if tc.timeout != 0 {
					c.RequestTimeout = tc.timeout
				}
			})
			req := `{"messages":[{"role":"user","content":"` + secret + `"}]` + map[bool]string{true: `,"stream":true}`, false: `}`}[tc.stream]
			res, body := rt.post(t, req)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("%s\nPOST: want %d, got %d: %s", tc.reason, tc.wantStatus, res.StatusCode, body)
			}
			if got := len(up.calls()); got != tc.wantCalls {
				t.Errorf("%s\nupstream calls: want %d, got %d", tc.reason, tc.wantCalls, got)
			}
			if tc.wantType != "" {
				if got := decode[chat.ErrorBody](t, body); got.Error.Type != tc.wantType || got.Error.Message == "" {
					t.Errorf("%s\nerror body: want type %s and a message, got %+v", tc.reason, tc.wantType, got)
				}
			}
			if strings.Contains(string(body), secret) || strings.Contains(rt.logs.String(), secret) || strings.Contains(rt.logs.String(), testKey) {
				t.Errorf("%s\nthe prompt or the key leaked into the response or the logs:\n%s\n%s", tc.reason, body, rt.logs.String())
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	cases := map[string]struct {
		body       string
		wantStatus int
		wantIn     string
	}{
		"NotJSON":        {`{"messages":`, http.StatusBadRequest, "invalid JSON"},
		"NoMessages":     {`{"messages":[]}`, http.StatusBadRequest, "messages"},
		"UnknownRole":    {`{"messages":[{"role":"tool","content":"x"}]}`, http.StatusBadRequest, "messages[0].role"},
		"ImagePart":      {`{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}`, http.StatusBadRequest, "only text parts"},
		"Tools":          {`{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}`, http.StatusBadRequest, "tools"},
		"WrongType":      {`{"messages":[{"role":"user","content":"x"}],"max_tokens":"many"}`, http.StatusBadRequest, "max_tokens"},
		"TooLarge":       {`{"messages":[{"role":"user","content":"` + strings.Repeat("x", 5000) + `"}]}`, http.StatusRequestEntityTooLarge, "limit"},
		"BadTemperature": {`{"messages":[{"role":"user","content":"x"}],"temperature":3}`, http.StatusBadRequest, "temperature"},
	}
	up := newUpstream(t, reply{status: http.StatusOK, body: anthropicMessage})
	rt := newRuntime(t, config.Anthropic, "claude-sonnet-4-5", up.URL+"/v1", func(c *config.Config) { c.MaxRequestBytes = 4096 })
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			res, body := rt.post(t, tc.body)
			got := decode[chat.ErrorBody](t, body)
			if res.StatusCode != tc.wantStatus || got.Error.Type != "invalid_request_error" || !strings.Contains(got.Error.Message, tc.wantIn) {
				t.Errorf("POST %s: want %d invalid_request_error naming %q, got %d %+v", name, tc.wantStatus, tc.wantIn, res.StatusCode, got)
			}
		})
	}
	if n := len(up.calls()); n != 0 {
		t.Errorf("bad requests reached the provider %d times", n)
	}
	res, err := http.Get(rt.URL + "/v1/chat/completions")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/chat/completions: want 405, got %d", res.StatusCode)
	}
}
