package v1beta1

import (
	corev1 "k8s.io/api/core/v1"
)

// AgentPolicy bounds what an AgentDeployment may set beyond its model: the
// tools it calls, its pod metadata, its image pulls, where it runs and the
// switches an app team may turn.
type AgentPolicy struct {
	// Tools bounds an AgentDeployment's spec.tools. Default: tools in the
	// agent's own namespace only.
	// +optional
	Tools *ToolPolicy `json:"tools,omitempty"`

	// PodMetadata bounds an AgentDeployment's spec.podMetadata. Default: no
	// prefix, so no extra label or annotation.
	// +optional
	PodMetadata *PodMetadataPolicy `json:"podMetadata,omitempty"`

	// ImagePull sets the pull secrets and pull policy of agents' images.
	// +optional
	ImagePull *ImagePull `json:"imagePull,omitempty"`

	// Scheduling of every agent's pods, and the node pools an
	// AgentDeployment's spec.nodePool may name.
	// +optional
	Scheduling *Scheduling `json:"scheduling,omitempty"`

	// AgentOverrides says which per-agent switches an AgentDeployment may
	// turn. Default: all of them.
	// +optional
	AgentOverrides *AgentOverrides `json:"agentOverrides,omitempty"`
}

// ToolPolicy says which tools agents may call.
type ToolPolicy struct {
	// SameNamespace admits in-cluster tools in the agent's own namespace.
	// Default: true.
	// +optional
	SameNamespace *bool `json:"sameNamespace,omitempty"`

	// Namespaces, besides the agent's own, whose pods agents may call as
	// tools. Default: none.
	// +optional
	// +listType=set
	Namespaces []string `json:"namespaces,omitempty"`

	// CIDRs an external tool's cidr must lie within. They may not overlap
	// loopback or link-local ranges (the cloud metadata service). Default:
	// none, so no external tool.
	// +optional
	// +listType=set
	CIDRs []string `json:"cidrs,omitempty"`
}

// PodMetadataPolicy says which extra labels and annotations agents' pods
// may carry, as key prefixes ("sidecar.istio.io/inject" admits that key,
// "cost.example.com/" every key under it). Keys AgentOps sets are refused
// whatever the prefixes.
type PodMetadataPolicy struct {
	// LabelPrefixes of the labels an AgentDeployment may add. Default: none.
	// +optional
	// +listType=set
	LabelPrefixes []string `json:"labelPrefixes,omitempty"`

	// AnnotationPrefixes of the annotations an AgentDeployment may add.
	// Default: none.
	// +optional
	// +listType=set
	AnnotationPrefixes []string `json:"annotationPrefixes,omitempty"`
}

// ImagePull sets how agents' images are pulled.
type ImagePull struct {
	// Secrets every agent's pods pull with (names of Secrets in the agent's
	// namespace), before the AgentDeployment's spec.imagePullSecrets.
	// Default: none.
	// +optional
	// +listType=set
	Secrets []string `json:"secrets,omitempty"`

	// AgentSecrets lets an AgentDeployment add its own spec.imagePullSecrets.
	// Default: true.
	// +optional
	AgentSecrets *bool `json:"agentSecrets,omitempty"`

	// Policy is the image pull policy of agents that set none. Default:
	// IfNotPresent.
	// +kubebuilder:validation:Enum=Always;IfNotPresent;Never
	// +optional
	Policy string `json:"policy,omitempty"`

	// AllowedPolicies an AgentDeployment's spec.imagePullPolicy may name.
	// Default: Always and IfNotPresent.
	// +optional
	// +listType=set
	AllowedPolicies []string `json:"allowedPolicies,omitempty"`
}

// Scheduling places agents' pods.
type Scheduling struct {
	// NodeSelector of every agent's pods. Default: none.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// Tolerations of every agent's pods. Default: none.
	// +optional
	// +listType=atomic
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`

	// Affinity of every agent's pods. Default: none.
	// +optional
	Affinity *corev1.Affinity `json:"affinity,omitempty"`

	// PriorityClassName of every agent's pods. Default: none.
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`

	// TopologySpreadConstraints added to the agent's own (one replica per
	// node where it can). A constraint without a labelSelector spreads the
	// agent's own pods. Default: none.
	// +optional
	// +listType=atomic
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`

	// NodePools an AgentDeployment's spec.nodePool may name. Default: none.
	// +optional
	// +listType=map
	// +listMapKey=name
	NodePools []NodePool `json:"nodePools,omitempty"`
}

// NodePool is a group of nodes an agent may ask to run on.
type NodePool struct {
	// Name an AgentDeployment's spec.nodePool says.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// NodeSelector of the pool's nodes, added to the platform's.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// Tolerations of the pool's taints, added to the platform's.
	// +optional
	// +listType=atomic
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
}

// AgentOverrides are the per-agent switches an AgentDeployment may turn.
// Each defaults to true.
type AgentOverrides struct {
	// MonitoringOff lets spec.monitoring.enabled be false.
	// +optional
	MonitoringOff *bool `json:"monitoringOff,omitempty"`

	// Metrics lets spec.monitoring set path and interval.
	// +optional
	Metrics *bool `json:"metrics,omitempty"`

	// DisruptionBudget lets spec.disruptionBudget set the
	// PodDisruptionBudget's bounds.
	// +optional
	DisruptionBudget *bool `json:"disruptionBudget,omitempty"`
}
