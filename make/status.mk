# Status and readiness: the observed-state fixtures (test/fixtures/observed).

.PHONY: observed-fixtures
observed-fixtures: ## Regenerate test/fixtures/observed against a throwaway kube-apiserver.
	hack/observed-fixtures.sh
