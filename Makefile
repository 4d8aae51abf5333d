# AgentOps. `make help` lists the targets; README.md explains them.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Pinned tools (test/tools) are built once into TOOLS_BIN; CI points it at a
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
# How the function's binary is built, here, in its package and in the
# Dockerfile. grpcnotrace leaves out gRPC's golang.org/x/net/trace, whose
# html/template keeps every exported method in the binary: 34 MB less 7, and
# less memory (BENCHMARKS.md).
FUNCTION_BUILD_FLAGS := -trimpath -tags grpcnotrace

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## Build every pinned tool into TOOLS_BIN (minutes when cold, seconds after).
	test/tools/build.sh

.PHONY: build
build: ## Build the function binary into _output/bin.
	CGO_ENABLED=0 $(GO) build $(FUNCTION_BUILD_FLAGS) -o $(OUTPUT)/bin/function ./fn/cmd/function

.PHONY: unit
unit: ## go vet and the unit tests, with the race detector: the function, then the agent runtime (its own module).
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	cd runtime && $(GO) vet ./... && $(GO) test -race -count=1 ./...

.PHONY: test
test: ## README's test command: everything CI runs.
	$(MAKE) check-generate lint unit $(TEST_TARGETS)

include make/*.mk
