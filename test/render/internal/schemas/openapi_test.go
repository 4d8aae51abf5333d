package schemas

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A small OpenAPI v3 document in the form Kubernetes publishes.
const spec = `{"components": {"schemas": {
  "io.k8s.api.demo.v1.Widget": {
    "description": "A Widget.", "type": "object", "required": ["spec"],
    "x-kubernetes-group-version-kind": [{"group": "demo.example.com", "kind": "Widget", "version": "v1"}],
    "properties": {
      "spec": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.demo.v1.WidgetSpec"}], "default": {}, "description": "Its spec."}
    }
  },
  "io.k8s.api.demo.v1.WidgetSpec": {
    "type": "object",
    "properties": {
      "port": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
      "cpu": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"},
      "tags": {"type": "array", "items": {"type": "string", "default": ""}, "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge"},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}}
    }
  },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]},
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {"oneOf": [{"type": "string"}, {"type": "number"}]},
  "io.k8s.api.demo.v1.Loop": {"x-kubernetes-group-version-kind": [{"group": "demo.example.com", "kind": "Loop", "version": "v1"}],
    "type": "object", "properties": {"next": {"$ref": "#/components/schemas/io.k8s.api.demo.v1.Loop"}}},
  "io.k8s.api.demo.v1.Odd": {"x-kubernetes-group-version-kind": [{"group": "demo.example.com", "kind": "Odd", "version": "v1"}],
    "type": "object", "not": {"type": "string"}}
}}}`

func TestCRD(t *testing.T) {
	dir := t.TempDir()
	g := GVK{Group: "demo.example.com", Version: "v1"}
	if err := os.WriteFile(filepath.Join(dir, SpecFile(g)), []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	intOrString := []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}
	cases := map[string]struct {
		reason  string
		kind    string
		want    map[string]any
		wantErr bool
	}{
		"Resolved": {
			reason: "References are inlined; prose, defaults and patch hints dropped; the unions become their CRD form.",
			kind:   "Widget",
			want: map[string]any{
				"type": "object", "required": []any{"spec"},
				"properties": map[string]any{"spec": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"port":   map[string]any{"anyOf": intOrString, "x-kubernetes-int-or-string": true},
						"cpu":    map[string]any{"anyOf": intOrString, "x-kubernetes-int-or-string": true, "pattern": quantityPattern},
						"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "x-kubernetes-list-type": "set"},
						"labels": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
					},
				}},
			},
		},
		"Recursive": {
			reason:  "A CRD schema cannot express a recursive type.",
			kind:    "Loop",
			wantErr: true,
		},
		"UnknownKeyword": {
			reason:  "A keyword the converter does not know is an error, not silently lost.",
			kind:    "Odd",
			wantErr: true,
		},
		"NoSuchKind": {
			reason:  "A kind the document does not declare is an error.",
			kind:    "Gadget",
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			k := GVK{Group: g.Group, Version: g.Version, Kind: tc.kind}
			crd, err := CRD(dir, k)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nCRD(%s): error %v, want error %t", tc.reason, k, err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			var got map[string]any
			b, _ := json.Marshal(crd["spec"].(map[string]any)["versions"].([]any)[0].(map[string]any)["schema"].(map[string]any)["openAPIV3Schema"])
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nCRD(%s): -want, +got:\n%s", tc.reason, k, diff)
			}
		})
	}
}
