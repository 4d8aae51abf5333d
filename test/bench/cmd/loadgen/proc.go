package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// A server is a function process the load generator started.
type server struct {
	cmd     *exec.Cmd
	address string
	done    chan struct{}
}

// startServer runs bin with args on a free loopback port and waits until it
// serves.
// The function logs the address it bound; nothing else listens on it.
func startServer(ctx context.Context, bin string, env, args []string) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, append([]string{"--insecure", "--address=127.0.0.1:0", "--metrics-address=127.0.0.1:0"}, args...)...) //nolint:gosec // The benchmark's own binaries and flags.
	cmd.Env = append(os.Environ(), env...)
	// Interrupted, the server stops as gracefully as with stop.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	// Should the load generator die without stopping it, so does the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logs, logw := io.Pipe()
	cmd.Stderr = logw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); _ = logw.Close(); close(s.done) }()
	addr := make(chan string, 1)
	go scanLog(logs, addr)
	select {
	case s.address = <-addr:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("%s exited before serving: %s", bin, cmd.ProcessState)
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	s.stop()
	return nil, fmt.Errorf("%s did not log the address it serves on", bin)
}

// scanLog sends the address of the "Serving RunFunction" log line, and
// then drains the log.
func scanLog(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var line struct {
			Msg     string `json:"msg"`
			Address string `json:"address"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "Serving RunFunction" {
			addr <- line.Address
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// stop ends the server by its PID: SIGTERM, then SIGKILL if it lingers.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// cpuTime is the CPU time, user and system, the server has used so far.
func (s *server) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, may hold spaces: count from its end.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc/<pid>/stat")
	}
	fields := strings.Fields(string(b[i+1:]))
	// utime and stime are fields 14 and 15; fields[0] is field 3.
	if len(fields) < 13 {
		return 0, errors.New("short /proc/<pid>/stat")
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// memory of a process, in bytes.
type memory struct {
	// rss is resident now: anonymous memory (the heap, mostly) and the
	// pages of the binary it touched.
	rss, anon int64
	// peak is the highest rss since the process started.
	peak int64
}

// memory reads the server's memory from /proc.
func (s *server) memory() (memory, error) {
	var m memory
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	fields := map[string]*int64{"VmRSS": &m.rss, "RssAnon": &m.anon, "VmHWM": &m.peak}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if f, known := fields[name]; ok && known {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
			if err != nil {
				return m, fmt.Errorf("%s: %w", name, err)
			}
			*f = kb << 10
		}
	}
	return m, nil
}
