package server_test

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/funcr"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/server"
)

// watchdog bounds every wait of these tests so that a bug hangs no CI run;
// no test compares a duration with it.
const watchdog = 60 * time.Second

// logs records what the server logs, debug lines included.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logger() logging.Logger {
	return logging.NewLogrLogger(funcr.New(func(prefix, args string) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.lines = append(l.lines, prefix+" "+args)
	}, funcr.Options{Verbosity: 1}))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// A running in-process server.
type running struct {
	addr string
	log  *logs
	stop context.CancelFunc
	// done is closed when Serve returned err.
	done chan struct{}
	err  error
}

// wait for Serve to return, and return its error.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	waitFor(t, r.done, "Serve to return")
	return r.err
}

// returned reports whether Serve has returned.
func (r *running) returned() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// serve runs fn on a free loopback port until the test ends or stop is called.
func serve(t *testing.T, fn fnv1.FunctionRunnerServiceServer, creds credentials.TransportCredentials, cfg server.Config) *running {
	t.Helper()
	lis, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{addr: lis.Addr().String(), log: &logs{}, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = server.Serve(ctx, lis, fn, creds, cfg, r.log.logger())
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(watchdog):
			t.Error("the server did not stop")
		}
	})
	return r
}

// testConfig is the default configuration without metrics, whose fixed port
// parallel test binaries would fight over.
func testConfig() server.Config {
	cfg := server.DefaultConfig()
	cfg.MetricsAddress = ""
	cfg.Insecure = true
	return cfg
}

// dial connects a client to addr; a nil tlsCfg dials insecurely.
func dial(t *testing.T, addr string, tlsCfg *tls.Config) fnv1.FunctionRunnerServiceClient {
	t.Helper()
	return fnv1.NewFunctionRunnerServiceClient(dialConn(t, addr, tlsCfg))
}

// dialConn connects to addr; a nil tlsCfg dials insecurely.
func dialConn(t *testing.T, addr string, tlsCfg *tls.Config) *grpc.ClientConn {
	t.Helper()
	creds := insecure.NewCredentials()
	if tlsCfg != nil {
		creds = credentials.NewTLS(tlsCfg)
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// callCtx bounds one call by the watchdog.
func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), watchdog)
	t.Cleanup(cancel)
	return ctx
}

// echo answers every call with the request's tag.
type echo struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func (echo) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	return &fnv1.RunFunctionResponse{Meta: &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag()}}, nil
}
