// Package artifacts locates what `make xpkg` built and the tools the package
// tests run, from the environment make xpkg-verify sets.
package artifacts

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/test/xpkg/release"
)

// Paths of the built packages, the repository and the pinned tools.
type Paths struct {
	// Dir holds the .xpkg files (XPKG_DIR).
	Dir string
	// Root is the repository, for examples and compositions
	// (internal/fixtures.Root).
	Root string
	// Crossplane is the pinned crossplane CLI (CROSSPLANE).
	Crossplane string
	// Crane is the pinned crane, which also serves the registry (CRANE).
	Crane string
}

// The file names make xpkg writes: make/xpkg.mk uses the same.
const (
	functionFile            = "function-agentops-%s.xpkg"
	configurationFile       = "configuration-agentops.xpkg"
	legacyConfigurationFile = "configuration-agentops-legacy.xpkg"
)

// Arches the Function package is built for.
var Arches = []string{"amd64", "arm64"}

// Require returns the paths, or skips the test when they are not set: these
// tests check built packages, so they run from make xpkg-verify.
func Require(t *testing.T) Paths {
	t.Helper()
	p := Paths{
		Dir:        os.Getenv("XPKG_DIR"),
		Root:       fixtures.Root(),
		Crossplane: os.Getenv("CROSSPLANE"),
		Crane:      os.Getenv("CRANE"),
	}
	if p.Dir == "" || p.Crossplane == "" || p.Crane == "" {
		t.Skip("XPKG_DIR, CROSSPLANE and CRANE are unset: run make xpkg-verify")
	}
	return p
}

// Function is the Function package file for arch.
func (p Paths) Function(arch string) string {
	return filepath.Join(p.Dir, fmt.Sprintf(functionFile, arch))
}

// Configuration is the Configuration package file for the v2 XRD.
func (p Paths) Configuration() string { return filepath.Join(p.Dir, configurationFile) }

// LegacyConfiguration is the Configuration package file for the v1 XRD.
func (p Paths) LegacyConfiguration() string { return filepath.Join(p.Dir, legacyConfigurationFile) }

// InRepo is a path relative to the repository root.
func (p Paths) InRepo(rel string) string { return filepath.Join(p.Root, rel) }

// Version is the release's version, from the repository's VERSION file.
func (p Paths) Version(t *testing.T) string {
	t.Helper()
	v, err := release.ReadVersion(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
