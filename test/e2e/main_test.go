//go:build e2e

// Package e2e proves AgentOps on a real control plane: kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok and Crossplane core, all
// local processes (no containers), with the function installed through
// Crossplane's package manager and called over mTLS. `make e2e` runs it.
package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

var (
	controlPlaneOnly = flag.Bool("e2e.controlplane-only", false,
		"Start the control plane and Crossplane only, without our packages and function.")
	hold = flag.Bool("e2e.hold", false,
		"After the tests, keep the cluster running until interrupted, to look at it with kubectl.")
	// The scale benchmark (make bench-scale) sets these two.
	asInstalled = flag.Bool("e2e.as-installed", false,
		"Run Crossplane and the function with the settings of a default install: without the circuit-breaker burst "+
			"the suite raises and without debug logs.")
	readyDelay = flag.Duration("e2e.ready-delay", 3*time.Second,
		"How long after it is scheduled kwok makes a pod Ready: about the agent's readiness probe's initial delay.")
	breakerDefaults = flag.Bool("e2e.circuit-breaker-defaults", false,
		"Run Crossplane with its default circuit breaker settings, as TestCircuitBreaker measures them (make e2e-circuit-breaker).")
)

// env is the running cluster every test uses.
var env struct {
	repo string
	cp   *controlplane.ControlPlane
	xp   *controlplane.Crossplane
	reg  *controlplane.Registry
	k    *kube.Kubectl
	// fn is our function, as the function runtime runs it, and fnBin its
	// binary: the outage scenario stops and restarts it.
	fn    *controlplane.Process
	fnBin string
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// A signal stops every component by PID before the test exits.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "e2e: %s: stopping the control plane\n", s)
		cancel()
		controlplane.StopAll()
		os.Exit(130)
	}()
	defer controlplane.StopAll()

	start := time.Now()
	if err := setUp(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: set-up failed: %v\n", err)
		if env.cp != nil {
			fmt.Fprintf(os.Stderr, "e2e: component logs are in %s\n", env.cp.LogDir)
			dumpCluster(ctx)
		}
		tearDown()
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: control plane up in %s\n", time.Since(start).Round(time.Second))

	code := m.Run()
	if *hold {
		fmt.Fprintf(os.Stderr, "e2e: holding the cluster: export KUBECONFIG=%s; interrupt to stop it\n", env.cp.Kubeconfig)
		<-ctx.Done()
	}
	if code != 0 {
		dumpCluster(ctx)
		fmt.Fprintf(os.Stderr, "e2e: FAILED; component logs and a dump of the cluster are in %s\n", env.cp.LogDir)
	}
	tearDown()
	if code == 0 {
		// Data of a passing run is of no use; its logs stay.
		_ = os.RemoveAll(filepath.Join(env.cp.Dir, "etcd"))
		_ = os.RemoveAll(filepath.Join(env.cp.Dir, "crossplane", "xpkg-cache"))
	}
	return code
}

// setting returns an environment variable or its default.
func setting(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func setUp(ctx context.Context) error {
	env.repo = fixtures.Root()
	dir, err := filepath.Abs(setting("E2E_DIR", filepath.Join(env.repo, "_output", "e2e", "run")))
	if err != nil {
		return err
	}
	// Each run starts clean; logs of the last run stay until the next.
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Crossplane renders the Function's Deployment while our packages are
	// installed (installAgentOps), then runs with the External runtime.
	runtime := controlplane.RuntimeDeployment
	if *controlPlaneOnly {
		runtime = controlplane.RuntimeExternal
	}
	// The harness's one start (controlplane.Up, as `make up` runs it),
	// without AgentOps: the suite installs it with checks of its own.
	c, err := controlplane.Up(ctx, controlplane.UpOptions{
		Repo:                   env.repo,
		ToolsBin:               setting("TOOLS_BIN", filepath.Join(env.repo, ".cache", "tools", "bin")),
		Dir:                    dir,
		ControlPlaneOnly:       true,
		PackageRuntime:         runtime,
		KwokReadyDelay:         *readyDelay,
		AsInstalled:            *asInstalled,
		CircuitBreakerDefaults: *breakerDefaults,
	})
	env.cp, env.xp = c.CP, c.XP
	if env.cp != nil {
		env.k = env.cp.Kubectl
	}
	if err != nil || *controlPlaneOnly {
		return err
	}
	return installAgentOps(ctx)
}

func tearDown() {
	env.xp.Stop()
	if env.cp != nil {
		env.cp.Stop()
	}
}

// dumpCluster writes what the cluster holds next to the logs, for a failed
// run to be read afterwards.
func dumpCluster(ctx context.Context) {
	if env.k == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	var dump []byte
	for _, args := range [][]string{
		{"get", "nodes,namespaces", "-o", "wide"},
		{"get", "pkg,xrd,compositions,functionrevisions", "-o", "yaml"},
		{"get", "agentdeployments", "-A", "-o", "yaml"},
		{"get", "deployments,replicasets,pods,services,serviceaccounts,configmaps,hpa,pdb,networkpolicies", "-A", "-o", "yaml"},
		{"get", "servicemonitors,prometheusrules", "-A", "-o", "yaml"},
		{"get", "events", "-A", "--sort-by=.lastTimestamp"},
	} {
		out, err := env.k.Run(ctx, "", args...)
		dump = fmt.Appendf(dump, "#### kubectl %v\n%s\n", args, out)
		if err != nil {
			dump = fmt.Appendf(dump, "# error: %v\n", err)
		}
	}
	_ = os.WriteFile(filepath.Join(env.cp.LogDir, "cluster-dump.yaml"), dump, 0o644)
}
