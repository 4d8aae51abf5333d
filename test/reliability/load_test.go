package reliability

import (
	"context"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/server"
)

const (
	loadCalls       = 10000
	loadConcurrency = 64
	// heapGrowthBound is how much more heap may stay in use after the run
	// than before it: far above what a few connections hold, far below what
	// keeping 10,000 responses would.
	heapGrowthBound = 64 << 20
)

// loadMix is what Crossplane sends a busy function: every example, with and
// without observed state, and bad XRs and inputs, each with the answer the
// function gives it alone.
func loadMix(t *testing.T) ([]*fnv1.RunFunctionRequest, []*fnv1.RunFunctionResponse) {
	t.Helper()
	exs := examples(t)
	reqs := make([]*fnv1.RunFunctionRequest, 0, 2*len(exs)+8)
	for _, e := range exs {
		reqs = append(reqs, request(t, e.XR, e.Input, nil))
		reqs = append(reqs, leakyRequest(t, e, "sk-load"))
	}
	in := compositionInput(t, "compositions/agentdeployment.yaml")
	for _, name := range []string{"UnknownModel", "MinAboveMax", "MissingSpec", "VaultWithoutRole", "InputUnknownField", "InputBadQuantity", "ObservedDeploymentMalformed", "LegacyWithoutClaimLabels"} {
		c := badCases()[name]
		xr, input := baseXR(), deepCopy(in)
		if c.legacy {
			xr = claimXR(t, xr)
		}
		if c.xr != nil {
			c.xr(xr)
		}
		if c.input != nil {
			c.input(input)
		}
		reqs = append(reqs, request(t, xr, input, c.observed))
	}
	want := make([]*fnv1.RunFunctionResponse, len(reqs))
	invalid := 0
	for i, r := range reqs {
		want[i], _ = run(t, r)
		if fatal(want[i]) != "" {
			invalid++
		}
	}
	if invalid < 6 || invalid == len(reqs) {
		t.Fatalf("the mix has %d invalid requests of %d; want a mix", invalid, len(reqs))
	}
	return reqs, want
}

// TestLoad makes 10,000 RunFunction calls (1,000 with -short), 64 at a time, over a real gRPC
// connection to the server: every call must succeed at the transport and
// get the answer the function gives the same request alone, whole where
// the server trims it, and the heap
// must not keep what the calls used. Run it with -race.
func TestLoad(t *testing.T) {
	calls := loadCalls
	if testing.Short() {
		calls = loadCalls / 10
	}
	reqs, want := loadMix(t)
	lis, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.Insecure, cfg.MetricsAddress = true, ""
	// As fn/cmd/function serves: the answers of trimmed requests are
	// compared with those of whole ones.
	cfg.TrimRequest = observed.TrimRequest
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- server.Serve(ctx, lis, fn.NewFunction(logging.NewNopLogger()), insecure.NewCredentials(), cfg, logging.NewNopLogger())
	}()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve(...): %v", err)
		}
	})
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client := fnv1.NewFunctionRunnerServiceClient(conn)

	before := heapInUse()
	var peak atomic.Uint64
	sampling := make(chan struct{})
	go sampleHeap(&peak, sampling)

	var next atomic.Int64
	var transportErrs, wrong atomic.Int64
	var firstDiff sync.Once
	start := time.Now()
	var wg sync.WaitGroup
	for range loadConcurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= calls {
					return
				}
				r := i % len(reqs)
				rsp, err := client.RunFunction(t.Context(), reqs[r])
				if err != nil {
					transportErrs.Add(1)
					firstDiff.Do(func() { t.Errorf("call %d: %v", i, err) })
					continue
				}
				if !proto.Equal(want[r], rsp) {
					wrong.Add(1)
					firstDiff.Do(func() {
						t.Errorf("call %d got another answer than the request alone: -want, +got:\n%s", i, cmp.Diff(want[r], rsp, protocmp.Transform()))
					})
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(sampling)
	after := heapInUse()

	t.Logf("%d calls at concurrency %d in %s (%.0f calls/s; a timing, not a benchmark): heap in use %d KiB before, %d KiB peak, %d KiB after",
		calls, loadConcurrency, elapsed.Round(time.Millisecond), float64(calls)/elapsed.Seconds(), before>>10, peak.Load()>>10, after>>10)
	if n := transportErrs.Load(); n > 0 {
		t.Errorf("%d of %d calls failed at the transport", n, calls)
	}
	if n := wrong.Load(); n > 0 {
		t.Errorf("%d of %d calls got a wrong answer", n, calls)
	}
	if after > before+heapGrowthBound {
		t.Errorf("heap in use grew from %d KiB to %d KiB over the run; want at most %d KiB more", before>>10, after>>10, heapGrowthBound>>10)
	}
}

// heapInUse after a collection: what the process keeps.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func sampleHeap(peak *atomic.Uint64, done <-chan struct{}) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}
}
