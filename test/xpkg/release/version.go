// Package release is what one release of AgentOps is made of: the version in
// the repository's VERSION file, and the places that must carry it (the
// Configurations' dependency on the Function, the install manifests' tags).
package release

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// versionFile is the one source of the release's version, at the
// repository's root.
const versionFile = "VERSION"

// semantic is what a release version looks like: the tag a release pushes,
// which Crossplane's resolver compares as a semantic version. Pre-releases
// are left out on purpose: a constraint such as >=v0.1.0 never admits one.
var semantic = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// ReadVersion reads and checks the VERSION file of the repository at root.
func ReadVersion(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, versionFile)) //nolint:gosec // The repository's own file.
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(b))
	if !semantic.MatchString(v) {
		return "", fmt.Errorf("%s: %q is not a release version such as v1.2.3", versionFile, v)
	}
	return v, nil
}

// DependencyConstraint is the version constraint the Configurations of
// release v put on the Function: at least the Function released with them,
// whose input and behaviour their Compositions were tested against.
func DependencyConstraint(v string) string {
	return ">=" + v
}
