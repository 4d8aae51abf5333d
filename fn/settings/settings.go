// Package settings resolves the function's input, as a platform team wrote
// it in the Composition, into complete settings: every default applied, the
// model catalog merged with the team's overrides, every value checked.
package settings

import (
	"time"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/apis/catalog"
)

// Settings are what the composers read. They are shared: the function
// resolves a Composition's input once and every call with that input, on any
// goroutine, reads the same Settings. Never write to them, nor to the maps,
// slices and selectors they hold: copy first (DeepCopy, maps.Clone).
type Settings struct {
	// Models by name: the built-in catalog with the input's overrides.
	Models map[string]catalog.Entry
	// ModelNames, sorted, for messages.
	ModelNames []string

	// DefaultResources of the agent container.
	DefaultResources corev1.ResourceRequirements

	// Who may call agents.
	GatewayPods       metav1.LabelSelector
	GatewayNamespaces *metav1.LabelSelector

	// Where Prometheus runs, and how it finds agents.
	PrometheusPods       metav1.LabelSelector
	PrometheusNamespaces metav1.LabelSelector
	MonitoringLabels     map[string]string
	ScrapeInterval       monv1.Duration
	ScrapeTimeout        monv1.Duration

	// Alert thresholds.
	ErrorRatePercent float64
	ErrorRateFor     monv1.Duration
	CostPerHourUSD   float64
	CostFor          monv1.Duration
	// Severity labels of the alerts.
	ErrorRateSeverity string
	CostSeverity      string

	// Engine that scales autoscaled agents, and the Prometheus KEDA's
	// trigger queries.
	Engine                Engine
	KEDAPrometheusAddress string

	// ProgressDeadlineSeconds of the agent's Deployment.
	ProgressDeadlineSeconds int32

	// Which optional resources to compose.
	Compose Compose

	// ResourceNamePrefix of the composition resource names.
	ResourceNamePrefix string

	// TTLs of the function's response.
	TTLConverging time.Duration
	TTLStable     time.Duration

	// Network is where agents may connect.
	Network Network

	// Images an AgentDeployment may run.
	Images Images

	// Policy bounds what an AgentDeployment may set beyond its model.
	Policy Policy
	// Delivery is where the composed resources go.
	Delivery Delivery
}

// Compose says which optional resources to compose.
type Compose struct {
	HorizontalPodAutoscaler bool
	PodDisruptionBudget     bool
	NetworkPolicy           bool
	ServiceMonitor          bool
	PrometheusRule          bool
}
