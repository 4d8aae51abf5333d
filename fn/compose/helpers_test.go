package compose

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/validate"
	"github.com/agentops-io/agentops/input/v1beta1"
)

var quantityEqual = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

// workload makes the workload of the AgentDeployment in y, under the
// platform input in (nil for none), failing the test if either is invalid.
func workload(t *testing.T, y string, in *v1beta1.Input) *Workload {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(y), &m); err != nil {
		t.Fatalf("yaml.Unmarshal(...): %v", err)
	}
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		t.Fatalf("settings.Resolve(...): %v", errs)
	}
	a, errs := agent.FromComposite(&unstructured.Unstructured{Object: m})
	if len(errs) > 0 {
		t.Fatalf("agent.FromComposite(...): %v", errs)
	}
	if errs := validate.Spec(&a.Spec, s); len(errs) > 0 {
		t.Fatalf("validate.Spec(...): %v", errs)
	}
	return NewWorkload(a, s)
}

// example reads one of the repository's examples.
func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// agentYAML is an AgentDeployment named name in namespace agents with the
// given spec, in YAML flow style.
func agentYAML(name, spec string) string {
	return "{apiVersion: agentops.io/v1alpha1, kind: AgentDeployment, metadata: {name: " + name + ", namespace: agents}, spec: " + spec + "}"
}
