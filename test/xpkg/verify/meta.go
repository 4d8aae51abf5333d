package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/conversion"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"
	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser"
	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"
)

// readPackage parses the package stream with the schemes Crossplane's
// package manager uses, so an object it could not decode fails here too.
func readPackage(img v1.Image) (*parser.Package, error) {
	l, err := baseLayer(img)
	if err != nil {
		return nil, err
	}
	stream, err := streamFrom(l)
	if err != nil {
		return nil, err
	}
	metaScheme, err := xpkg.BuildMetaScheme()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	}
	objScheme, err := xpkg.BuildObjectScheme()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	}
	pkg, err := parser.New(metaScheme, objScheme).Parse(context.Background(), io.NopCloser(bytes.NewReader(stream)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	}
	return pkg, nil
}

// lint runs the linter crossplane xpkg build runs for the wanted kind and
// checks the metadata registries show (metadata.go).
func lint(pkg *parser.Package, k Kind) []error {
	metas := pkg.GetMeta()
	if len(metas) != 1 {
		return []error{fmt.Errorf("%w: want one package meta object, got %d", ErrLint, len(metas))}
	}
	meta, ok := asKind(metas[0], k)
	if !ok {
		return []error{fmt.Errorf("%w: want a %s, got a %s", ErrKind, k, metas[0].GetObjectKind().GroupVersionKind().Kind)}
	}
	linter := xpkg.NewFunctionLinter()
	if k == Configuration {
		linter = xpkg.NewConfigurationLinter()
	}
	var errs []error
	if err := linter.Lint(pkg); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrLint, err))
	}
	return append(errs, metadataProblems(meta.GetName(), meta.GetAnnotations())...)
}

// asKind returns the meta as the v1 type of kind k, converting an older
// meta version the way Crossplane does; false when it is another kind.
func asKind(o runtime.Object, k Kind) (pkgmetav1.Pkg, bool) {
	var hub conversion.Hub
	switch k {
	case Function:
		hub = &pkgmetav1.Function{}
	case Configuration:
		hub = &pkgmetav1.Configuration{}
	default:
		return nil, false
	}
	got, _ := xpkg.TryConvert(o, hub)
	switch p := got.(type) {
	case *pkgmetav1.Function:
		return p, k == Function
	case *pkgmetav1.Configuration:
		return p, k == Configuration
	default:
		return nil, false
	}
}

// Meta returns the package's metadata (crossplane.yaml) as its v1 type.
func Meta(img v1.Image) (pkgmetav1.Pkg, error) {
	pkg, err := readPackage(img)
	if err != nil {
		return nil, err
	}
	metas := pkg.GetMeta()
	if len(metas) != 1 {
		return nil, fmt.Errorf("%w: want one package meta object, got %d", ErrLint, len(metas))
	}
	for _, k := range []Kind{Function, Configuration} {
		if m, ok := asKind(metas[0], k); ok {
			return m, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrKind, metas[0].GetObjectKind().GroupVersionKind())
}
