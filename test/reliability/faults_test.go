package reliability

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	xplogging "github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	"github.com/agentops-io/agentops/fn"
)

// TestStoppedContext: a call whose caller gave up, or whose deadline
// passed, gets no answer computed for it, and the caller learns why.
func TestStoppedContext(t *testing.T) {
	e := examples(t)[0]
	req := request(t, e.XR, e.Input, nil)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()

	type result struct {
		Code     codes.Code
		Response bool
	}
	cases := map[string]struct {
		reason string
		ctx    context.Context
		want   result
	}{
		"Cancelled": {reason: "Crossplane cancelled the call (it stopped waiting, or is shutting down).", ctx: cancelled, want: result{Code: codes.Canceled}},
		"Expired":   {reason: "The call's deadline passed.", ctx: expired, want: result{Code: codes.DeadlineExceeded}},
		"Live":      {reason: "A live context gets an answer.", ctx: context.Background(), want: result{Code: codes.OK, Response: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp, err := fn.NewFunction(xplogging.NewNopLogger()).RunFunction(tc.ctx, req)
			got := result{Code: status.Code(err), Response: rsp != nil}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// panicLogger panics when the function logs at debug level, which it does
// on every call: a stand-in for a bug anywhere in RunFunction.
type panicLogger struct {
	info []string
}

func (l *panicLogger) Info(msg string, _ ...any)          { l.info = append(l.info, msg) }
func (l *panicLogger) Debug(string, ...any)               { panic("a bug") }
func (l *panicLogger) WithValues(...any) xplogging.Logger { return l }

// TestPanicBecomesFatal: a panic inside RunFunction is recovered into a
// Fatal result with a message, the desired state left as the request had
// it, and a log line; the call itself succeeds, so the server lives on.
func TestPanicBecomesFatal(t *testing.T) {
	e := examples(t)[0]
	req := request(t, e.XR, e.Input, nil)
	log := &panicLogger{}
	rsp, err := fn.NewFunction(log).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatalf("RunFunction(...): %v", err)
	}
	want := "internal error in function-agentops (please report it): a bug"
	if got := fatal(rsp); got != want {
		t.Errorf("RunFunction(...) after a panic: want the Fatal result %q, got %q", want, got)
	}
	if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
		t.Errorf("RunFunction(...) after a panic changed the desired state: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Recovered from a panic"}, log.info); diff != "" {
		t.Errorf("RunFunction(...) after a panic: log: -want, +got:\n%s", diff)
	}
}

var _ xplogging.Logger = (*panicLogger)(nil)
