package kube

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"sync"
)

// A Watch is a running `kubectl get --watch`: every line it printed, one
// per version of the object it watches, in order.
type Watch struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	lines []string
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

// Stop ends the watch and waits for kubectl to exit.
func (w *Watch) Stop() {
	w.cancel()
	<-w.done
	_ = w.cmd.Wait()
}
