// Package server serves a composition function over gRPC: with Crossplane's
// mTLS certificates or, for development, insecurely; with a health service,
// optional Prometheus metrics, a request size limit, and a graceful stop.
package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"time"

	grpcprometheus "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthgrpc "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	function "github.com/crossplane/function-sdk-go"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	fnv1beta1 "github.com/crossplane/function-sdk-go/proto/v1beta1"
)

// Config of the server.
type Config struct {
	Network        string
	Address        string
	MetricsAddress string
	// ProfileAddress, if set, serves Go's pprof profiles there.
	ProfileAddress string
	TLSCertsDir    string
	// TLSClientName is the DNS name a client certificate must carry; empty
	// admits any the CA signed. Crossplane's CA also signs providers'
	// client certificates, each for its provider's name.
	TLSClientName       string
	Insecure            bool
	MaxRecvMessageBytes int
	// MaxConcurrentCalls the server runs at once on a connection; further
	// calls wait, queued by the caller, for one to finish. Calls are CPU
	// work: more at once than a few per core adds no throughput, only
	// memory, since every call in flight holds its decoded request. Zero
	// means no limit.
	MaxConcurrentCalls uint
	ShutdownGrace      time.Duration
	// TrimRequest, if set, cuts every RunFunctionRequest on the wire before
	// it is decoded, to what the function reads of it.
	TrimRequest TrimFunc
}

// callsPerCore is how many calls run at once per core by default: enough to
// keep every core busy while some calls wait on the network, few enough
// that a burst does not hold hundreds of decoded requests in memory
// (BENCHMARKS.md).
const callsPerCore = 8

// DefaultConfig is what Crossplane's function runtime expects: gRPC on 9443,
// metrics on 8080. Calls run at most eight per core at once (GOMAXPROCS,
// which follows the container's CPU limit).
func DefaultConfig() Config {
	return Config{
		Network:             "tcp",
		Address:             ":9443",
		MetricsAddress:      ":8080",
		TLSClientName:       DefaultTLSClientName,
		MaxRecvMessageBytes: 4 << 20,
		MaxConcurrentCalls:  uint(callsPerCore * runtime.GOMAXPROCS(0)),
		ShutdownGrace:       10 * time.Second,
	}
}

// Run serves fn until ctx is done, then stops gracefully: it stops accepting
// connections, lets in-flight calls finish for up to cfg.ShutdownGrace, and
// returns.
func Run(ctx context.Context, fn fnv1.FunctionRunnerServiceServer, cfg Config, log logging.Logger) error {
	creds, err := credentialsFor(cfg, log)
	if err != nil {
		return err
	}
	if cfg.Insecure {
		log.Info("WARNING: serving WITHOUT TLS (--insecure): any local process can call this function. Use it for development only; Crossplane always calls functions over mTLS.")
	}
	lis, err := (&net.ListenConfig{}).Listen(ctx, cfg.Network, cfg.Address)
	if err != nil {
		return fmt.Errorf("cannot listen on %s %q: %w", cfg.Network, cfg.Address, err)
	}
	return Serve(ctx, lis, fn, creds, cfg, log)
}

// Serve is Run on a listener the caller made. It closes lis.
func Serve(ctx context.Context, lis net.Listener, fn fnv1.FunctionRunnerServiceServer, creds credentials.TransportCredentials, cfg Config, log logging.Logger) error {
	if err := cfg.validate(); err != nil {
		_ = lis.Close()
		return err
	}
	var metrics *grpcprometheus.ServerMetrics
	var interceptors []grpc.UnaryServerInterceptor
	if cfg.MetricsAddress != "" {
		metrics = grpcprometheus.NewServerMetrics(grpcprometheus.WithServerHandlingTimeHistogram())
		interceptors = append(interceptors, metrics.UnaryServerInterceptor())
	}
	// Innermost, so that the metrics count a recovered panic as Internal.
	interceptors = append(interceptors, recoverPanics(log))
	opts := []grpc.ServerOption{
		grpc.Creds(creds),
		grpc.MaxRecvMsgSize(cfg.MaxRecvMessageBytes),
		grpc.MaxConcurrentStreams(maxStreams(cfg.MaxConcurrentCalls)),
		grpc.ChainUnaryInterceptor(interceptors...),
	}
	if cfg.TrimRequest != nil {
		opts = append(opts, grpc.ForceServerCodecV2(newTrimmingCodec(cfg.TrimRequest)))
	}
	srv := grpc.NewServer(opts...)
	fnv1.RegisterFunctionRunnerServiceServer(srv, fn)
	fnv1beta1.RegisterFunctionRunnerServiceServer(srv, function.ServeBeta(fn))
	hs := health.NewServer()
	healthgrpc.RegisterHealthServer(srv, hs)

	if metrics != nil {
		stopMetrics, err := serveMetrics(ctx, cfg.MetricsAddress, metrics, srv, log)
		if err != nil {
			_ = lis.Close()
			return err
		}
		defer stopMetrics()
	}
	if cfg.ProfileAddress != "" {
		stopProfiles, err := serveProfiles(ctx, cfg.ProfileAddress, log)
		if err != nil {
			_ = lis.Close()
			return err
		}
		defer stopProfiles()
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	log.Info("Serving RunFunction", "network", lis.Addr().Network(), "address", lis.Addr().String(), "tls", !cfg.Insecure)

	select {
	case err := <-served:
		return fmt.Errorf("gRPC server stopped: %w", err)
	case <-ctx.Done():
	}
	log.Info("Stopping: finishing in-flight calls", "grace", cfg.ShutdownGrace.String())
	hs.Shutdown()
	stopped := make(chan struct{})
	go func() { srv.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(cfg.ShutdownGrace):
		log.Info("Grace period over: stopping in-flight calls")
		srv.Stop()
		<-stopped
	}
	return nil
}

// validate refuses settings the server cannot run with.
func (c Config) validate() error {
	if c.MaxRecvMessageBytes <= 0 {
		return fmt.Errorf("--max-recv-message-bytes must be a positive number of bytes, not %d", c.MaxRecvMessageBytes)
	}
	if c.MaxConcurrentCalls > math.MaxUint32 {
		return fmt.Errorf("--max-concurrent-calls must be at most %d (HTTP/2 counts streams in 32 bits), not %d", uint32(math.MaxUint32), c.MaxConcurrentCalls)
	}
	if c.ShutdownGrace < 0 {
		return fmt.Errorf("--shutdown-grace must not be negative, not %s", c.ShutdownGrace)
	}
	return nil
}

// maxStreams is the HTTP/2 stream limit for a call limit: one stream per
// call; zero is no limit, which is gRPC's own default.
func maxStreams(calls uint) uint32 {
	if calls == 0 || calls > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(calls)
}

// recoverPanics turns a panic in a handler into an Internal error, so that
// one bad request cannot crash the process and stall every XR whose
// Composition calls the function. RunFunction recovers its own panics into a
// Fatal result; this covers the rest, such as the v1beta1 adapter.
func recoverPanics(log logging.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (rsp any, err error) { //nolint:nonamedreturns // The deferred recover sets the results of a call that panicked.
		defer func() {
			if r := recover(); r != nil {
				log.Info("Recovered from a panic in a gRPC handler", "method", info.FullMethod, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				rsp, err = nil, status.Errorf(codes.Internal, "function-agentops: internal error in %s (please report it): %v", info.FullMethod, r)
			}
		}()
		return handler(ctx, req)
	}
}

// credentialsFor returns mTLS credentials that admit only clients whose
// certificate the CA in cfg.TLSCertsDir signed for cfg.TLSClientName, or
// insecure ones.
func credentialsFor(cfg Config, log logging.Logger) (credentials.TransportCredentials, error) {
	switch {
	case cfg.Insecure && cfg.TLSCertsDir != "":
		return nil, errors.New("--insecure and --tls-server-certs-dir (TLS_SERVER_CERTS_DIR) are mutually exclusive")
	case cfg.Insecure:
		return insecure.NewCredentials(), nil
	case cfg.TLSCertsDir == "":
		return nil, errors.New("no credentials: set --tls-server-certs-dir (or TLS_SERVER_CERTS_DIR), or --insecure for development")
	}
	tlsCfg, err := MTLSConfig(cfg.TLSCertsDir, cfg.TLSClientName, log)
	if err != nil {
		return nil, err
	}
	return credentials.NewTLS(tlsCfg), nil
}

// serveMetrics serves the gRPC server's Prometheus metrics on addr until the
// returned stop function is called.
func serveMetrics(ctx context.Context, addr string, metrics *grpcprometheus.ServerMetrics, srv *grpc.Server, log logging.Logger) (func(), error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(metrics); err != nil {
		return nil, fmt.Errorf("cannot register gRPC metrics: %w", err)
	}
	metrics.InitializeMetrics(srv)
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return serveHTTP(ctx, "metrics", addr, metricsServer(mux), log)
}

// serveHTTP serves hs on addr, logging "Serving <what>" with the address it
// listens on, until the returned stop function is called.
func serveHTTP(ctx context.Context, what, addr string, hs *http.Server, log logging.Logger) (func(), error) {
	lis, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen for %s on %q: %w", what, addr, err)
	}
	log.Info("Serving "+what, "address", lis.Addr().String())
	go func() {
		if err := hs.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Info("Server of "+what+" stopped", "error", err.Error())
		}
	}()
	return func() {
		// ctx is done by now: stop within a bound of our own.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}, nil
}

// metricsServer bounds every phase of a scrape, so that clients that open
// connections and stall cannot hold the listener's goroutines and sockets.
func metricsServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}
