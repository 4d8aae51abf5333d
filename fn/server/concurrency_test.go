package server_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/credentials/insecure"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/server"
)

// TestDefaultMaxConcurrentCalls: by default eight calls per core (as
// GOMAXPROCS counts them) run at once.
func TestDefaultMaxConcurrentCalls(t *testing.T) {
	cases := map[string]struct {
		reason string
		procs  int
		want   uint
	}{
		"OneCore":    {reason: "One core: eight calls at once.", procs: 1, want: 8},
		"ThreeCores": {reason: "Three cores: twenty-four calls at once.", procs: 3, want: 24},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			if diff := cmp.Diff(tc.want, server.DefaultConfig().MaxConcurrentCalls); diff != "" {
				t.Errorf("%s\nDefaultConfig().MaxConcurrentCalls: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// holding keeps every call until released, and tells when one arrives.
type holding struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	arrived chan struct{}
	release chan struct{}
}

func (h *holding) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	h.arrived <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &fnv1.RunFunctionResponse{Meta: &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag()}}, nil
}

// TestMaxConcurrentCalls: with a limit, calls beyond it wait for one to
// finish instead of running (and holding their request in memory) at once;
// none fails. Without a limit, all run at once.
func TestMaxConcurrentCalls(t *testing.T) {
	const calls = 5
	type want struct {
		// AtOnce is how many calls reach the function before any finishes.
		AtOnce    int
		Succeeded int
	}
	cases := map[string]struct {
		reason string
		limit  uint
		want   want
	}{
		"Limited": {
			reason: "Two calls run at once; the other three wait, and all five succeed.",
			limit:  2,
			want:   want{AtOnce: 2, Succeeded: calls},
		},
		"Unlimited": {
			reason: "Zero lifts the limit: all five calls run at once.",
			limit:  0,
			want:   want{AtOnce: calls, Succeeded: calls},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fn := &holding{arrived: make(chan struct{}, calls), release: make(chan struct{})}
			cfg := testConfig()
			cfg.MaxConcurrentCalls = tc.limit
			r := serve(t, fn, insecure.NewCredentials(), cfg)
			c := dial(t, r.addr, nil)

			var wg sync.WaitGroup
			errs := make(chan error, calls)
			for range calls {
				wg.Go(func() {
					_, err := c.RunFunction(callCtx(t), request(t, "call", 16))
					errs <- err
				})
			}
			var got want
			for range tc.want.AtOnce {
				waitFor(t, fn.arrived, "a call to reach the function")
				got.AtOnce++
			}
			// Evidence, not proof, that no further call gets in: it could
			// only make this test pass wrongly, never fail wrongly.
			select {
			case <-fn.arrived:
				got.AtOnce++
			case <-time.After(300 * time.Millisecond):
			}
			close(fn.release)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err == nil {
					got.Succeeded++
				} else {
					t.Logf("RunFunction: %v", err)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nRunFunction(...) x %d: -want, +got:\n%s", tc.reason, calls, diff)
			}
		})
	}
}
