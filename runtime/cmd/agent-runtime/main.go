// Command agent-runtime serves one model behind OpenAI's chat completions
// API, as the agent contract (docs/agent-contract.md) describes.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	// Trust roots compiled in, used when the system has none: the image
	// carries no CA bundle of its own.
	_ "golang.org/x/crypto/x509roots/fallback"

	"github.com/agentops-io/agentops/runtime/config"
	"github.com/agentops-io/agentops/runtime/metrics"
	"github.com/agentops-io/agentops/runtime/provider"
	"github.com/agentops-io/agentops/runtime/server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "agent-runtime:", err)
		os.Exit(1)
	}
}

func run() error {
	c, err := config.FromEnv(os.LookupEnv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: c.LogLevel})).
		With("model", c.Model, "provider", string(c.Provider))
	prices, err := metrics.LoadPrices(c.PricesFile)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	var keyFile, prompt *config.WatchedFile
	if c.APIKeyFile != "" && c.APIKey == "" {
		keyFile = config.NewWatchedFile(c.APIKeyFile)
		go keyFile.Poll(ctx, c.FilePollInterval, func() { log.Info("API key file changed", "path", c.APIKeyFile) })
	}
	if c.SystemPromptFile != "" {
		prompt = config.NewWatchedFile(c.SystemPromptFile)
		go prompt.Poll(ctx, c.FilePollInterval, func() { log.Info("system prompt file changed", "path", c.SystemPromptFile) })
	}
	creds := config.NewCredentials(c, keyFile)
	p, err := provider.New(c, provider.Options{
		Endpoint:   c.Endpoint,
		MaxRetries: c.MaxRetries,
		Key:        creds.Key,
		HTTPClient: provider.NewHTTPClient(c.MaxConcurrentRequests),
	})
	if err != nil {
		return err
	}
	s := server.New(c, p, metrics.New(c.Model, c.ContextWindow, prices), creds, prompt, log)
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", ":"+strconv.Itoa(c.Port))
	if err != nil {
		return err
	}
	log.Info("serving", "addr", l.Addr().String(), "ready", s.Ready() == nil)
	return s.Serve(ctx, l)
}
