# Release engineering (docs/releasing.md): the GitHub workflows and the shell
# scripts are linted with `make lint`; hack/release.sh publishes a release.

# The repository's own shell scripts; the workflows' run steps are checked by
# actionlint, which calls shellcheck on each.
SHELL_SCRIPTS := .ci/run tools/build.sh tools/build-function.sh $(wildcard hack/*.sh)

.PHONY: lint-workflows
lint-workflows: ## actionlint on .github/workflows, with shellcheck on every run step.
	tools/build.sh actionlint
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing (Debian package shellcheck; .ci/run installs it): actionlint would skip the run steps" >&2; exit 1; }
	$(TOOLS_BIN)/actionlint -shellcheck="$$(command -v shellcheck)"

.PHONY: lint-shell
lint-shell: ## shellcheck on the repository's shell scripts.
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing (Debian package shellcheck; .ci/run installs it)" >&2; exit 1; }
	shellcheck $(SHELL_SCRIPTS)

# make lint runs both, besides golangci-lint.
lint: lint-workflows lint-shell
