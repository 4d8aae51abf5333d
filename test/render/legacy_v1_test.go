//go:build render

package rendertest

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// Versions of the two CLIs, as `version --client` prints them.
const (
	cliV2Version = "v2.5.0"
	cliV1Version = "v1.20.11"
)

const annotationResourceName = "crossplane.io/composition-resource-name"

// TestLegacyCLIv1 renders the legacy XAgentDeployment with the last 1.x CLI
// (`crossplane render`, which 1.x before 1.17 called `crossplane beta
// render`; it renders in-process) and with CLI v2 and the core binary: the
// composed resources and the status the function derives must be the same.
func TestLegacyCLIv1(t *testing.T) {
	checkVersion(t, env.tools.CLIv1, cliV1Version)
	checkVersion(t, env.tools.CLI, cliV2Version)

	cases := map[string]struct {
		reason string
		c      goldenCase
	}{
		"ClaimOnCreate": {
			reason: "the XAgentDeployment of examples/legacy/claim.yaml, nothing observed",
			c:      goldenCase{input: "examples/legacy/claim.yaml", claim: true},
		},
		"ClaimObserved": {
			reason: "the legacy-claim scenario: every composed resource observed ready",
			c:      goldenCase{input: "test/fixtures/xr/legacy-claude-agent.yaml", observed: filepath.Join(observedDir, "legacy-claim")},
		},
	}
	for _, name := range sortedNames(cases) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			req := request(t, tc.c)
			v2, err := render.Run(context.Background(), env.tools, req)
			if err != nil || v2.ExitCode != 0 {
				t.Fatalf("%s\nRender(v2): exit %d, %v\n%s", tc.reason, v2.ExitCode, err, v2.Stderr)
			}
			// CLI 1.x knows no --function-annotations: point its functions
			// file at the running function instead. Nor does it read XRDs.
			req.Functions = filepath.Join(t.TempDir(), "functions.yaml")
			if err := render.WriteFunctions(filepath.Join(env.root, render.Functions), req.Functions, env.fn.Addr); err != nil {
				t.Fatal(err)
			}
			req.XRD = ""
			v1, err := render.RunV1(context.Background(), env.tools, req)
			if err != nil || v1.ExitCode != 0 {
				t.Fatalf("%s\nRenderV1(): exit %d, %v\n%s", tc.reason, v1.ExitCode, err, v1.Stderr)
			}

			want, wantStatus := composed(t, v2.Stdout)
			got, gotStatus := composed(t, v1.Stdout)
			if len(want) == 0 {
				t.Fatalf("%s\nRender(v2): no composed resources", tc.reason)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nRenderV1(): composed resources -v2, +v1:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(wantStatus, gotStatus); diff != "" {
				t.Errorf("%s\nRenderV1(): XR status (without conditions) -v2, +v1:\n%s", tc.reason, diff)
			}
		})
	}
}

// composed returns the composed resources of a render by their name in
// the Composition, and the XR's status without its conditions (which
// Crossplane 1.x and 2.x write differently). Crossplane 1.x also gives
// every composed resource a generateName of the XR's name; a function's
// resources have names, so it is dropped.
func composed(t *testing.T, out []byte) (map[string]render.Object, render.Object) {
	t.Helper()
	objs, err := render.SplitDocuments(out)
	if err != nil || len(objs) == 0 {
		t.Fatalf("cannot read the render: %v", err)
	}
	res := map[string]render.Object{}
	for _, o := range objs[1:] {
		md, _ := o["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		name, ok := ann[annotationResourceName].(string)
		if !ok {
			continue // A Result.
		}
		delete(md, "generateName")
		res[name] = o
	}
	status, _ := objs[0]["status"].(map[string]any)
	delete(status, "conditions")
	delete(status, "claimConditionTypes")
	return res, status
}

func checkVersion(t *testing.T, bin, want string) {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), bin, "version", "--client").CombinedOutput()
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("%s version --client: %q, %v; want %s (rebuild it: tools/build.sh)", bin, out, err, want)
	}
}
