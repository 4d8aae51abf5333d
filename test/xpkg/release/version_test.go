package release

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"
)

// root is the repository, from this package's folder.
const root = "../../.."

func TestReadVersion(t *testing.T) {
	cases := map[string]struct {
		reason  string
		content string
		want    string
		wantErr bool
	}{
		"Release":    {reason: "A v-prefixed major.minor.patch is a release version.", content: "v0.1.0\n", want: "v0.1.0"},
		"NoPrefix":   {reason: "Tags and constraints carry the v; a bare number is refused.", content: "0.1.0\n", wantErr: true},
		"PreRelease": {reason: "A pre-release never satisfies the Configurations' >= constraint.", content: "v0.2.0-rc.1\n", wantErr: true},
		"Empty":      {reason: "An empty file names no version.", content: "", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, versionFile), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadVersion(dir)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("%s\nReadVersion(%q) = %q, %v; want %q, error %t", tc.reason, tc.content, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestConfigurationsDependOnTheRelease fails when a Configuration's
// constraint on the Function disagrees with VERSION: a release's
// Configurations need at least the Function released with them.
func TestConfigurationsDependOnTheRelease(t *testing.T) {
	v, err := ReadVersion(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"configuration/crossplane.yaml", "configuration/legacy/crossplane.yaml", "configuration/remote/crossplane.yaml"} {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				t.Fatal(err)
			}
			meta := &pkgmetav1.Configuration{}
			if err := yaml.UnmarshalStrict(b, meta); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, d := range meta.Spec.DependsOn {
				if d.Package != nil && strings.HasSuffix(*d.Package, "/agentops-io/function-agentops") {
					got[*d.Package] = d.Version
				}
			}
			want := map[string]string{"xpkg.crossplane.io/agentops-io/function-agentops": DependencyConstraint(v)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: the Function dependency's version must be %q for VERSION %s, -want, +got:\n%s", file, DependencyConstraint(v), v, diff)
			}
		})
	}
}

// packageTag finds a reference to one of our packages in the project's
// registry path, or to the agent runtime's image, with its tag.
var packageTag = regexp.MustCompile(`(?:xpkg\.crossplane\.io/agentops-io/[a-z0-9-]+|ghcr\.io/agentops-io/agent-runtime):(v[0-9][0-9A-Za-z.+-]*)`)

// TestManifestsAndDocsInstallTheRelease fails when a manifest, example, doc,
// golden or script names one of our packages or the agent runtime's image
// at a tag other than VERSION, so that what README tells a user to install
// is what the release pushes.
// CHANGELOG.md names past releases on purpose.
func TestManifestsAndDocsInstallTheRelease(t *testing.T) {
	v, err := ReadVersion(root)
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{".git": true, ".cache": true, "_output": true, "node_modules": true}
	found := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == "CHANGELOG.md" || !textFile(d.Name()) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range packageTag.FindAllSubmatch(b, -1) {
			found++
			if string(m[1]) != v {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s names %s; VERSION is %s", rel, m[0], v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no reference to a package of xpkg.crossplane.io/agentops-io found: the pattern or the root is wrong")
	}
}

func textFile(name string) bool {
	for _, ext := range []string{".yaml", ".yml", ".md", ".mk", ".sh"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return name == "Makefile"
}
