# A local playground (README "Try it", docs/playground.md): the e2e
# suite's cluster, started through its harness and left running in the
# background for a person to try AgentOps with kubectl. No Docker.

# The state folder: PIDs, kubeconfig, etcd's data, logs. Git-ignored.
PLAYGROUND_DIR ?= $(CURDIR)/.playground
PLAYGROUND_BIN := $(OUTPUT)/bin/playground
PLAYGROUND_FLAGS = -dir $(PLAYGROUND_DIR) -repo $(CURDIR) -tools-bin $(TOOLS_BIN) \
	-xpkg-dir $(XPKG_DIR) -cache-dir $(CURDIR)/.cache/e2e
# Only this machine's Function package is installed.
PLAYGROUND_ARCH := $(shell $(GO) env GOARCH)

.PHONY: playground-bin
playground-bin:
	$(GO) build -o $(PLAYGROUND_BIN) ./test/e2e/playground

.PHONY: up
up: playground-bin ## Start a local playground in the background: a control plane with Crossplane and AgentOps (README "Try it").
	if [[ -f $(PLAYGROUND_DIR)/state.json ]]; then $(PLAYGROUND_BIN) up $(PLAYGROUND_FLAGS); exit; fi; \
	$(MAKE) -s --no-print-directory xpkg XPKG_ARCHES=$(PLAYGROUND_ARCH); \
	tools/build.sh $(E2E_TOOLS); \
	$(PLAYGROUND_BIN) up $(PLAYGROUND_FLAGS)

.PHONY: status
status: playground-bin ## Report the playground's processes; fails if one has crashed.
	$(PLAYGROUND_BIN) status $(PLAYGROUND_FLAGS)

.PHONY: down
down: playground-bin ## Stop every process of the playground, by PID, and remove its state.
	$(PLAYGROUND_BIN) down $(PLAYGROUND_FLAGS)

# The test runs make up, kubectl and make down on a playground of its own.
PLAYGROUND_TEST_DIR ?= $(OUTPUT)/playground-test
.PHONY: playground-test
playground-test: ## make up, the minimal example Running through kubectl, make down leaving no process or port behind.
	PLAYGROUND_TEST_DIR=$(PLAYGROUND_TEST_DIR) $(GO) test -tags playground -count=1 -timeout=15m -v -run TestPlayground ./test/e2e/playground
