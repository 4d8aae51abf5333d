package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/server"
	"github.com/agentops-io/agentops/internal/proc"
)

// watchdog bounds every wait so that a bug hangs no CI run; no test compares
// a duration with it.
const watchdog = 60 * time.Second

func TestParseFlags(t *testing.T) {
	type want struct {
		cfg   server.Config
		debug bool
		err   string
	}
	defaults := server.DefaultConfig()
	with := func(f func(*server.Config)) server.Config {
		c := defaults
		f(&c)
		return c
	}
	cases := map[string]struct {
		reason string
		args   []string
		env    string
		want   want
	}{
		"Defaults": {
			reason: "Without flags the server takes Crossplane's ports and needs certificates.",
			want:   want{cfg: defaults},
		},
		"CertsFromEnv": {
			reason: "Crossplane passes the certificates' folder in TLS_SERVER_CERTS_DIR.",
			env:    "/tls/server",
			want:   want{cfg: with(func(c *server.Config) { c.TLSCertsDir = "/tls/server" })},
		},
		"Limits": {
			reason: "The request size limit and the shutdown grace are flags.",
			args:   []string{"--max-recv-message-bytes=1024", "--shutdown-grace=3s", "--insecure", "--debug", "--metrics-address="},
			want: want{cfg: with(func(c *server.Config) {
				c.MaxRecvMessageBytes, c.ShutdownGrace, c.Insecure, c.MetricsAddress, c.Address = 1024, 3*time.Second, true, "", "127.0.0.1:9443"
			}), debug: true},
		},
		"InsecureListensOnLoopback": {
			reason: "Without TLS, the default addresses become loopback ones: only this machine can call.",
			args:   []string{"--insecure"},
			want: want{cfg: with(func(c *server.Config) {
				c.Insecure, c.Address, c.MetricsAddress = true, "127.0.0.1:9443", "127.0.0.1:8080"
			})},
		},
		"InsecureOnGivenAddresses": {
			reason: "Addresses given with --insecure are kept as given.",
			args:   []string{"--insecure", "--address=:9443", "--metrics-address=:8080"},
			want: want{cfg: with(func(c *server.Config) {
				c.Insecure, c.Address, c.MetricsAddress = true, ":9443", ":8080"
			})},
		},
		"ClientName": {
			reason: "The client certificate's expected name is a flag, for Crossplane installed elsewhere; empty admits any.",
			args:   []string{"--tls-client-name="},
			want:   want{cfg: with(func(c *server.Config) { c.TLSClientName = "" })},
		},
		"ConcurrentCalls": {
			reason: "The limit of calls served at once is a flag; 0 lifts it.",
			args:   []string{"--max-concurrent-calls=0"},
			want:   want{cfg: with(func(c *server.Config) { c.MaxConcurrentCalls = 0 })},
		},
		"ConcurrentCallsTooMany": {
			reason: "A limit beyond HTTP/2's 32 bits is kept as given, not cut short, for the server to refuse (fn/server TestRunRefusesBadConfig).",
			args:   []string{"--max-concurrent-calls=4294967296"},
			want:   want{cfg: with(func(c *server.Config) { c.MaxConcurrentCalls = 4294967296 })},
		},
		"StrayArgument": {
			reason: "An argument that is no flag is an error, not ignored.",
			args:   []string{"serve"},
			want:   want{cfg: defaults, err: "unexpected arguments: [serve]"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("TLS_SERVER_CERTS_DIR", tc.env)
			cfg, debug, err := parseFlags(tc.args)
			got := want{cfg: cfg, debug: debug}
			if err != nil {
				got.err = err.Error()
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nparseFlags(%v): -want, +got:\n%s", tc.reason, tc.args, diff)
			}
		})
	}
}

// start runs the binary make built (FUNCTION_BIN) with args, serving on a
// free loopback port. It is stopped by its PID when the test ends.
func start(t *testing.T, args ...string) *proc.Function {
	t.Helper()
	p, err := proc.StartFunction(proc.FunctionBin(t), append([]string{"--metrics-address=127.0.0.1:0"}, args...), proc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop(watchdog) })
	return p
}

func client(t *testing.T, addr string) fnv1.FunctionRunnerServiceClient {
	t.Helper()
	return fnv1.NewFunctionRunnerServiceClient(dial(t, addr))
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// rawCodec sends and receives messages as the bytes given, for requests
// Go's protobuf would refuse to encode.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

// withInvalidUTF8 is minimal with a string at path of its XR that is not
// UTF-8, on the wire.
func withInvalidUTF8(t *testing.T, path ...string) []byte {
	t.Helper()
	const mark = "zzzzMARKzzzz"
	req := minimal(t)
	obj := req.GetObserved().GetComposite().GetResource().AsMap()
	m := obj
	for _, p := range path[:len(path)-1] {
		if _, ok := m[p].(map[string]any); !ok {
			m[p] = map[string]any{}
		}
		m = m[p].(map[string]any)
	}
	m[path[len(path)-1]] = mark
	xr, err := structpb.NewStruct(obj)
	if err != nil {
		t.Fatal(err)
	}
	req.Observed.Composite.Resource = xr
	wire, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(wire, []byte(mark)) != 1 {
		t.Fatalf("the mark %q is not once in the request", mark)
	}
	return bytes.Replace(wire, []byte(mark), bytes.Repeat([]byte{0xff}, len(mark)), 1)
}

// minimal is examples/minimal.yaml as Crossplane sends it.
func minimal(t *testing.T) *fnv1.RunFunctionRequest {
	t.Helper()
	xr, err := structpb.NewStruct(map[string]any{
		"apiVersion": "agentops.io/v1alpha1",
		"kind":       "AgentDeployment",
		"metadata":   map[string]any{"name": "minimal-agent", "namespace": "agents"},
		"spec":       map[string]any{"model": "gpt-4o", "secrets": map[string]any{"apiKeySecret": "openai-api-key"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{Tag: "minimal"},
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: xr}},
	}
}

// TestBinary runs the real binary: it says loudly that it serves without
// TLS, composes, refuses an oversized request as its flag says, decodes
// only what it reads of a request, and on SIGTERM finishes what is in
// flight and exits cleanly.
func TestBinary(t *testing.T) {
	p := start(t, "--insecure", "--max-recv-message-bytes=65536", "--shutdown-grace=10s")
	c := client(t, p.Addr)
	ctx, cancel := context.WithTimeout(t.Context(), watchdog)
	defer cancel()

	if want := "WARNING: serving WITHOUT TLS (--insecure)"; !strings.Contains(p.Output(), want) {
		t.Errorf("--insecure: want the log to say %q, got:\n%s", want, p.Output())
	}

	rsp, err := c.RunFunction(ctx, minimal(t))
	if err != nil {
		t.Fatalf("RunFunction(minimal): %v", err)
	}
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Errorf("RunFunction(minimal): unexpected Fatal result: %s", r.GetMessage())
		}
	}
	if n := len(rsp.GetDesired().GetResources()); n == 0 {
		t.Errorf("RunFunction(minimal): no desired composed resources")
	}

	big := minimal(t)
	big.Context, _ = structpb.NewStruct(map[string]any{"padding": strings.Repeat("x", 70000)})
	if _, err := c.RunFunction(ctx, big); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("RunFunction(70kB) with --max-recv-message-bytes=65536: want ResourceExhausted, got %v", err)
	}

	// The binary trims requests before decoding them (fn/server's
	// Config.TrimRequest): a field it does not read is not decoded, and so
	// not refused; one it reads is.
	cases := map[string]struct {
		reason string
		wire   []byte
		want   codes.Code
	}{
		"UnreadFieldNotUTF8": {
			reason: "An XR's annotations are not read, and cut before decoding: their bytes are not checked.",
			wire:   withInvalidUTF8(t, "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"),
			want:   codes.OK,
		},
		"ReadFieldNotUTF8": {
			reason: "The XR's name is read: decoding it refuses a string that is not UTF-8.",
			wire:   withInvalidUTF8(t, "metadata", "name"),
			want:   codes.Internal,
		},
	}
	conn := dial(t, p.Addr)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var reply []byte
			err := conn.Invoke(ctx, fnv1.FunctionRunnerService_RunFunction_FullMethodName, &tc.wire, &reply, grpc.ForceCodecV2(rawCodec{}))
			if got := status.Code(err); got != tc.want {
				t.Errorf("%s\nRunFunction(...): %v, want code %s", tc.reason, err, tc.want)
			}
		})
	}

	sigterm(t, p, c)
}

// sigterm sends SIGTERM while calls are under way: each call either
// completes or is refused as Unavailable, and the process exits 0.
func sigterm(t *testing.T, p *proc.Function, c fnv1.FunctionRunnerServiceClient) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), watchdog)
	defer cancel()
	var wg sync.WaitGroup
	codesSeen := make(chan codes.Code, 1024)
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, err := c.RunFunction(ctx, minimal(t))
				codesSeen <- status.Code(err)
				if err != nil {
					return
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // Let calls be in flight.
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(watchdog):
		t.Fatalf("the function did not exit after SIGTERM:\n%s", p.Output())
	}
	close(stop)
	wg.Wait()
	close(codesSeen)
	ok := 0
	for code := range codesSeen {
		if code == codes.OK {
			ok++
		} else if code != codes.Unavailable {
			t.Errorf("a call across SIGTERM: want OK or Unavailable, got %v", code)
		}
	}
	if ok == 0 {
		t.Errorf("no call completed before SIGTERM")
	}
	_, exitErr := p.Exited()
	var exit *exec.ExitError
	if exitErr != nil && !errors.As(exitErr, &exit) {
		t.Fatalf("wait: %v", exitErr)
	}
	if exitErr != nil {
		t.Errorf("after SIGTERM: want exit status 0, got %v\n%s", exitErr, p.Output())
	}
	if want := "Stopping: finishing in-flight calls"; !strings.Contains(p.Output(), want) {
		t.Errorf("after SIGTERM: want the log to say %q, got:\n%s", want, p.Output())
	}
}
