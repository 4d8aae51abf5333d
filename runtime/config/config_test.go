package config

import (
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFromEnv(t *testing.T) {
	composed := map[string]string{
		"PORT": "8080", "MODEL_NAME": "claude-sonnet-4-5", "MODEL_PROVIDER": "anthropic",
		"API_ENDPOINT": "https://api.anthropic.com/v1", "API_KEY": "k", "MAX_TOKENS": "4096", "TEMPERATURE": "0.7",
		"SYSTEM_PROMPT_FILE": "/etc/agentops/config/systemPrompt", "MODEL_CONTEXT_WINDOW": "1000000",
	}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(composed)
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
				continue
			}
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	temp := 0.7
	cases := map[string]struct {
		reason  string
		env     map[string]string
		want    *Config
		wantErr []string
	}{
		"Composed": {
			reason: "What the function composes is read, with the defaults for the rest.",
			env:    composed,
			want: &Config{
				Port: 8080, Model: "claude-sonnet-4-5", Provider: Anthropic, Endpoint: "https://api.anthropic.com/v1",
				ContextWindow: 1000000, APIKey: "k", MaxTokens: 4096, Temperature: &temp,
				SystemPromptFile: "/etc/agentops/config/systemPrompt", RequestTimeout: 120 * time.Second, MaxRetries: 2,
				MaxConcurrentRequests: 64, MaxRequestBytes: 1 << 20, ShutdownDelay: 3 * time.Second,
				ShutdownTimeout: 25 * time.Second, FilePollInterval: 5 * time.Second, LogLevel: slog.LevelInfo,
			},
		},
		"Missing": {
			reason:  "Every missing required variable is named.",
			env:     with("MODEL_NAME", "", "MODEL_PROVIDER", "", "API_ENDPOINT", ""),
			wantErr: []string{"MODEL_NAME is required", "MODEL_PROVIDER is required", "API_ENDPOINT is required"},
		},
		"Wrong": {
			reason:  "A wrong value is named with what is allowed.",
			env:     with("MODEL_PROVIDER", "azure", "PORT", "http", "TEMPERATURE", "3", "REQUEST_TIMEOUT", "soon", "LOG_LEVEL", "loud"),
			wantErr: []string{`MODEL_PROVIDER="azure": must be one of`, `PORT="http"`, `TEMPERATURE="3"`, `REQUEST_TIMEOUT="soon"`, `LOG_LEVEL="loud"`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := FromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("%s\nFromEnv(...): %v", tc.reason, err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s\nFromEnv(...): -want, +got:\n%s", tc.reason, diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s\nFromEnv(...): want an error", tc.reason)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s\nFromEnv(...): %v\nwant it to say %q", tc.reason, err, w)
				}
			}
		})
	}
}
