package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Phase sums up an AgentDeployment's health.
// +kubebuilder:validation:Enum=Pending;Running;Degraded;Failed
type Phase string

// Phases, from the observed state of the composed resources.
const (
	// PhasePending: nothing observed yet, or no replica ready.
	PhasePending Phase = "Pending"
	// PhaseRunning: every desired replica updated, available and ready, and
	// every composed resource ready.
	PhaseRunning Phase = "Running"
	// PhaseDegraded: serving with fewer ready replicas than desired, or a
	// rollout in progress.
	PhaseDegraded Phase = "Degraded"
	// PhaseFailed: the rollout failed, or no replica could be started.
	PhaseFailed Phase = "Failed"
)

// AgentDeploymentStatus is what the cluster reports of the agent, derived
// from the observed composed resources on every reconcile.
type AgentDeploymentStatus struct {
	// Phase sums up the agent's health: Pending, Running, Degraded or Failed.
	// +optional
	Phase Phase `json:"phase,omitempty"`

	// Model the agent runs.
	// +optional
	Model string `json:"model,omitempty"`

	// Replicas desired: spec.replicas, or the autoscaler's current count.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// ReadyReplicas are the agent's pods that pass their readiness probe.
	// +optional
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`

	// AvailableReplicas have been ready for at least minReadySeconds.
	// +optional
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`

	// UpdatedReplicas run the newest pod template.
	// +optional
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`

	// ObservedGeneration is the AgentDeployment generation this status
	// reflects.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Endpoint is the agent's in-cluster address, host:port.
	// +optional
	Endpoint string `json:"endpoint,omitempty"`

	// Selector of the agent's pods, for the scale subresource.
	// +optional
	Selector string `json:"selector,omitempty"`

	// ServiceAccountName is the name of the agent's ServiceAccount, in the
	// agent's namespace: what a parent XR binds a cloud or Vault identity
	// to. Known from the first reconcile, before the ServiceAccount exists.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`

	// Conditions of the agent, set by Crossplane (Ready, Synced) and by the
	// AgentOps function (Validated, WorkloadAvailable, RolloutComplete,
	// AutoscalingActive, ResourcesReady). Crossplane supplies this field's
	// schema.
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}
