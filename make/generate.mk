# Code and schema generation: Go types -> deepcopy, XRDs and the input CRD.

.PHONY: generate
generate: ## Regenerate deepcopy code, the XRDs and the input CRD from the Go types.
	test/tools/build.sh controller-gen
	$(GO) run ./apis/internal/genmodels
	$(TOOLS_BIN)/controller-gen object paths=./apis/v1alpha1 paths=./input/v1beta1
	$(TOOLS_BIN)/controller-gen crd:crdVersions=v1,allowDangerousTypes=true paths=./input/v1beta1 output:artifacts:config=package/input
	rm -rf $(OUTPUT)/crd && $(TOOLS_BIN)/controller-gen crd:crdVersions=v1,allowDangerousTypes=true paths=./apis/v1alpha1 output:artifacts:config=$(OUTPUT)/crd
	$(GO) run ./apis/internal/xrdgen -crd $(OUTPUT)/crd/agentops.io_agentdeployments.yaml -out apis

.PHONY: check-generate
check-generate: ## Fail when a generated file differs from what its source makes.
	$(MAKE) generate
	@git diff --exit-code -- apis input package/input || { echo "Generated files are stale: run 'make generate' and commit the result." >&2; exit 1; }

.PHONY: lint
lint: ## golangci-lint v2.
	test/tools/build.sh golangci-lint
	$(TOOLS_BIN)/golangci-lint run ./...
