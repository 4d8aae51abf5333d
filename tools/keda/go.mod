// Pins the KEDA release whose ScaledObject CRD `make generate` copies to test/fixtures/crds (render's schema validation, e2e): a module of its own, so KEDA's requirements never meet the product's.
module github.com/agentops-io/agentops/tools/keda

go 1.26.0

require github.com/kedacore/keda/v2 v2.21.0
