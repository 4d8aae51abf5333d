# Benchmarks of RunFunction (BENCHMARKS.md): in-process with go test -bench,
# and over gRPC against the real binary and a no-op floor function. Nothing
# here fails on a time; `make bench` only measures and prints.

BENCH_DIR         ?= $(OUTPUT)/bench
BENCH_COUNT       ?= 6
BENCH_REQUESTS    ?= 20000
BENCH_WARMUP      ?= 2000
BENCH_XRS         ?= 10000
BENCH_RUNS        ?= 3
BENCH_CONCURRENCY ?= 1,16,64
BENCH_SCENARIOS   ?= steady
# Added to both servers' environment, e.g. GOMEMLIMIT=48MiB.
BENCH_SERVER_ENV  ?=
# Added to both servers' flags, e.g. --max-concurrent-calls=0.
BENCH_SERVER_ARGS ?=

.PHONY: bench
bench: bench-go bench-load ## Benchmarks: go test -bench of RunFunction, then the gRPC load run; prints tables (BENCHMARKS.md).

.PHONY: bench-go
# The packages of the in-process benchmarks: the call, and the codec, trimming
# and input cache it is made of.
BENCH_GO_PACKAGES := ./fn ./fn/observed ./fn/internal/structcodec ./fn/settings

bench-go: ## In-process benchmarks of RunFunction (create, steady, with and without the wire) and of its parts, BENCH_COUNT runs through benchstat.
	tools/build.sh benchstat
	mkdir -p $(BENCH_DIR)
	$(GO) test $(BENCH_GO_PACKAGES) -run '^$$' -bench . -benchmem -count $(BENCH_COUNT) | tee $(BENCH_DIR)/go.txt
	$(TOOLS_BIN)/benchstat $(BENCH_DIR)/go.txt

# loadgen starts each server itself, on 127.0.0.1 port 0, and stops it by
# PID on every path out; the servers die with it should it be killed.
.PHONY: bench-load
bench-load: build ## gRPC load run: the function and the no-op floor on loopback at BENCH_CONCURRENCY, BENCH_REQUESTS calls, BENCH_RUNS runs.
	mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/noop ./test/bench/cmd/noop
	$(GO) build -o $(BENCH_DIR)/loadgen ./test/bench/cmd/loadgen
	$(BENCH_DIR)/loadgen -root $(CURDIR) -function $(FUNCTION_BIN) -floor $(BENCH_DIR)/noop \
		-scenarios $(BENCH_SCENARIOS) -concurrency $(BENCH_CONCURRENCY) -requests $(BENCH_REQUESTS) \
		-warmup $(BENCH_WARMUP) -xrs $(BENCH_XRS) -runs $(BENCH_RUNS) -server-env '$(BENCH_SERVER_ENV)' -server-args '$(BENCH_SERVER_ARGS)' | tee $(BENCH_DIR)/load.md

# Two profiles: RunFunction alone (cpu.pprof, mem.pprof), and the whole call
# on the wire, trimming, decoding and encoding included (wire-*.pprof).
.PHONY: bench-profile
bench-profile: ## CPU and allocation profiles of the steady-state RunFunction, alone and on the wire, with their top entries.
	mkdir -p $(BENCH_DIR)
	$(GO) test ./fn -run '^$$' -bench 'RunFunction/steady$$' -benchtime 3000x \
		-cpuprofile $(BENCH_DIR)/cpu.pprof -memprofile $(BENCH_DIR)/mem.pprof -o $(BENCH_DIR)/fn.test
	$(GO) tool pprof -top -cum -nodecount 30 $(BENCH_DIR)/fn.test $(BENCH_DIR)/cpu.pprof
	$(GO) tool pprof -top -cum -sample_index alloc_space -nodecount 30 $(BENCH_DIR)/fn.test $(BENCH_DIR)/mem.pprof
	$(GO) test ./fn -run '^$$' -bench 'RunFunction/steady-wire$$' -benchtime 3000x \
		-cpuprofile $(BENCH_DIR)/wire-cpu.pprof -memprofile $(BENCH_DIR)/wire-mem.pprof -o $(BENCH_DIR)/fn.test
	$(GO) tool pprof -top -cum -nodecount 30 $(BENCH_DIR)/fn.test $(BENCH_DIR)/wire-cpu.pprof
	$(GO) tool pprof -top -cum -sample_index alloc_space -nodecount 30 $(BENCH_DIR)/fn.test $(BENCH_DIR)/wire-mem.pprof

# The agent runtime's overhead (runtime/, BENCHMARKS.md): go test -bench side
# by side with a direct call, then the real binary on loopback at 64 clients,
# its CPU per request and its memory with 64 streams open.
.PHONY: bench-runtime
bench-runtime: ## Agent runtime overhead against a fake upstream: go test -bench, then a loopback load run of the binary.
	mkdir -p $(BENCH_DIR)
	cd runtime && $(GO) test ./server -run '^$$' -bench Overhead -benchtime 2000x -count $(BENCH_COUNT) | tee $(BENCH_DIR)/runtime-go.txt
	cd runtime && $(GO) build -trimpath -o $(BENCH_DIR)/agent-runtime ./cmd/agent-runtime && $(GO) build -o $(BENCH_DIR)/loadbench ./cmd/loadbench
	$(BENCH_DIR)/loadbench -runtime $(BENCH_DIR)/agent-runtime -requests $(BENCH_REQUESTS) -concurrency 64 | tee $(BENCH_DIR)/runtime-load.md
