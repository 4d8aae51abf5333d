package validate

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// platform are the settings of an empty input.
func platform(t *testing.T) *settings.Settings {
	t.Helper()
	return resolve(t, nil)
}

func resolve(t *testing.T, in *v1beta1.Input) *settings.Settings {
	t.Helper()
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		t.Fatalf("settings.Resolve(...): %v", errs)
	}
	return s
}

// spec is a valid, defaulted spec changed by f.
func spec(f func(s *v1alpha1.AgentDeploymentSpec)) *v1alpha1.AgentDeploymentSpec {
	s := &v1alpha1.AgentDeploymentSpec{
		Model:   v1alpha1.ModelGpt4o,
		Secrets: &v1alpha1.Secrets{APIKeySecret: new("openai-api-key")},
	}
	if f != nil {
		f(s)
	}
	s.Default()
	return s
}

func q(s string) *resource.Quantity { return new(resource.MustParse(s)) }

const models = `"claude-3-opus", "claude-3-sonnet", "claude-haiku-4-5", "claude-opus-4-1", "claude-sonnet-4-5", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-pro", "gpt-3.5-turbo", "gpt-4", "gpt-4.1", "gpt-4o", "gpt-5", "gpt-5-mini", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.3-70b", "mistral-large", "mixtral-8x7b", "qwen-2.5-72b"`

func TestSpec(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("a", 64)
	cases := map[string]struct {
		reason string
		spec   *v1alpha1.AgentDeploymentSpec
		// input of the platform's Composition; nil for none.
		input *v1beta1.Input
		want  []string
	}{
		"Valid": {
			reason: "A model and an API key Secret are enough.",
			spec:   spec(nil),
		},
		"ValidEverything": {
			reason: "Every field set within its bounds is valid.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Model = v1alpha1.ModelClaude3Opus
				s.Replicas = ptr.To[int32](100)
				s.Image = new("registry.example.com:5000/team/agent_x.y:v1.2.3" + digest)
				s.Resources = &v1alpha1.Resources{
					Requests: &v1alpha1.ResourceAmounts{CPU: q("2"), Memory: q("4Gi")},
					Limits:   &v1alpha1.ResourceAmounts{CPU: q("2"), Memory: q("4Gi")},
				}
				s.Config = &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](200000), Temperature: new(2.0), SystemPrompt: new(strings.Repeat("é", MaxSystemPromptLength))}
				s.Secrets.APIKeyKey = new("ANTHROPIC_API.key-1")
				s.Autoscaling = &v1alpha1.Autoscaling{Enabled: true, MinReplicas: ptr.To[int32](100), MaxReplicas: ptr.To[int32](100), TargetCPUUtilization: ptr.To[int32](100), TargetMemoryUtilization: ptr.To[int32](1), RequestsPerSecond: ptr.To[int32](MaxRequestsPerSecond)}
			}),
			input: &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"registry.example.com:5000/team"}, RequireDigest: new(true)}},
		},
		"ValidZeroReplicas": {
			reason: "An agent may be scaled to zero.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Replicas = ptr.To[int32](0) }),
		},
		"ValidSelfHostedWithoutKey": {
			reason: "A self-hosted model needs no API key.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Model = v1alpha1.ModelLlama270b; s.Secrets = nil }),
		},
		"ValidVault": {
			reason: "Vault replaces the API key Secret.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Secrets = &v1alpha1.Secrets{Vault: &v1alpha1.Vault{Enabled: true, Role: new("agents@team.a"), SecretPath: new("secret/data/agents/openai")}}
			}),
		},
		"ValidPlatformModel": {
			reason: "A model the platform added through the input is valid.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Model = "in-house"; s.Secrets = nil }),
			input:  &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "in-house", Provider: "self-hosted", Image: "r.example.com/vllm:v1", Endpoint: "http://vllm:8000/v1"}}},
		},
		"ModelMissing": {
			reason: "A missing model lists the supported ones.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Model = "" }),
			want:   []string{`spec.model: Required value: supported values: ["claude-3-opus" "claude-3-sonnet" "claude-haiku-4-5" "claude-opus-4-1" "claude-sonnet-4-5" "gemini-2.5-flash" "gemini-2.5-pro" "gemini-pro" "gpt-3.5-turbo" "gpt-4" "gpt-4.1" "gpt-4o" "gpt-5" "gpt-5-mini" "llama-2-13b" "llama-2-70b" "llama-3.1-8b" "llama-3.3-70b" "mistral-large" "mixtral-8x7b" "qwen-2.5-72b"]`},
		},
		"ModelUnknown": {
			reason: "An unknown model lists the supported ones.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Model = "gpt-6" }),
			want:   []string{`spec.model: Unsupported value: "gpt-6": supported values: ` + models},
		},
		"ReplicasNegative": {
			reason: "Replicas are bounded below.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Replicas = ptr.To[int32](-1) }),
			want:   []string{`spec.replicas: Invalid value: -1: must be between 0 and 100`},
		},
		"ReplicasTooMany": {
			reason: "Replicas are bounded above.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Replicas = ptr.To[int32](101) }),
			want:   []string{`spec.replicas: Invalid value: 101: must be between 0 and 100`},
		},
		"ImageFromCatalogRepository": {
			reason: "By default an image may come from a repository of the catalog's images, at any tag.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Image = new("ghcr.io/agentops-io/agent-runtime:v2.0.0")
			}),
		},
		"ImageOutsideCatalog": {
			reason: "By default an image from any other repository is refused, naming the allowed ones.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("docker.io/evil/agent:latest") }),
			want: []string{`spec.image: Forbidden: image "docker.io/evil/agent:latest" (repository docker.io/evil/agent) is not allowed: the platform admits images from ` +
				`ghcr.io/agentops-io/agent-runtime`},
		},
		"ImageLookalikeRepository": {
			reason: "A prefix matches at a path boundary only: a repository whose name merely starts like an allowed one is refused.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Image = new("ghcr.io/agentops-io/agent-runtime-evil:v1")
			}),
			want: []string{`spec.image: Forbidden: image "ghcr.io/agentops-io/agent-runtime-evil:v1" (repository ghcr.io/agentops-io/agent-runtime-evil) is not allowed: the platform admits images from ` +
				`ghcr.io/agentops-io/agent-runtime`},
		},
		"ImageLookalikeRegistry": {
			reason: "A registry prefix ends at its slash: ghcr.io.evil.com is not ghcr.io.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Image = new("ghcr.io.evil.com/agentops-io/agent-runtime-openai:v1")
			}),
			input: &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"ghcr.io/"}}},
			want:  []string{`spec.image: Forbidden: image "ghcr.io.evil.com/agentops-io/agent-runtime-openai:v1" (repository ghcr.io.evil.com/agentops-io/agent-runtime-openai) is not allowed: the platform admits images from ghcr.io/`},
		},
		"ImageDockerHubShortName": {
			reason: "A short name is a Docker Hub library image, as a container runtime reads it.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("busybox:1.37") }),
			input:  &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"docker.io/library/busybox"}}},
		},
		"ImageUnderAllowedPrefix": {
			reason: "A repository prefix admits the repositories under it.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("registry.example.com/team/agent/v2:1") }),
			input:  &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"registry.example.com/team"}}},
		},
		"ImageDigestRequired": {
			reason: "With digests required, a tag alone is refused.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("registry.example.com/team/agent:v1") }),
			input:  &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"registry.example.com/"}, RequireDigest: new(true)}},
			want:   []string{`spec.image: Invalid value: "registry.example.com/team/agent:v1": must be pinned by digest (image@sha256:<64 hex digits>): the platform requires digests`},
		},
		"ImageDigestGiven": {
			reason: "With digests required, a digest passes.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("registry.example.com/team/agent:v1" + digest) }),
			input:  &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"registry.example.com/"}, RequireDigest: new(true)}},
		},
		"ImageUpperCase": {
			reason: "An image repository is lower case.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("Registry.example.com/Agent:v1") }),
			want:   []string{`spec.image: Invalid value: "Registry.example.com/Agent:v1": must be an image reference such as registry.example.com/team/agent:v1.2.3 (lower-case repository, optional tag and sha256 digest)`},
		},
		"ImageEmpty": {
			reason: "An image override cannot be empty.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("") }),
			want:   []string{`spec.image: Invalid value: "": must be an image reference such as registry.example.com/team/agent:v1.2.3 (lower-case repository, optional tag and sha256 digest)`},
		},
		"ImageShortDigest": {
			reason: "A digest has 64 hex digits.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new("agent@sha256:abc") }),
			want:   []string{`spec.image: Invalid value: "agent@sha256:abc": must be an image reference such as registry.example.com/team/agent:v1.2.3 (lower-case repository, optional tag and sha256 digest)`},
		},
		"ImageTooLong": {
			reason: "An image reference is at most 512 characters.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Image = new(strings.Repeat("a", 513)) }),
			want:   []string{`spec.image: Too long: may not be more than 512 bytes`},
		},
		"RequestOverLimit": {
			reason: "A request over its own limit names both.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Resources = &v1alpha1.Resources{Requests: &v1alpha1.ResourceAmounts{CPU: q("2")}, Limits: &v1alpha1.ResourceAmounts{CPU: q("1500m")}}
			}),
			want: []string{`spec.resources.requests.cpu: Invalid value: "2": must be less than or equal to the cpu limit (1500m)`},
		},
		"RequestOverDefaultLimit": {
			reason: "A request over the platform's default limit says where that limit came from.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Resources = &v1alpha1.Resources{Requests: &v1alpha1.ResourceAmounts{Memory: q("2Gi")}}
			}),
			want: []string{`spec.resources.requests.memory: Invalid value: "2Gi": must be less than or equal to the memory limit (1Gi), the platform's default; set spec.resources.limits.memory too`},
		},
		"LimitUnderDefaultRequest": {
			reason: "A limit under the platform's default request is named by the request it falls under.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Resources = &v1alpha1.Resources{Limits: &v1alpha1.ResourceAmounts{CPU: q("100m")}}
			}),
			want: []string{`spec.resources.requests.cpu: Invalid value: "250m": must be less than or equal to the cpu limit (100m)`},
		},
		"NegativeQuantities": {
			reason: "Negative quantities are refused even where no API server checked them.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Resources = &v1alpha1.Resources{Requests: &v1alpha1.ResourceAmounts{CPU: q("-1")}, Limits: &v1alpha1.ResourceAmounts{Memory: q("-1Gi")}}
			}),
			want: []string{
				`spec.resources.requests.cpu: Invalid value: "-1": must not be negative`,
				`spec.resources.limits.memory: Invalid value: "-1Gi": must not be negative`,
				`spec.resources.requests.memory: Invalid value: "512Mi": must be less than or equal to the memory limit (-1Gi)`,
			},
		},
		"ZeroLimit": {
			reason: "A zero limit with a request is refused.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Resources = &v1alpha1.Resources{Limits: &v1alpha1.ResourceAmounts{Memory: q("0")}}
			}),
			want: []string{
				`spec.resources.requests.memory: Invalid value: "512Mi": must be less than or equal to the memory limit (0)`,
				`spec.resources.limits.memory: Invalid value: "0": must be greater than zero`,
			},
		},
		"MaxTokensZero": {
			reason: "maxTokens is at least 1.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Config = &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](0)} }),
			want:   []string{`spec.config.maxTokens: Invalid value: 0: must be between 1 and 1000000`},
		},
		"MaxTokensOverContextWindow": {
			reason: "maxTokens cannot exceed the model's context window.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Model = v1alpha1.ModelGpt4
				s.Config = &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](8193)}
			}),
			want: []string{`spec.config.maxTokens: Invalid value: 8193: must not exceed the context window of gpt-4 (8192 tokens)`},
		},
		"MaxTokensOverAPIMaximum": {
			reason: "maxTokens is bounded as the XRD says even for a model of a larger or unknown context window.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Model = v1alpha1.ModelGemini2_5Pro
				s.Config = &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](1000001)}
			}),
			want: []string{`spec.config.maxTokens: Invalid value: 1000001: must be between 1 and 1000000`},
		},
		"Temperature": {
			reason: "Temperature is between 0 and 2.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Config = &v1alpha1.AgentConfig{Temperature: new(2.1)} }),
			want:   []string{`spec.config.temperature: Invalid value: 2.1: must be between 0 and 2`},
		},
		"TemperatureNegative": {
			reason: "Temperature is between 0 and 2.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Config = &v1alpha1.AgentConfig{Temperature: new(-0.1)} }),
			want:   []string{`spec.config.temperature: Invalid value: -0.1: must be between 0 and 2`},
		},
		"SystemPromptTooLong": {
			reason: "The system prompt is at most 65536 characters, as the XRD counts them.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Config = &v1alpha1.AgentConfig{SystemPrompt: new(strings.Repeat("a", MaxSystemPromptLength+1))}
			}),
			want: []string{`spec.config.systemPrompt: Too long: may not be more than 65536 characters`},
		},
		"APIKeySecretName": {
			reason: "apiKeySecret must name a Secret.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Secrets.APIKeySecret = new("OpenAI_Key") }),
			want:   []string{`spec.secrets.apiKeySecret: Invalid value: "OpenAI_Key": must name a Secret: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
		},
		"APIKeyKey": {
			reason: "apiKeyKey must be a Secret key.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Secrets.APIKeyKey = new("api key") }),
			want:   []string{`spec.secrets.apiKeyKey: Invalid value: "api key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`},
		},
		"HostedWithoutKey": {
			reason: "A hosted model needs an API key source.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.Model = v1alpha1.ModelClaude3Sonnet; s.Secrets = nil }),
			want:   []string{`spec.secrets.apiKeySecret: Required value: model claude-3-sonnet is served by anthropic, a hosted provider that needs an API key: set spec.secrets.apiKeySecret to a Secret in this namespace, or enable spec.secrets.vault`},
		},
		"SecretAndVault": {
			reason: "One API key source only.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Secrets.Vault = &v1alpha1.Vault{Enabled: true, Role: new("agents"), SecretPath: new("secret/data/a")}
			}),
			want: []string{`spec.secrets.apiKeySecret: Forbidden: set either spec.secrets.apiKeySecret or spec.secrets.vault, not both`},
		},
		"VaultIncomplete": {
			reason: "Vault needs a role and a path.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Secrets = &v1alpha1.Secrets{Vault: &v1alpha1.Vault{Enabled: true}}
			}),
			want: []string{
				`spec.secrets.vault.role: Required value: the Vault role the agent logs in with is required when spec.secrets.vault.enabled is true`,
				`spec.secrets.vault.secretPath: Required value: the Vault path of the API key (such as secret/data/agents/openai) is required when spec.secrets.vault.enabled is true`,
			},
		},
		"VaultBadCharacters": {
			reason: "Vault's role and path go into annotations and a template: only safe characters.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Secrets = &v1alpha1.Secrets{Vault: &v1alpha1.Vault{Enabled: true, Role: new("a role"), SecretPath: new(`secret/"x"`)}}
			}),
			want: []string{
				`spec.secrets.vault.role: Invalid value: "a role": must be at most 128 of the characters A-Z a-z 0-9 _ . @ -`,
				`spec.secrets.vault.secretPath: Invalid value: "secret/\"x\"": must be at most 512 of the characters A-Z a-z 0-9 _ . / -`,
			},
		},
		"VaultTooLong": {
			reason: "Vault's role and path are bounded.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Secrets = &v1alpha1.Secrets{Vault: &v1alpha1.Vault{Enabled: true, Role: new(strings.Repeat("r", 129)), SecretPath: new(strings.Repeat("p", 513))}}
			}),
			want: []string{
				`spec.secrets.vault.role: Invalid value: "` + strings.Repeat("r", 129) + `": must be at most 128 of the characters A-Z a-z 0-9 _ . @ -`,
				`spec.secrets.vault.secretPath: Invalid value: "` + strings.Repeat("p", 513) + `": must be at most 512 of the characters A-Z a-z 0-9 _ . / -`,
			},
		},
		"AutoscalingBounds": {
			reason: "Each autoscaling field out of range is named, in a stable order.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Autoscaling = &v1alpha1.Autoscaling{MinReplicas: ptr.To[int32](0), MaxReplicas: ptr.To[int32](101), TargetCPUUtilization: ptr.To[int32](0), TargetMemoryUtilization: ptr.To[int32](101), RequestsPerSecond: ptr.To[int32](-1)}
			}),
			want: []string{
				`spec.autoscaling.minReplicas: Invalid value: 0: must be between 1 and 100`,
				`spec.autoscaling.maxReplicas: Invalid value: 101: must be between 1 and 100`,
				`spec.autoscaling.targetCPUUtilization: Invalid value: 0: must be a percentage between 1 and 100`,
				`spec.autoscaling.targetMemoryUtilization: Invalid value: 101: must be a percentage between 1 and 100`,
				`spec.autoscaling.requestsPerSecond: Invalid value: -1: must be between 0 (scale on CPU and memory only) and 100000`,
			},
		},
		"AutoscalingMinOverMax": {
			reason: "minReplicas cannot exceed maxReplicas.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Autoscaling = &v1alpha1.Autoscaling{Enabled: true, MinReplicas: ptr.To[int32](5), MaxReplicas: ptr.To[int32](3), RequestsPerSecond: ptr.To[int32](MaxRequestsPerSecond + 1)}
			}),
			want: []string{
				`spec.autoscaling.minReplicas: Invalid value: 5: must be less than or equal to spec.autoscaling.maxReplicas (3)`,
				`spec.autoscaling.requestsPerSecond: Invalid value: 100001: must be between 0 (scale on CPU and memory only) and 100000`,
			},
		},
		"EveryRuleAtOnce": {
			reason: "Every bad field is reported, not just the first.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Model = "nope"
				s.Replicas = ptr.To[int32](-3)
				s.Image = new("UPPER")
				s.Config = &v1alpha1.AgentConfig{Temperature: new(3.0)}
				s.Secrets.APIKeyKey = new("")
				s.Autoscaling = &v1alpha1.Autoscaling{TargetCPUUtilization: ptr.To[int32](200)}
			}),
			want: []string{
				`spec.model: Unsupported value: "nope": supported values: ` + models,
				`spec.replicas: Invalid value: -3: must be between 0 and 100`,
				`spec.image: Invalid value: "UPPER": must be an image reference such as registry.example.com/team/agent:v1.2.3 (lower-case repository, optional tag and sha256 digest)`,
				`spec.config.temperature: Invalid value: 3: must be between 0 and 2`,
				`spec.secrets.apiKeyKey: Invalid value: "": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
				`spec.autoscaling.targetCPUUtilization: Invalid value: 200: must be a percentage between 1 and 100`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { checkSpec(t, tc.reason, tc.spec, tc.input, tc.want) })
	}
}
