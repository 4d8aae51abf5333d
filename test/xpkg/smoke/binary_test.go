package smoke

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/agentops-io/agentops/test/xpkg/verify"
)

// extractEntrypoint writes the package's entrypoint to a fresh directory the
// unprivileged user can enter, and returns its path.
func extractEntrypoint(t *testing.T, pkgFile string) string {
	t.Helper()
	img, err := verify.Load(pkgFile)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Config.Entrypoint) != 1 {
		t.Fatalf("%s: entrypoint %q, want one path", pkgFile, cf.Config.Entrypoint)
	}
	want := path.Clean(cf.Config.Entrypoint[0])
	// t.TempDir and its parent are 0700, closed to the unprivileged user.
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s: no %s in the image", pkgFile, want)
		}
		if err != nil {
			t.Fatal(err)
		}
		if path.Clean("/"+h.Name) != want {
			continue
		}
		out := filepath.Join(dir, "function")
		f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(f, tr); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}
