package smoke

import (
	"os"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// inputGroup is the API group of the function's input.
const inputGroup = "agentops.fn.crossplane.io/"

// request is what Crossplane sends for a first reconcile of the XR in
// xrFile composed by compFile: the observed XR, nothing desired yet, and the
// input of the Composition's AgentOps step.
func request(t *testing.T, xrFile, compFile string) *fnv1.RunFunctionRequest {
	t.Helper()
	return &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{Tag: "smoke"},
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: yamlStruct(t, xrFile)}},
		Input:    compositionInput(t, compFile),
	}
}

func yamlStruct(t *testing.T, file string) *structpb.Struct {
	t.Helper()
	y, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	s := &structpb.Struct{}
	if err := s.UnmarshalJSON(j); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return s
}

// compositionInput is the input of the step whose input is ours, whatever
// the step and the function are called.
func compositionInput(t *testing.T, file string) *structpb.Struct {
	t.Helper()
	y, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &xpv1.Composition{}
	if err := yaml.Unmarshal(y, c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, s := range c.Spec.Pipeline {
		if s.Input == nil {
			continue
		}
		in := &structpb.Struct{}
		if err := in.UnmarshalJSON(s.Input.Raw); err != nil {
			t.Fatalf("%s step %s: %v", file, s.Step, err)
		}
		if strings.HasPrefix(in.GetFields()["apiVersion"].GetStringValue(), inputGroup) {
			return in
		}
	}
	t.Fatalf("%s: no pipeline step has an %s input", file, inputGroup)
	return nil
}
