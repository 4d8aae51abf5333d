// Command xrdgen turns the AgentDeployment CRD that controller-gen makes
// from apis/v1alpha1 into the two CompositeResourceDefinitions:
//
//   - apis/definition.yaml: apiextensions.crossplane.io/v2, Namespaced, kind
//     AgentDeployment.
//   - apis/legacy/definition.yaml: apiextensions.crossplane.io/v1, the
//     LegacyCluster XAgentDeployment with the claim kind AgentDeployment.
//
// Both share the spec and status schema, printer columns and the scale
// subresource. It adds the one rule the Go markers cannot state: the hosted
// providers' models need an API key, a list that comes from apis/catalog.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	crdPath := flag.String("crd", "", "The AgentDeployment CRD controller-gen wrote.")
	out := flag.String("out", "apis", "The folder to write definition.yaml and legacy/definition.yaml into.")
	flag.Parse()
	if err := run(*crdPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "xrdgen:", err)
		os.Exit(1)
	}
}

func run(crdPath, out string) error {
	raw, err := os.ReadFile(crdPath) //nolint:gosec // The path is the generator's own flag.
	if err != nil {
		return err
	}
	v2, legacy, err := Generate(raw)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "definition.yaml"), v2, 0o644); err != nil { //nolint:gosec // Manifests are world-readable.
		return err
	}
	return os.WriteFile(filepath.Join(out, "legacy", "definition.yaml"), legacy, 0o644) //nolint:gosec // Manifests are world-readable.
}
