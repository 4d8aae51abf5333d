//go:build render

package rendertest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// podTemplatesGolden is the fleet-stability golden: one line per example
// and scenario, the hash of the pod template of the Deployment the function
// renders for it. Any change to a pod template rolls every agent it
// concerns when the new function is installed, so it fails TestGolden until
// `make golden` rewrites this file on purpose, and README's upgrade notes
// say which release rolls pods.
const podTemplatesGolden = goldenDir + "/pod-templates.txt"

// podTemplates collects the hashes TestGolden's renders give, and how many
// cases it rendered.
type podTemplates struct {
	rendered int
	hashes   map[string]string
}

// record hashes the pod template of the Deployment rendered in out. A
// render without one (the first call on create composes the Deployment
// only once its dependencies exist) has none to record.
func (p *podTemplates) record(t *testing.T, name string, out []byte) {
	t.Helper()
	p.rendered++
	objs, err := render.SplitDocuments(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if gvkOf(o).Group == objectGroup { // Object mode: the Deployment it delivers.
			o = manifestOf(t, o)
		}
		if o["kind"] != "Deployment" {
			continue
		}
		spec, _ := o["spec"].(map[string]any)
		template, ok := spec["template"].(map[string]any)
		if !ok {
			t.Fatalf("Render(%s): the Deployment has no spec.template", name)
		}
		if p.hashes == nil {
			p.hashes = map[string]string{}
		}
		p.hashes[name] = templateHash(t, template)
		return
	}
}

// templateHash is the SHA-256 of the template as JSON, with its keys
// sorted: what Crossplane applies, so equal hashes mean no rollout.
func templateHash(t *testing.T, template map[string]any) string {
	t.Helper()
	b, err := json.Marshal(template)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:16]
}

// compare checks the hashes of every case against the golden file, or
// rewrites it with -update. A run of some cases only checks nothing.
func (p *podTemplates) compare(t *testing.T, cases int) {
	t.Helper()
	if p.rendered != cases {
		t.Skipf("%d of %d cases rendered: the fleet's pod templates are checked on a full run", p.rendered, cases)
	}
	if len(p.hashes) == 0 {
		t.Fatal("no case rendered a Deployment")
	}
	var b strings.Builder
	b.WriteString("# The pod template of every example and scenario, as SHA-256 of its JSON\n")
	b.WriteString("# (test/render/podtemplates_test.go). A changed line rolls those agents'\n")
	b.WriteString("# pods on upgrade: regenerate with `make golden` on purpose, and say so in\n")
	b.WriteString("# README's upgrade notes.\n")
	for _, name := range slices.Sorted(maps.Keys(p.hashes)) {
		fmt.Fprintf(&b, "%s %s\n", name, p.hashes[name])
	}
	compareGolden(t, "every pod template of the fleet is unchanged", "pod templates", podTemplatesGolden, b.String())
}
