package templatefn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// function-go-templating's annotations and meta API.
const (
	AnnotationName  = "gotemplating.fn.crossplane.io/composition-resource-name"
	AnnotationReady = "gotemplating.fn.crossplane.io/ready"
	metaAPIVersion  = "meta.gotemplating.fn.crossplane.io/v1alpha1"
)

// input is function-go-templating's GoTemplate, inline source only.
type input struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Inline struct {
		Template string `json:"template"`
	} `json:"inline"`
}

// runTemplate executes the input's template on the request, as
// function-go-templating does, and adds what it renders to rsp.
func runTemplate(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) error {
	var in input
	if err := fromStruct(req.GetInput(), &in); err != nil {
		return fmt.Errorf("invalid function input: %w", err)
	}
	if in.Kind != "GoTemplate" || in.Source != "Inline" {
		return fmt.Errorf("invalid function input: only an Inline GoTemplate is supported, not kind %q source %q", in.Kind, in.Source)
	}
	tpl, err := template.New("manifests").Funcs(funcs()).Parse(in.Inline.Template)
	if err != nil {
		return fmt.Errorf("invalid function input: cannot parse the provided templates: %w", err)
	}
	var data map[string]any
	if err := fromStruct(req, &data); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tpl.Execute(&out, data); err != nil {
		return fmt.Errorf("cannot execute template: %w", err)
	}
	objs, err := decodeAll(out.Bytes())
	if err != nil {
		return err
	}
	for _, u := range objs {
		if err := add(req, rsp, u); err != nil {
			return err
		}
	}
	return nil
}

// add puts one rendered object where function-go-templating puts it.
func add(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, u *unstructured.Unstructured) error {
	ready := fnv1.Ready_READY_UNSPECIFIED
	annotations := u.GetAnnotations()
	if v, ok := annotations[AnnotationReady]; ok {
		r, known := map[string]fnv1.Ready{statusTrue: fnv1.Ready_READY_TRUE, "False": fnv1.Ready_READY_FALSE, "Unspecified": fnv1.Ready_READY_UNSPECIFIED}[v]
		if !known {
			return fmt.Errorf("invalid %q annotation value %q: must be True, False, or Unspecified", AnnotationReady, v)
		}
		ready = r
		delete(annotations, AnnotationReady)
	}
	name, named := annotations[AnnotationName]
	delete(annotations, AnnotationName)
	u.SetAnnotations(annotations)
	if len(annotations) == 0 {
		unstructured.RemoveNestedField(u.Object, "metadata", "annotations")
	}

	xr := req.GetObserved().GetComposite().GetResource().GetFields()
	switch {
	case !named && u.GetAPIVersion() == xr["apiVersion"].GetStringValue() && u.GetKind() == xr["kind"].GetStringValue():
		return setCompositeStatus(rsp, u, ready)
	case u.GetAPIVersion() == metaAPIVersion && u.GetKind() == "Context":
		data, _, _ := unstructured.NestedMap(u.Object, "data")
		s, err := structpb.NewStruct(data)
		if err != nil {
			return err
		}
		fields := map[string]*structpb.Value{}
		maps.Copy(fields, rsp.GetContext().GetFields())
		maps.Copy(fields, s.GetFields())
		rsp.Context = &structpb.Struct{Fields: fields}
		return nil
	case !named:
		return fmt.Errorf("%q template is missing required %q annotation", u.GetKind(), AnnotationName)
	}
	s, err := structpb.NewStruct(u.Object)
	if err != nil {
		return err
	}
	if rsp.Desired.Resources == nil {
		rsp.Desired.Resources = map[string]*fnv1.Resource{}
	}
	rsp.Desired.Resources[name] = &fnv1.Resource{Resource: s, Ready: ready}
	return nil
}

// setCompositeStatus merges the rendered XR's status into the desired XR's
// and sets its readiness if the template did.
func setCompositeStatus(rsp *fnv1.RunFunctionResponse, u *unstructured.Unstructured, ready fnv1.Ready) error {
	if rsp.GetDesired().GetComposite() == nil {
		rsp.Desired.Composite = &fnv1.Resource{Resource: &structpb.Struct{Fields: map[string]*structpb.Value{}}}
	}
	xr := rsp.GetDesired().GetComposite().GetResource().AsMap()
	status, _, _ := unstructured.NestedMap(xr, "status")
	if status == nil {
		status = map[string]any{}
	}
	rendered, _, _ := unstructured.NestedMap(u.Object, "status")
	maps.Copy(status, rendered)
	xr["status"] = status
	s, err := structpb.NewStruct(xr)
	if err != nil {
		return err
	}
	rsp.Desired.Composite.Resource = s
	if ready != fnv1.Ready_READY_UNSPECIFIED {
		rsp.Desired.Composite.Ready = ready
	}
	return nil
}

// funcs are sprig's (without env and expandenv, as go-templating) and the
// go-templating functions the examples use.
func funcs() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["getResourceCondition"] = getResourceCondition
	f["setResourceNameAnnotation"] = func(name string) string { return AnnotationName + ": " + name }
	f["toYaml"] = func(v any) (string, error) {
		b, err := sigsyaml.Marshal(v)
		return string(b), err
	}
	return f
}

// Condition is what getResourceCondition returns, with go-templating's
// field names.
type Condition struct {
	Type, Status, Reason, Message string
}

// getResourceCondition finds a condition in an observed resource entry
// ({"resource": {...}}) or an object, Unknown when it has none.
func getResourceCondition(t string, res map[string]any) Condition {
	obj := res
	if r, ok := res["resource"].(map[string]any); ok {
		obj = r
	}
	conds, _, _ := unstructured.NestedSlice(obj, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == t {
			s := func(k string) string { v, _ := m[k].(string); return v }
			return Condition{Type: t, Status: s("status"), Reason: s("reason"), Message: s("message")}
		}
	}
	return Condition{Type: t, Status: "Unknown"}
}

// decodeAll reads the rendered YAML documents, skipping empty ones.
func decodeAll(b []byte) ([]*unstructured.Unstructured, error) {
	d := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out []*unstructured.Unstructured
	for {
		var obj map[string]any
		err := d.Decode(&obj)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("cannot decode the rendered manifests: %w\n%s", err, strings.TrimSpace(string(b)))
		}
		if len(obj) > 0 {
			out = append(out, &unstructured.Unstructured{Object: obj})
		}
	}
}

// fromStruct decodes a protobuf message through its JSON form, as
// go-templating gives templates the request.
func fromStruct(m proto.Message, into any) error {
	b, err := protojson.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}
