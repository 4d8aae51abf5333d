package main

import (
	"context"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

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
func (s *server) cpuTime() (time.Duration, error) { return proc.CPUTime(s.PID()) }

// memory reads the server's memory from /proc.
func (s *server) memory() (proc.Memory, error) { return proc.MemoryOf(s.PID()) }
