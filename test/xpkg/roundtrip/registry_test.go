package roundtrip

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/xpkg/internal/proc"
)

var serving = regexp.MustCompile(`serving on port (\d+)`)

// startRegistry serves an in-memory OCI registry (crane registry serve) on a
// port of 127.0.0.1 it picks itself, and returns its host. The host has a
// dot, as crossplane's package references require: localhost is refused.
func startRegistry(t *testing.T, crane string) string {
	t.Helper()
	r := proc.Start(t, exec.CommandContext(t.Context(), crane, "registry", "serve", "--address", "127.0.0.1:0"))
	m, err := r.WaitFor(serving, 30*time.Second)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	return "127.0.0.1:" + m[1]
}

// run runs a CLI to completion with no registry credentials of the machine
// and returns its trimmed output.
func run(ctx context.Context, t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
