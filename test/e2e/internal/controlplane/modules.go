package controlplane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// ModuleDir returns the folder of module in the Go module cache, at the
// version the Go module in dir pins, downloading it if needed. The test
// reads third-party files (Crossplane's chart and CRDs, kwok's stages) from
// there instead of copying them into the repository.
func ModuleDir(ctx context.Context, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module) //nolint:gosec // a module the test names
	cmd.Dir = dir
	out, err := cmd.Output()
	var m struct {
		Dir     string `json:"Dir"`
		Version string `json:"Version"`
		Error   string `json:"Error"`
	}
	if err != nil {
		return "", fmt.Errorf("go mod download %s in %s: %w %s", module, dir, err, stderr(err))
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("go mod download %s in %s: %w", module, dir, err)
	}
	if m.Error != "" {
		return "", fmt.Errorf("go mod download %s in %s: %s", module, dir, m.Error)
	}
	return m.Dir, nil
}

// ModuleVersion returns the version of module the Go module in dir pins.
func ModuleVersion(ctx context.Context, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", module) //nolint:gosec // a module the test names
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s in %s: %w %s", module, dir, err, stderr(err))
	}
	return strings.TrimSpace(string(out)), nil
}

func stderr(err error) string {
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return string(ee.Stderr)
	}
	return ""
}

// KwokStages writes a kwok configuration to path with the fast node and
// pod Stages kwok ships: nodes become Ready and keep a heartbeat, scheduled
// pods become Running and Ready, and pods being deleted go. A pod whose
// Ready condition is later set to False stays so, since no Stage matches a
// Running pod.
//
// Pods become Ready readyDelay (plus up to a second) after they are
// scheduled, as a container that starts and then passes its first readiness
// probe does: kwok alone makes them Ready at once, which packs a whole
// rollout's status updates into a second and trips Crossplane's per-XR
// circuit breaker (a burst of 50 watch events), which a real rollout does
// not.
func KwokStages(kwokDir, path string, readyDelay time.Duration) error {
	stage := filepath.Join(kwokDir, "kustomize", "stage")
	files := []string{
		"node/fast/node-initialize.yaml",
		"node/heartbeat/node-heartbeat.yaml",
		"pod/fast/pod-ready.yaml",
		"pod/fast/pod-complete.yaml",
		"pod/fast/pod-delete.yaml",
	}
	docs := make([]string, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(stage, f)) //nolint:gosec // kwok's own stages
		if err != nil {
			return err
		}
		if f == "pod/fast/pod-ready.yaml" {
			if b, err = withDelay(b, readyDelay); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		docs = append(docs, strings.TrimSpace(string(b)))
	}
	return os.WriteFile(path, []byte(strings.Join(docs, "\n---\n")+"\n"), 0o600) //nolint:gosec // the test's work folder
}

// withDelay sets a Stage's delay.
func withDelay(stage []byte, d time.Duration) ([]byte, error) {
	var s map[string]any
	if err := yaml.Unmarshal(stage, &s); err != nil {
		return nil, err
	}
	spec, ok := s["spec"].(map[string]any)
	if !ok {
		return nil, errors.New("stage has no spec")
	}
	ms := d.Milliseconds()
	spec["delay"] = map[string]any{"durationMilliseconds": ms, "jitterDurationMilliseconds": ms + 1000}
	return yaml.Marshal(s)
}
