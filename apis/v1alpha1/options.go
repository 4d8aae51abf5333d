package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// AgentOptions are what an app team tunes beyond the model: the tools the
// agent calls, its own environment, pod metadata, private images,
// scheduling and per-agent switches. Each is bounded by the platform team's
// input to the function, which refuses anything outside it, naming the
// field and the rule.
type AgentOptions struct {
	// Tools the agent may call: in-cluster pods by namespace and pod
	// selector, or external addresses by CIDR, each on its ports. Each
	// becomes an egress rule of the agent's NetworkPolicy; everything else
	// stays denied. A NetworkPolicy cannot name a host or a Service: select
	// a Service's pods with its own selector, and an external API by its
	// published address ranges (or route it through an egress proxy that
	// is itself a tool).
	// +kubebuilder:validation:MaxItems=32
	// +listType=map
	// +listMapKey=name
	// +optional
	Tools []Tool `json:"tools,omitempty"`

	// Env adds environment variables to the agent container: literal values
	// or keys of Secrets and ConfigMaps in the agent's namespace. The names
	// the agent contract reserves (PORT, MODEL_NAME, MODEL_PROVIDER,
	// API_ENDPOINT, API_KEY, API_KEY_FILE, MAX_TOKENS, TEMPERATURE,
	// SYSTEM_PROMPT_FILE, MODEL_CONTEXT_WINDOW) are refused.
	// +kubebuilder:validation:MaxItems=64
	// +listType=map
	// +listMapKey=name
	// +optional
	Env []EnvVar `json:"env,omitempty"`

	// PodMetadata adds labels and annotations to the agent's pods, only
	// under the prefixes the platform allows (input podMetadata); never
	// the labels and annotations AgentOps sets itself.
	// +optional
	PodMetadata *PodMetadata `json:"podMetadata,omitempty"`

	// ImagePullSecrets name Secrets in the agent's namespace the kubelet
	// pulls the agent's image with, after the platform's own (input
	// images.pullSecrets).
	// +kubebuilder:validation:MaxItems=8
	// +listType=map
	// +listMapKey=name
	// +optional
	ImagePullSecrets []LocalReference `json:"imagePullSecrets,omitempty"`

	// ImagePullPolicy of the agent container, among those the platform
	// allows (input images.allowedPullPolicies). Default: the platform's
	// (input images.pullPolicy), IfNotPresent unless it says otherwise.
	// +kubebuilder:validation:Enum=Always;IfNotPresent;Never
	// +optional
	ImagePullPolicy *string `json:"imagePullPolicy,omitempty"`

	// NodePool runs the agent on one of the node pools the platform
	// defines (input scheduling.nodePools): their node selector and
	// tolerations are added to the platform's defaults.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +optional
	NodePool *string `json:"nodePool,omitempty"`

	// Monitoring of this agent, where the platform allows it (input
	// agentOverrides).
	// +optional
	Monitoring *AgentMonitoring `json:"monitoring,omitempty"`

	// DisruptionBudget of this agent's PodDisruptionBudget, where the
	// platform allows it (input agentOverrides.disruptionBudget). Default:
	// minAvailable 1 with two or more guaranteed replicas, else
	// maxUnavailable 1.
	// +optional
	DisruptionBudget *DisruptionBudget `json:"disruptionBudget,omitempty"`
}

// Tool is one destination the agent may call.
//
// +kubebuilder:validation:XValidation:rule="has(self.podSelector) != has(self.cidr)",message="a tool is either in the cluster (podSelector, with an optional namespace) or outside it (cidr): set exactly one of podSelector and cidr"
// +kubebuilder:validation:XValidation:rule="!has(self.namespace) || has(self.podSelector)",message="namespace applies to an in-cluster tool: set podSelector with it",fieldPath=".namespace"
type Tool struct {
	// Name of the tool, for people and messages.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// Namespace of an in-cluster tool. Default: the agent's own. Another
	// namespace must be one the platform allows (input
	// tools.namespaces).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +optional
	Namespace *string `json:"namespace,omitempty"`

	// PodSelector of an in-cluster tool's pods: for a Service, its own
	// spec.selector. An empty selector means every pod of the namespace.
	// +optional
	PodSelector *metav1.LabelSelector `json:"podSelector,omitempty"`

	// CIDR of an external tool, such as 203.0.113.0/24 or 2001:db8::/48,
	// inside a range the platform allows (input tools.cidrs).
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=43
	// +optional
	CIDR *string `json:"cidr,omitempty"`

	// Ports the agent may call the tool on.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=8
	// +listType=atomic
	Ports []ToolPort `json:"ports"`
}

// ToolPort is a port of a tool.
type ToolPort struct {
	// Port number.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port int32 `json:"port"`

	// Protocol of the port. Default: TCP.
	// +kubebuilder:validation:Enum=TCP;UDP
	// +optional
	Protocol *string `json:"protocol,omitempty"`
}

// EnvVar is one environment variable of the agent container.
//
// +kubebuilder:validation:XValidation:rule="has(self.value) != has(self.valueFrom)",message="set exactly one of value and valueFrom"
// +kubebuilder:validation:XValidation:rule="!(self.name in ['PORT', 'MODEL_NAME', 'MODEL_PROVIDER', 'API_ENDPOINT', 'API_KEY', 'API_KEY_FILE', 'MAX_TOKENS', 'TEMPERATURE', 'SYSTEM_PROMPT_FILE', 'MODEL_CONTEXT_WINDOW'])",message="the agent contract reserves this name (PORT, MODEL_NAME, MODEL_PROVIDER, API_ENDPOINT, API_KEY, API_KEY_FILE, MAX_TOKENS, TEMPERATURE, SYSTEM_PROMPT_FILE, MODEL_CONTEXT_WINDOW): the function sets it",fieldPath=".name"
type EnvVar struct {
	// Name of the variable: letters, digits and underscores, not starting
	// with a digit.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[A-Za-z_][A-Za-z0-9_]*$`
	Name string `json:"name"`

	// Value of the variable. Never put a secret here: use
	// valueFrom.secretKeyRef.
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	Value *string `json:"value,omitempty"`

	// ValueFrom reads the value from a key of a Secret or a ConfigMap in
	// the agent's namespace.
	// +optional
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource is where a variable's value is kept.
//
// +kubebuilder:validation:XValidation:rule="has(self.secretKeyRef) != has(self.configMapKeyRef)",message="set exactly one of secretKeyRef and configMapKeyRef"
type EnvVarSource struct {
	// SecretKeyRef is a key of a Secret in the agent's namespace.
	// +optional
	SecretKeyRef *KeyReference `json:"secretKeyRef,omitempty"`

	// ConfigMapKeyRef is a key of a ConfigMap in the agent's namespace.
	// +optional
	ConfigMapKeyRef *KeyReference `json:"configMapKeyRef,omitempty"`
}

// KeyReference names a key of a Secret or ConfigMap.
type KeyReference struct {
	// Name of the Secret or ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`

	// Key within it.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	Key string `json:"key"`
}

// LocalReference names an object in the agent's namespace.
type LocalReference struct {
	// Name of the object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
}

// PodMetadata are extra labels and annotations of the agent's pods.
type PodMetadata struct {
	// Labels of the agent's pods, under the platform's allowed prefixes
	// (input podMetadata.labelPrefixes).
	// +kubebuilder:validation:MaxProperties=16
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.startsWith('agentops.io/') && !(k in ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/component']))",message="labels under agentops.io/ and app.kubernetes.io/name, instance, managed-by and component are set by AgentOps (its selectors among them)"
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// Annotations of the agent's pods, under the platform's allowed
	// prefixes (input podMetadata.annotationPrefixes).
	// +kubebuilder:validation:MaxProperties=16
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.startsWith('agentops.io/') && !k.startsWith('vault.hashicorp.com/') && k != 'kubectl.kubernetes.io/default-container')",message="annotations under agentops.io/ and vault.hashicorp.com/, and kubectl.kubernetes.io/default-container, are set by AgentOps"
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// AgentMonitoring switches this agent's monitoring.
type AgentMonitoring struct {
	// Enabled false composes no ServiceMonitor and no PrometheusRule for
	// this agent, where the platform allows it (input
	// agentOverrides.monitoringOff). Default: true.
	// +optional
	Enabled *bool `json:"enabled,omitempty"`

	// Path of the agent's metrics, for an image that serves them elsewhere
	// than /metrics, where the platform allows it (input
	// agentOverrides.metrics).
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:Pattern=`^/[A-Za-z0-9/._~-]*$`
	// +optional
	Path *string `json:"path,omitempty"`

	// Interval of the agent's scrapes, a Prometheus duration such as 15s or
	// 1m, between the platform's scrape timeout and 1h, where the platform
	// allows it (input agentOverrides.metrics).
	// +kubebuilder:validation:MaxLength=16
	// +kubebuilder:validation:Pattern=`^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$`
	// +optional
	Interval *string `json:"interval,omitempty"`
}

// DisruptionBudget sets one of the PodDisruptionBudget's bounds, as a
// number of pods or a percentage such as 50%.
//
// +kubebuilder:validation:XValidation:rule="has(self.minAvailable) != has(self.maxUnavailable)",message="set exactly one of minAvailable and maxUnavailable"
type DisruptionBudget struct {
	// MinAvailable pods during voluntary disruptions; below the agent's
	// guaranteed replicas, so that a node drain can proceed.
	// +optional
	MinAvailable *intstr.IntOrString `json:"minAvailable,omitempty"`

	// MaxUnavailable pods during voluntary disruptions; at least 1 (or
	// 1%), so that a node drain can proceed.
	// +optional
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// ReservedEnvNames are the environment variables the function composes
// (the agent contract's first group): spec.env may not set them.
var ReservedEnvNames = []string{
	"PORT", "MODEL_NAME", "MODEL_PROVIDER", "API_ENDPOINT", "API_KEY", "API_KEY_FILE",
	"MAX_TOKENS", "TEMPERATURE", "SYSTEM_PROMPT_FILE", "MODEL_CONTEXT_WINDOW",
}
