package v1alpha1

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// schemaDefaults walks an OpenAPI schema and returns the default of every
// property that has one, by dotted path.
func schemaDefaults(s map[string]any, path string, out map[string]any) {
	if d, ok := s["default"]; ok {
		out[path] = d
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		child := name
		if path != "" {
			child = path + "." + name
		}
		schemaDefaults(p.(map[string]any), child, out)
	}
}

// leaves returns every scalar of a JSON object, by dotted path.
func leaves(m map[string]any, path string, out map[string]any) {
	for k, v := range m {
		p := k
		if path != "" {
			p = path + "." + k
		}
		if child, ok := v.(map[string]any); ok {
			leaves(child, p, out)
			continue
		}
		out[p] = v
	}
}

// specSchema reads spec's schema from the generated XRD.
func specSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "definition.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var xrd struct {
		Spec struct {
			Versions []struct {
				Name   string `json:"name"`
				Schema struct {
					OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &xrd); err != nil {
		t.Fatal(err)
	}
	for _, v := range xrd.Spec.Versions {
		if v.Name == Version {
			return v.Schema.OpenAPIV3Schema["properties"].(map[string]any)["spec"].(map[string]any)
		}
	}
	t.Fatalf("../definition.yaml: no version %s", Version)
	return nil
}

// TestDefaultMatchesXRD checks that Default applies exactly the defaults the
// XRD's schema states: the same values, and no default the schema lacks.
func TestDefaultMatchesXRD(t *testing.T) {
	want := map[string]any{}
	schemaDefaults(specSchema(t), "", want)
	if len(want) < 10 {
		t.Fatalf("../definition.yaml: found only %d defaults in spec's schema: %v", len(want), want)
	}

	s := AgentDeploymentSpec{}
	s.Default()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	leaves(m, "", got)
	// omitempty drops false: a boolean the schema defaults must be false.
	for path, d := range want {
		if _, ok := got[path]; !ok && d == false {
			got[path] = false
		}
	}
	// Default's empty strings and objects only spare its readers a nil.
	for path, v := range got {
		if v == "" {
			delete(got, path)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AgentDeploymentSpec.Default() against the XRD's defaults: -XRD, +Default():\n%s", diff)
	}
}

// TestDefaultKeepsSetValues checks that Default never overwrites a value.
func TestDefaultKeepsSetValues(t *testing.T) {
	set := AgentDeploymentSpec{}
	set.Default()
	// Change every defaulted field to a value no default has.
	v := reflect.ValueOf(&set).Elem()
	var change func(v reflect.Value)
	change = func(v reflect.Value) {
		switch k := v.Kind(); {
		case k == reflect.Pointer && !v.IsNil():
			change(v.Elem())
		case k == reflect.Struct:
			for _, f := range v.Fields() {
				change(f)
			}
		case k == reflect.Int32:
			v.SetInt(v.Int() + 3)
		case k == reflect.Float64:
			v.SetFloat(v.Float() + 0.25)
		case k == reflect.String:
			v.SetString(strings.ToUpper(v.String()) + "x")
		case k == reflect.Bool:
			v.SetBool(!v.Bool())
		}
	}
	change(v)
	want, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	set.Default()
	got, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Default() changed values that were set: -want, +got:\n%s", diff)
	}
}
