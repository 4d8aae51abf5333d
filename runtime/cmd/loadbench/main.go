// Command loadbench measures the agent runtime's overhead on loopback: the
// real binary in front of a fake OpenAI-compatible upstream, side by side
// with the same load sent to the upstream directly. It prints latency
// percentiles, the runtime process's CPU time per request (from
// /proc/<pid>/stat) and its resident memory with 64 streams held open.
//
//	loadbench -runtime _output/bench/agent-runtime -requests 5000 -concurrency 64
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentops-io/agentops/runtime/internal/fakeupstream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run() error {
	bin := flag.String("runtime", "", "the agent-runtime binary")
	requests := flag.Int("requests", 5000, "requests per run")
	concurrency := flag.Int("concurrency", 64, "clients at once")
	streams := flag.Int("streams", 64, "streams held open for the memory reading")
	flag.Parse()
	if *bin == "" {
		return errors.New("-runtime is required")
	}
	hold := make(chan struct{})
	up, err := serve(fakeupstream.Handler(nil))
	if err != nil {
		return err
	}
	held, err := serve(fakeupstream.Handler(hold))
	if err != nil {
		return err
	}
	rt, err := start(*bin, up)
	if err != nil {
		return err
	}
	defer rt.stop()
	rtHeld, err := start(*bin, held)
	if err != nil {
		return err
	}
	defer rtHeld.stop()

	fmt.Fprintf(os.Stdout, "| mode | target | requests | p50 | p99 | errors | runtime CPU per request |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, mode := range []string{"complete", "stream"} {
		body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":100` + map[string]string{"complete": "}", "stream": `,"stream":true}`}[mode]
		direct := load(up+"/v1/chat/completions", body, *requests, *concurrency)
		fmt.Fprintf(os.Stdout, "| %s | direct | %d | %v | %v | %d | - |\n", mode, *requests, direct.p50, direct.p99, direct.errors)
		cpu0, err := rt.cpu()
		if err != nil {
			return err
		}
		through := load(rt.url+"/v1/chat/completions", body, *requests, *concurrency)
		cpu1, err := rt.cpu()
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stdout, "| %s | runtime | %d | %v | %v | %d | %v |\n", mode, *requests, through.p50, through.p99, through.errors, (cpu1-cpu0)/time.Duration(*requests))
	}

	idle, err := rtHeld.rss()
	if err != nil {
		return err
	}
	var open sync.WaitGroup
	started := make(chan struct{}, *streams)
	for range *streams {
		open.Go(func() {
			res, err := post(http.DefaultClient, rtHeld.url+"/v1/chat/completions", `{"messages":[{"role":"user","content":"Hi"}],"stream":true}`)
			if err != nil {
				started <- struct{}{}
				return
			}
			buf := make([]byte, 1)
			_, _ = res.Body.Read(buf)
			started <- struct{}{}
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
		})
	}
	for range *streams {
		<-started
	}
	busy, err := rtHeld.rss()
	if err != nil {
		return err
	}
	close(hold)
	open.Wait()
	fmt.Fprintf(os.Stdout, "\nruntime RSS: %d KiB idle (after the load runs of its twin), %d KiB with %d streams open\n", idle, busy, *streams)
	return nil
}

func serve(h http.Handler) (string, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = (&http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}).Serve(l) }()
	return "http://" + l.Addr().String(), nil
}

type result struct {
	p50, p99 time.Duration
	errors   int64
}

func load(url, body string, requests, concurrency int) result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}, Timeout: 30 * time.Second}
	lat := make([]time.Duration, requests)
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(requests) {
					return
				}
				start := time.Now()
				res, err := post(client, url, body)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				lat[i] = time.Since(start)
				if res.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(lat)
	return result{p50: lat[requests/2].Round(time.Microsecond), p99: lat[requests*99/100].Round(time.Microsecond), errors: failed.Load()}
}

func post(c *http.Client, url, body string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.Do(req)
}
