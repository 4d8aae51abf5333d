package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// supervisorGrace is how long the supervisor may take to stop every
// component (each gets ten seconds) before it is killed, and they with it.
const supervisorGrace = 2 * time.Minute

// up starts a playground unless one is there: it starts the supervisor,
// shows its progress, and returns once the cluster is ready, leaving it
// running. Interrupted, or if the supervisor fails, it leaves nothing
// running.
func up(c config) error {
	switch st, err := load(c.dir); {
	case err == nil:
		return alreadyUp(c, st)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	// What a failed start left (its logs) goes now.
	if err := os.RemoveAll(c.dir); err != nil {
		return err
	}
	logDir := filepath.Join(c.dir, "logs")
	if err := os.MkdirAll(logDir, 0o750); err != nil {
		return err
	}
	logPath := filepath.Join(logDir, supervisorName+".log")
	sup, err := startSupervisor(c, logPath)
	if err != nil {
		return err
	}
	sayf("starting (supervisor pid %d, state in %s)", sup.PID(), c.dir)
	return follow(c, sup, logPath)
}

// startSupervisor starts `playground serve` in a session of its own, its
// output in logPath, and records it in the state.
func startSupervisor(c config, logPath string) (*proc.Process, error) {
	logFile, err := os.Create(logPath) //nolint:gosec // the playground's own log
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "-dir", c.dir, "-repo", c.repo, "-tools-bin", c.toolsBin, "-xpkg-dir", c.xpkgDir, "-cache-dir", c.cacheDir}
	sup, err := proc.Start(self, args, proc.Options{Output: logFile, Detach: true})
	if err != nil {
		return nil, err
	}
	exe, err := proc.Exe(sup.PID())
	if err == nil {
		st := &state{Supervisor: component{Name: supervisorName, PID: sup.PID(), Exe: exe, Log: logPath}, Started: time.Now()}
		err = st.save(c.dir)
	}
	if err != nil {
		return nil, errors.Join(err, sup.Stop(supervisorGrace))
	}
	return sup, nil
}

// follow shows the supervisor's log until the cluster is ready, then how to
// use it. If the supervisor exits first, or this process is interrupted,
// nothing is left running.
func follow(c config, sup *proc.Process, logPath string) error {
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(interrupt)
	progress, err := os.Open(logPath) //nolint:gosec // the playground's own log
	if err != nil {
		return errors.Join(err, sup.Stop(supervisorGrace))
	}
	defer progress.Close()
	for {
		_, _ = io.Copy(os.Stdout, progress)
		if st, err := load(c.dir); err == nil && st.Ready {
			printUsage(c, st)
			return nil
		}
		select {
		case <-sup.Done():
			_, _ = io.Copy(os.Stdout, progress)
			_, err := sup.Exited()
			_ = os.Remove(filepath.Join(c.dir, stateFile))
			return fmt.Errorf("the playground did not start (%w); the components' logs are in %s", err, filepath.Dir(logPath))
		case s := <-interrupt:
			sayf("%s: stopping", s)
			return errors.Join(sup.Stop(supervisorGrace), os.RemoveAll(c.dir))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// alreadyUp says what runs instead of starting a second playground, and
// fails if part of it has crashed.
func alreadyUp(c config, st *state) error {
	if crashed := st.crashed(); len(crashed) > 0 {
		report(st)
		return fmt.Errorf("the playground in %s is broken: `make down`, then `make up`", c.dir)
	}
	if !st.Ready {
		sayf("already starting (supervisor pid %d); `make status` says when it is ready", st.Supervisor.PID)
		return nil
	}
	sayf("already running since %s (supervisor pid %d)", st.Started.Format(time.RFC3339), st.Supervisor.PID)
	printUsage(c, st)
	return nil
}
