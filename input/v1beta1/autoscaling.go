package v1beta1

// Autoscaling chooses what scales the AgentDeployments that enable
// spec.autoscaling. App teams set only the bounds and targets; the engine is
// the platform's choice, made once per Composition.
type Autoscaling struct {
	// Engine that scales agents: HPA composes a HorizontalPodAutoscaler
	// (the request-rate target needs prometheus-adapter with the rule in
	// deploy/monitoring/prometheus-adapter.yaml); KEDA composes a KEDA
	// ScaledObject (KEDA's own prometheus trigger reads the request rate).
	// Default: HPA.
	// +kubebuilder:validation:Enum=HPA;KEDA
	// +optional
	Engine string `json:"engine,omitempty"`

	// KEDA configures the ScaledObjects of the KEDA engine.
	// +optional
	KEDA *KEDA `json:"keda,omitempty"`
}

// KEDA configures the ScaledObjects the function composes.
type KEDA struct {
	// PrometheusServerAddress is the Prometheus KEDA's prometheus trigger
	// queries for an agent's request rate. Default:
	// http://prometheus-operated.monitoring.svc:9090 (the Prometheus
	// Operator's Service in namespace monitoring).
	// +optional
	PrometheusServerAddress string `json:"prometheusServerAddress,omitempty"`
}
