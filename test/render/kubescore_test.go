//go:build render

package rendertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// kubeScoreAccepted are the CRITICAL findings of kube-score we decide
// against, by check ID; docs/security.md explains each.
var kubeScoreAccepted = map[string]string{
	"container-image-pull-policy":                                  "IfNotPresent: a pod start must not depend on the registry; pin images by digest instead",
	"deployment-targeted-by-hpa-does-not-have-replicas-configured": "the count applied is the Deployment's own, the HPA's, not a static one",
}

// kubeScoreCritical is kube-score's grade for a critical finding
// (scorecard.GradeCritical).
const kubeScoreCritical = 1

// kubeScoreResult is the part of kube-score's JSON output (v2) we read.
type kubeScoreResult struct {
	ObjectName string `json:"object_name"`
	Checks     []struct {
		Check struct {
			ID string `json:"id"`
		} `json:"check"`
		Grade    int  `json:"grade"`
		Skipped  bool `json:"skipped"`
		Comments []struct {
			Summary     string `json:"summary"`
			Description string `json:"description"`
		} `json:"comments"`
	} `json:"checks"`
}

// TestKubeScore runs kube-score (v1.20.0, tools/kube-score) on every
// rendered example (its second call, with every composed resource), the
// golden files TestGolden keeps equal to the renders:
// no CRITICAL finding but those kubeScoreAccepted lists, each explained in
// docs/security.md.
func TestKubeScore(t *testing.T) {
	// The second call's renders: the first composes the Deployment only
	// once its dependencies exist.
	files, err := filepath.Glob(filepath.Join(goldenDir, "second-call", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rendered examples in %s: %v", goldenDir, err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			results := kubeScore(t, delivered(t, f))
			if len(results) == 0 {
				t.Fatalf("kube-score scored no object of %s", f)
			}
			for _, r := range results {
				for _, c := range r.Checks {
					if c.Skipped || c.Grade != kubeScoreCritical {
						continue
					}
					if _, ok := kubeScoreAccepted[c.Check.ID]; ok {
						seen[c.Check.ID] = true
						continue
					}
					why := make([]string, 0, len(c.Comments))
					for _, cm := range c.Comments {
						why = append(why, cm.Summary+": "+cm.Description)
					}
					t.Errorf("kube-score: %s: CRITICAL %s: %s", r.ObjectName, c.Check.ID, strings.Join(why, "; "))
				}
			}
		})
	}
	doc, err := os.ReadFile(filepath.Join(env.root, "docs", "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	for id := range kubeScoreAccepted {
		if !seen[id] {
			t.Errorf("kube-score no longer reports %s on any example: drop it from kubeScoreAccepted and docs/security.md", id)
		}
		if !bytes.Contains(doc, []byte("`"+id+"`")) {
			t.Errorf("docs/security.md does not explain why kube-score's %s is accepted", id)
		}
	}
}

// kubeScore scores the manifests in file for the Kubernetes version the
// project targets.
// delivered is file with each provider-kubernetes Object (Object mode)
// replaced by the manifest it delivers, written to a temporary file; file
// itself if it has none. kube-score knows no Object, and what it should
// score is what runs in the workload cluster.
func delivered(t *testing.T, file string) string {
	t.Helper()
	objs, err := render.ReadObjects(file)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := false
	for i, o := range objs {
		if gvkOf(o).Group == objectGroup {
			objs[i], wrapped = manifestOf(t, o), true
		}
	}
	if !wrapped {
		return file
	}
	out := filepath.Join(t.TempDir(), filepath.Base(file))
	if err := render.WriteObjects(out, objs...); err != nil {
		t.Fatal(err)
	}
	return out
}

func kubeScore(t *testing.T, file string) []kubeScoreResult {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), env.tools.KubeScore, "score", "--kubernetes-version=v1.35", "--output-format=json", file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// kube-score exits 1 when it finds a critical problem; the output says
	// which.
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		t.Fatalf("kube-score score %s: %v: %s", file, err, stderr.String())
	}
	var results []kubeScoreResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("kube-score score %s: %v: %s", file, err, stdout.String())
	}
	return results
}
