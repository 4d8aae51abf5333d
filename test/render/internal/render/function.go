package render

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// How long the function may take to start listening, and to stop.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

// A Function is the AgentOps function serving on a loopback port.
type Function struct {
	// Addr is the host:port it listens on.
	Addr string

	cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

// BuildFunction builds the function's binary from the repository at root
// into out, as the Makefile's FUNCTION_BUILD_FLAGS build it.
func BuildFunction(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "grpcnotrace", "-o", out, "./fn/cmd/function") //nolint:gosec // Our own output path.
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("cannot build the function: %w\n%s", err, b)
	}
	return nil
}

// StartFunction runs bin with --insecure on a port of 127.0.0.1 the kernel
// picks, so that two renders never race for one port, and returns once it
// serves. Its log goes to logs. The caller must Stop it.
func StartFunction(ctx context.Context, bin string, logs io.Writer) (*Function, error) {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return nil, err
	}
	// Port 0: the function logs the address it got, and we read it there.
	// No metrics listener: it would need a second free port.
	cmd := exec.CommandContext(ctx, bin, "--insecure", "--address=127.0.0.1:0", "--metrics-address=", "--shutdown-grace=2s")
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the function %s: %w", bin, err)
	}
	f := &Function{cmd: cmd, exited: make(chan struct{})}
	addr := make(chan string, 1)
	go scanLog(stderr, logs, addr)
	go func() { f.err = cmd.Wait(); close(f.exited) }()

	select {
	case f.Addr = <-addr:
		return f, nil
	case <-f.exited:
		return nil, fmt.Errorf("the function exited before serving: %w", f.err)
	case <-time.After(startTimeout):
		_ = f.Stop()
		return nil, fmt.Errorf("the function did not serve within %s", startTimeout)
	}
}

// scanLog copies the function's JSON log lines to logs and sends the
// address of its "Serving RunFunction" line to addr.
func scanLog(r io.Reader, logs io.Writer, addr chan<- string) {
	s := bufio.NewScanner(r)
	sent := false
	for s.Scan() {
		line := s.Bytes()
		_, _ = fmt.Fprintf(logs, "%s\n", line)
		var entry struct {
			Msg     string `json:"msg"`
			Address string `json:"address"`
		}
		if !sent && json.Unmarshal(line, &entry) == nil && entry.Msg == "Serving RunFunction" && entry.Address != "" {
			addr <- entry.Address
			sent = true
		}
	}
}

// PID is the function's process ID.
func (f *Function) PID() int { return f.cmd.Process.Pid }

// Stop stops the function by its PID: SIGTERM, then SIGKILL if it has not
// exited within stopTimeout. It is safe to call more than once.
func (f *Function) Stop() error {
	select {
	case <-f.exited:
		return nil
	default:
	}
	if err := f.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("cannot stop the function (pid %d): %w", f.PID(), err)
	}
	select {
	case <-f.exited:
		return nil
	case <-time.After(stopTimeout):
		_ = f.cmd.Process.Kill()
		<-f.exited
		return fmt.Errorf("the function (pid %d) ignored SIGTERM for %s and was killed", f.PID(), stopTimeout)
	}
}
