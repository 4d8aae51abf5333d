//go:build render

// Package rendertest renders every example and observed-state scenario
// through the real crossplane CLI and Crossplane core binary, and compares
// the output with the golden files in testdata/golden (`make golden`
// rewrites them). It also renders invalid AgentDeployments, renders the
// legacy XAgentDeployment with the last 1.x CLI, and validates every XR and
// composed resource against its schema.
package rendertest

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/internal/proc"
	"github.com/agentops-io/agentops/test/render/internal/render"
)

var update = flag.Bool("update", false, "Rewrite the golden files from the current renders (make golden).")

// env is what every test shares: one function server for the whole run.
var env struct {
	root  string
	tools render.Tools
	fn    *proc.Function
	tmp   string
}

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

// testMain starts the function make built (FUNCTION_BIN) once on a free
// loopback port, runs the tests and stops it by PID on every way out: a
// normal return here, a signal (below), or the death of this process
// (internal/proc's parent-death signal, for a timeout's panic or SIGKILL).
func testMain(m *testing.M) int {
	flag.Parse()
	env.root = fixtures.Root()
	bin, err := proc.FunctionBinFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env.tools = render.ToolsIn(render.DefaultToolsBin(env.root))
	if err := env.tools.Check("crossplane", "crossplane-core", "crossplane-v1", "controller-gen", "kube-score"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if env.tmp, err = os.MkdirTemp("", "agentops-render-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(env.tmp) }()
	// A developer's CLI config (for example one that disables beta
	// commands) must not change what the tests run.
	if err := os.Setenv("CROSSPLANE_CONFIG", filepath.Join(env.tmp, "no-crossplane-config.yaml")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	if env.fn, err = render.StartFunction(bin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stopFunction()
	go stopOnSignal()

	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "--- function-agentops log (pid %d, %s):\n%s", env.fn.PID(), env.fn.Addr, env.fn.Output())
	}
	return code
}

func stopFunction() {
	if err := env.fn.Stop(render.StopGrace); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// stopOnSignal stops the function when the tests are interrupted, then
// exits as the signal would have.
func stopOnSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	<-c
	stopFunction()
	_ = os.RemoveAll(env.tmp)
	os.Exit(130)
}
