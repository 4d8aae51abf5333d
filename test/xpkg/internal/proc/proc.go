// Package proc runs the servers the package tests talk to (a registry, the
// function) as child processes that are always stopped: by the test's
// cleanup on every exit path, and by the kernel if the test process dies.
package proc

import (
	"bytes"
	"errors"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long a server may take to exit after SIGTERM.
const stopGrace = 5 * time.Second

// Proc is a running child process.
type Proc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// Start runs cmd and registers its stop with t.Cleanup. Its output is kept
// and logged when the test fails. cmd.SysProcAttr, when set, is extended.
func Start(t *testing.T, cmd *exec.Cmd) *Proc {
	t.Helper()
	p := &Proc{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// If the test binary is killed (a timeout panic skips cleanups), the
	// kernel stops the child too.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start %s: %v", cmd.Path, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("output of %s (pid %d):\n%s", cmd.Path, cmd.Process.Pid, p.out.String())
		}
	})
	return p
}

// PID of the process.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Stop sends SIGTERM to this process (by its PID, nothing else), then
// SIGKILL if it has not exited within stopGrace. It is safe to call twice.
func (p *Proc) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopGrace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// Exited reports whether the process has exited, and its error if so.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// WaitFor waits until the process prints a line matching re and returns the
// line's submatches.
func (p *Proc) WaitFor(re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.out.String()); m != nil {
			return m, nil
		}
		if exited, err := p.Exited(); exited {
			return nil, errors.Join(errors.New("process exited before printing "+re.String()), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, errors.New("timed out waiting for " + re.String())
}

// Output printed so far.
func (p *Proc) Output() string { return p.out.String() }

// syncBuffer is written by the process's output copiers and read by tests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
