package verify

import (
	"fmt"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser"
	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
)

// noRuntime checks a Configuration is only package content: Crossplane never
// runs one, so any other layer or an entrypoint is weight or a mistake.
func noRuntime(img v1.Image) []error {
	var errs []error
	cf, err := img.ConfigFile()
	if err != nil {
		return []error{fmt.Errorf("%w: cannot read config: %w", ErrRuntime, err)}
	}
	if len(cf.Config.Entrypoint) > 0 || len(cf.Config.Cmd) > 0 {
		errs = append(errs, fmt.Errorf("%w: entrypoint %q, cmd %q", ErrRuntime, cf.Config.Entrypoint, cf.Config.Cmd))
	}
	mk, err := marks(img)
	if err != nil {
		return append(errs, fmt.Errorf("%w: %w", ErrRuntime, err))
	}
	for _, m := range mk {
		if m.value == "" {
			errs = append(errs, fmt.Errorf("%w: layer %s is not package content", ErrRuntime, m.digest))
		}
	}
	return errs
}

// functionRefs checks every Composition step calls a Function the
// Configuration depends on, by the name Crossplane gives that dependency when
// it installs it: the DNS label of the package's repository path (see
// crossplane's internal/controller/pkg/resolver NewPackage).
func functionRefs(pkg *parser.Package) []error {
	metas := pkg.GetMeta()
	if len(metas) != 1 {
		return nil // lint reports it.
	}
	meta, ok := asKind(metas[0], Configuration)
	if !ok {
		return nil // lint reports it.
	}
	installed, errs := dependencyNames(meta.GetDependencies())
	for _, o := range pkg.GetObjects() {
		c, ok := o.(*xpv1.Composition)
		if !ok {
			continue
		}
		for _, s := range c.Spec.Pipeline {
			if !installed[s.FunctionRef.Name] {
				errs = append(errs, fmt.Errorf("%w: composition %s step %s calls %q; the dependencies install %v",
					ErrFunctionRef, c.GetName(), s.Step, s.FunctionRef.Name, sortedKeys(installed)))
			}
		}
	}
	return errs
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
