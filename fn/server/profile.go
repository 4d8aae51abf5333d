package server

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
)

// serveProfiles serves Go's runtime profiles (net/http/pprof) on addr until
// the returned stop function is called. Off unless ProfileAddress is set:
// profiles expose the process's internals, so bind it to loopback.
func serveProfiles(ctx context.Context, addr string, log logging.Logger) (func(), error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile or a trace answers after the seconds
	// it was asked for, and pprof refuses any longer than a write timeout.
	hs := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	return serveHTTP(ctx, "profiles", addr, hs, log)
}
