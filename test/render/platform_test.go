//go:build render

package rendertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// TestGoldenPlatform renders the platform example at both levels: the
// AgentPlatform through its Composition (the stand-in playing
// function-go-templating and function-auto-ready), then each
// AgentDeployment it composes through ours, and compares each render with
// testdata/golden/platform/<level>.yaml.
func TestGoldenPlatform(t *testing.T) {
	bin := os.Getenv(render.StandinBinEnv)
	if bin == "" {
		t.Fatalf("%s is unset: make render-test builds the stand-in and sets it", render.StandinBinEnv)
	}
	standin, err := render.StartStandin(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = standin.Stop(render.StopGrace) })

	dir := t.TempDir()
	levels, err := render.Platform(context.Background(), env.tools, env.root, render.PlatformExample, standin.Addr, env.fn.Addr, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	var children []string
	for _, l := range levels {
		if l.Result.ExitCode != 0 || len(l.Result.Stderr) > 0 {
			t.Fatalf("Render(%s): exit code %d (render engine %d), want 0 and no message:\n%s\nstand-in log:\n%s",
				l.Name, l.Result.ExitCode, l.Result.EngineExitCode, l.Result.Stderr, standin.Output())
		}
		out, err := render.Normalise(l.Result.Stdout)
		if err != nil {
			t.Fatal(err)
		}
		if l.Name != "parent" {
			children = append(children, l.Name)
			if got := phase(t, out); got != phaseOnCreate {
				t.Errorf("Render(%s): status.phase %q, want %s", l.Name, got, phaseOnCreate)
			}
		}
		hdr := platformHeader(l.Request, standin.Addr, dir)
		compareGolden(t, "the platform example's "+l.Name, "platform/"+l.Name, goldenPath("platform/"+l.Name, ".yaml"), hdr+string(out))
	}
	want := []string{"support-answers", "support-escalations", "support-triage"}
	if slices.Sort(children); !slices.Equal(want, children) {
		t.Errorf("the parent composed AgentDeployments %v, want %v", children, want)
	}
}

// platformHeader is header for one level of the platform's renders.
func platformHeader(r render.Request, standin, dir string) string {
	args := r.Args("crossplane-core")
	for i, a := range args {
		a = strings.ReplaceAll(a, standin, "<stand-in>")
		a = strings.ReplaceAll(a, env.fn.Addr, "<function>")
		a = strings.ReplaceAll(a, dir+string(filepath.Separator), "<rendered by the parent>/")
		args[i] = strings.ReplaceAll(a, env.root+string(filepath.Separator), "")
	}
	return fmt.Sprintf("# Rendered by `make golden` (test/render); do not edit. The command:\n# crossplane %s\n", strings.Join(args, " "))
}
