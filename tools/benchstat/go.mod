// Pins what tools/build.sh builds from here: a module of its own, so its versions never meet another tool's or the product's.
module github.com/agentops-io/agentops/tools/benchstat

go 1.26.0

require (
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da // indirect
)
