# Fuzzing. The seed corpus of every fuzz target runs in every `go test`;
# `make fuzz` runs each target for FUZZTIME. A failing input is saved under
# the package's testdata/fuzz/ and then runs as a seed: commit it with the fix.

FUZZTIME ?= 2m
# package:target of the product module.
FUZZ_TARGETS := ./fn/agent:FuzzFromComposite ./fn/settings:FuzzResolve ./fn/health:FuzzOf ./fn/observed:FuzzTrimRequest ./fn/internal/structcodec:FuzzEncoderMatchesJSON ./fn/internal/structcodec:FuzzEqual

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME (default 2m): XR and input decoding, health, request trimming, the Struct codec, RunFunction.
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t##*:} ($${t%%:*}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t##*:}\$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done
	@echo "fuzz FuzzRunFunction (test/reliability/fuzz) for $(FUZZTIME)"
	cd test/reliability && $(GO) test -run '^$$' -fuzz '^FuzzRunFunction$$' -fuzztime $(FUZZTIME) ./fuzz
