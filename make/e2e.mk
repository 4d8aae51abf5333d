# End to end on a real control plane (test/e2e, docs/e2e.md): etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, kwok and
# Crossplane as local processes on 127.0.0.1, our packages installed through
# Crossplane's package manager from a local registry, our function called
# over mTLS. No containers.

# The tools the control plane runs, built once into TOOLS_BIN.
E2E_TOOLS := etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok registry crane crossplane-core controller-gen
# The suite's RemoteDelivery also runs provider-kubernetes.
E2E_SUITE_TOOLS := $(E2E_TOOLS) provider-kubernetes
# The run's logs, kubeconfigs and a dump of the cluster when a test fails.
E2E_DIR ?= $(OUTPUT)/e2e/run
E2E_TIMEOUT ?= 30m
# Extra `go test` flags, e.g. E2E_FLAGS='-run TestAgentDeployment/Scenarios/Scale'.
E2E_FLAGS ?=

# The test-only stand-in for function-go-templating and function-auto-ready
# (test/internal/templatefn, built by make templatefn), which the platform
# scenarios install as both: a package without a runtime image, for
# Crossplane to read, and its binary, which the test runs.
E2E_TEMPLATEFN_XPKG := $(OUTPUT)/e2e/templatefn.xpkg

.PHONY: e2e-templatefn
e2e-templatefn: templatefn
	tools/build.sh crossplane
	mkdir -p $(dir $(E2E_TEMPLATEFN_XPKG))
	$(CROSSPLANE) xpkg build --package-root=test/internal/templatefn/package \
		--examples-root=$(OUTPUT)/e2e/no-examples -o $(E2E_TEMPLATEFN_XPKG)

.PHONY: e2e
# The function runs from the binary `make xpkg` put in the Function package.
e2e: xpkg e2e-templatefn ## End to end: kubectl apply AgentDeployments on a local control plane with Crossplane (docs/e2e.md).
	tools/build.sh $(E2E_SUITE_TOOLS)
	E2E_DIR=$(E2E_DIR) E2E_XPKG_DIR=$(XPKG_DIR) E2E_TEMPLATEFN_BIN=$(TEMPLATEFN_BIN) E2E_TEMPLATEFN_XPKG=$(E2E_TEMPLATEFN_XPKG) \
		$(GO) test -tags e2e -count=1 -timeout=$(E2E_TIMEOUT) -v ./test/e2e $(E2E_FLAGS)

.PHONY: e2e-remote
# Part of make e2e; this runs it alone.
e2e-remote: xpkg ## Only the remote delivery scenario: provider-kubernetes and a second cluster (docs/remote.md).
	tools/build.sh $(E2E_SUITE_TOOLS)
	E2E_DIR=$(E2E_DIR) E2E_XPKG_DIR=$(XPKG_DIR) \
		$(GO) test -tags e2e -count=1 -timeout=$(E2E_TIMEOUT) -v -run 'TestAgentDeployment/Scenarios/RemoteDelivery' ./test/e2e

.PHONY: e2e-controlplane
e2e-controlplane: ## Only start and check the control plane and Crossplane, without our packages.
	tools/build.sh $(E2E_TOOLS)
	E2E_DIR=$(E2E_DIR) $(GO) test -tags e2e -count=1 -timeout=10m -v -run TestControlPlane ./test/e2e -args -e2e.controlplane-only

.PHONY: e2e-circuit-breaker
# Not in make test: it measures, over about two minutes, what docs/operations.md reports.
e2e-circuit-breaker: xpkg ## Measure Crossplane's circuit breaker at its default settings under a 20-agent rollout (docs/operations.md).
	tools/build.sh $(E2E_TOOLS)
	E2E_DIR=$(E2E_DIR) E2E_XPKG_DIR=$(XPKG_DIR) \
		$(GO) test -tags e2e -count=1 -timeout=15m -v -run TestCircuitBreaker ./test/e2e -args -e2e.circuit-breaker-defaults
