package settings

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Defaults of the input, documented on the input's fields.
const (
	DefaultScrapeInterval   = "30s"
	DefaultScrapeTimeout    = "10s"
	DefaultErrorRatePercent = 5.0
	DefaultErrorRateFor     = "5m"
	DefaultCostPerHourUSD   = 100.0
	DefaultCostFor          = "15m"
	DefaultTTLConverging    = 15 * time.Second
	DefaultTTLStable        = 5 * time.Minute
	// TTLAwaitingCRDs caps the TTL while an optional kind the agent would
	// compose lacks its CRD: the function composes it within a minute of
	// its CRD's install, at one call a minute per such agent.
	TTLAwaitingCRDs = time.Minute

	DefaultProgressDeadlineSeconds int32 = 600
)

// defaultResources are the agent container's requests and limits where
// neither the AgentDeployment nor the input set them.
func defaultResources() corev1.ResourceRequirements {
	return corev1.ResourceRequirements{
		Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("250m"),
			corev1.ResourceMemory: resource.MustParse("512Mi"),
		},
		Limits: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("1"),
			corev1.ResourceMemory: resource.MustParse("1Gi"),
		},
	}
}

// labelName is the recommended label of an application's name.
const labelName = "app.kubernetes.io/name"

func defaultGatewayPods() metav1.LabelSelector {
	return metav1.LabelSelector{MatchLabels: map[string]string{labelName: "agent-gateway"}}
}

func defaultPrometheusPods() metav1.LabelSelector {
	return metav1.LabelSelector{MatchLabels: map[string]string{labelName: "prometheus"}}
}

func defaultPrometheusNamespaces() metav1.LabelSelector {
	return metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: "monitoring"}}
}
