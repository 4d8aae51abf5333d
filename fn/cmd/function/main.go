// Command function serves the AgentOps composition function over gRPC.
//
// In a cluster Crossplane runs it with TLS_SERVER_CERTS_DIR set and calls it
// over mTLS. For local development and `crossplane composition render`, run
// it with --insecure.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "function-agentops:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, debug, err := parseFlags(args)
	if err != nil {
		return err
	}
	log, err := logging.NewLogger(debug)
	if err != nil {
		return fmt.Errorf("cannot create logger: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cfg.TrimRequest = observed.TrimRequest
	return server.Run(ctx, fn.NewFunction(log), cfg, log)
}

func parseFlags(args []string) (server.Config, bool, error) {
	fs := flag.NewFlagSet("function-agentops", flag.ContinueOnError)
	cfg := server.DefaultConfig()
	fs.StringVar(&cfg.Network, "network", cfg.Network, "Network to listen on: tcp or unix.")
	fs.StringVar(&cfg.Address, "address", cfg.Address, "Address to serve gRPC on.")
	fs.StringVar(&cfg.MetricsAddress, "metrics-address", cfg.MetricsAddress, "Address to serve Prometheus metrics on (/metrics); empty disables them.")
	fs.StringVar(&cfg.ProfileAddress, "profile-address", "", "Address to serve Go's pprof profiles on (/debug/pprof/), for example 127.0.0.1:6060; empty (the default) disables them. They expose the process's internals: bind loopback.")
	fs.StringVar(&cfg.TLSCertsDir, "tls-server-certs-dir", os.Getenv("TLS_SERVER_CERTS_DIR"), "Folder with tls.crt, tls.key and ca.crt for mTLS (env TLS_SERVER_CERTS_DIR).")
	fs.StringVar(&cfg.TLSClientName, "tls-client-name", cfg.TLSClientName, "DNS name a client certificate must carry: Crossplane's is <service account>.<namespace>. Empty admits any certificate the CA signed.")
	fs.BoolVar(&cfg.Insecure, "insecure", false, "Serve without TLS, on 127.0.0.1 unless --address (and --metrics-address) say otherwise. For local development only: Crossplane always calls functions over mTLS.")
	fs.IntVar(&cfg.MaxRecvMessageBytes, "max-recv-message-bytes", cfg.MaxRecvMessageBytes, "Largest RunFunctionRequest accepted, in bytes.")
	fs.UintVar(&cfg.MaxConcurrentCalls, "max-concurrent-calls", cfg.MaxConcurrentCalls, "Calls served at once per connection; more wait, queued by the caller. Bounds memory in a burst; 0 is no limit.")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", cfg.ShutdownGrace, "How long in-flight calls may run after SIGTERM before the server stops them.")
	debug := fs.Bool("debug", false, "Log at debug level, including a line per request.")
	if err := fs.Parse(args); err != nil {
		return cfg, false, err
	}
	if fs.NArg() > 0 {
		return cfg, false, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if cfg.Insecure {
		loopbackUnlessSet(fs, &cfg)
	}
	return cfg, *debug, nil
}

// loopbackUnlessSet keeps an insecure server's listeners on this machine:
// the default addresses, which listen on every interface, become 127.0.0.1's.
func loopbackUnlessSet(fs *flag.FlagSet, cfg *server.Config) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["address"] && cfg.Network == "tcp" {
		cfg.Address = "127.0.0.1" + cfg.Address
	}
	if !set["metrics-address"] && cfg.MetricsAddress != "" {
		cfg.MetricsAddress = "127.0.0.1" + cfg.MetricsAddress
	}
}
