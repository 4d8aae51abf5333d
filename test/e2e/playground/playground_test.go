//go:build playground

package main

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// TestPlayground does what README's "Try it" says, as a person would:
// `make up`, kubectl through the kubeconfig it prints, the minimal example
// to Running, `make up` again, a crashed component reported, `make down`;
// and then no process it recorded runs and no port it listened on is held.
func TestPlayground(t *testing.T) {
	repo := fixtures.Root()
	dir, err := filepath.Abs(os.Getenv("PLAYGROUND_TEST_DIR"))
	if err != nil || os.Getenv("PLAYGROUND_TEST_DIR") == "" {
		t.Fatalf("PLAYGROUND_TEST_DIR must name the playground's state folder (make playground-test sets it): %v", err)
	}
	// A folder of its own: a person's playground (.playground) is left alone.
	mk := func(target string) (string, error) {
		cmd := exec.CommandContext(t.Context(), "make", "--no-print-directory", "-C", repo, target, "PLAYGROUND_DIR="+dir)
		out, err := cmd.CombinedOutput()
		t.Logf("make %s:\n%s", target, out)
		return string(out), err
	}
	// Whatever fails, nothing is left running.
	t.Cleanup(func() {
		if _, err := os.Stat(filepath.Join(dir, stateFile)); err == nil {
			_, _ = mk("down")
		}
	})

	start := time.Now()
	out, err := mk("up")
	if err != nil {
		t.Fatalf("make up: %v", err)
	}
	t.Logf("make up took %s", time.Since(start).Round(100*time.Millisecond))
	st, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkListening(t, st)

	m := regexp.MustCompile(`export KUBECONFIG=(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("make up printed no `export KUBECONFIG=`")
	}
	k := &kube.Kubectl{Bin: filepath.Join(os.Getenv("TOOLS_BIN"), "kubectl"), Kubeconfig: m[1], CacheDir: t.TempDir()}
	tryIt(t, k, repo)

	if out, err := mk("up"); err != nil || !strings.Contains(out, "already running") {
		t.Errorf("make up on a running playground: %v; want it to say it is already running", err)
	}
	if _, err := mk("status"); err != nil {
		t.Errorf("make status on a healthy playground: %v", err)
	}
	checkCrashReported(t, st, mk)

	if _, err := mk("down"); err != nil {
		t.Fatalf("make down: %v", err)
	}
	checkNothingLeft(t, st, dir)
}

// tryIt runs README's "Try it" commands and waits for the agent to run.
func tryIt(t *testing.T, k *kube.Kubectl, repo string) {
	t.Helper()
	ctx := t.Context()
	for _, args := range [][]string{
		{"create", "namespace", "agents"},
		{"create", "secret", "generic", "openai-api-key", "-n", "agents", "--from-literal=api-key=not-a-real-key"},
		{"apply", "-f", filepath.Join(repo, "examples", "minimal.yaml")},
	} {
		if _, err := k.Run(ctx, "", args...); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	err := kube.Eventually(ctx, 3*time.Minute, time.Second, func(ctx context.Context) error {
		phase, err := k.Run(ctx, "", "get", "ad", "minimal-agent", "-n", "agents", "-o", "jsonpath={.status.phase}")
		if err != nil {
			return err
		}
		if phase != "Running" {
			return errors.New("phase " + phase)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("minimal-agent not Running: %v", err)
	}
	t.Logf("minimal-agent Running %s after the apply", time.Since(start).Round(100*time.Millisecond))
	out, err := k.Run(ctx, "", "get", "deploy,svc,hpa,pdb,networkpolicy", "-n", "agents", "-o", "name")
	if err != nil {
		t.Fatal(err)
	}
	// The minimal agent does not autoscale: no HPA.
	for _, want := range []string{"deployment.apps/minimal-agent", "service/minimal-agent", "poddisruptionbudget.policy/minimal-agent", "networkpolicy.networking.k8s.io/minimal-agent"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("kubectl get deploy,svc,hpa,pdb,networkpolicy -n agents: no %s in\n%s", want, out)
		}
	}
}

// crossplaneAnyInterface is the one component that listens beyond
// loopback: `crossplane core start` takes ports, not addresses, for its
// metrics and health servers (docs/e2e.md).
const crossplaneAnyInterface = "crossplane"

// checkListening: every component listens on 127.0.0.1 only, but
// Crossplane's metrics and health servers.
func checkListening(t *testing.T, st *state) {
	t.Helper()
	for _, c := range st.all() {
		for _, a := range c.Listening {
			if !a.Addr().IsLoopback() && c.Name != crossplaneAnyInterface {
				t.Errorf("%s (pid %d) listens on %s, beyond 127.0.0.1", c.Name, c.PID, a)
			}
		}
	}
	if len(st.Components) < 8 {
		t.Errorf("the state records %d components, want etcd, the API server, controller manager, scheduler, kwok, Crossplane, the registry and the function", len(st.Components))
	}
}

// checkCrashReported kills the scheduler: `make status` and `make up` must
// name it, and fail.
func checkCrashReported(t *testing.T, st *state, mk func(string) (string, error)) {
	t.Helper()
	for _, c := range st.Components {
		if c.Name != "kube-scheduler" {
			continue
		}
		if err := syscall.Kill(c.PID, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for c.running() && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		for _, target := range []string{"status", "up"} {
			out, err := mk(target)
			if err == nil || !regexp.MustCompile(`kube-scheduler\s+\d+\s+CRASHED`).MatchString(out) {
				t.Errorf("make %s with the scheduler killed: %v; want it to fail and report kube-scheduler CRASHED", target, err)
			}
		}
		return
	}
	t.Error("no kube-scheduler in the state")
}

// checkNothingLeft: after make down no recorded process runs, no port one
// of them listened on is held, and the state folder is gone.
func checkNothingLeft(t *testing.T, st *state, dir string) {
	t.Helper()
	for _, c := range st.all() {
		if c.running() {
			t.Errorf("%s (pid %d) still runs after make down", c.Name, c.PID)
		}
		for _, a := range c.Listening {
			l, err := net.Listen("tcp", a.String())
			if err != nil {
				t.Errorf("%s's %s is still held after make down: %v", c.Name, a, err)
				continue
			}
			_ = l.Close()
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the state folder %s is still there after make down (%v)", dir, err)
	}
}
