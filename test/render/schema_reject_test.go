//go:build render

package rendertest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
	"github.com/agentops-io/agentops/test/render/internal/schemas"
)

// TestSchemasReject proves the schemas of TestSchemas have teeth: each case
// breaks one field of an object of the production agent's steady golden
// render (the create render has no Deployment yet: it waits for its
// ServiceAccount and ConfigMap), and `crossplane resource validate` must
// report that field.
func TestSchemasReject(t *testing.T) {
	base := goldenByResource(t, "scenarios/steady")
	container := []any{"spec", "template", "spec", "containers", 0}
	cases := map[string]struct {
		reason   string
		resource string
		break_   func(o render.Object)
		field    string
	}{
		"DeploymentPortNotInteger": {
			reason:   "Kubernetes' OpenAPI schema: a containerPort is an integer",
			resource: "deployment",
			break_:   func(o render.Object) { set(o, "http", append(container, "ports", 0, "containerPort")...) },
			field:    "spec.template.spec.containers[0].ports[0].containerPort",
		},
		"DeploymentUnknownField": {
			reason:   "Kubernetes' OpenAPI schema: a container has no field cpuLimit",
			resource: "deployment",
			break_:   func(o render.Object) { set(o, "2", append(container, "cpuLimit")...) },
			field:    "spec.template.spec.containers[0].cpuLimit",
		},
		"DeploymentQuantityMalformed": {
			reason:   "Kubernetes' OpenAPI schema: a CPU limit is a quantity",
			resource: "deployment",
			break_:   func(o render.Object) { set(o, "two cores", append(container, "resources", "limits", "cpu")...) },
			field:    "spec.template.spec.containers[0].resources.limits.cpu",
		},
		"HPAWithoutMaxReplicas": {
			reason:   "Kubernetes' OpenAPI schema: an HPA requires maxReplicas",
			resource: "horizontalpodautoscaler",
			break_:   func(o render.Object) { del(o, "spec", "maxReplicas") },
			field:    "spec.maxReplicas",
		},
		"ConfigMapDataNotString": {
			reason:   "Kubernetes' OpenAPI schema: ConfigMap data are strings",
			resource: "configmap",
			break_:   func(o render.Object) { set(o, 4096, "data", "maxTokens") },
			field:    "data.maxTokens",
		},
		"ServiceMonitorSchemeUnknown": {
			reason:   "the Prometheus Operator CRD: an endpoint's scheme is http or https",
			resource: "servicemonitor",
			break_:   func(o render.Object) { set(o, "gopher", "spec", "endpoints", 0, "scheme") },
			field:    "spec.endpoints[0].scheme",
		},
		"XRReplicasOverMaximum": {
			reason:   "the XRD: spec.replicas is at most 100",
			resource: "",
			break_:   func(o render.Object) { set(o, 500, "spec", "replicas") },
			field:    "spec.replicas",
		},
	}
	dir := schemaDir(t)
	for _, name := range sortedNames(cases) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			o, ok := base[tc.resource]
			if !ok {
				t.Fatalf("no %q in the production example's render", tc.resource)
			}
			o = deepCopy(o)
			tc.break_(o)
			report := validate(t, []string{dir, filepath.Join(env.root, "apis/definition.yaml")}, []labelled{{from: name, obj: o}})
			r := report.Resources[0]
			if r.Status != schemas.StatusInvalid || !hasField(r.Errors, tc.field) {
				t.Errorf("%s\nValidate(%s): %s %v, want invalid with an error on %s", tc.reason, name, r.Status, r.Errors, tc.field)
			}
		})
	}
}

// goldenByResource returns the objects of a golden render by their name in
// the Composition; the XR is "".
func goldenByResource(t *testing.T, name string) map[string]render.Object {
	t.Helper()
	objs, err := render.ReadObjects(goldenPath(name, ".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]render.Object{"": objs[0]}
	for _, o := range objs[1:] {
		md, _ := o["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		if n, ok := ann[annotationResourceName].(string); ok {
			out[n] = o
		}
	}
	return out
}

func hasField(errs []schemas.FieldError, field string) bool {
	for _, e := range errs {
		if e.Field == field || strings.HasPrefix(e.Message, field+":") {
			return true
		}
	}
	return false
}

// set writes v at path (keys and list indexes) in o.
func set(o render.Object, v any, path ...any) {
	parent, last := walk(o, path)
	switch p := parent.(type) {
	case map[string]any:
		p[last.(string)] = v
	case []any:
		p[last.(int)] = v
	}
}

// del deletes the key at path in o.
func del(o render.Object, path ...any) {
	parent, last := walk(o, path)
	if p, ok := parent.(map[string]any); ok {
		delete(p, last.(string))
	}
}

func walk(o render.Object, path []any) (any, any) {
	var cur any = o
	for _, p := range path[:len(path)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p.(string)]
		case []any:
			cur = c[p.(int)]
		}
	}
	return cur, path[len(path)-1]
}

func deepCopy(v render.Object) render.Object {
	out := make(render.Object, len(v))
	for k, e := range v {
		out[k] = deepCopyValue(e)
	}
	return out
}

func deepCopyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopy(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopyValue(e)
		}
		return out
	}
	return v
}
