# Code and schema generation: Go types -> deepcopy, XRDs and the input CRD.

.PHONY: generate
generate: ## Regenerate deepcopy code, the XRDs and the input CRD from the Go types.
	test/tools/build.sh controller-gen
	$(GO) run ./apis/internal/genmodels
	$(TOOLS_BIN)/controller-gen object paths=./apis/v1alpha1 paths=./input/v1beta1
	$(TOOLS_BIN)/controller-gen crd:crdVersions=v1,allowDangerousTypes=true paths=./input/v1beta1 output:artifacts:config=package/input
	rm -rf $(OUTPUT)/crd && $(TOOLS_BIN)/controller-gen crd:crdVersions=v1,allowDangerousTypes=true paths=./apis/v1alpha1 output:artifacts:config=$(OUTPUT)/crd
	$(GO) run ./apis/internal/xrdgen -crd $(OUTPUT)/crd/agentops.io_agentdeployments.yaml -out apis

GENERATED = apis/definition.yaml apis/legacy/definition.yaml apis/v1alpha1/zz_generated.deepcopy.go \
	apis/v1alpha1/zz_generated.models.go input/v1beta1/zz_generated.deepcopy.go package/input/*.yaml

.PHONY: check-generate
check-generate: ## Fail when a generated file differs from what its source makes.
	@before=$$(sha256sum $(GENERATED)); \
	$(MAKE) --no-print-directory generate >/dev/null; \
	after=$$(sha256sum $(GENERATED)); \
	if [[ "$$before" != "$$after" ]]; then \
		diff <(echo "$$before") <(echo "$$after") >&2 || true; \
		echo "Generated files were stale (now regenerated): run 'make generate' and commit the result." >&2; exit 1; \
	fi; echo "check-generate: generated files are current"

.PHONY: lint
# Go modules besides the product's; test/xpkg is linted by xpkg-lint.
LINT_MODULES = . runtime test/e2e test/render test/reliability

lint: ## golangci-lint v2 on the product module and the test modules.
	test/tools/build.sh golangci-lint
	for m in $(LINT_MODULES); do \
		echo "lint: $$m"; \
		(cd $$m && $(TOOLS_BIN)/golangci-lint run --allow-serial-runners --config $(CURDIR)/.golangci.yml ./...) || exit 1; \
	done
