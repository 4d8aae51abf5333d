// Package config reads the runtime's configuration from its environment, as
// the agent contract (docs/agent-contract.md) describes it.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/runtime/contract"
)

// A Provider names the adapter that calls the model: MODEL_PROVIDER takes
// the catalog's provider names, from the catalog itself so that the two
// cannot drift apart.
type Provider = catalog.Provider

// Providers, as the catalog names them.
const (
	Anthropic  = catalog.Anthropic
	OpenAI     = catalog.OpenAI
	Google     = catalog.Google
	Mistral    = catalog.Mistral
	SelfHosted = catalog.SelfHosted
)

var providers = catalog.Providers

// Config is the runtime's configuration.
type Config struct {
	Port          int
	Model         string
	Provider      Provider
	Endpoint      string
	ContextWindow int64

	// APIKey is set from API_KEY; APIKeyFile names a file to read it from.
	APIKey     string
	APIKeyFile string

	MaxTokens        int64
	Temperature      *float64
	SystemPromptFile string

	RequestTimeout        time.Duration
	MaxRetries            int
	MaxConcurrentRequests int
	MaxRequestBytes       int64
	ShutdownDelay         time.Duration
	ShutdownTimeout       time.Duration
	FilePollInterval      time.Duration
	PricesFile            string
	LogLevel              slog.Level
}

// FromEnv reads the configuration through lookup (os.LookupEnv), naming
// every variable that is missing or wrong.
func FromEnv(lookup func(string) (string, bool)) (*Config, error) {
	r := reader{lookup: lookup}
	c := &Config{
		Port:                  r.integer(contract.EnvPort, contract.Port, 1, 65535),
		Model:                 r.required(contract.EnvModelName),
		Provider:              Provider(r.required(contract.EnvModelProvider)),
		Endpoint:              r.required(contract.EnvAPIEndpoint),
		ContextWindow:         int64(r.integer(contract.EnvModelContextWindow, 0, 0, 1<<40)),
		APIKey:                r.str(contract.EnvAPIKey),
		APIKeyFile:            r.str(contract.EnvAPIKeyFile),
		MaxTokens:             int64(r.integer(contract.EnvMaxTokens, 4096, 1, 1<<40)),
		Temperature:           r.temperature(),
		SystemPromptFile:      r.str(contract.EnvSystemPromptFile),
		RequestTimeout:        r.duration(contract.EnvRequestTimeout, 120*time.Second),
		MaxRetries:            r.integer(contract.EnvMaxRetries, 2, 0, 10),
		MaxConcurrentRequests: r.integer(contract.EnvMaxConcurrentRequests, 64, 1, 1<<20),
		MaxRequestBytes:       int64(r.integer(contract.EnvMaxRequestBytes, 1<<20, 1024, 1<<30)),
		ShutdownDelay:         r.duration(contract.EnvShutdownDelay, 3*time.Second),
		ShutdownTimeout:       r.duration(contract.EnvShutdownTimeout, 25*time.Second),
		FilePollInterval:      r.duration(contract.EnvFilePollInterval, 5*time.Second),
		PricesFile:            r.str(contract.EnvPricesFile),
		LogLevel:              r.level(),
	}
	if c.Provider != "" && !slices.Contains(providers, c.Provider) {
		r.fail(contract.EnvModelProvider, string(c.Provider), fmt.Sprintf("must be one of %v", providers))
	}
	return c, errors.Join(r.errs...)
}

type reader struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (r *reader) fail(name, value, why string) {
	r.errs = append(r.errs, fmt.Errorf("%s=%q: %s", name, value, why))
}

func (r *reader) str(name string) string {
	v, _ := r.lookup(name)
	return strings.TrimSpace(v)
}

func (r *reader) required(name string) string {
	v := r.str(name)
	if v == "" {
		r.errs = append(r.errs, fmt.Errorf("%s is required", name))
	}
	return v
}

func (r *reader) integer(name string, def, low, high int) int {
	v := r.str(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < low || n > high {
		r.fail(name, v, fmt.Sprintf("must be an integer from %d to %d", low, high))
		return def
	}
	return n
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		r.fail(name, v, "must be a duration such as 30s or 2m")
		return def
	}
	return d
}

func (r *reader) temperature() *float64 {
	v := r.str(contract.EnvTemperature)
	if v == "" {
		return nil
	}
	t, err := strconv.ParseFloat(v, 64)
	if err != nil || t < 0 || t > 2 {
		r.fail(contract.EnvTemperature, v, "must be a number from 0 to 2")
		return nil
	}
	return &t
}

func (r *reader) level() slog.Level {
	v := r.str(contract.EnvLogLevel)
	var l slog.Level
	if v == "" {
		return slog.LevelInfo
	}
	if err := l.UnmarshalText([]byte(v)); err != nil {
		r.fail(contract.EnvLogLevel, v, "must be debug, info, warn or error")
	}
	return l
}
