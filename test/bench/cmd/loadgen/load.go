package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// rawCodec sends requests marshalled once, up front, and keeps responses
// as bytes, so the load generator spends its share of the two cores on
// neither: the server's work is what is measured.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return mem.BufferSlice{mem.SliceBuffer(*b)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	*b = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

// A load is n calls at a concurrency, cycling through requests.
type load struct {
	requests    [][]byte
	n           int
	concurrency int
	// check judges a response; it is called on a sample of them.
	check func(*fnv1.RunFunctionResponse) error
}

// sampleEvery is how often a response is decoded and checked.
const sampleEvery = 997

// drive makes the calls over one connection, as Crossplane does, and
// returns each call's latency in the order the calls were started.
func (l load) drive(ctx context.Context, address string, offset int) ([]time.Duration, time.Duration, error) {
	conn, err := grpc.NewClient(address,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(rawCodec{}), grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		return nil, 0, err
	}
	defer conn.Close()
	latencies := make([]time.Duration, l.n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range l.concurrency {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < l.n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				d, err := l.call(ctx, conn, i, offset)
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("call %d: %w", i, err); cancel() })
					return
				}
				latencies[i] = d
			}
		})
	}
	wg.Wait()
	return latencies, time.Since(start), firstErr
}

func (l load) call(ctx context.Context, conn *grpc.ClientConn, i, offset int) (time.Duration, error) {
	req := l.requests[(offset+i)%len(l.requests)]
	var rsp []byte
	t := time.Now()
	if err := conn.Invoke(ctx, fnv1.FunctionRunnerService_RunFunction_FullMethodName, &req, &rsp); err != nil {
		return 0, err
	}
	d := time.Since(t)
	if i%sampleEvery == 0 && l.check != nil {
		r := &fnv1.RunFunctionResponse{}
		if err := proto.Unmarshal(rsp, r); err != nil {
			return 0, err
		}
		if err := l.check(r); err != nil {
			return 0, err
		}
	}
	return d, nil
}
