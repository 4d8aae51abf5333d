package catalog

import (
	"os"
	"strings"
	"testing"
)

// TestDefaultImagesCarryTheRelease fails when the catalog's default image
// tag disagrees with the repository's VERSION file (run make generate).
func TestDefaultImagesCarryTheRelease(t *testing.T) {
	b, err := os.ReadFile("../../VERSION")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(b))
	if Version != want {
		t.Errorf("catalog.Version is %q, VERSION is %q: run make generate", Version, want)
	}
	for _, e := range Builtin() {
		if _, tag, ok := strings.Cut(e.Image, ":"); !ok || tag != want {
			t.Errorf("%s: default image %q, want tag %q (VERSION)", e.Name, e.Image, want)
		}
	}
}
