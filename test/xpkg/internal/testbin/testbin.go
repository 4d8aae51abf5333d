// Package testbin builds real binaries for tests that inspect executables:
// a static Go program per architecture, compiled once per test process.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The smallest program with real ELF headers: a module of its own, so it
// builds the same from any test's working directory.
const (
	goMod  = "module hello\n\ngo 1.26\n"
	mainGo = "package main\n\nfunc main() { println(\"hello\") }\n"
)

var (
	mu    sync.Mutex
	built = map[string][]byte{}
)

// Static returns a CGO_ENABLED=0 linux binary for arch, built with the flags
// the function's packages use.
func Static(t *testing.T, arch string) []byte {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if b, ok := built[arch]; ok {
		return b
	}
	dir := t.TempDir()
	for name, body := range map[string]string{"go.mod": goMod, "main.go": mainGo} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "hello-"+arch)
	cmd := exec.CommandContext(t.Context(), "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".") //nolint:gosec // Our own temporary folder.
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cannot build a static %s binary: %v\n%s", arch, err, msg)
	}
	b, err := os.ReadFile(out) //nolint:gosec // The binary just built in our temporary folder.
	if err != nil {
		t.Fatal(err)
	}
	built[arch] = b
	return b
}

// Dynamic returns a dynamically linked executable of the host: the system's
// own true(1), which needs the C library's loader.
func Dynamic(t *testing.T) []byte {
	t.Helper()
	path, err := exec.LookPath("true")
	if err != nil {
		t.Fatalf("no true(1) on this machine: %v", err)
	}
	b, err := os.ReadFile(path) //nolint:gosec // The system's true(1), found on PATH.
	if err != nil {
		t.Fatal(err)
	}
	return b
}
