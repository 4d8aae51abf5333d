package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Tools are the pinned binaries tools/build.sh builds into TOOLS_BIN.
type Tools struct {
	// CLI is the crossplane CLI v2 (`crossplane composition render`).
	CLI string
	// Core is Crossplane core v2, the render engine the CLI runs.
	Core string
	// CLIv1 is the last 1.x CLI (`crossplane render`, in-process engine).
	CLIv1 string
	// ControllerGen generates CRDs from Go types.
	ControllerGen string
	// KubeScore checks manifests against common practice.
	KubeScore string
}

// ToolsIn returns the tools in bin.
func ToolsIn(bin string) Tools {
	return Tools{
		CLI:           filepath.Join(bin, "crossplane"),
		Core:          filepath.Join(bin, "crossplane-core"),
		CLIv1:         filepath.Join(bin, "crossplane-v1"),
		ControllerGen: filepath.Join(bin, "controller-gen"),
		KubeScore:     filepath.Join(bin, "kube-score"),
	}
}

// Check returns an error naming every tool that is missing.
func (t Tools) Check(names ...string) error {
	all := map[string]string{"crossplane": t.CLI, "crossplane-core": t.Core, "crossplane-v1": t.CLIv1, "controller-gen": t.ControllerGen, "kube-score": t.KubeScore}
	var missing []string
	for _, n := range names {
		if fi, err := os.Stat(all[n]); err != nil || fi.Mode()&0o111 == 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing pinned tools %s in %s: run `tools/build.sh %s` (or `make tools`)",
			strings.Join(missing, ", "), filepath.Dir(all[names[0]]), strings.Join(missing, " "))
	}
	return nil
}

// DefaultToolsBin is TOOLS_BIN, or the Makefile's default under root.
func DefaultToolsBin(root string) string {
	if b := os.Getenv("TOOLS_BIN"); b != "" {
		return b
	}
	return filepath.Join(root, ".cache", "tools", "bin")
}
