package fn_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// TestCompositionsDeclareSchemas: every Composition declares the optional
// kinds' schemas under the names the function reads, so the function knows
// on its first call which CRDs the cluster has, with no second round trip.
func TestCompositionsDeclareSchemas(t *testing.T) {
	for _, file := range []string{"agentdeployment.yaml", "agentdeployment-keda.yaml", "legacy.yaml"} {
		t.Run(file, func(t *testing.T) {
			c, err := fixtures.Object(filepath.Join(fixtures.Root(), "compositions", file))
			if err != nil {
				t.Fatal(err)
			}
			steps, _, _ := unstructured.NestedSlice(c.Object, "spec", "pipeline")
			step, _ := steps[0].(map[string]any)
			declared, _, _ := unstructured.NestedSlice(step, "requirements", "requiredSchemas")
			got := &fnv1.Requirements{Schemas: map[string]*fnv1.SchemaSelector{}}
			for _, d := range declared {
				m, _ := d.(map[string]any)
				name, _ := m["requirementName"].(string)
				apiVersion, _ := m["apiVersion"].(string)
				kind, _ := m["kind"].(string)
				got.Schemas[name] = &fnv1.SchemaSelector{ApiVersion: apiVersion, Kind: kind}
			}
			if diff := cmp.Diff(crds.Requirements(""), got, protocmp.Transform()); diff != "" {
				t.Errorf("compositions/%s requirements.requiredSchemas: -want (crds.Requirements), +got:\n%s", file, diff)
			}
		})
	}
}

// TestKEDAComposition: the KEDA engine's Composition is the packaged one
// but for the engine, so the two cannot drift apart.
func TestKEDAComposition(t *testing.T) {
	read := func(file string) map[string]any {
		in, err := fixtures.Input(filepath.Join(fixtures.Root(), "compositions", file))
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	want := read("agentdeployment.yaml")
	want["autoscaling"] = map[string]any{"engine": "KEDA"}
	if diff := cmp.Diff(want, read("agentdeployment-keda.yaml")); diff != "" {
		t.Errorf("compositions/agentdeployment-keda.yaml's input: -want (the packaged one, engine KEDA), +got:\n%s", diff)
	}
}
