package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// A server is a function process the load generator started, with
// internal/proc: stopped by PID on every path, and by the kernel should the
// load generator die first.
type server struct {
	*proc.Function
}

// startServer runs bin with args on a free loopback port and waits until it
// serves. Interrupted (ctx), it stops the server as gracefully as stop.
func startServer(ctx context.Context, bin string, env, args []string) (*server, error) {
	fn, err := proc.StartFunction(bin, append([]string{"--insecure", "--metrics-address=127.0.0.1:0"}, args...), proc.Options{Env: env})
	if err != nil {
		return nil, err
	}
	s := &server{fn}
	go func() {
		select {
		case <-ctx.Done():
			s.stop()
		case <-fn.Done():
		}
	}()
	return s, nil
}

// stop ends the server by its PID: SIGTERM, then SIGKILL if it lingers.
func (s *server) stop() { _ = s.Stop(5 * time.Second) }

// cpuTime is the CPU time, user and system, the server has used so far.
func (s *server) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.PID()))
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
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.PID()))
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
