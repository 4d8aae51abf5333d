// Command templatefn serves the test-only stand-in for function-go-templating
// and function-auto-ready (test/internal/templatefn) with the server of
// function-agentops, so that the e2e harness and the render suite start it
// as they start ours: the same flags, the same "Serving RunFunction" line.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/agentops-io/agentops/fn/server"
	"github.com/agentops-io/agentops/test/internal/templatefn"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "templatefn:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("templatefn", flag.ContinueOnError)
	cfg := server.DefaultConfig()
	fs.StringVar(&cfg.Address, "address", "127.0.0.1:0", "Address to serve gRPC on.")
	fs.StringVar(&cfg.MetricsAddress, "metrics-address", "", "Address to serve metrics on; empty disables them.")
	fs.StringVar(&cfg.TLSCertsDir, "tls-server-certs-dir", "", "Folder with tls.crt, tls.key and ca.crt for mTLS.")
	fs.BoolVar(&cfg.Insecure, "insecure", false, "Serve without TLS (crossplane composition render).")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", cfg.ShutdownGrace, "How long in-flight calls may run after SIGTERM.")
	debug := fs.Bool("debug", false, "Log at debug level.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := logging.NewLogger(*debug)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return server.Run(ctx, templatefn.Function{}, cfg, log)
}
