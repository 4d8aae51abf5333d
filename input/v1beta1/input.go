package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Input configures how the function composes AgentDeployments.
//
// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:resource:categories=crossplane
type Input struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Models extend the built-in model catalog or override its entries'
	// images and endpoints.
	// +optional
	// +listType=map
	// +listMapKey=name
	Models []ModelOverride `json:"models,omitempty"`

	// DefaultResources apply where an AgentDeployment sets no requests or
	// limits. Default: requests cpu 250m, memory 512Mi; limits cpu 1,
	// memory 1Gi.
	// +optional
	DefaultResources *Resources `json:"defaultResources,omitempty"`

	// Gateway is who may call agents: the NetworkPolicy admits ingress to
	// the agent's http port only from pods these selectors match.
	// +optional
	Gateway *Gateway `json:"gateway,omitempty"`

	// Monitoring configures the ServiceMonitor and the PrometheusRule.
	// +optional
	Monitoring *Monitoring `json:"monitoring,omitempty"`

	// Alerts sets the PrometheusRule's thresholds and severities.
	// +optional
	Alerts *Alerts `json:"alerts,omitempty"`

	// Autoscaling chooses the engine that scales autoscaled agents.
	// +optional
	Autoscaling *Autoscaling `json:"autoscaling,omitempty"`

	// Compose turns the optional composed resources on or off. Each is on
	// by default.
	// +optional
	Compose *Compose `json:"compose,omitempty"`

	// ResourceNamePrefix is put before the name of every composed resource
	// this function adds to the pipeline, so it can be one step among others
	// without colliding with their resources. Default: none.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?-?$`
	// +optional
	ResourceNamePrefix string `json:"resourceNamePrefix,omitempty"`

	// ProgressDeadlineSeconds is how long a rollout of the agent may make no
	// progress before its Deployment, and so the AgentDeployment, is Failed.
	// Default: 600.
	// +kubebuilder:validation:Minimum=10
	// +kubebuilder:validation:Maximum=86400
	// +optional
	ProgressDeadlineSeconds *int32 `json:"progressDeadlineSeconds,omitempty"`

	// TTL is how long Crossplane may cache the function's response.
	// +optional
	TTL *TTL `json:"ttl,omitempty"`

	// Network says which destinations agents may connect to besides cluster
	// DNS: the NetworkPolicy's egress rules.
	// +optional
	Network *Network `json:"network,omitempty"`

	// Images restricts the images an AgentDeployment's spec.image may name.
	// +optional
	Images *Images `json:"images,omitempty"`

	AgentPolicy `json:",inline"`

	// Delivery says where the composed resources go: this cluster, or a
	// workload cluster through provider-kubernetes Objects. Default: this
	// cluster.
	// +optional
	Delivery *Delivery `json:"delivery,omitempty"`
}

// ModelOverride adds a model to the catalog or changes one.
type ModelOverride struct {
	// Name of the model, as an AgentDeployment's spec.model says it.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// Provider of the model: anthropic, openai, google, mistral or
	// self-hosted. Required for a model the catalog lacks.
	// +kubebuilder:validation:Enum=anthropic;openai;google;mistral;self-hosted
	// +optional
	Provider string `json:"provider,omitempty"`

	// Image of the agent runtime for the model.
	// +optional
	Image string `json:"image,omitempty"`

	// Endpoint is the model API's base URL.
	// +optional
	Endpoint string `json:"endpoint,omitempty"`

	// ContextWindow of the model, in tokens.
	// +kubebuilder:validation:Minimum=1
	// +optional
	ContextWindow int32 `json:"contextWindow,omitempty"`

	// Server selects a self-hosted model's server pods, the only
	// destination its agents may reach on the endpoint's port. Default: every
	// pod in the namespace of the endpoint's Service address
	// (<service>.<namespace>.svc...); required when the endpoint is not one.
	// +optional
	Server *PeerSelector `json:"server,omitempty"`
}

// Resources are default requests and limits, as Kubernetes quantities.
type Resources struct {
	// +optional
	Requests *ResourceAmounts `json:"requests,omitempty"`
	// +optional
	Limits *ResourceAmounts `json:"limits,omitempty"`
}

// ResourceAmounts are a CPU and a memory quantity.
type ResourceAmounts struct {
	// +optional
	CPU string `json:"cpu,omitempty"`
	// +optional
	Memory string `json:"memory,omitempty"`
}

// Gateway selects the pods allowed to call agents.
type Gateway struct {
	// PodSelector of the gateway's pods. Default:
	// app.kubernetes.io/name=agent-gateway.
	// +optional
	PodSelector *metav1.LabelSelector `json:"podSelector,omitempty"`

	// NamespaceSelector of the gateway's namespace. Default: none, so only
	// gateway pods in the agent's own namespace match.
	// +optional
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`
}

// Monitoring tells where Prometheus runs and how it finds agents.
type Monitoring struct {
	// PrometheusNamespaceSelector selects the namespace Prometheus runs in,
	// for the NetworkPolicy. Default: kubernetes.io/metadata.name=monitoring.
	// +optional
	PrometheusNamespaceSelector *metav1.LabelSelector `json:"prometheusNamespaceSelector,omitempty"`

	// PrometheusPodSelector selects Prometheus' pods, for the
	// NetworkPolicy. Default: app.kubernetes.io/name=prometheus.
	// +optional
	PrometheusPodSelector *metav1.LabelSelector `json:"prometheusPodSelector,omitempty"`

	// Labels put on the ServiceMonitor and PrometheusRule so that the
	// Prometheus Operator's selectors pick them up. Default: none.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// ScrapeInterval of the agent's metrics. Default: 30s.
	// +kubebuilder:validation:Pattern=`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`
	// +optional
	ScrapeInterval string `json:"scrapeInterval,omitempty"`

	// ScrapeTimeout of the agent's metrics; at most the interval. Default: 10s.
	// +kubebuilder:validation:Pattern=`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`
	// +optional
	ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
}

// Alerts are the PrometheusRule's thresholds.
type Alerts struct {
	// ErrorRatePercent of failed LLM requests above which HighErrorRate
	// fires. Default: 5.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	ErrorRatePercent *float64 `json:"errorRatePercent,omitempty"`

	// ErrorRateFor is how long the error rate must stay high. Default: 5m.
	// +optional
	ErrorRateFor string `json:"errorRateFor,omitempty"`

	// CostPerHourUSD above which HighLLMCosts fires. Default: 100.
	// +kubebuilder:validation:Minimum=0
	// +optional
	CostPerHourUSD *float64 `json:"costPerHourUSD,omitempty"`

	// CostFor is how long the cost must stay high. Default: 15m.
	// +optional
	CostFor string `json:"costFor,omitempty"`

	// ErrorRateSeverity is HighErrorRate's severity label, which
	// Alertmanager routes on. Default: critical (failing requests reach
	// users now).
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`
	// +optional
	ErrorRateSeverity string `json:"errorRateSeverity,omitempty"`

	// CostSeverity is HighLLMCosts' severity label. Default: warning (spend
	// over budget needs a person in working hours, not a page).
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`
	// +optional
	CostSeverity string `json:"costSeverity,omitempty"`
}

// Compose turns optional composed resources on or off.
type Compose struct {
	// HorizontalPodAutoscaler, for AgentDeployments with autoscaling
	// enabled. Default: true.
	// +optional
	HorizontalPodAutoscaler *bool `json:"horizontalPodAutoscaler,omitempty"`
	// PodDisruptionBudget. Default: true.
	// +optional
	PodDisruptionBudget *bool `json:"podDisruptionBudget,omitempty"`
	// NetworkPolicy. Default: true.
	// +optional
	NetworkPolicy *bool `json:"networkPolicy,omitempty"`
	// ServiceMonitor; needs the Prometheus Operator's CRDs. Default: true.
	// +optional
	ServiceMonitor *bool `json:"serviceMonitor,omitempty"`
	// PrometheusRule; needs the Prometheus Operator's CRDs. Default: true.
	// +optional
	PrometheusRule *bool `json:"prometheusRule,omitempty"`
}

// TTL is how long Crossplane may cache the function's response before it
// calls the function again. Crossplane also calls it whenever the XR or a
// composed resource changes.
type TTL struct {
	// Converging applies while the agent is not Running. Default: 15s.
	// +optional
	Converging *metav1.Duration `json:"converging,omitempty"`
	// Stable applies while the agent is Running. Default: 5m.
	// +optional
	Stable *metav1.Duration `json:"stable,omitempty"`
}
