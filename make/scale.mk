# The control plane at scale (BENCHMARKS.md, "At scale"): a fleet of
# AgentDeployments on the e2e control plane with Crossplane's default
# settings, from apply to delete. A benchmark: not part of make test, and
# nothing in it fails on a time.

# Fleet sizes, one fresh control plane each.
SCALE_N ?= 100 300 1000
# The steady state: its window starts SCALE_SETTLE after every agent is
# Running and lasts SCALE_WINDOW (the issue's "ten minutes after").
SCALE_SETTLE ?= 5m
SCALE_WINDOW ?= 5m
SCALE_DIR ?= $(OUTPUT)/bench-scale
# When kwok makes a scheduled pod Ready: an agent whose container starts
# from a cached image in a few seconds and passes its readiness probe
# (initial delay 5 s) the first time.
SCALE_READY_DELAY ?= 10s
# The plot of every run's results in SCALE_DIR.
SCALE_PLOT ?= docs/bench-scale.png

.PHONY: bench-scale
bench-scale: xpkg ## Scale benchmark: SCALE_N AgentDeployments on the e2e control plane, measured from apply to delete, then plotted.
	tools/build.sh $(E2E_TOOLS)
	for n in $(SCALE_N); do \
		E2E_DIR=$(SCALE_DIR)/run-$$n E2E_XPKG_DIR=$(XPKG_DIR) $(GO) test -tags e2e,scale -count=1 -timeout=4h -v -run '^TestScale$$' ./test/e2e \
			-args -e2e.as-installed -e2e.ready-delay=$(SCALE_READY_DELAY) -scale.n=$$n -scale.settle=$(SCALE_SETTLE) -scale.window=$(SCALE_WINDOW) -scale.out=$(abspath $(SCALE_DIR)) || exit 1; \
	done
	$(MAKE) bench-scale-plot

.PHONY: bench-scale-plot
bench-scale-plot: ## Plot the scale benchmark's results in SCALE_DIR into SCALE_PLOT (gonum/plot, test/scale/plot).
	cd test/scale/plot && $(GO) run . -in $(abspath $(SCALE_DIR)) -out $(abspath $(SCALE_PLOT))
