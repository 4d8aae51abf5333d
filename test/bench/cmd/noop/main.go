// Command noop is the floor of the load benchmark: a composition function
// served by the same gRPC server, SDK and options as function-agentops,
// whose RunFunction returns the request's desired state unchanged. What it
// costs per call is the protocol's cost: gRPC, and decoding and encoding the
// messages.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/fn/server"
	"github.com/agentops-io/agentops/fn/settings"
)

type noop struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func (noop) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	return response.To(req, settings.DefaultTTLConverging), nil
}

func main() {
	cfg := server.DefaultConfig()
	flag.StringVar(&cfg.Address, "address", cfg.Address, "Address to serve gRPC on.")
	flag.StringVar(&cfg.MetricsAddress, "metrics-address", cfg.MetricsAddress, "Address to serve Prometheus metrics on; empty disables them.")
	flag.BoolVar(&cfg.Insecure, "insecure", false, "Serve without TLS.")
	flag.UintVar(&cfg.MaxConcurrentCalls, "max-concurrent-calls", cfg.MaxConcurrentCalls, "Calls served at once per connection; 0 is no limit.")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "noop:", err)
		os.Exit(1)
	}
}

func run(cfg server.Config) error {
	log, err := logging.NewLogger(false)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return server.Run(ctx, noop{}, cfg, log)
}
