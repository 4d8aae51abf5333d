package server_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// slow is a function whose calls wait for release, or for their context to
// end, before they answer.
type slow struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	started   chan string
	release   chan struct{}
	cancelled chan string
}

func newSlow() *slow {
	return &slow{started: make(chan string, 16), release: make(chan struct{}), cancelled: make(chan string, 16)}
}

func (s *slow) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	tag := req.GetMeta().GetTag()
	s.started <- tag
	select {
	case <-s.release:
		return &fnv1.RunFunctionResponse{Meta: &fnv1.ResponseMeta{Tag: tag}}, nil
	case <-ctx.Done():
		s.cancelled <- tag
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

type callResult struct {
	tag  string
	code codes.Code
}

// call starts a call and returns where its result will arrive.
func call(t *testing.T, c fnv1.FunctionRunnerServiceClient, tag string) <-chan callResult {
	t.Helper()
	out := make(chan callResult, 1)
	ctx := callCtx(t)
	go func() {
		rsp, err := c.RunFunction(ctx, &fnv1.RunFunctionRequest{Meta: &fnv1.RequestMeta{Tag: tag}})
		out <- callResult{tag: rsp.GetMeta().GetTag(), code: status.Code(err)}
	}()
	return out
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(watchdog):
		t.Fatalf("gave up waiting for %s", what)
	}
	var zero T
	return zero
}

// TestGracefulStop: once the server is told to stop (SIGTERM, in the
// binary), it accepts no new connection, lets the calls in flight finish and
// answer, and returns.
func TestGracefulStop(t *testing.T) {
	fn := newSlow()
	cfg := testConfig()
	cfg.ShutdownGrace = watchdog
	r := serve(t, fn, insecure.NewCredentials(), cfg)
	c := dial(t, r.addr, nil)

	inflight := []<-chan callResult{call(t, c, "one"), call(t, c, "two")}
	waitFor(t, fn.started, "the first call to start")
	waitFor(t, fn.started, "the second call to start")

	r.stop()
	// The listener closes at once: a new connection is refused.
	refused := false
	for range 100 {
		conn, err := (&net.Dialer{Timeout: time.Second}).DialContext(t.Context(), "tcp", r.addr)
		if err != nil {
			refused = true
			break
		}
		_ = conn.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if !refused {
		t.Errorf("after the stop: a new connection to %s was still accepted", r.addr)
	}
	if r.returned() {
		t.Fatalf("Serve(...) returned %v with two calls in flight", r.err)
	}

	close(fn.release)
	got := []callResult{waitFor(t, inflight[0], "the first call"), waitFor(t, inflight[1], "the second call")}
	want := []callResult{{tag: "one", code: codes.OK}, {tag: "two", code: codes.OK}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(callResult{})); diff != "" {
		t.Errorf("in-flight calls across a graceful stop: -want, +got:\n%s", diff)
	}
	if err := r.wait(t); err != nil {
		t.Errorf("Serve(...): %v", err)
	}
}

// TestGracefulStopIsBounded: a call that would never finish is cancelled
// when the grace period ends, and the server returns; it never waits for
// longer than the grace.
func TestGracefulStopIsBounded(t *testing.T) {
	fn := newSlow()
	cfg := testConfig()
	cfg.ShutdownGrace = 200 * time.Millisecond
	r := serve(t, fn, insecure.NewCredentials(), cfg)
	c := dial(t, r.addr, nil)

	stuck := call(t, c, "stuck")
	waitFor(t, fn.started, "the call to start")
	stopped := time.Now()
	r.stop()

	if err := r.wait(t); err != nil {
		t.Errorf("Serve(...): %v", err)
	}
	// A lower bound only: the server did wait for the grace period.
	if waited := time.Since(stopped); waited < cfg.ShutdownGrace {
		t.Errorf("Serve(...) returned after %s, before the grace period of %s", waited, cfg.ShutdownGrace)
	}
	if tag := waitFor(t, fn.cancelled, "the stuck call's context to end"); tag != "stuck" {
		t.Errorf("cancelled call: want tag %q, got %q", "stuck", tag)
	}
	if got := waitFor(t, stuck, "the stuck call to fail"); got.code != codes.Unavailable && got.code != codes.Canceled {
		t.Errorf("stuck call after the grace period: want Unavailable or Canceled, got %v", got.code)
	}
}
