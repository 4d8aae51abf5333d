package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
)

// tokenDuration is how long Crossplane's ServiceAccount token lasts: a
// playground may be left running for days.
const tokenDuration = 365 * 24 * time.Hour

// serve is the supervisor `up` starts in a session of its own: it starts
// the cluster through the e2e harness, records every component's PID, and
// stops them all, newest first, on SIGTERM or SIGINT. The components get
// SIGKILL from the kernel if it dies (internal/proc), so a playground is
// never left half-running by a crashed supervisor.
func serve(c config) error {
	controlplane.LogPrefix = supervisorName
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	start := time.Now()
	cl, err := controlplane.Up(ctx, controlplane.UpOptions{
		Repo:     c.repo,
		ToolsBin: c.toolsBin,
		Dir:      c.dir,
		AgentOps: controlplane.AgentOpsOptions{XpkgDir: c.xpkgDir, CacheDir: c.cacheDir, FunctionArgs: []string{"--debug"}},
		// The harness's RBAC manager keeps granting Crossplane access to
		// XRDs a person installs (the legacy Configuration) until ctx ends.
		TokenDuration: tokenDuration,
	})
	defer cl.Stop()
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	self, err := proc.Exe(os.Getpid())
	if err != nil {
		return err
	}
	st := &state{
		Supervisor: component{Name: supervisorName, PID: os.Getpid(), Exe: self, Log: filepath.Join(cl.CP.LogDir, "playground.log")},
		Started:    start, Ready: true, UpIn: time.Since(start),
	}
	st.Kubeconfig, st.Server, st.LogDir = cl.CP.Kubeconfig, cl.CP.Server, cl.CP.LogDir
	st.Registry = cl.AgentOps.Registry.Host
	for _, p := range cl.CP.Processes() {
		comp, err := record(p)
		if err != nil {
			return err
		}
		st.Components = append(st.Components, comp)
		go reportExit(ctx, p)
	}
	if err := st.save(c.dir); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "playground: ready in %s\n", st.UpIn.Round(100*time.Millisecond))
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "playground: stopping every component")
	return nil
}

// record is a running component as the state file keeps it.
func record(p *controlplane.Process) (component, error) {
	exe, err := proc.Exe(p.PID())
	if err != nil {
		return component{}, fmt.Errorf("%s (pid %d): %w", p.Name, p.PID(), err)
	}
	addrs, err := proc.Listening(p.PID())
	if err != nil {
		return component{}, fmt.Errorf("%s (pid %d): %w", p.Name, p.PID(), err)
	}
	return component{Name: p.Name, PID: p.PID(), Exe: exe, Log: p.Log, Listening: addrs}, nil
}

// reportExit logs a component that exits while the playground runs; `make
// status` reports it too.
func reportExit(ctx context.Context, p *controlplane.Process) {
	select {
	case <-p.Done():
		if ctx.Err() != nil {
			return // stopped on purpose
		}
		_, err := p.Exited()
		fmt.Fprintf(os.Stderr, "playground: %s (pid %d) exited: %v; see %s\n", p.Name, p.PID(), err, p.Log)
	case <-ctx.Done():
	}
}
