package kube

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"sync"
	"time"
)

// A Watch is a running `kubectl get --watch`: every line it printed, one
// per version of the object it watches, in order.
type Watch struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	lines []string
	at    []time.Time
}

// A Line is a line of a Watch and when it arrived.
type Line struct {
	Text string
	At   time.Time
}

// Watch starts `kubectl get args... --watch`; args should include an
// output format such as -o jsonpath=... that prints one line per version.
// Stop it on every way out.
func (k *Kubectl) Watch(args ...string) (*Watch, error) {
	ctx, cancel := context.WithCancel(context.Background())
	full := append([]string{"--kubeconfig=" + k.Kubeconfig, "--cache-dir=" + k.CacheDir, verbGet, "--watch"}, args...)
	cmd := exec.CommandContext(ctx, k.Bin, full...) //nolint:gosec // the pinned kubectl
	cmd.Env = append(os.Environ(), "KUBECTL_COMMAND_HEADERS=false")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	w := &Watch{cmd: cmd, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		s := bufio.NewScanner(out)
		for s.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, s.Text())
			w.at = append(w.at, time.Now())
			w.mu.Unlock()
		}
	}()
	return w, nil
}

// Lines printed so far.
func (w *Watch) Lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.lines...)
}

// Since returns the lines from the i-th on, with their arrival times: a
// reader that remembers how many it has seen reads only new ones.
func (w *Watch) Since(i int) []Line {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Line, 0, max(len(w.lines)-i, 0))
	for ; i < len(w.lines); i++ {
		out = append(out, Line{Text: w.lines[i], At: w.at[i]})
	}
	return out
}

// Ended reports whether kubectl has exited: it does when the API server
// ends the watch, which it may under load.
func (w *Watch) Ended() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// Stop ends the watch and waits for kubectl to exit.
func (w *Watch) Stop() {
	w.cancel()
	<-w.done
	_ = w.cmd.Wait()
}
