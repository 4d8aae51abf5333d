package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AgentDeployment runs one LLM agent: a Deployment of the agent, its Service,
// ServiceAccount and configuration, and, as the platform team's Composition
// allows, autoscaling, a disruption budget, a network policy and monitoring.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:resource:scope=Namespaced,categories=crossplane;agentops,shortName=agentdep;ad
// +kubebuilder:printcolumn:name="MODEL",type=string,JSONPath=`.spec.model`
// +kubebuilder:printcolumn:name="REPLICAS",type=integer,JSONPath=`.status.replicas`
// +kubebuilder:printcolumn:name="READY-REPLICAS",type=integer,JSONPath=`.status.readyReplicas`
// +kubebuilder:printcolumn:name="PHASE",type=string,JSONPath=`.status.phase`
type AgentDeployment struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +kubebuilder:validation:Required
	Spec   AgentDeploymentSpec   `json:"spec"`
	Status AgentDeploymentStatus `json:"status,omitempty"`
}

// AgentDeploymentSpec is what an app team asks for.
//
// +kubebuilder:validation:XValidation:rule="!has(self.autoscaling) || !has(self.autoscaling.minReplicas) || !has(self.autoscaling.maxReplicas) || self.autoscaling.minReplicas <= self.autoscaling.maxReplicas",message="spec.autoscaling.minReplicas must be less than or equal to spec.autoscaling.maxReplicas",fieldPath=".autoscaling.minReplicas"
type AgentDeploymentSpec struct {
	// Model the agent calls. The platform's model catalog maps it to a
	// provider, a default image and the provider's API endpoint.
	// +kubebuilder:validation:Required
	Model Model `json:"model"`

	// Replicas of the agent to run when autoscaling is off. When autoscaling
	// is on, the HorizontalPodAutoscaler owns the replica count and this
	// field is ignored.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=1
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`

	// Image overrides the container image the catalog (or the platform
	// team's Composition) chooses for the model.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:Pattern=`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`
	// +optional
	Image *string `json:"image,omitempty"`

	// Resources of the agent container. Unset values take the platform
	// team's defaults.
	// +optional
	Resources *Resources `json:"resources,omitempty"`

	// Config is handed to the agent through a ConfigMap. A change rolls the
	// agent's pods.
	// +optional
	Config *AgentConfig `json:"config,omitempty"`

	// Secrets tell the agent where its model API key lives. Hosted models
	// (every provider but self-hosted) need an apiKeySecret or Vault.
	// +optional
	Secrets *Secrets `json:"secrets,omitempty"`

	// Autoscaling of the agent on CPU, memory and requests per second.
	// +optional
	Autoscaling *Autoscaling `json:"autoscaling,omitempty"`

	AgentOptions `json:",inline"`
}

// Resources are the agent container's compute requests and limits.
type Resources struct {
	// Requests the scheduler reserves for the agent.
	// +optional
	Requests *ResourceAmounts `json:"requests,omitempty"`

	// Limits the agent may not exceed. Each must be at least the request.
	// +optional
	Limits *ResourceAmounts `json:"limits,omitempty"`
}

// ResourceAmounts are a CPU and a memory quantity.
type ResourceAmounts struct {
	// CPU as a Kubernetes quantity, for example 500m or 2.
	// +optional
	CPU *resource.Quantity `json:"cpu,omitempty"`

	// Memory as a Kubernetes quantity, for example 512Mi or 2Gi.
	// +optional
	Memory *resource.Quantity `json:"memory,omitempty"`
}

// AgentConfig is the agent's runtime configuration.
type AgentConfig struct {
	// MaxTokens the agent may ask the model for in one completion.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000000
	// +kubebuilder:default=4096
	// +optional
	MaxTokens *int32 `json:"maxTokens,omitempty"`

	// Temperature of the model's sampling, from 0 (deterministic) to 2.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2
	// +kubebuilder:default=0.7
	// +optional
	Temperature *float64 `json:"temperature,omitempty"`

	// SystemPrompt the agent starts every conversation with. It is stored in
	// a ConfigMap: never put a secret here.
	// +kubebuilder:validation:MaxLength=65536
	// +optional
	SystemPrompt *string `json:"systemPrompt,omitempty"`
}

// Secrets locate the agent's model API key. Values never pass through the
// AgentDeployment: only the names of where they are kept.
//
// +kubebuilder:validation:XValidation:rule="!has(self.vault) || !self.vault.enabled || (has(self.vault.role) && size(self.vault.role) > 0 && has(self.vault.secretPath) && size(self.vault.secretPath) > 0)",message="spec.secrets.vault.role and spec.secrets.vault.secretPath are required when spec.secrets.vault.enabled is true",fieldPath=".vault"
type Secrets struct {
	// APIKeySecret names a Secret in the agent's namespace that holds the
	// model API key.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	// +optional
	APIKeySecret *string `json:"apiKeySecret,omitempty"`

	// APIKeyKey is the key of the API key within apiKeySecret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	// +kubebuilder:default="api-key"
	// +optional
	APIKeyKey *string `json:"apiKeyKey,omitempty"`

	// Vault injects the API key with the Vault Agent Injector instead of a
	// Kubernetes Secret.
	// +optional
	Vault *Vault `json:"vault,omitempty"`
}

// Vault configures the Vault Agent Injector for the agent's pods.
type Vault struct {
	// Enabled turns on Vault injection.
	// +kubebuilder:default=false
	// +optional
	Enabled bool `json:"enabled,omitempty"`

	// Role the agent's ServiceAccount logs in to Vault with.
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9_.@-]*$`
	// +optional
	Role *string `json:"role,omitempty"`

	// SecretPath of the API key in Vault, for example secret/data/agents/openai.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9_.\-/]*$`
	// +optional
	SecretPath *string `json:"secretPath,omitempty"`
}

// Autoscaling scales the agent between minReplicas and maxReplicas on CPU
// and memory utilization and on the agent's requests per second.
type Autoscaling struct {
	// Enabled hands the replica count to a HorizontalPodAutoscaler.
	// +kubebuilder:default=false
	// +optional
	Enabled bool `json:"enabled,omitempty"`

	// MinReplicas the autoscaler keeps.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=1
	// +optional
	MinReplicas *int32 `json:"minReplicas,omitempty"`

	// MaxReplicas the autoscaler may reach.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=10
	// +optional
	MaxReplicas *int32 `json:"maxReplicas,omitempty"`

	// TargetCPUUtilization is the average CPU use, in percent of the
	// request, the autoscaler aims for.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=70
	// +optional
	TargetCPUUtilization *int32 `json:"targetCPUUtilization,omitempty"`

	// TargetMemoryUtilization is the average memory use, in percent of the
	// request, the autoscaler aims for.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=80
	// +optional
	TargetMemoryUtilization *int32 `json:"targetMemoryUtilization,omitempty"`

	// RequestsPerSecond each pod should serve on average, from the agent's
	// llm_requests_total counter (through prometheus-adapter's
	// llm_requests_per_second with the HPA, or KEDA's prometheus trigger,
	// as the platform chose). 0 scales on CPU and memory alone, for clusters
	// that serve no request-rate metric.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	// +kubebuilder:default=0
	// +optional
	RequestsPerSecond *int32 `json:"requestsPerSecond,omitempty"`
}
