# `crossplane composition render` without Docker: the real crossplane CLI and
# Crossplane core binary (test/tools), the function running locally with
# --insecure. `make render` is README's first command; `make render-test`
# runs with `make test`; `make golden` rewrites test/render/testdata/golden.

EXAMPLE      ?= examples/production-claude-agent.yaml
OBSERVED     ?=
RENDER_FLAGS ?=

RENDER_TOOLS := crossplane crossplane-core
RENDER_TEST_TOOLS := $(RENDER_TOOLS) crossplane-v1 controller-gen kube-score

.PHONY: render
render: ## Render EXAMPLE (and OBSERVED state, RENDER_FLAGS) with the crossplane CLI; no Docker.
	@test/tools/build.sh $(RENDER_TOOLS)
	@$(MAKE) --no-print-directory build >/dev/null
	@cd test/render && $(GO) build -o $(OUTPUT)/bin/render ./cmd/render
	@$(OUTPUT)/bin/render -function $(OUTPUT)/bin/function $(if $(OBSERVED),-observed $(OBSERVED)) $(EXAMPLE) -- $(RENDER_FLAGS)

.PHONY: render-test
render-test: ## Golden, invalid-input, schema and CLI 1.x tests of the renders (test/render).
	test/tools/build.sh $(RENDER_TEST_TOOLS)
	cd test/render && $(GO) vet ./... && $(GO) test -count=1 ./...

.PHONY: golden
golden: ## Rewrite test/render/testdata/golden (renders, the fleet's pod-template hashes) from the current function; review the diff like code.
	test/tools/build.sh $(RENDER_TEST_TOOLS)
	cd test/render && $(GO) test -count=1 -run 'TestGolden|TestInvalid' . -args -update
	@git status --short -- test/render/testdata/golden

TEST_TARGETS += render-test
