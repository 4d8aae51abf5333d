# AgentOps. `make help` lists the targets; README.md explains them.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Pinned tools (tools/) are built once into TOOLS_BIN; CI points it at a
# cache outside the clone so a second run reuses them.
TOOLS_BIN ?= $(CURDIR)/.cache/tools/bin
OUTPUT    ?= $(CURDIR)/_output
export TOOLS_BIN
export PATH := $(TOOLS_BIN):$(PATH)

GO ?= go
# The release's version, from the VERSION file: the tag the packages are
# pushed with, the default agent images' tag (apis/catalog, written by make
# generate) and the lower bound of the Configurations' dependency on the
# Function (configuration/*.yaml, checked by test/xpkg/release).
VERSION := $(shell cat $(CURDIR)/VERSION)

# Every Go module with code of ours (docs/architecture.md says why each is
# one): vet, lint, unit and check-tidy run on each. The pinned tools'
# modules (tools/*/go.mod) hold no code; tools/build.sh builds from them.
MODULES := . runtime test/reliability test/xpkg test/scale/plot tools/runtime-image deploy/monitoring/dashboard

# The function's binary, built once by `make build` (tools/build-function.sh
# holds its flags) and passed to the tests that run it.
FUNCTION_BIN := $(OUTPUT)/bin/function

# Build tags of the suites that need more than `go test`: a control plane
# (make e2e, make playground-test, and make bench-scale on top of e2e) or the
# pinned tools and the binary (make render-test). vet and lint see them;
# unit leaves them out.
SUITE_TAGS := e2e,render,scale,playground

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## Build every pinned tool into TOOLS_BIN (minutes when cold, seconds after).
	tools/build.sh

.PHONY: build
build: ## Build the function binary into _output/bin.
	tools/build-function.sh $(FUNCTION_BIN)

.PHONY: vet
vet: ## go vet every module (MODULES), the suites' build tags included.
	for m in $(MODULES); do echo "vet: $$m"; (cd $$m && $(GO) vet -tags $(SUITE_TAGS) ./...) || exit 1; done

# Serial runners: wait for another lint on a shared machine instead of failing.
.PHONY: lint
lint: ## golangci-lint v2 on every module (MODULES), with the one .golangci.yml.
	tools/build.sh golangci-lint
	for m in $(MODULES); do \
		echo "lint: $$m"; \
		(cd $$m && $(TOOLS_BIN)/golangci-lint run --allow-serial-runners --config $(CURDIR)/.golangci.yml ./...) || exit 1; \
	done

.PHONY: unit
unit: build ## The tests of every module (MODULES) that need no cluster or packages, with the race detector.
	for m in $(MODULES); do \
		echo "unit: $$m"; \
		(cd $$m && FUNCTION_BIN=$(FUNCTION_BIN) $(GO) test -race -count=1 ./...) || exit 1; \
	done

.PHONY: check-tidy
check-tidy: ## Fail when a module's go.mod or go.sum is not what go mod tidy makes.
	for m in $(MODULES); do \
		(cd $$m && $(GO) mod tidy -diff) || { echo "check-tidy: $$m is untidy: run go mod tidy there and commit the result." >&2; exit 1; }; \
	done; echo "check-tidy: every module is tidy"

.PHONY: check-conflicts
check-conflicts: ## Fail when a tracked file holds a merge-conflict marker.
	@if git grep -nE '^(<{7}|>{7}) ' -- .; then echo "check-conflicts: resolve the conflict markers above" >&2; exit 1; fi; echo "check-conflicts: none"

# README's test command, in this order: what is cheapest and fails most
# often first, the control plane last.
TEST_STEPS := check-conflicts check-generate check-tidy vet lint unit render-test xpkg-verify e2e playground-test

.PHONY: test
test: ## README's test command: everything CI runs, in TEST_STEPS order, each step's wall time logged.
	for step in $(TEST_STEPS); do \
		start=$$(date +%s); \
		$(MAKE) --no-print-directory $$step || exit 1; \
		echo "test: $$step took $$(( $$(date +%s) - start ))s"; \
	done

include make/*.mk
