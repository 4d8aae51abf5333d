package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/apis/v1alpha1"
)

// xr reads a composite resource from YAML.
func xr(t *testing.T, y string) *unstructured.Unstructured {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(y), &m); err != nil {
		t.Fatalf("yaml.Unmarshal(%q): %v", y, err)
	}
	return &unstructured.Unstructured{Object: m}
}

// example reads one of the repository's examples as an observed XR would
// arrive: with its Crossplane fields.
func example(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	x := xr(t, string(b))
	x.Object["spec"].(map[string]any)["crossplane"] = map[string]any{"compositionRef": map[string]any{"name": "agentdeployments.agentops.io"}}
	return x
}

// defaulted is a spec with every default applied over the given one.
func defaulted(s v1alpha1.AgentDeploymentSpec) v1alpha1.AgentDeploymentSpec {
	s.Default()
	return s
}

func q(s string) *resource.Quantity { return new(resource.MustParse(s)) }

// quantityEqual compares quantities by value: a parsed quantity caches its
// string form, a decoded one need not.
var quantityEqual = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

func TestFromComposite(t *testing.T) {
	type want struct {
		agent *Agent
		// errs are the field errors' messages, each of which must name its
		// field.
		errs []string
	}
	cases := map[string]struct {
		reason string
		xr     *unstructured.Unstructured
		want   want
	}{
		"ProductionExample": {
			reason: "The production example decodes completely, its Crossplane fields ignored.",
			xr:     example(t, "production-claude-agent.yaml"),
			want: want{agent: &Agent{
				Name: "production-claude-agent", Namespace: "agents",
				Spec: defaulted(v1alpha1.AgentDeploymentSpec{
					Model:    v1alpha1.ModelClaude3Opus,
					Replicas: ptr.To[int32](3),
					Resources: &v1alpha1.Resources{
						Requests: &v1alpha1.ResourceAmounts{CPU: q("500m"), Memory: q("1Gi")},
						Limits:   &v1alpha1.ResourceAmounts{CPU: q("2"), Memory: q("4Gi")},
					},
					Config: &v1alpha1.AgentConfig{
						MaxTokens: ptr.To[int32](4096), Temperature: new(0.7),
						SystemPrompt: new("You are a helpful customer-support agent for Example Corp.\nAnswer from the knowledge base; escalate billing disputes to a human.\n"),
					},
					Secrets: &v1alpha1.Secrets{APIKeySecret: new("anthropic-api-key"), APIKeyKey: new("api-key")},
					Autoscaling: &v1alpha1.Autoscaling{
						Enabled: true, MinReplicas: ptr.To[int32](3), MaxReplicas: ptr.To[int32](10),
						TargetCPUUtilization: ptr.To[int32](70), TargetMemoryUtilization: ptr.To[int32](80), RequestsPerSecond: ptr.To[int32](10),
					},
				}),
			}},
		},
		"MinimalExampleDefaulted": {
			reason: "Every field the minimal example leaves out takes the API's default.",
			xr:     example(t, "minimal.yaml"),
			want: want{agent: &Agent{
				Name: "minimal-agent", Namespace: "agents",
				Spec: v1alpha1.AgentDeploymentSpec{
					Model:     v1alpha1.ModelGpt4o,
					Replicas:  ptr.To[int32](1),
					Resources: &v1alpha1.Resources{Requests: &v1alpha1.ResourceAmounts{}, Limits: &v1alpha1.ResourceAmounts{}},
					Config:    &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](4096), Temperature: new(0.7), SystemPrompt: new("")},
					Secrets:   &v1alpha1.Secrets{APIKeySecret: new("openai-api-key"), APIKeyKey: new("api-key"), Vault: &v1alpha1.Vault{}},
					Autoscaling: &v1alpha1.Autoscaling{
						MinReplicas: ptr.To[int32](1), MaxReplicas: ptr.To[int32](10),
						TargetCPUUtilization: ptr.To[int32](70), TargetMemoryUtilization: ptr.To[int32](80), RequestsPerSecond: ptr.To[int32](0),
					},
				},
			}},
		},
		"Generation": {
			reason: "The XR's generation is kept for status.observedGeneration.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns, generation: 7}
spec: {model: gpt-4o}`),
			want: want{agent: &Agent{Name: "a", Namespace: "ns", Generation: 7, Spec: defaulted(v1alpha1.AgentDeploymentSpec{Model: v1alpha1.ModelGpt4o})}},
		},
		"IntegerGeneration": {
			reason: "A generation set as an int64, as the Kubernetes libraries do, is read too.",
			xr: func() *unstructured.Unstructured {
				x := xr(t, "{apiVersion: agentops.io/v1alpha1, kind: AgentDeployment, metadata: {name: a, namespace: ns}, spec: {model: gpt-4o}}")
				x.SetGeneration(3)
				return x
			}(),
			want: want{agent: &Agent{Name: "a", Namespace: "ns", Generation: 3, Spec: defaulted(v1alpha1.AgentDeploymentSpec{Model: v1alpha1.ModelGpt4o})}},
		},
		"NumericQuantities": {
			reason: "Quantities may be JSON numbers, as YAML's 2 and 0.5 are.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec:
  model: gpt-4o
  resources: {requests: {cpu: 0.5}, limits: {cpu: 2}}`),
			want: want{agent: &Agent{Name: "a", Namespace: "ns", Spec: defaulted(v1alpha1.AgentDeploymentSpec{
				Model:     v1alpha1.ModelGpt4o,
				Resources: &v1alpha1.Resources{Requests: &v1alpha1.ResourceAmounts{CPU: q("500m")}, Limits: &v1alpha1.ResourceAmounts{CPU: q("2")}},
			})}},
		},
		"LegacyClaim": {
			reason: "A legacy XR composes into its claim's namespace, named after the claim.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: XAgentDeployment
metadata:
  name: legacy-claude-agent-x7k2p
  labels: {crossplane.io/claim-name: legacy-claude-agent, crossplane.io/claim-namespace: team-a}
spec: {model: claude-3-sonnet, replicas: 2, secrets: {apiKeySecret: anthropic-api-key}, claimRef: {name: legacy-claude-agent, namespace: team-a}}`),
			want: want{agent: &Agent{Name: "legacy-claude-agent", Namespace: "team-a", Legacy: true, Spec: defaulted(v1alpha1.AgentDeploymentSpec{
				Model: v1alpha1.ModelClaude3Sonnet, Replicas: ptr.To[int32](2), Secrets: &v1alpha1.Secrets{APIKeySecret: new("anthropic-api-key")},
			})}},
		},
		"LegacyWithoutClaim": {
			reason: "A legacy XR made without a claim has no namespace to compose into: use a claim.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: XAgentDeployment
metadata: {name: direct}
spec: {model: gpt-4o}`),
			want: want{errs: []string{`metadata.labels[crossplane.io/claim-namespace]: Required value: XAgentDeployment "direct" has no claim: the legacy XRD composes into the namespace of an AgentDeployment claim; create an AgentDeployment claim (kind AgentDeployment) in a namespace instead of an XAgentDeployment`}},
		},
		"LegacyWithClaimNameOnly": {
			reason: "Both claim labels are needed.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: XAgentDeployment
metadata: {name: direct, labels: {crossplane.io/claim-name: a}}
spec: {model: gpt-4o}`),
			want: want{errs: []string{`metadata.labels[crossplane.io/claim-namespace]: Required value: XAgentDeployment "direct" has no claim: the legacy XRD composes into the namespace of an AgentDeployment claim; create an AgentDeployment claim (kind AgentDeployment) in a namespace instead of an XAgentDeployment`}},
		},
		"NamespacedWithoutNamespace": {
			reason: "A v2 AgentDeployment is namespaced.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a}
spec: {model: gpt-4o}`),
			want: want{errs: []string{"metadata.namespace: Required value: an AgentDeployment composite resource is namespaced (apiextensions.crossplane.io/v2 XRD); for cluster-scoped composites use the legacy XAgentDeployment XRD with an AgentDeployment claim"}},
		},
		"WrongGroup": {
			reason: "Only the agentops.io API is composed.",
			xr: xr(t, `
apiVersion: example.org/v1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o}`),
			want: want{errs: []string{`apiVersion: Unsupported value: "example.org/v1": supported values: "agentops.io/v1alpha1"`}},
		},
		"WrongKind": {
			reason: "Only the two AgentDeployment kinds are composed.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: Agent
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o}`),
			want: want{errs: []string{`kind: Unsupported value: "Agent": supported values: "AgentDeployment", "XAgentDeployment"`}},
		},
		"NoSpec": {
			reason: "An XR without a spec says what it needs.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}`),
			want: want{errs: []string{"spec: Required value: an AgentDeployment needs a spec with at least spec.model"}},
		},
		"ReplicasString": {
			reason: "A value of the wrong type names its field, its value and the type wanted.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, replicas: three}`),
			want: want{errs: []string{`spec.replicas: Invalid value: "three": must be of type integer`}},
		},
		"ReplicasFraction": {
			reason: "A fraction is not an integer.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, replicas: 1.5}`),
			want: want{errs: []string{`spec.replicas: Invalid value: 1.5: must be of type integer`}},
		},
		"NestedWrongType": {
			reason: "A nested field's error names its full path.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, config: {maxTokens: lots}}`),
			want: want{errs: []string{`spec.config.maxTokens: Invalid value: "lots": must be of type integer`}},
		},
		"NumberWrongType": {
			reason: "A string where a number belongs names its field.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, config: {temperature: hot}}`),
			want: want{errs: []string{`spec.config.temperature: Invalid value: "hot": must be of type number`}},
		},
		"ResourcesWrongType": {
			reason: "Requests that are not an object are named, not taken for quantities.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, resources: {requests: lots}}`),
			want: want{errs: []string{`spec.resources.requests: Invalid value: "lots": must be of type object`}},
		},
		"SpecWrongType": {
			reason: "A spec that is not an object is refused.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: gpt-4o`),
			want: want{errs: []string{"spec: Required value: an AgentDeployment needs a spec with at least spec.model"}},
		},
		"BooleanWrongType": {
			reason: "A string where a boolean belongs names its field.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, autoscaling: {enabled: "yes"}}`),
			want: want{errs: []string{`spec.autoscaling.enabled: Invalid value: "yes": must be of type boolean`}},
		},
		"ObjectWrongType": {
			reason: "A string where an object belongs names its field.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec: {model: gpt-4o, secrets: openai-api-key}`),
			want: want{errs: []string{`spec.secrets: Invalid value: "openai-api-key": must be of type object`}},
		},
		"BadQuantities": {
			reason: "Each malformed or negative quantity is named, all at once.",
			xr: xr(t, `
apiVersion: agentops.io/v1alpha1
kind: AgentDeployment
metadata: {name: a, namespace: ns}
spec:
  model: gpt-4o
  resources:
    requests: {cpu: 2Gx, memory: "-1"}
    limits: {cpu: -1, memory: true}`),
			want: want{errs: []string{
				`spec.resources.requests.cpu: Invalid value: "2Gx": must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi`,
				`spec.resources.requests.memory: Invalid value: "-1": must not be negative`,
				`spec.resources.limits.cpu: Invalid value: -1: must not be negative`,
				`spec.resources.limits.memory: Invalid value: true: must be a Kubernetes quantity (a string such as 500m or 1Gi, or a number)`,
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, errs := FromComposite(tc.xr)
			if diff := cmp.Diff(tc.want.agent, got, quantityEqual, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nFromComposite(...): -want agent, +got agent:\n%s", tc.reason, diff)
			}
			msgs := make([]string, 0, len(errs))
			for _, e := range errs {
				msgs = append(msgs, e.Error())
				if !strings.HasPrefix(e.Error(), e.Field+":") {
					t.Errorf("%s\nFromComposite(...): error %q does not start with its field %q", tc.reason, e.Error(), e.Field)
				}
			}
			if diff := cmp.Diff(tc.want.errs, msgs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nFromComposite(...): -want errors, +got errors:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestFromCompositeExamples decodes every example without an error.
func TestFromCompositeExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		x := xr(t, string(b))
		if x.GetKind() != v1alpha1.Kind {
			continue
		}
		n++
		a, errs := FromComposite(x)
		if len(errs) > 0 {
			t.Errorf("FromComposite(%s): %v", f, errs)
			continue
		}
		if a.Name != x.GetName() || a.Namespace != x.GetNamespace() || string(a.Spec.Model) == "" {
			t.Errorf("FromComposite(%s): got name %q, namespace %q, model %q", f, a.Name, a.Namespace, a.Spec.Model)
		}
	}
	if n < 5 {
		t.Errorf("found %d AgentDeployment examples in examples/, want at least 5", n)
	}
}
