// Package schemas makes the schemas rendered objects are validated against,
// in the CRD form `crossplane resource validate` reads: Kubernetes' own
// kinds from the OpenAPI v3 documents of the Kubernetes release the e2e
// tests run (module k8s.io/kubernetes, api/openapi-spec/v3), and the
// Prometheus Operator's kinds from the Go types of the module the function
// is built with.
package schemas

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// GVK names a kind.
type GVK struct{ Group, Version, Kind string }

func (g GVK) String() string {
	if g.Group == "" {
		return g.Version + "/" + g.Kind
	}
	return g.Group + "/" + g.Version + "/" + g.Kind
}

// SpecFile is the OpenAPI v3 document of g's group and version, as
// `kubectl get --raw /openapi/v3/...` names it.
func SpecFile(g GVK) string {
	if g.Group == "" {
		return "api__" + g.Version + "_openapi.json"
	}
	return "apis__" + g.Group + "__" + g.Version + "_openapi.json"
}

// Keywords the converter writes itself.
const (
	keyType        = "type"
	keyIntOrString = "x-kubernetes-int-or-string"
)

// quantityPattern is the grammar of resource.Quantity's serialised form.
const quantityPattern = `^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`

// Keywords copied as they are. Every other keyword is either dropped on
// purpose (below) or an error, so that nothing is lost silently.
var kept = map[string]bool{
	keyType: true, "format": true, "required": true, "enum": true, "nullable": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"minLength": true, "maxLength": true, "pattern": true, "minItems": true, "maxItems": true,
	"uniqueItems": true, "minProperties": true, "maxProperties": true,
	"x-kubernetes-list-type": true, "x-kubernetes-list-map-keys": true, "x-kubernetes-map-type": true,
	"x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-embedded-resource": true,
	keyIntOrString: true,
}

// Keywords dropped: prose, strategic-merge-patch hints, and defaults. The
// API server validates built-in kinds in Go, not with these schemas, and
// does not apply their defaults before it does; applying them here would
// add empty objects the server never sees.
var dropped = map[string]bool{
	"description": true, "default": true, "example": true,
	"x-kubernetes-patch-strategy": true, "x-kubernetes-patch-merge-key": true,
	"x-kubernetes-group-version-kind": true, "x-kubernetes-unions": true,
}

type converter struct {
	schemas map[string]map[string]any
	// path of the references being resolved, to refuse recursive types,
	// which a CRD schema cannot express.
	path []string
}

// CRD returns a CustomResourceDefinition whose schema is g's OpenAPI v3
// schema in dir, with every reference resolved.
func CRD(dir string, g GVK) (map[string]any, error) {
	b, err := os.ReadFile(filepath.Join(dir, SpecFile(g))) //nolint:gosec // Module cache.
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", SpecFile(g), err)
	}
	c := &converter{schemas: doc.Components.Schemas}
	name, err := c.find(g)
	if err != nil {
		return nil, err
	}
	s, err := c.ref(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", g, err)
	}
	plural := strings.ToLower(g.Kind) + "s"
	crdName := plural
	if g.Group != "" {
		crdName += "." + g.Group
	}
	return map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1",
		"kind":       "CustomResourceDefinition",
		"metadata":   map[string]any{"name": crdName},
		"spec": map[string]any{
			"group": g.Group,
			"names": map[string]any{"kind": g.Kind, "plural": plural, "singular": strings.ToLower(g.Kind)},
			"scope": "Namespaced",
			"versions": []any{map[string]any{
				"name": g.Version, "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": s},
			}},
		},
	}, nil
}

// find returns the name of the schema that declares g.
func (c *converter) find(g GVK) (string, error) {
	var found []string
	for name, s := range c.schemas {
		gvks, _ := s["x-kubernetes-group-version-kind"].([]any)
		for _, v := range gvks {
			m, _ := v.(map[string]any)
			if m["group"] == g.Group && m["version"] == g.Version && m["kind"] == g.Kind {
				found = append(found, name)
			}
		}
	}
	sort.Strings(found)
	if len(found) != 1 {
		return "", fmt.Errorf("%s: want one schema declaring it in %s, found %v", g, SpecFile(g), found)
	}
	return found[0], nil
}

func (c *converter) ref(name string) (map[string]any, error) {
	if slices.Contains(c.path, name) {
		return nil, fmt.Errorf("recursive type %s (via %s)", name, strings.Join(c.path, " > "))
	}
	s, ok := c.schemas[name]
	if !ok {
		return nil, fmt.Errorf("no schema %s", name)
	}
	c.path = append(c.path, name)
	defer func() { c.path = c.path[:len(c.path)-1] }()
	return c.schema(s)
}

// schema converts one schema object.
func (c *converter) schema(in map[string]any) (map[string]any, error) {
	if ref, ok := in["$ref"].(string); ok {
		return c.ref(strings.TrimPrefix(ref, "#/components/schemas/"))
	}
	if all, ok := in["allOf"].([]any); ok {
		// The generator wraps a reference in allOf to attach a description
		// and a default beside it; both are dropped.
		only, ok := all[0].(map[string]any)
		if len(all) != 1 || !ok {
			return nil, fmt.Errorf("allOf of %d schemas is not supported", len(all))
		}
		return c.schema(only)
	}
	if _, ok := in["oneOf"]; ok {
		return oneOf(in)
	}
	out := map[string]any{}
	for k, v := range in {
		var err error
		switch {
		case kept[k]:
			out[k] = v
		case dropped[k]:
		case k == "properties":
			out[k], err = c.properties(v)
		case k == "items":
			out[k], err = c.sub(v)
		case k == "additionalProperties":
			if b, ok := v.(bool); ok {
				out[k] = b
				continue
			}
			out[k], err = c.sub(v)
		default:
			err = fmt.Errorf("keyword %q is not supported", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *converter) sub(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a schema object, got %T", v)
	}
	return c.schema(m)
}

func (c *converter) properties(v any) (map[string]any, error) {
	props, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want properties as an object, got %T", v)
	}
	out := make(map[string]any, len(props))
	for name, p := range props {
		s, err := c.sub(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
}

// oneOf converts the two unions of the Kubernetes API to their CRD form:
// IntOrString, and Quantity (a string, or a number in JSON).
func oneOf(in map[string]any) (map[string]any, error) {
	types := map[string]bool{}
	for _, alt := range in["oneOf"].([]any) { //nolint:forcetypeassert // Checked by the caller.
		m, _ := alt.(map[string]any)
		t, _ := m[keyType].(string)
		types[t] = true
	}
	anyOf := []any{map[string]any{keyType: "integer"}, map[string]any{keyType: "string"}}
	switch {
	case in["format"] == "int-or-string" && len(types) == 2 && types["integer"] && types["string"]:
		return map[string]any{"anyOf": anyOf, keyIntOrString: true}, nil
	case len(types) == 2 && types["string"] && types["number"]:
		return map[string]any{"anyOf": anyOf, keyIntOrString: true, "pattern": quantityPattern}, nil
	}
	return nil, fmt.Errorf("oneOf %v is not supported", in["oneOf"])
}
