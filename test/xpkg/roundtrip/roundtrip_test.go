package roundtrip

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"

	"github.com/agentops-io/agentops/test/xpkg/internal/artifacts"
	"github.com/agentops-io/agentops/test/xpkg/internal/registry"
	"github.com/agentops-io/agentops/test/xpkg/verify"
)

// TestPushPull pushes the packages with the release's version (VERSION), the
// tag a release pushes: the Configurations' dependency constraint must accept
// it.
func TestPushPull(t *testing.T) {
	p := artifacts.Require(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	tag := p.Version(t)
	pushed := registry.Push(ctx, t, p, registry.Serve(t, p.Crane), tag)

	t.Run("FunctionIndex", func(t *testing.T) { checkFunctionIndex(ctx, t, p, pushed.Function) })
	for file, ref := range pushed.Configurations {
		t.Run("Configuration/"+ref[strings.LastIndex(ref, "/")+1:], func(t *testing.T) {
			checkConfiguration(ctx, t, file, ref, pushed.Function, tag)
		})
	}
}

// checkFunctionIndex pulls the Function tag back: one image index holding,
// per platform, exactly the package built for it as xpkg push sends it
// (the built file with its layer marks made annotations).
func checkFunctionIndex(ctx context.Context, t *testing.T, p artifacts.Paths, ref string) {
	idx, err := remote.Index(registry.Ref(t, ref), remote.WithContext(ctx))
	if err != nil {
		t.Fatalf("pull %s: %v", ref, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]v1.Hash{}
	for _, d := range im.Manifests {
		got[d.Platform.String()] = d.Digest
	}
	want := map[string]v1.Hash{}
	for _, arch := range artifacts.Arches {
		want["linux/"+arch] = pushedDigest(t, p.Function(arch))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: manifests by platform, -want (built), +got (pulled):\n%s", ref, diff)
	}
	if d := digestOf(t, idx.Digest); registry.Run(ctx, t, p.Crane, "digest", ref) != d.String() {
		t.Errorf("crane digest %s differs from the pulled index's %s", ref, d)
	}
	for _, arch := range artifacts.Arches {
		img, err := idx.Image(want["linux/"+arch])
		if err != nil {
			t.Fatal(err)
		}
		if err := verify.Package(img, verify.Want{Kind: verify.Function, Arch: arch}); err != nil {
			t.Errorf("pulled linux/%s package: %v", arch, err)
		}
		sameContent(t, p.Function(arch), img)
	}
}

// checkConfiguration pulls a Configuration back and checks it is the built
// one, still valid, and that its Function dependency resolves to what was
// pushed: same repository path, so the same installed name, and a version
// its constraint accepts.
func checkConfiguration(ctx context.Context, t *testing.T, file, ref, fnRef, tag string) {
	img, err := remote.Image(registry.Ref(t, ref), remote.WithContext(ctx))
	if err != nil {
		t.Fatalf("pull %s: %v", ref, err)
	}
	if got, want := digestOf(t, img.Digest), pushedDigest(t, file); got != want {
		t.Errorf("%s: pulled digest %s, want the built package's %s", ref, got, want)
	}
	if err := verify.Package(img, verify.Want{Kind: verify.Configuration}); err != nil {
		t.Errorf("pulled %s: %v", ref, err)
	}
	sameContent(t, file, img)

	meta, err := verify.Meta(img)
	if err != nil {
		t.Fatal(err)
	}
	pushed := registry.Ref(t, fnRef).Context()
	var found bool
	for _, d := range meta.GetDependencies() {
		src, ok := verify.FunctionSource(d)
		if !ok {
			continue
		}
		dep, err := name.NewRepository(src, name.StrictValidation)
		if err != nil {
			t.Fatal(err)
		}
		if dep.RepositoryStr() != pushed.RepositoryStr() {
			continue
		}
		found = true
		c, err := semver.NewConstraint(d.Version)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Check(semver.MustParse(tag)) {
			t.Errorf("%s: dependency %s version %q rejects the pushed %s", ref, src, d.Version, tag)
		}
		if got, want := xpkg.ToDNSLabel(pushed.RepositoryStr()), mustInstalledName(t, src); got != want {
			t.Errorf("%s: pushed Function would be installed as %q, the dependency as %q", ref, got, want)
		}
	}
	if !found {
		t.Errorf("%s: no Function dependency on repository %s", ref, pushed.RepositoryStr())
	}
}

func mustInstalledName(t *testing.T, src string) string {
	t.Helper()
	n, err := verify.InstalledName(src)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// pushedDigest is the manifest digest xpkg push gives a package file: the
// same image with its layer labels made annotations.
func pushedDigest(t *testing.T, file string) v1.Hash {
	t.Helper()
	img, err := verify.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err = xpkg.AnnotateLayers(img)
	if err != nil {
		t.Fatal(err)
	}
	return digestOf(t, img.Digest)
}

// sameContent checks the pulled image has the built file's config and
// layers, byte for byte (by digest).
func sameContent(t *testing.T, file string, pulled v1.Image) {
	t.Helper()
	built, err := verify.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if b, p := digestOf(t, built.ConfigName), digestOf(t, pulled.ConfigName); b != p {
		t.Errorf("%s: pulled config %s, built %s", file, p, b)
	}
	if diff := cmp.Diff(layerDigests(t, built), layerDigests(t, pulled)); diff != "" {
		t.Errorf("%s: layers, -built, +pulled:\n%s", file, diff)
	}
}

func layerDigests(t *testing.T, img v1.Image) []string {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, digestOf(t, l.Digest).String())
	}
	return out
}

func digestOf(t *testing.T, f func() (v1.Hash, error)) v1.Hash {
	t.Helper()
	h, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
