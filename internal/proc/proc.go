// Package proc starts the programs that tests, benchmarks and `make render`
// run beside themselves (the function's binary above all) as child
// processes that are always stopped: by PID, SIGTERM and then SIGKILL after
// a grace period, and by the kernel should the process that started them
// die first. It is the one process starter of the repository.
package proc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// keep is how much of a child's output a Process holds in memory for
// Output and WaitFor: the newest bytes, enough for any error message.
const keep = 1 << 20

// Options of a child process. The zero value runs it with this process's
// environment and keeps its output in memory only.
type Options struct {
	// Env is added to this process's environment.
	Env []string
	// Output, when set, receives everything the child writes to stdout and
	// stderr, as well as the copy kept in memory.
	Output io.Writer
	// OwnGroup puts the child in a process group of its own, so that a
	// Ctrl-C in the terminal reaches only the test, which then stops its
	// children in order.
	OwnGroup bool
	// Detach starts a daemon that outlives this process: a session of its
	// own, no parent-death signal, stdin from /dev/null and its output
	// written straight to Output, which must then be an *os.File (a pipe to
	// this process would break when it exits). Output is not kept in memory.
	Detach bool
}

// A Process is a running child.
type Process struct {
	cmd  *exec.Cmd
	out  *tail
	done chan struct{}
	err  error
}

// Start runs bin with args. The caller stops it with Stop on every path.
func Start(bin string, args []string, o Options) (*Process, error) {
	cmd := exec.Command(bin, args...) //nolint:gosec,noctx // The callers' own binaries; stopped by PID, not by a context.
	cmd.Env = append(os.Environ(), o.Env...)
	return StartCmd(cmd, o)
}

// StartCmd runs cmd, prepared by the caller (its folder, environment or
// credentials), as Start does; o.Env is ignored, cmd.Env is used as set.
func StartCmd(cmd *exec.Cmd, o Options) (*Process, error) {
	out := &tail{also: o.Output}
	cmd.Stdout, cmd.Stderr = out, out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	if o.Detach {
		f, ok := o.Output.(*os.File)
		if !ok {
			return nil, fmt.Errorf("cannot detach %s: its output must go to a file", cmd.Path)
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, f, f
		cmd.SysProcAttr.Setsid = true
	} else {
		dieWithParent(cmd.SysProcAttr)
		cmd.SysProcAttr.Setpgid = o.OwnGroup
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", cmd.Path, err)
	}
	p := &Process{cmd: cmd, out: out, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// PID of the process.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Path of the process's binary.
func (p *Process) Path() string { return p.cmd.Path }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited, and its error if so.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// DieWithParent is the process attributes of a child that must not outlive
// this process, for a command run to completion outside Start.
func DieWithParent() *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{}
	dieWithParent(a)
	return a
}

// Signal sends sig to the process, by its PID.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Stop sends SIGTERM to the process (by its PID, nothing else) and SIGKILL
// if it has not exited within grace. It is safe to call more than once;
// the error says when the process had to be killed.
func (p *Process) Stop(grace time.Duration) error {
	if exited, _ := p.Exited(); exited {
		return nil
	}
	if err := p.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("cannot stop %s (pid %d): %w", p.cmd.Path, p.PID(), err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s (pid %d) ignored SIGTERM for %s and was killed", p.cmd.Path, p.PID(), grace)
	}
}

// Output is what the process has written so far (its newest megabyte).
func (p *Process) Output() string { return p.out.String() }

// WaitFor waits until match accepts a line of the process's output, and
// returns what match found in it.
func (p *Process) WaitFor(match func(line string) (string, bool), timeout time.Duration) (string, error) {
	deadline := time.After(timeout)
	for {
		sc := bufio.NewScanner(strings.NewReader(p.Output()))
		sc.Buffer(nil, keep)
		for sc.Scan() {
			if found, ok := match(sc.Text()); ok {
				return found, nil
			}
		}
		select {
		case <-p.done:
			return "", fmt.Errorf("%s exited before printing what was awaited: %w", p.cmd.Path, p.err)
		case <-deadline:
			return "", fmt.Errorf("%s did not print what was awaited within %s", p.cmd.Path, timeout)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// tail keeps the newest bytes written to it and copies them to also.
type tail struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	also io.Writer
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.also != nil {
		if _, err := t.also.Write(b); err != nil {
			return 0, err
		}
	}
	t.buf.Write(b)
	if t.buf.Len() > 2*keep {
		t.buf.Next(t.buf.Len() - keep)
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
