// Command genmodels writes apis/v1alpha1/zz_generated.models.go: the Model
// type whose enum marker lists the model catalog, so that the XRD's
// spec.model enum always matches apis/catalog.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := filepath.Join("apis", "v1alpha1", "zz_generated.models.go")
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := os.WriteFile(out, Source(), 0o644); err != nil { //nolint:gosec // Generated source is world-readable like any other.
		fmt.Fprintln(os.Stderr, "genmodels:", err)
		os.Exit(1)
	}
}
