package verify

import (
	"fmt"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"
	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"
)

// InstalledName is the name Crossplane gives a package it installs as a
// dependency: the DNS label of its repository path, without the registry
// (crossplane internal/controller/pkg/resolver/reconciler.go, NewPackage).
// The source must name a registry and a repository but no tag, since the
// resolver appends the version it picks.
func InstalledName(source string) (string, error) {
	repo, err := name.NewRepository(source, name.StrictValidation)
	if err != nil {
		return "", err
	}
	return xpkg.ToDNSLabel(repo.RepositoryStr()), nil
}

// FunctionSource is the package of a Function dependency. Only the
// apiVersion/kind/package form counts: the function field is deprecated,
// and a Composition calling a Function declared that way fails the check.
func FunctionSource(d pkgmetav1.Dependency) (string, bool) {
	if d.Kind == nil || *d.Kind != "Function" || d.Package == nil {
		return "", false
	}
	return *d.Package, true
}

// dependencyNames returns the object names of the Functions deps install,
// checking each has a version constraint the resolver can use.
func dependencyNames(deps []pkgmetav1.Dependency) (map[string]bool, []error) {
	names := map[string]bool{}
	var errs []error
	for _, d := range deps {
		src, ok := FunctionSource(d)
		if !ok {
			continue
		}
		if _, err := semver.NewConstraint(d.Version); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s version %q: %w", ErrDependency, src, d.Version, err))
		}
		n, err := InstalledName(src)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s: %w", ErrDependency, src, err))
			continue
		}
		names[n] = true
	}
	return names, errs
}
