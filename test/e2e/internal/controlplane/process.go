package controlplane

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// A Process is one component of the control plane, run from a binary with
// internal/proc (the repository's one process starter), its output kept in a
// log file. It is stopped by its PID, never by name.
type Process struct {
	Name string
	Log  string

	*proc.Process
	log *os.File
}

// StartProcess runs bin with args, its stdout and stderr appended to
// logDir/name.log. The child gets its own process group, so a Ctrl-C in the
// terminal reaches only the test, which then stops the children in order,
// and the kernel kills it if the test process dies without cleaning up.
func StartProcess(name, logDir string, env []string, bin string, args ...string) (*Process, error) {
	if err := os.MkdirAll(logDir, 0o750); err != nil {
		return nil, err
	}
	logPath := filepath.Join(logDir, name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) //nolint:gosec // the test's own log folder
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "\n==== %s: %s %q\n", time.Now().Format(time.RFC3339), bin, args)
	pp, err := proc.Start(bin, args, proc.Options{Env: env, Output: f, OwnGroup: true})
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, Log: logPath, Process: pp, log: f}
	register(p)
	return p, nil
}

// Stop sends SIGTERM to the process's PID and SIGKILL after grace.
func (p *Process) Stop(grace time.Duration) {
	if p == nil {
		return
	}
	defer unregister(p)
	_ = p.Process.Stop(grace)
	_ = p.log.Close()
}

// Tail returns the last n bytes of the process's log, for error messages.
func (p *Process) Tail(n int) string {
	b, err := os.ReadFile(p.Log)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// WaitReady polls ready until it succeeds, the process exits or timeout
// passes; the error then carries the end of the process's log.
func (p *Process) WaitReady(ctx context.Context, timeout time.Duration, ready func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		if done, err := p.Exited(); done {
			return fmt.Errorf("%s exited before it was ready (%w); end of %s:\n%s", p.Name, err, p.Log, p.Tail(3000))
		}
		if last = ready(ctx); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready after %s: %w; end of %s:\n%s", p.Name, timeout, last, p.Log, p.Tail(3000))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// live holds every process started and not yet stopped, so that a signal
// handler can stop them all by PID.
var (
	liveMu sync.Mutex
	live   []*Process
)

func register(p *Process) {
	liveMu.Lock()
	defer liveMu.Unlock()
	live = append(live, p)
}

func unregister(p *Process) {
	liveMu.Lock()
	defer liveMu.Unlock()
	for i, q := range live {
		if q == p {
			live = append(live[:i], live[i+1:]...)
			return
		}
	}
}

// StopAll stops every process still running, newest first. It is the last
// resort of a signal handler; normal teardown stops components in order.
func StopAll() {
	liveMu.Lock()
	ps := append([]*Process(nil), live...)
	liveMu.Unlock()
	for _, p := range slices.Backward(ps) {
		p.Stop(5 * time.Second)
	}
}

// Ports hands out free loopback ports, never the same one twice in a run.
type Ports struct {
	mu   sync.Mutex
	used map[int]bool
}

// Free returns a TCP port on 127.0.0.1 that nothing listens on right now.
// Another program may still take it before our component binds it: callers
// retry a component that fails to start (see Retry).
func (ps *Ports) Free() (int, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.used == nil {
		ps.used = map[int]bool{}
	}
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0") //nolint:noctx // closed at once; nothing to cancel
		if err != nil {
			return 0, err
		}
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			return 0, fmt.Errorf("listener address %v is not TCP", l.Addr())
		}
		port := addr.Port
		_ = l.Close()
		if !ps.used[port] {
			ps.used[port] = true
			return port, nil
		}
	}
	return 0, errors.New("no free port found")
}

// Addr is 127.0.0.1:port.
func Addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// Retry runs start up to attempts times, for components whose free port may
// be taken by someone else between choosing it and binding it.
func Retry(attempts int, start func() error) error {
	var errs []error
	for range attempts {
		err := start()
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
