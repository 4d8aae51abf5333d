# The reliability and security suite (test/reliability, a module of its own
# so that the API server's validation code stays out of the function's
# dependencies): bad input against the real XRD schema and CEL, Pod Security
# Standards, secrets, the NetworkPolicy, faults and a 10,000-call load test.
# `make unit` runs it with every module; this target runs it alone.

.PHONY: reliability
reliability: ## The reliability and security suite alone, with the race detector (make unit runs it too).
	cd test/reliability && $(GO) test -race -count=1 ./...

.PHONY: reliability-golden
reliability-golden: ## Rewrite test/reliability/testdata/*.golden.yaml from what the code does now; review the diff.
	cd test/reliability && $(GO) test -count=1 -run '^TestBadInput$$' . -update
