//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// set returns a mutation that sets the field at path (dot-separated, under
// spec) to v, creating the maps on the way.
func set(path string, v any) func(map[string]any) {
	return func(spec map[string]any) {
		keys := strings.Split(path, ".")
		m := spec
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = v
	}
}

func unset(key string) func(map[string]any) {
	return func(spec map[string]any) { delete(spec, key) }
}

func all(fs ...func(map[string]any)) func(map[string]any) {
	return func(spec map[string]any) {
		for _, f := range fs {
			f(spec)
		}
	}
}

// Scenario 5: bad input is refused and loses nothing.
func testInvalidInput(t *testing.T) {
	t.Parallel()
	ns := namespace(t, "invalid")
	t.Run("RefusedBySchema", func(t *testing.T) { testRefusedBySchema(t, ns) })
	t.Run("RefusedByFunction", func(t *testing.T) { testRefusedByFunction(t, ns) })
}

// The XRD's schema refuses these at kubectl apply, naming the field.
func testRefusedBySchema(t *testing.T, ns string) {
	ctx := context.Background()
	cases := map[string]struct {
		reason string
		mutate func(map[string]any)
		// name, when the metadata is what is wrong.
		name string
		// field the API server's error must name.
		field string
	}{
		"UnknownModel": {
			reason: "Only models of the catalog are accepted.",
			mutate: set("model", "gpt-7-ultra"), field: "spec.model",
		},
		"NoModel": {
			reason: "The model is required.",
			mutate: unset("model"), field: "spec.model",
		},
		"ReplicasNegative": {
			reason: "Replicas cannot be negative.",
			mutate: set("replicas", -1), field: "spec.replicas",
		},
		"ReplicasTooMany": {
			reason: "At most 100 replicas.",
			mutate: set("replicas", 101), field: "spec.replicas",
		},
		"ReplicasNotANumber": {
			reason: "Replicas is an integer.",
			mutate: set("replicas", "two"), field: "spec.replicas",
		},
		"ImageUpperCase": {
			reason: "An image reference's repository is lower case.",
			mutate: set("image", "Registry.Example.com/Agent:v1"), field: "spec.image",
		},
		"ImageEmpty": {
			reason: "An image, when set, is not empty.",
			mutate: set("image", ""), field: "spec.image",
		},
		"MaxTokensZero": {
			reason: "maxTokens is at least 1.",
			mutate: set("config.maxTokens", 0), field: "spec.config.maxTokens",
		},
		"MaxTokensTooMany": {
			reason: "maxTokens is at most 1000000.",
			mutate: set("config.maxTokens", 1000001), field: "spec.config.maxTokens",
		},
		"TemperatureTooHigh": {
			reason: "Temperature is at most 2.",
			mutate: set("config.temperature", 2.5), field: "spec.config.temperature",
		},
		"TemperatureNegative": {
			reason: "Temperature is at least 0.",
			mutate: set("config.temperature", -0.1), field: "spec.config.temperature",
		},
		"SystemPromptTooLong": {
			reason: "The system prompt fits a ConfigMap comfortably: 64 KiB at most.",
			mutate: set("config.systemPrompt", strings.Repeat("x", 65537)), field: "spec.config.systemPrompt",
		},
		"APIKeySecretNotAName": {
			reason: "apiKeySecret names a Secret.",
			mutate: set("secrets.apiKeySecret", "Anthropic_Key"), field: "spec.secrets.apiKeySecret",
		},
		"APIKeyKeyWithSpace": {
			reason: "apiKeyKey is a Secret key.",
			mutate: set("secrets.apiKeyKey", "api key"), field: "spec.secrets.apiKeyKey",
		},
		"HostedModelWithoutKey": {
			reason: "A hosted model needs an API key, from a Secret or Vault.",
			mutate: unset("secrets"), field: "spec.secrets",
		},
		"VaultWithoutRole": {
			reason: "Vault needs the role and path of the key.",
			mutate: set("secrets", map[string]any{"vault": map[string]any{"enabled": true, "secretPath": "secret/data/agents/anthropic"}}),
			field:  "spec.secrets.vault",
		},
		"VaultRoleWithSpace": {
			reason: "A Vault role has no spaces.",
			mutate: set("secrets.vault", map[string]any{"enabled": false, "role": "agent role"}), field: "spec.secrets.vault.role",
		},
		"MinReplicasZero": {
			reason: "The HPA keeps at least one replica.",
			mutate: set("autoscaling", map[string]any{"enabled": true, "minReplicas": 0}), field: "spec.autoscaling.minReplicas",
		},
		"MaxReplicasTooMany": {
			reason: "The HPA scales to 100 at most.",
			mutate: set("autoscaling", map[string]any{"enabled": true, "maxReplicas": 101}), field: "spec.autoscaling.maxReplicas",
		},
		"MinAboveMax": {
			reason: "minReplicas may not exceed maxReplicas.",
			mutate: set("autoscaling", map[string]any{"enabled": true, "minReplicas": 5, "maxReplicas": 2}), field: "spec.autoscaling.minReplicas",
		},
		"CPUTargetAbove100": {
			reason: "A utilization target is a percentage.",
			mutate: set("autoscaling.targetCPUUtilization", 101), field: "spec.autoscaling.targetCPUUtilization",
		},
		"RequestsPerSecondNegative": {
			reason: "A requests-per-second target is at least 0 (0: CPU and memory only).",
			mutate: set("autoscaling.requestsPerSecond", -1), field: "spec.autoscaling.requestsPerSecond",
		},
		"AutoscalingEnabledNotABool": {
			reason: "enabled is a boolean.",
			mutate: set("autoscaling.enabled", "yes"), field: "spec.autoscaling.enabled",
		},
		"CPUNotAQuantity": {
			reason: "CPU is a Kubernetes quantity.",
			mutate: set("resources.requests.cpu", "lots"), field: "spec.resources.requests.cpu",
		},
		"MemoryNotAQuantity": {
			reason: "Memory is a Kubernetes quantity.",
			mutate: set("resources.limits.memory", "4 GB"), field: "spec.resources.limits.memory",
		},
		"UnknownField": {
			reason: "A misspelt field is an error, not silently dropped.",
			mutate: set("replica", 3), field: "spec.replica",
		},
		"BadName": {
			reason: "The name becomes the composed objects' names: a DNS subdomain.",
			mutate: func(map[string]any) {}, name: "Bad_Name", field: "metadata.name",
		},
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	i := 0
	for name, tc := range cases {
		i++
		t.Run(name, func(t *testing.T) {
			xrName := tc.name
			if xrName == "" {
				xrName = fmt.Sprintf("refused-%02d", i)
			}
			spec := baseSpec()
			tc.mutate(spec)
			_, err := env.k.Apply(ctx, toJSON(agent(ns, xrName, spec)))
			if err == nil {
				t.Fatalf("%s\nkubectl apply accepted it; want an error naming %s", tc.reason, tc.field)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s\nkubectl apply's error does not name %s:\n%v", tc.reason, tc.field, err)
			}
			if ok, err := env.k.Exists(ctx, "agentdeployment", xrName, "-n", ns); err == nil && ok {
				t.Errorf("%s\nAgentDeployment %s exists after a refused apply", tc.reason, xrName)
			}
		})
	}
}

// The schema admits these, the function refuses them: a condition names the
// field, and the composed objects of the running agent stay exactly as they
// were.
func testRefusedByFunction(t *testing.T, ns string) {
	ctx := context.Background()
	name := "guarded-agent"
	valid := func() map[string]any {
		spec := baseSpec()
		spec["replicas"] = 2
		spec["resources"] = map[string]any{
			"requests": map[string]any{"cpu": "250m", "memory": "512Mi"},
			"limits":   map[string]any{"cpu": "1", "memory": "1Gi"},
		}
		spec["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 4}
		return spec
	}
	apply(t, agent(ns, name, valid()))
	waitXR(t, ns, name, "Running", running(2))
	composed, err := composedOf(ctx, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposed(name, true), composed); diff != "" {
		t.Fatalf("composed objects (-want, +got):\n%s", diff)
	}
	before, err := snapshot(ctx, ns, composed)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		reason string
		mutate func(map[string]any)
		field  string
	}{
		{
			name:   "RequestAboveLimit",
			reason: "A CPU request above its limit would be refused by the API server only when the Deployment is applied.",
			mutate: set("resources.requests.cpu", "2"), field: "spec.resources.requests.cpu",
		},
		{
			name:   "RequestAboveDefaultLimit",
			reason: "A memory request above the platform's default limit, with no limit set.",
			mutate: all(set("resources.requests.memory", "2Gi"), func(s map[string]any) {
				delete(s["resources"].(map[string]any)["limits"].(map[string]any), "memory")
			}),
			field: "spec.resources.requests.memory",
		},
		{
			name:   "NegativeRequest",
			reason: "A quantity's pattern admits a sign; a request cannot be negative.",
			mutate: set("resources.requests.cpu", "-1"), field: "spec.resources.requests.cpu",
		},
		{
			name:   "MaxTokensAboveContextWindow",
			reason: "gpt-4's context window is 8192 tokens.",
			mutate: all(set("model", "gpt-4"), set("config.maxTokens", 10000)), field: "spec.config.maxTokens",
		},
		{
			name:   "SecretAndVault",
			reason: "The API key comes from a Secret or from Vault, not both.",
			mutate: set("secrets.vault", map[string]any{"enabled": true, "role": "agents", "secretPath": "secret/data/agents/anthropic"}),
			field:  "spec.secrets.apiKeySecret",
		},
		{
			name:   "APIKeyKeyDotDot",
			reason: "'..' matches the schema's pattern but is not a valid Secret key.",
			mutate: set("secrets.apiKeyKey", ".."), field: "spec.secrets.apiKeyKey",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := valid()
			tc.mutate(spec)
			if _, err := env.k.Apply(ctx, toJSON(agent(ns, name, spec))); err != nil {
				t.Fatalf("%s\nthe schema should admit it: %v", tc.reason, err)
			}
			x := waitXR(t, ns, name, "a condition naming "+tc.field, func(x *xr) error {
				for _, c := range x.Status.Conditions {
					current := c.ObservedGeneration == 0 || c.ObservedGeneration == x.Metadata.Generation
					if c.Status == "False" && current && strings.Contains(c.Message, tc.field) {
						return nil
					}
				}
				return fmt.Errorf("no False condition of generation %d names %s", x.Metadata.Generation, tc.field)
			})
			// Crossplane acts on a function's answer at once; give it a few
			// seconds to do anything it should not.
			time.Sleep(3 * time.Second)
			after, err := snapshot(ctx, ns, composed)
			if err != nil {
				t.Fatalf("%s\ncomposed objects lost: %v", tc.reason, err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("%s\ncomposed objects changed (-before, +after):\n%s\n%s", tc.reason, diff, x.Status.summary())
			}
			now, err := composedOf(ctx, ns, name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(composed, now); diff != "" {
				t.Errorf("%s\ncomposed objects (-before, +after):\n%s", tc.reason, diff)
			}
		})
	}

	// Valid again: the agent recovers, its objects as they were.
	apply(t, agent(ns, name, valid()))
	// running waits for Ready and Synced; the function's own conditions
	// (Validated) need the same wait.
	waitXR(t, ns, name, "Running with no False condition after the fix", func(x *xr) error {
		if err := running(2)(x); err != nil {
			return err
		}
		for _, c := range x.Status.Conditions {
			if c.Status == "False" && c.Type != "AutoscalingActive" {
				return fmt.Errorf("condition %s still False after the fix: %s", c.Type, c.Message)
			}
		}
		return nil
	})
	err = kube.Eventually(ctx, 30*time.Second, poll, func(ctx context.Context) error {
		after, err := snapshot(ctx, ns, composed)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(before, after); diff != "" {
			return fmt.Errorf("composed objects differ from before the bad input (-before, +after):\n%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
