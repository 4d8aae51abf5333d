package catalog

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuiltinIsSortedAndComplete(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names(): not sorted: %v", names)
	}
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("Names(): duplicates in %v", names)
	}
	for _, seed := range []string{"claude-3-opus", "claude-3-sonnet", "gpt-4", "gpt-3.5-turbo", "llama-2-70b", "llama-2-13b", "mixtral-8x7b", "gemini-pro"} {
		if !slices.Contains(names, seed) {
			t.Errorf("Names(): the seed's model %q is missing", seed)
		}
	}
	for _, e := range Builtin() {
		if !slices.Contains(Providers, e.Provider) {
			t.Errorf("%s: unknown provider %q", e.Name, e.Provider)
		}
		u, err := url.Parse(e.Endpoint)
		if err != nil || u.Host == "" {
			t.Errorf("%s: endpoint %q is not an absolute URL: %v", e.Name, e.Endpoint, err)
		}
		if e.Provider.Hosted() && u.Scheme != "https" {
			t.Errorf("%s: a hosted provider's endpoint must be https, got %q", e.Name, e.Endpoint)
		}
		if e.Image == "" || e.ContextWindow <= 0 {
			t.Errorf("%s: image and context window are required: %+v", e.Name, e)
		}
	}
}

// TestRuntimeImageIsTheRelease: the catalog's image is tagged with the
// release the packages are installed at, so the function and the runtime it
// deploys move together.
func TestRuntimeImageIsTheRelease(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "function.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var release string
	for line := range strings.SplitSeq(string(b), "\n") {
		if pkg, ok := strings.CutPrefix(strings.TrimSpace(line), "package: "); ok {
			_, release, _ = strings.Cut(pkg, ":")
		}
	}
	if _, tag, _ := strings.Cut(RuntimeImage, ":"); release == "" || tag != release {
		t.Errorf("RuntimeImage %s: want the tag of deploy/function.yaml's package, %q", RuntimeImage, release)
	}
	for _, e := range Builtin() {
		if e.Image != RuntimeImage {
			t.Errorf("%s: image %s, want the one runtime image %s", e.Name, e.Image, RuntimeImage)
		}
	}
}
