//go:build render

package rendertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// fatalPrefix introduces the function's message in the CLI's error when a
// pipeline step returns a Fatal result.
const fatalPrefix = `pipeline step "compose-agent" returned a fatal result: `

// TestInvalid renders each AgentDeployment of testdata/invalid: the
// function must return a Fatal result whose message starts with the field
// at fault, the render engine must exit 3 and the CLI fail, printing
// nothing. The whole message is compared with testdata/golden/invalid.
func TestInvalid(t *testing.T) {
	cases := map[string]struct {
		reason string
		field  string
	}{
		"model-unsupported":                   {"a model the catalog does not have", "spec.model"},
		"model-missing":                       {"no model at all", "spec.model"},
		"replicas-too-many":                   {"more replicas than the API's maximum", "spec.replicas"},
		"replicas-not-integer":                {"replicas of the wrong type", "spec.replicas"},
		"image-invalid":                       {"an image that is no image reference", "spec.image"},
		"requests-exceed-limits":              {"a CPU request above its limit", "spec.resources.requests.cpu"},
		"memory-not-quantity":                 {"a memory request that is no quantity", "spec.resources.requests.memory"},
		"max-tokens-over-context-window":      {"maxTokens beyond the model's context window", "spec.config.maxTokens"},
		"temperature-too-high":                {"a temperature above 2", "spec.config.temperature"},
		"api-key-secret-invalid-name":         {"a Secret name Kubernetes refuses", "spec.secrets.apiKeySecret"},
		"api-key-key-invalid":                 {"a Secret key Kubernetes refuses", "spec.secrets.apiKeyKey"},
		"api-key-missing":                     {"a hosted model without an API key", "spec.secrets.apiKeySecret"},
		"secret-and-vault":                    {"the API key from a Secret and from Vault", "spec.secrets.apiKeySecret"},
		"vault-without-role":                  {"Vault without its role", "spec.secrets.vault.role"},
		"autoscaling-min-over-max":            {"minReplicas above maxReplicas", "spec.autoscaling.minReplicas"},
		"autoscaling-cpu-target-out-of-range": {"a CPU target that is no percentage", "spec.autoscaling.targetCPUUtilization"},
		"autoscaling-rps-negative":            {"a negative requests-per-second target", "spec.autoscaling.requestsPerSecond"},
		"xr-without-namespace":                {"a v2 XR without a namespace", "metadata.namespace"},
		"legacy-xr-without-claim":             {"a legacy XR without a claim", "metadata.labels[crossplane.io/claim-namespace]"},
	}
	checkInvalidFiles(t, cases)
	for _, name := range sortedNames(cases) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			input := filepath.Join("test", "render", invalidDir, name+".yaml")
			req := request(t, goldenCase{input: input})
			res, err := render.Run(context.Background(), env.tools, req)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 1 || res.EngineExitCode != render.ExitPipelineFatal || len(res.Stdout) > 0 {
				t.Fatalf("%s\nRender(%s): CLI exit %d, engine exit %d, %d bytes printed; want 1, %d and nothing:\n%s",
					tc.reason, name, res.ExitCode, res.EngineExitCode, len(res.Stdout), render.ExitPipelineFatal, res.Stderr)
			}
			msg := fatalMessage(string(res.Stderr))
			if !strings.HasPrefix(msg, tc.field+": ") {
				t.Errorf("%s\nRender(%s): the function's message %q does not start with the field %q", tc.reason, name, msg, tc.field)
			}
			got := fmt.Sprintf("# `make golden` (test/render) writes what rendering %s prints; do not edit.\n# CLI exit code %d, render engine exit code %d.\n%s",
				input, res.ExitCode, res.EngineExitCode, res.Stderr)
			compareGolden(t, tc.reason, name, goldenPath("invalid/"+name, ".txt"), got)
		})
	}
	t.Run("NoStaleGoldenFiles", func(t *testing.T) {
		stale := make(map[string]struct{}, len(cases))
		for n := range cases {
			stale["invalid/"+n] = struct{}{}
		}
		removeStale(t, stale, []string{"invalid"}, ".txt")
	})
}

// fatalMessage is the function's message in the CLI's error, or all of it.
func fatalMessage(stderr string) string {
	_, msg, ok := strings.Cut(stderr, fatalPrefix)
	if !ok {
		return stderr
	}
	return strings.TrimSpace(msg)
}

// checkInvalidFiles fails unless every file of testdata/invalid is a case
// and every case has its file.
func checkInvalidFiles[T any](t *testing.T, cases map[string]T) {
	t.Helper()
	files, err := os.ReadDir(invalidDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name(), ".yaml")
		seen[name] = true
		if _, ok := cases[name]; !ok {
			t.Errorf("%s/%s is no case of TestInvalid: add it to the table", invalidDir, f.Name())
		}
	}
	for name := range cases {
		if !seen[name] {
			t.Errorf("case %s has no file %s/%s.yaml", name, invalidDir, name)
		}
	}
}
