# `crossplane composition render` without Docker: the real crossplane CLI and
# Crossplane core binary (tools/), the function running locally with
# --insecure. `make render` is README's first command; `make render-test`
# runs with `make test`; `make golden` rewrites test/render/testdata/golden.

EXAMPLE      ?= examples/production-claude-agent.yaml
OBSERVED     ?=
RENDER_FLAGS ?=

RENDER_TOOLS := crossplane crossplane-core
RENDER_TEST_TOOLS := $(RENDER_TOOLS) crossplane-v1 controller-gen kube-score

.PHONY: render
render: ## Render EXAMPLE (and OBSERVED state, RENDER_FLAGS) with the crossplane CLI; no Docker.
	@tools/build.sh $(RENDER_TOOLS)
	@$(MAKE) --no-print-directory build >/dev/null
	@$(GO) build -o $(OUTPUT)/bin/render ./test/render/cmd/render
	@$(MAKE) --no-print-directory templatefn >/dev/null
	@$(OUTPUT)/bin/render -function $(FUNCTION_BIN) -standin $(TEMPLATEFN_BIN) $(if $(OBSERVED),-observed $(OBSERVED)) $(EXAMPLE) -- $(RENDER_FLAGS)

# The stand-in for function-go-templating and function-auto-ready
# (test/internal/templatefn) renders the platform example's parent.
TEMPLATEFN_BIN := $(OUTPUT)/bin/templatefn

.PHONY: templatefn
templatefn:
	$(GO) build -o $(TEMPLATEFN_BIN) ./test/internal/templatefn/cmd/templatefn

.PHONY: render-test
render-test: build templatefn ## Golden, invalid-input, schema and CLI 1.x tests of the renders (test/render, build tag render).
	tools/build.sh $(RENDER_TEST_TOOLS)
	FUNCTION_BIN=$(FUNCTION_BIN) TEMPLATEFN_BIN=$(TEMPLATEFN_BIN) $(GO) test -tags render -count=1 ./test/render

.PHONY: golden
golden: build templatefn ## Rewrite test/render/testdata/golden (renders, the fleet's pod-template hashes) from the current function; review the diff like code.
	tools/build.sh $(RENDER_TEST_TOOLS)
	FUNCTION_BIN=$(FUNCTION_BIN) TEMPLATEFN_BIN=$(TEMPLATEFN_BIN) $(GO) test -tags render -count=1 -run 'TestGolden|TestInvalid' ./test/render -args -update
	@git status --short -- test/render/testdata/golden
