package agent_test

import (
	"encoding/json"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/validate"
)

// FuzzFromComposite decodes and validates arbitrary XRs, as Crossplane
// would send them (JSON numbers are float64), and composes those that pass.
// Nothing may panic; a refusal names a field; an accepted spec has every
// default applied. The seeds run in every `go test`; `make fuzz` runs it for
// minutes.
func FuzzFromComposite(f *testing.F) {
	for _, seed := range []string{
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"minimal-agent","namespace":"agents"},"spec":{"model":"gpt-4o","secrets":{"apiKeySecret":"openai-api-key"}}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"p","namespace":"agents"},"spec":{"model":"claude-3-opus","replicas":3,"resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"2","memory":"4Gi"}},"config":{"maxTokens":4096,"temperature":0.7,"systemPrompt":"hi"},"secrets":{"apiKeySecret":"k","apiKeyKey":"api-key"},"autoscaling":{"enabled":true,"minReplicas":3,"maxReplicas":10,"targetCPUUtilization":70,"targetMemoryUtilization":80,"requestsPerSecond":10}}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"v","namespace":"agents"},"spec":{"model":"gemini-2.5-pro","secrets":{"vault":{"enabled":true,"role":"agents","secretPath":"secret/data/x"}}}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"XAgentDeployment","metadata":{"name":"x","labels":{"crossplane.io/claim-name":"c","crossplane.io/claim-namespace":"team-a"}},"spec":{"model":"llama-2-70b"}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"q","namespace":"a"},"spec":{"model":"gpt-4","replicas":1e12,"resources":{"requests":{"cpu":"-1","memory":true},"limits":{"cpu":"2Gx"}},"config":{"maxTokens":-5,"temperature":"hot"}}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"Q_Q","namespace":"a"},"spec":{"model":"gpt-4o","image":"","secrets":{"apiKeySecret":"","vault":{"enabled":true}},"autoscaling":{"enabled":true,"minReplicas":5,"maxReplicas":2}}}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"namespace":"a"},"spec":"gpt-4o"}`,
		`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"h","namespace":"a"},"spec":{"model":"gpt-4o","secrets":{"apiKeySecret":"k"},"resources":{"limits":{"cpu":"1e10000000","memory":"1e-99999"}}}}`,
		`{"kind":"Other","spec":{"resources":{"requests":[1]}}}`,
	} {
		f.Add([]byte(seed))
	}
	s, errs := settings.Resolve(nil)
	if len(errs) > 0 {
		f.Fatalf("settings.Resolve(nil): %v", errs)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj := map[string]any{}
		if json.Unmarshal(data, &obj) != nil {
			return
		}
		xr := &unstructured.Unstructured{}
		xr.Object = obj
		a, errs := agent.FromComposite(xr)
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Field == "" || e.Error() == "" {
					t.Fatalf("FromComposite(...): an error without a field: %v", e)
				}
			}
			return
		}
		sp := a.Spec
		if sp.Replicas == nil || sp.Config == nil || sp.Config.MaxTokens == nil || sp.Config.Temperature == nil || sp.Config.SystemPrompt == nil ||
			sp.Secrets == nil || sp.Secrets.APIKeyKey == nil || sp.Secrets.Vault == nil || sp.Resources == nil || sp.Resources.Requests == nil || sp.Resources.Limits == nil ||
			sp.Autoscaling == nil || sp.Autoscaling.MinReplicas == nil || sp.Autoscaling.MaxReplicas == nil ||
			sp.Autoscaling.TargetCPUUtilization == nil || sp.Autoscaling.TargetMemoryUtilization == nil || sp.Autoscaling.RequestsPerSecond == nil {
			t.Fatalf("FromComposite(...): a default is missing: %+v", sp)
		}
		if errs := validate.Spec(&a.Spec, s); len(errs) > 0 {
			return
		}
		if objs := compose.All(compose.NewWorkload(a, s)); len(objs) < 4 {
			t.Fatalf("compose.All(...): only %d objects", len(objs))
		}
	})
}
