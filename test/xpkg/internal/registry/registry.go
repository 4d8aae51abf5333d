// Package registry serves a throwaway OCI registry on loopback and pushes the
// built packages to it with the crossplane CLI, the way a release pushes them:
// the Function as one multi-arch tag, each Configuration as its own.
package registry

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/agentops-io/agentops/internal/proc"
	"github.com/agentops-io/agentops/test/xpkg/internal/artifacts"
)

var serving = regexp.MustCompile(`serving on port (\d+)`)

// Serve starts an in-memory OCI registry (crane registry serve) on a port of
// 127.0.0.1 it picks itself, and returns its host. The host has a dot, as
// crossplane's package references require: localhost is refused.
func Serve(t *testing.T, crane string) string {
	t.Helper()
	r, err := proc.Start(crane, []string{"registry", "serve", "--address", "127.0.0.1:0"}, proc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = r.Stop(5 * time.Second)
		if t.Failed() {
			t.Logf("output of the registry (pid %d):\n%s", r.PID(), r.Output())
		}
	})
	port, err := r.WaitFor(func(line string) (string, bool) {
		m := serving.FindStringSubmatch(line)
		if m == nil {
			return "", false
		}
		return m[1], true
	}, 30*time.Second)
	if err != nil {
		t.Fatalf("registry: %v\n%s", err, r.Output())
	}
	return "127.0.0.1:" + port
}

// Run runs a CLI to completion with no registry credentials of the machine
// and returns its trimmed output.
func Run(ctx context.Context, t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...) //nolint:gosec // The pinned CLIs the tests name.
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Pushed are the tags the packages were pushed to.
type Pushed struct {
	// Function is the multi-arch tag of the Function.
	Function string
	// Configurations maps each Configuration file to its tag.
	Configurations map[string]string
}

// Push pushes every built package to host under the project's repository
// path (agentops-io/...) with tag.
func Push(ctx context.Context, t *testing.T, p artifacts.Paths, host, tag string) Pushed {
	t.Helper()
	out := Pushed{
		Function: host + "/agentops-io/function-agentops:" + tag,
		Configurations: map[string]string{
			p.Configuration():       host + "/agentops-io/configuration-agentops:" + tag,
			p.LegacyConfiguration(): host + "/agentops-io/configuration-agentops-legacy:" + tag,
		},
	}
	fnFiles := make([]string, 0, len(artifacts.Arches))
	for _, arch := range artifacts.Arches {
		fnFiles = append(fnFiles, p.Function(arch))
	}
	Run(ctx, t, p.Crossplane, "xpkg", "push", "-f", strings.Join(fnFiles, ","), out.Function)
	for file, ref := range out.Configurations {
		Run(ctx, t, p.Crossplane, "xpkg", "push", "-f", file, ref)
	}
	return out
}

// Ref parses a reference the way Crossplane does (strict validation).
func Ref(t *testing.T, s string) name.Reference {
	t.Helper()
	ref, err := name.ParseReference(s, name.StrictValidation)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
