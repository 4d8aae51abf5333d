// Package apis holds the generated XRDs; its tests check them against each
// other and against the model catalog.
package apis

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/apis/catalog"
)

type xrd struct {
	Spec struct {
		Scope    string `json:"scope"`
		Versions []struct {
			Name   string `json:"name"`
			Schema struct {
				OpenAPIV3Schema struct {
					Properties map[string]any `json:"properties"`
				} `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

func read(t *testing.T, path string) *xrd {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := &xrd{}
	if err := yaml.Unmarshal(b, x); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(x.Spec.Versions) != 1 {
		t.Fatalf("%s: want one version, got %d", path, len(x.Spec.Versions))
	}
	return x
}

func property(x *xrd, name string) map[string]any {
	p, _ := x.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties[name].(map[string]any)
	return p
}

// TestXRDsShareSchema checks that the v2 XRD and the legacy one accept the
// same spec and report the same status, so a claim and a v2 XR are
// interchangeable.
func TestXRDsShareSchema(t *testing.T) {
	v2, legacy := read(t, "definition.yaml"), read(t, "legacy/definition.yaml")
	if v2.Spec.Scope != "Namespaced" || legacy.Spec.Scope != "LegacyCluster" {
		t.Errorf("scopes: want Namespaced and LegacyCluster, got %s and %s", v2.Spec.Scope, legacy.Spec.Scope)
	}
	if v2.Spec.Versions[0].Name != legacy.Spec.Versions[0].Name {
		t.Errorf("versions: %s and %s", v2.Spec.Versions[0].Name, legacy.Spec.Versions[0].Name)
	}
	for _, name := range []string{"spec", "status"} {
		a, b := property(v2, name), property(legacy, name)
		if a == nil {
			t.Errorf("definition.yaml: no %s schema", name)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s schema: -definition.yaml, +legacy/definition.yaml:\n%s", name, diff)
		}
	}
}

// TestModelEnumIsCatalog checks that the XRDs admit exactly the catalog's
// models, in its order.
func TestModelEnumIsCatalog(t *testing.T) {
	for _, path := range []string{"definition.yaml", "legacy/definition.yaml"} {
		model, _ := property(read(t, path), "spec")["properties"].(map[string]any)["model"].(map[string]any)
		enum := model["enum"].([]any)
		got := make([]string, 0, len(enum))
		for _, v := range enum {
			got = append(got, v.(string))
		}
		if diff := cmp.Diff(catalog.Names(), got); diff != "" {
			t.Errorf("%s: spec.model enum: -catalog.Names(), +enum:\n%s", path, diff)
		}
	}
}
