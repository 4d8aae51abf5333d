package verify

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"
)

// mark is a layer and its io.crossplane.xpkg value ("" when unmarked).
type mark struct {
	digest v1.Hash
	value  string
}

// marks returns each manifest layer's io.crossplane.xpkg mark, in order.
// xpkg build records marks as config labels, since a tarball cannot hold
// layer annotations, and xpkg push turns them into annotations: a package is
// read in both forms.
func marks(img v1.Image) ([]mark, error) {
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("cannot read manifest: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	out := make([]mark, 0, len(m.Layers))
	for _, l := range m.Layers {
		v, ok := l.Annotations[xpkg.AnnotationKey]
		if !ok {
			v = cf.Config.Labels[xpkg.Label(l.Digest.String())]
		}
		out = append(out, mark{digest: l.Digest, value: v})
	}
	return out, nil
}

// baseLayer is the one layer marked as holding package.yaml. Crossplane reads
// only the first such layer, so a second one would be silently ignored.
func baseLayer(img v1.Image) (v1.Layer, error) {
	mk, err := marks(img)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBaseLayer, err)
	}
	var base []v1.Hash
	for _, m := range mk {
		if m.value == xpkg.PackageAnnotation {
			base = append(base, m.digest)
		}
	}
	if len(base) != 1 {
		return nil, fmt.Errorf("%w: want exactly one layer marked %s: %s, got %d", ErrBaseLayer, xpkg.AnnotationKey, xpkg.PackageAnnotation, len(base))
	}
	l, err := img.LayerByDigest(base[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBaseLayer, err)
	}
	return l, nil
}

// streamFrom returns the package.yaml of the base layer.
func streamFrom(l v1.Layer) ([]byte, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBaseLayer, err)
	}
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: no %s in the marked layer", ErrBaseLayer, xpkg.StreamFile)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBaseLayer, err)
		}
		if path.Base(h.Name) == xpkg.StreamFile {
			return io.ReadAll(tr)
		}
	}
}
