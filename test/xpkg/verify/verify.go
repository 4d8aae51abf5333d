// Package verify checks a built Crossplane package (.xpkg) the way
// Crossplane's package manager will read it: one marked package layer, a
// stream that parses and passes crossplane-runtime's package linter, a
// Crossplane version constraint that admits no release too old for its
// XRDs, and,
// for a Function, a runtime Kubernetes can start as non-root on the stated
// architecture; for a Configuration, no runtime at all.
package verify

import (
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Kind of package, as its crossplane.yaml names it.
type Kind string

// The kinds of package we ship.
const (
	Function      Kind = "Function"
	Configuration Kind = "Configuration"
)

// Want is what a package must be.
type Want struct {
	Kind Kind
	// Arch is the GOARCH a Function's runtime must run on.
	Arch string
}

// Each problem wraps one of these, so callers and tests can tell them apart.
var (
	ErrBaseLayer   = errors.New("package layer")
	ErrParse       = errors.New("package stream does not parse")
	ErrKind        = errors.New("wrong kind of package")
	ErrLint        = errors.New("package fails crossplane's linter")
	ErrMetadata    = errors.New("package metadata")
	ErrPlatform    = errors.New("runtime platform")
	ErrEntrypoint  = errors.New("runtime entrypoint")
	ErrNotStatic   = errors.New("entrypoint is not a static ELF")
	ErrArch        = errors.New("entrypoint architecture")
	ErrRoot        = errors.New("runtime user")
	ErrRuntime     = errors.New("configuration carries a runtime")
	ErrDependency  = errors.New("dependency")
	ErrFunctionRef = errors.New("composition functionRef")
)

// Load reads a package file written by crossplane xpkg build.
func Load(path string) (v1.Image, error) {
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot read package %s: %w", path, err)
	}
	return img, nil
}

// Package returns every problem of img as one error, or nil.
func Package(img v1.Image, w Want) error {
	return errors.Join(Problems(img, w)...)
}

// Problems returns each way img falls short of w. Checks that do not depend
// on each other all run, so one report lists everything to fix.
func Problems(img v1.Image, w Want) []error {
	var errs []error
	pkg, err := readPackage(img)
	if err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, lint(pkg, w.Kind)...)
		errs = append(errs, crossplaneVersion(pkg)...)
	}
	switch w.Kind {
	case Function:
		errs = append(errs, runtimeProblems(img, w.Arch)...)
		if pkg != nil {
			errs = append(errs, capabilities(pkg)...)
		}
	case Configuration:
		errs = append(errs, noRuntime(img)...)
		if pkg != nil {
			errs = append(errs, functionRefs(pkg)...)
		}
	default:
		errs = append(errs, fmt.Errorf("%w: cannot verify a %q", ErrKind, w.Kind))
	}
	return errs
}
