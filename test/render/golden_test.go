//go:build render

package rendertest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// TestGolden renders every example and scenario through the CLI and the
// core binary and compares the output with its golden file, and the hashes
// of their pod templates with the fleet-stability golden.
func TestGolden(t *testing.T) {
	cases := goldenCases(t)
	templates := &podTemplates{}
	for _, name := range sortedNames(cases) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			req := request(t, tc)
			res, err := render.Run(context.Background(), env.tools, req)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 0 || len(res.Stderr) > 0 {
				t.Fatalf("%s\nRender(%s): exit code %d (render engine %d), want 0 and no message:\n%s", tc.reason, name, res.ExitCode, res.EngineExitCode, res.Stderr)
			}
			out, err := render.Normalise(res.Stdout)
			if err != nil {
				t.Fatal(err)
			}
			if got := phase(t, out); got != tc.phase {
				t.Errorf("%s\nRender(%s): status.phase %q, want %q", tc.reason, name, got, tc.phase)
			}
			compareGolden(t, tc.reason, name, goldenPath(name, ".yaml"), header(tc, req)+string(out))
			templates.record(t, name, out)
		})
	}
	t.Run("FleetPodTemplates", func(t *testing.T) {
		templates.compare(t, len(cases))
	})
	t.Run("NoStaleGoldenFiles", func(t *testing.T) {
		removeStale(t, cases, []string{"examples", "second-call", "scenarios"}, ".yaml")
	})
}

func goldenPath(name, ext string) string {
	return filepath.Join(goldenDir, filepath.FromSlash(name)+ext)
}

// compareGolden compares got with the golden file at path, or rewrites it
// with -update.
func compareGolden(t *testing.T, reason, name, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s\nRender(%s): no golden file %s: run `make golden` and review the new file", reason, name, path)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Line by line, so the diff names the lines that changed.
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s\nRender(%s): -want, +got:\n%s\n(if the change is intended, run `make golden` and review the diff)", reason, name, diff)
	}
}

// removeStale fails on golden files under dirs that no case makes (a
// renamed example, a removed scenario); -update deletes them.
func removeStale[T any](t *testing.T, cases map[string]T, dirs []string, ext string) {
	t.Helper()
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(goldenDir, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(goldenDir, path)
			name := strings.TrimSuffix(filepath.ToSlash(rel), ext)
			if _, ok := cases[name]; ok {
				return nil
			}
			if *update {
				return os.Remove(path)
			}
			t.Errorf("golden file %s belongs to no case: run `make golden` to delete it", path)
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// phase is the status.phase of the rendered XR, the output's first object.
func phase(t *testing.T, out []byte) string {
	t.Helper()
	objs, err := render.SplitDocuments(out)
	if err != nil || len(objs) == 0 {
		t.Fatalf("cannot read the rendered XR: %v", err)
	}
	return render.GetString(objs[0], "status", "phase")
}
