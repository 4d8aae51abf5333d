package reliability

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	xplogging "github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

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

// panicLogger panics when the function logs the debug line panicOn: a
// stand-in for a bug at that point of RunFunction.
type panicLogger struct {
	panicOn string
	info    []string
}

func (l *panicLogger) Info(msg string, _ ...any) { l.info = append(l.info, msg) }
func (l *panicLogger) Debug(msg string, _ ...any) {
	if msg == l.panicOn {
		panic("a bug")
	}
}
func (l *panicLogger) WithValues(...any) xplogging.Logger { return l }

// TestPanicBecomesFatal: a panic inside RunFunction is recovered into a
// Fatal result with a message, the desired state left as the request had
// it, and a log line; the call itself succeeds, so the server lives on. A
// panic early (before any work) and one late (after the response's desired
// state is built) must both leave the request's desired state untouched.
func TestPanicBecomesFatal(t *testing.T) {
	e := examples(t)[0]
	// An earlier pipeline step's resource, which must survive.
	earlier := &fnv1.State{Resources: map[string]*fnv1.Resource{"earlier": {Resource: &structpb.Struct{Fields: map[string]*structpb.Value{
		"apiVersion": structpb.NewStringValue("v1"), "kind": structpb.NewStringValue("ConfigMap"),
	}}}}}
	for name, at := range map[string]string{
		"Early": "Running function",
		"Late":  "Desired state built",
	} {
		t.Run(name, func(t *testing.T) {
			req := request(t, e.XR, e.Input, nil)
			req.Desired = proto.CloneOf(earlier)
			log := &panicLogger{panicOn: at}
			rsp, err := fn.NewFunction(log).RunFunction(context.Background(), req)
			if err != nil {
				t.Fatalf("RunFunction(...): %v", err)
			}
			want := "internal error in function-agentops (please report it): a bug"
			if got := fatal(rsp); got != want {
				t.Errorf("RunFunction(...) after a panic at %q: want the Fatal result %q, got %q", at, want, got)
			}
			if diff := cmp.Diff(earlier, rsp.GetDesired(), protocmp.Transform()); diff != "" {
				t.Errorf("RunFunction(...) after a panic at %q changed the desired state: -want, +got:\n%s", at, diff)
			}
			if diff := cmp.Diff([]string{"Recovered from a panic"}, log.info); diff != "" {
				t.Errorf("RunFunction(...) after a panic: log: -want, +got:\n%s", diff)
			}
		})
	}
}

var _ xplogging.Logger = (*panicLogger)(nil)
