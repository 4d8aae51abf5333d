package main

import (
	"context"
	"runtime"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/internal/scenario"
)

// prepare marshals the requests of n distinct XRs for a scenario. The
// steady state's observed objects come from the function's own desired
// output, so the function runs in-process here, before anything is timed.
func prepare(ctx context.Context, root, sc string, n int) ([][]byte, error) {
	start := time.Now()
	b, err := scenario.New(root)
	if err != nil {
		return nil, err
	}
	run := fn.NewFunction(logging.NewNopLogger()).RunFunction
	build := func(i int) (*fnv1.RunFunctionRequest, error) {
		if sc == "create" {
			return b.Create(i)
		}
		return b.Steady(ctx, run, i)
	}
	out := make([][]byte, n)
	errs := make([]error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for i := w; i < n && errs[w] == nil; i += len(errs) {
				var req *fnv1.RunFunctionRequest
				if req, errs[w] = build(i); errs[w] == nil {
					out[i], errs[w] = proto.Marshal(req)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var bytes int
	for _, r := range out {
		bytes += len(r)
	}
	logf("%s: %d distinct XRs, %d bytes a request on average, observed objects from %s (%s)",
		sc, n, bytes/n, b.ObservedSource(), time.Since(start).Round(time.Millisecond))
	return out, nil
}
