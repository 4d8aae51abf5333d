// Package composetest composes an agent's objects with the function's own
// code (fn/compose), for the runtime's tests that hold the runtime to what
// the function composes. Only tests import it: the runtime's binary never
// links the function.
package composetest

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/validate"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// Workload is the function's workload of the AgentDeployment in y under the
// default platform input; the test fails if it is invalid.
func Workload(tb testing.TB, y string) *compose.Workload {
	tb.Helper()
	return WorkloadWith(tb, y, nil)
}

// WorkloadWith is Workload under the platform input in.
func WorkloadWith(tb testing.TB, y string, in *v1beta1.Input) *compose.Workload {
	tb.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(y), &m); err != nil {
		tb.Fatalf("yaml.Unmarshal(...): %v", err)
	}
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		tb.Fatalf("settings.Resolve(...): %v", errs)
	}
	a, errs := agent.FromComposite(&unstructured.Unstructured{Object: m})
	if len(errs) > 0 {
		tb.Fatalf("agent.FromComposite(...): %v", errs)
	}
	if errs := validate.Spec(&a.Spec, s); len(errs) > 0 {
		tb.Fatalf("validate.Spec(...): %v", errs)
	}
	return compose.NewWorkload(a, s)
}

// Agent is an AgentDeployment named name in namespace agents with the given
// spec, in YAML flow style.
func Agent(name, spec string) string {
	return "{apiVersion: agentops.io/v1alpha1, kind: AgentDeployment, metadata: {name: " + name + ", namespace: agents}, spec: " + spec + "}"
}
