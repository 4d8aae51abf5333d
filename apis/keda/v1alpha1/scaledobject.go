package v1alpha1

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// SchemeGroupVersion is KEDA's API group and version.
var SchemeGroupVersion = schema.GroupVersion{Group: "keda.sh", Version: "v1alpha1"}

// KindScaledObject is the kind this package defines.
const KindScaledObject = "ScaledObject"

// AddToScheme registers ScaledObject with a scheme.
func AddToScheme(s *runtime.Scheme) error {
	s.AddKnownTypes(SchemeGroupVersion, &ScaledObject{})
	metav1.AddToGroupVersion(s, SchemeGroupVersion)
	return nil
}

// ScaledObject has KEDA scale a workload: KEDA makes and owns the
// HorizontalPodAutoscaler, fed by its triggers.
//
// +kubebuilder:object:root=true
type ScaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ScaledObjectSpec   `json:"spec"`
	Status ScaledObjectStatus `json:"status,omitempty"`
}

// ScaledObjectSpec is what to scale, between which counts, on what.
type ScaledObjectSpec struct {
	ScaleTargetRef  *ScaleTarget    `json:"scaleTargetRef"`
	PollingInterval *int32          `json:"pollingInterval,omitempty"`
	MinReplicaCount *int32          `json:"minReplicaCount,omitempty"`
	MaxReplicaCount *int32          `json:"maxReplicaCount,omitempty"`
	Advanced        *AdvancedConfig `json:"advanced,omitempty"`
	Triggers        []ScaleTriggers `json:"triggers"`
	Fallback        *Fallback       `json:"fallback,omitempty"`
}

// ScaleTarget names the workload; apiVersion and kind default to apps/v1
// Deployment.
type ScaleTarget struct {
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// AdvancedConfig passes settings to the HPA KEDA makes.
type AdvancedConfig struct {
	HorizontalPodAutoscalerConfig *HorizontalPodAutoscalerConfig `json:"horizontalPodAutoscalerConfig,omitempty"`
}

// HorizontalPodAutoscalerConfig is the HPA's scaling behaviour.
type HorizontalPodAutoscalerConfig struct {
	Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
}

// ScaleTriggers is one source of a metric: its scaler type (cpu, memory,
// prometheus, ...), its name and the scaler's metadata.
type ScaleTriggers struct {
	Type       string                         `json:"type"`
	Name       string                         `json:"name,omitempty"`
	Metadata   map[string]string              `json:"metadata"`
	MetricType autoscalingv2.MetricTargetType `json:"metricType,omitempty"`
}

// Fallback is the replica count KEDA feeds the HPA while a trigger fails,
// after FailureThreshold failures; Behavior says how it meets the current
// count.
type Fallback struct {
	FailureThreshold int32  `json:"failureThreshold"`
	Replicas         int32  `json:"replicas"`
	Behavior         string `json:"behavior,omitempty"`
}

// Fallback behaviours (KEDA's FallbackBehavior* constants).
const (
	// FallbackCurrentReplicasIfHigher keeps the current count when it is
	// above the fallback's: a failing trigger never scales down.
	FallbackCurrentReplicasIfHigher = "currentReplicasIfHigher"
)

// ScaledObjectStatus is what KEDA reports: the fields the function reads.
type ScaledObjectStatus struct {
	Conditions []Condition `json:"conditions,omitempty"`
	// Health of each trigger's metric, by metric name (such as
	// "s2-prometheus"): Happy or Failing.
	Health  map[string]HealthStatus `json:"health,omitempty"`
	HpaName string                  `json:"hpaName,omitempty"`
}

// Condition types KEDA sets on a ScaledObject.
const (
	ConditionReady     = "Ready"
	ConditionActive    = "Active"
	ConditionFallback  = "Fallback"
	ConditionPaused    = "Paused"
	ConditionHPAActive = "HPAActive"
)

// Condition is one of KEDA's conditions.
type Condition struct {
	Type    string                 `json:"type"`
	Status  metav1.ConditionStatus `json:"status"`
	Reason  string                 `json:"reason,omitempty"`
	Message string                 `json:"message,omitempty"`
}

// HealthStatus of one trigger's metric.
type HealthStatus struct {
	NumberOfFailures *int32 `json:"numberOfFailures,omitempty"`
	Status           string `json:"status,omitempty"`
}

// HealthFailing is the Status of a metric KEDA cannot read.
const HealthFailing = "Failing"
