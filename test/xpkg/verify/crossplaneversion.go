package verify

import (
	"errors"
	"fmt"
	"slices"

	"github.com/Masterminds/semver/v3"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser"
	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
	xpv2 "github.com/crossplane/crossplane/apis/v2/apiextensions/v2"
	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"
)

// ErrCrossplaneVersion: the package admits a Crossplane too old for what it
// carries.
var ErrCrossplaneVersion = errors.New("crossplane version constraint")

// The first Crossplane releases that honour a feature of an XRD. Older ones
// accept the XRD and silently drop the fields they do not know: a package
// that admits them installs, and then does not do what it says.
var (
	// apiextensions.crossplane.io/v2 XRDs, and spec.scope on v1 ones.
	xrdV2Since = semver.MustParse("v2.0.0")
	// spec.versions[].subresources.scale on either XRD version.
	xrdScaleSince = semver.MustParse("v2.3.0")
)

// crossplaneVersion checks the package's spec.crossplane.version admits no
// Crossplane older than the newest feature its XRDs use.
func crossplaneVersion(pkg *parser.Package) []error {
	metas := pkg.GetMeta()
	if len(metas) != 1 {
		return nil // lint reports it.
	}
	meta, ok := metas[0].(pkgmetav1.Pkg)
	if !ok {
		return nil
	}
	need, why := (*semver.Version)(nil), ""
	for _, o := range pkg.GetObjects() {
		if v, w := xrdNeeds(o); v != nil && (need == nil || v.GreaterThan(need)) {
			need, why = v, w
		}
	}
	if need == nil {
		return nil
	}
	constraint := ""
	if c := meta.GetCrossplaneConstraints(); c != nil {
		constraint = c.Version
	}
	if constraint == "" {
		return []error{fmt.Errorf("%w: %s needs Crossplane %s or newer (%s), but the package sets no spec.crossplane.version", ErrCrossplaneVersion, meta.GetName(), need.Original(), why)}
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return []error{fmt.Errorf("%w: %q: %w", ErrCrossplaneVersion, constraint, err)}
	}
	if old := oldestAdmittedBelow(c, need); old != nil {
		return []error{fmt.Errorf("%w: %s admits Crossplane %q, which includes %s; it needs %s or newer (%s)",
			ErrCrossplaneVersion, meta.GetName(), constraint, old.Original(), need.Original(), why)}
	}
	return nil
}

// xrdNeeds is the oldest Crossplane that honours everything o uses, and
// what that is; nil when o is not an XRD.
func xrdNeeds(o runtime.Object) (*semver.Version, string) {
	switch x := o.(type) {
	case *xpv2.CompositeResourceDefinition:
		for _, v := range x.Spec.Versions {
			if v.Subresources != nil && v.Subresources.Scale != nil {
				return xrdScaleSince, "XRD " + x.GetName() + " version " + v.Name + " declares the scale subresource"
			}
		}
		return xrdV2Since, "XRD " + x.GetName() + " is apiextensions.crossplane.io/v2"
	case *xpv1.CompositeResourceDefinition:
		for _, v := range x.Spec.Versions {
			if v.Subresources != nil && v.Subresources.Scale != nil {
				return xrdScaleSince, "XRD " + x.GetName() + " version " + v.Name + " declares the scale subresource"
			}
		}
		if x.Spec.Scope != nil {
			return xrdV2Since, "XRD " + x.GetName() + " sets spec.scope"
		}
	}
	return nil, ""
}

// oldestAdmittedBelow is the oldest Crossplane release c admits that is
// older than need, or nil. It probes the first and a late patch of every
// minor release since v1.0, which is where a constraint's bounds fall.
func oldestAdmittedBelow(c *semver.Constraints, need *semver.Version) *semver.Version {
	for major := uint64(1); major <= need.Major(); major++ {
		for minor := range uint64(100) {
			for _, patch := range []uint64{0, 99} {
				v := semver.New(major, minor, patch, "", "")
				if !v.LessThan(need) {
					return nil
				}
				if c.Check(v) {
					return semver.MustParse("v" + v.String())
				}
			}
		}
	}
	return nil
}

// capabilities checks a Function says it composes. Crossplane v2 calls a
// Function from a Composition only if it declares the composition
// capability or declares none; saying so keeps that true when another
// capability (operation) is added.
func capabilities(pkg *parser.Package) []error {
	metas := pkg.GetMeta()
	if len(metas) != 1 {
		return nil // lint reports it.
	}
	meta, ok := asKind(metas[0], Function)
	if !ok {
		return nil // lint reports it.
	}
	fn, ok := meta.(*pkgmetav1.Function)
	if !ok {
		return nil
	}
	// Spec, not GetCapabilities, which says composition when none is set.
	declared := fn.Spec.Capabilities
	if !slices.Contains(declared, pkgmetav1.FunctionCapabilityComposition) {
		return []error{fmt.Errorf("%w: %s declares capabilities %q; want %q among them", ErrMetadata, meta.GetName(), declared, pkgmetav1.FunctionCapabilityComposition)}
	}
	return nil
}
