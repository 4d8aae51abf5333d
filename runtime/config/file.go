package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// A WatchedFile holds the content of a file that may change while the
// runtime runs: Vault renews the API key, the kubelet updates a mounted
// ConfigMap. It is polled rather than watched with inotify: the kubelet and
// Vault's agent replace files through symlink swaps and renames that inotify
// reports in ways that differ between the two.
type WatchedFile struct {
	path string

	mu      sync.RWMutex
	content []byte
	err     error
}

// NewWatchedFile reads path once; Err reports when that failed.
func NewWatchedFile(path string) *WatchedFile {
	f := &WatchedFile{path: path}
	f.Reload()
	return f
}

// Reload reads the file again and reports whether its content changed.
func (f *WatchedFile) Reload() bool {
	b, err := os.ReadFile(f.path)
	if err != nil {
		err = fmt.Errorf("cannot read %s: %w", f.path, errors.Unwrap(err))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	changed := !bytes.Equal(b, f.content) || (err == nil) != (f.err == nil)
	if err == nil {
		f.content = b
	}
	f.err = err
	return changed
}

// Content is the file's last content read and the error of the last read.
// A failed read keeps the previous content: a key that Vault is rewriting
// stays usable.
func (f *WatchedFile) Content() ([]byte, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.content, f.err
}

// Poll reloads the file every interval until ctx ends, calling changed after
// each change.
func (f *WatchedFile) Poll(ctx context.Context, interval time.Duration, changed func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if f.Reload() && changed != nil {
				changed()
			}
		}
	}
}
