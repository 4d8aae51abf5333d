// Command loadgen is the load benchmark of function-agentops: it starts the
// real function binary and the no-op floor function on loopback, drives
// RunFunction over gRPC with distinct variants of the production example at
// several concurrencies, and prints a table of throughput, latency, the
// function's CPU time per request (from /proc) and its peak RSS, each with
// its ratio to the floor. BENCHMARKS.md explains the method.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

type config struct {
	function, floor, root string
	scenarios             []string
	concurrency           []int
	requests, warmup      int
	xrs, runs             int
	// serverEnv is added to the servers' environment, such as GOMEMLIMIT.
	serverEnv []string
	// serverArgs are added to the servers' flags, such as
	// --max-concurrent-calls=0.
	serverArgs []string
}

func main() {
	cfg, err := parseFlags()
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		err = run(ctx, cfg)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var cfg config
	var scenarios, concurrency, serverEnv, serverArgs string
	flag.StringVar(&cfg.function, "function", "_output/bin/function", "The function-agentops binary.")
	flag.StringVar(&cfg.floor, "floor", "_output/bench/noop", "The no-op floor function's binary.")
	flag.StringVar(&cfg.root, "root", ".", "The repository's root, where the example and the Composition are.")
	flag.StringVar(&scenarios, "scenarios", "steady", "Comma-separated scenarios: steady (every composed resource observed), create (nothing observed).")
	flag.StringVar(&concurrency, "concurrency", "1,16,64", "Comma-separated numbers of calls in flight.")
	flag.IntVar(&cfg.requests, "requests", 100000, "Measured calls per run.")
	flag.IntVar(&cfg.warmup, "warmup", 2000, "Calls before measuring, per run.")
	flag.IntVar(&cfg.xrs, "xrs", 10000, "Distinct XRs the calls cycle through.")
	flag.IntVar(&cfg.runs, "runs", 3, "Runs of each configuration, each on a fresh process; the table shows the median and the range.")
	flag.StringVar(&serverEnv, "server-env", "", "Comma-separated KEY=VALUE pairs added to both servers' environment, such as GOMEMLIMIT=48MiB.")
	flag.StringVar(&serverArgs, "server-args", "", "Comma-separated flags added to both servers' command lines, such as --max-concurrent-calls=0.")
	flag.Parse()
	if serverEnv != "" {
		cfg.serverEnv = strings.Split(serverEnv, ",")
	}
	if serverArgs != "" {
		cfg.serverArgs = strings.Split(serverArgs, ",")
	}
	cfg.scenarios = strings.Split(scenarios, ",")
	for _, s := range cfg.scenarios {
		if s != "steady" && s != "create" {
			return cfg, fmt.Errorf("-scenarios: unknown scenario %q: want steady or create", s)
		}
	}
	for c := range strings.SplitSeq(concurrency, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-concurrency: %q is not a positive number", c)
		}
		cfg.concurrency = append(cfg.concurrency, n)
	}
	if cfg.requests < 1 || cfg.warmup < 0 || cfg.xrs < 1 || cfg.runs < 1 {
		return cfg, errors.New("-requests, -xrs and -runs must be positive, -warmup not negative")
	}
	return cfg, nil
}

func run(ctx context.Context, cfg config) error {
	var all []result
	for _, sc := range cfg.scenarios {
		rs, err := runScenario(ctx, cfg, sc)
		if err != nil {
			return err
		}
		all = append(all, rs...)
	}
	printTables(os.Stdout, cfg, all)
	return nil
}

// runScenario measures the floor and the function at each concurrency,
// cfg.runs times. The two alternate, so that drift in the machine's load
// touches both alike.
func runScenario(ctx context.Context, cfg config, sc string) ([]result, error) {
	reqs, err := prepare(ctx, cfg.root, sc, cfg.xrs)
	if err != nil {
		return nil, err
	}
	check := checkComposed
	if sc == "steady" {
		check = checkRunning
	}
	targets := []target{
		{name: "floor", bin: cfg.floor, env: cfg.serverEnv, args: cfg.serverArgs},
		{name: "agentops", bin: cfg.function, env: cfg.serverEnv, args: cfg.serverArgs, check: check},
	}
	var out []result
	for r := range cfg.runs {
		for _, c := range cfg.concurrency {
			for _, t := range targets {
				res, err := measure(ctx, t, load{requests: reqs, n: cfg.requests, concurrency: c, check: t.check}, cfg.warmup)
				if err != nil {
					return nil, fmt.Errorf("%s, %s, concurrency %d, run %d: %w", t.name, sc, c, r+1, err)
				}
				res.scenario = sc
				logf("%s", res)
				out = append(out, res)
			}
		}
	}
	return out, nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
}
