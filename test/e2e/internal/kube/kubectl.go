// Package kube drives a cluster the way a user does: through kubectl.
package kube

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// verbGet is kubectl's get.
const verbGet = "get"

// Kubectl runs the kubectl binary against one kubeconfig.
type Kubectl struct {
	Bin        string
	Kubeconfig string
	// CacheDir keeps kubectl's discovery cache out of $HOME.
	CacheDir string
}

// Error is a failed kubectl call with what it printed.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("kubectl %s: %v: %s", strings.Join(e.Args, " "), e.Err, strings.TrimSpace(e.Stderr))
}

func (e *Error) Unwrap() error { return e.Err }

// NotFound reports whether err is kubectl saying an object does not exist.
func NotFound(err error) bool {
	var ke *Error
	return errors.As(err, &ke) && strings.Contains(ke.Stderr, "NotFound")
}

// callLimit bounds one kubectl call, so that a hung one fails its test.
const callLimit = 2 * time.Minute

// Run calls kubectl with args and stdin, returning its stdout. The call
// may take two minutes at most.
func (k *Kubectl) Run(ctx context.Context, stdin string, args ...string) (string, error) {
	return k.RunWithin(ctx, callLimit, stdin, args...)
}

// RunWithin is Run for a call that may take up to limit: one that applies
// or deletes a fleet of objects.
func (k *Kubectl) RunWithin(ctx context.Context, limit time.Duration, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	full := append([]string{"--kubeconfig=" + k.Kubeconfig, "--cache-dir=" + k.CacheDir}, args...)
	cmd := exec.CommandContext(ctx, k.Bin, full...) //nolint:gosec // the pinned kubectl
	cmd.Env = append(os.Environ(), "KUBECTL_COMMAND_HEADERS=false")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		return stdout.String(), &Error{Args: args, Stderr: stderr.String(), Err: err}
	}
	return stdout.String(), nil
}

// Apply runs kubectl apply on manifest (one or more YAML documents).
func (k *Kubectl) Apply(ctx context.Context, manifest string, args ...string) (string, error) {
	return k.Run(ctx, manifest, append([]string{"apply", "-f", "-"}, args...)...)
}

// Get decodes `kubectl get <args> -o json` into into.
func (k *Kubectl) Get(ctx context.Context, into any, args ...string) error {
	out, err := k.Run(ctx, "", append(append([]string{verbGet}, args...), "-o", "json")...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(out), into); err != nil {
		return fmt.Errorf("decode kubectl get %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// Exists reports whether kubectl get finds the object.
func (k *Kubectl) Exists(ctx context.Context, args ...string) (bool, error) {
	_, err := k.Run(ctx, "", append([]string{verbGet, "-o", "name"}, args...)...)
	switch {
	case err == nil:
		return true, nil
	case NotFound(err):
		return false, nil
	default:
		return false, err
	}
}

// Eventually polls check every interval until it returns nil or timeout
// passes, and then returns check's last error.
func Eventually(ctx context.Context, timeout, interval time.Duration, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		if last = check(ctx); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("still failing after %s: %w", timeout, last)
		case <-time.After(interval):
		}
	}
}
