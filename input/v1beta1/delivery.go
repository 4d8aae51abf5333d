package v1beta1

// Delivery says where the composed resources go: into the control plane's
// own cluster (Local), or into a workload cluster, each wrapped in a
// provider-kubernetes Object (kubernetes.m.crossplane.io/v1alpha1) that
// applies it there through a ProviderConfig. A platform team ships one
// Composition per target cluster.
type Delivery struct {
	// Mode is Local (compose into this cluster) or Object (wrap every
	// composed resource in a provider-kubernetes Object). Switching a
	// Composition's mode deletes the agent's objects on one side and
	// creates them on the other (docs/remote.md). Default: Local.
	// +kubebuilder:validation:Enum=Local;Object
	// +optional
	Mode string `json:"mode,omitempty"`

	// ProviderConfigRef is the provider-kubernetes config that reaches the
	// workload cluster. A ProviderConfig is looked up in the
	// AgentDeployment's namespace, a ClusterProviderConfig cluster-wide.
	// Object mode only. Default: ClusterProviderConfig default.
	// +optional
	ProviderConfigRef *ProviderConfigReference `json:"providerConfigRef,omitempty"`

	// Namespace in the workload cluster that the agent's objects go to; it
	// must exist there. Object mode only. Default: the AgentDeployment's
	// namespace (the claim's, for a legacy claim).
	// +kubebuilder:validation:MaxLength=63
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Object sets the options of the Objects. Object mode only.
	// +optional
	Object *ObjectOptions `json:"object,omitempty"`
}

// ProviderConfigReference names a provider-kubernetes config.
type ProviderConfigReference struct {
	// Kind is ProviderConfig (in the AgentDeployment's namespace) or
	// ClusterProviderConfig. Default: ClusterProviderConfig.
	// +kubebuilder:validation:Enum=ProviderConfig;ClusterProviderConfig
	// +optional
	Kind string `json:"kind,omitempty"`

	// Name of the config. Default: default.
	// +optional
	Name string `json:"name,omitempty"`
}

// ObjectOptions are the provider-kubernetes Object's options the function
// sets on every Object it composes.
type ObjectOptions struct {
	// ManagementPolicies are what the provider may do to the remote objects:
	// any of Observe, Create, Update, Delete, LateInitialize, or *. They must
	// include Observe (or *): the function judges the agent from the remote
	// objects the provider observes. Default: [*].
	// +listType=set
	// +optional
	ManagementPolicies []string `json:"managementPolicies,omitempty"`

	// Readiness is how the provider computes each Object's own Ready
	// condition. The function judges the remote objects itself and needs
	// none of them. Default: the provider's, SuccessfulCreate.
	// +optional
	Readiness *ObjectReadiness `json:"readiness,omitempty"`

	// Watch asks the provider to watch the remote objects rather than poll
	// them, so that the AgentDeployment's status follows them in seconds.
	// The provider honours it only when started with --enable-watches.
	// Default: false.
	// +optional
	Watch *bool `json:"watch,omitempty"`
}

// ObjectReadiness is an Object's readiness policy.
type ObjectReadiness struct {
	// Policy is SuccessfulCreate, DeriveFromObject, AllTrue or
	// DeriveFromCelQuery.
	// +kubebuilder:validation:Enum=SuccessfulCreate;DeriveFromObject;AllTrue;DeriveFromCelQuery
	// +optional
	Policy string `json:"policy,omitempty"`

	// CelQuery decides readiness under DeriveFromCelQuery, and only there.
	// +optional
	CelQuery string `json:"celQuery,omitempty"`
}
