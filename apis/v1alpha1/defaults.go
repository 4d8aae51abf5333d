package v1alpha1

// Defaults of the spec. They match the +kubebuilder:default markers on the
// types (a test compares them with the generated XRD): the API server applies
// the markers, and Default applies the same values where no API server did,
// as in `crossplane composition render`.
const (
	DefaultReplicas                int32   = 1
	DefaultMaxTokens               int32   = 4096
	DefaultTemperature             float64 = 0.7
	DefaultAPIKeyKey                       = "api-key"
	DefaultMinReplicas             int32   = 1
	DefaultMaxReplicas             int32   = 10
	DefaultTargetCPUUtilization    int32   = 70
	DefaultTargetMemoryUtilization int32   = 80
	DefaultRequestsPerSecond       int32   = 0
)

// Default fills every unset optional field with its default, so that code
// reading the spec never meets a nil it must interpret.
func (s *AgentDeploymentSpec) Default() {
	if s.Replicas == nil {
		s.Replicas = new(DefaultReplicas)
	}
	if s.Resources == nil {
		s.Resources = &Resources{}
	}
	if s.Resources.Requests == nil {
		s.Resources.Requests = &ResourceAmounts{}
	}
	if s.Resources.Limits == nil {
		s.Resources.Limits = &ResourceAmounts{}
	}
	if s.Config == nil {
		s.Config = &AgentConfig{}
	}
	s.Config.Default()
	if s.Secrets == nil {
		s.Secrets = &Secrets{}
	}
	s.Secrets.Default()
	if s.Autoscaling == nil {
		s.Autoscaling = &Autoscaling{}
	}
	s.Autoscaling.Default()
}

// Default fills the config's unset fields.
func (c *AgentConfig) Default() {
	if c.MaxTokens == nil {
		c.MaxTokens = new(DefaultMaxTokens)
	}
	if c.Temperature == nil {
		c.Temperature = new(DefaultTemperature)
	}
	if c.SystemPrompt == nil {
		c.SystemPrompt = new("")
	}
}

// Default fills the secrets' unset fields.
func (s *Secrets) Default() {
	if s.APIKeyKey == nil {
		s.APIKeyKey = new(DefaultAPIKeyKey)
	}
	if s.Vault == nil {
		s.Vault = &Vault{}
	}
}

// Default fills the autoscaling's unset fields.
func (a *Autoscaling) Default() {
	if a.MinReplicas == nil {
		a.MinReplicas = new(DefaultMinReplicas)
	}
	if a.MaxReplicas == nil {
		a.MaxReplicas = new(DefaultMaxReplicas)
	}
	if a.TargetCPUUtilization == nil {
		a.TargetCPUUtilization = new(DefaultTargetCPUUtilization)
	}
	if a.TargetMemoryUtilization == nil {
		a.TargetMemoryUtilization = new(DefaultTargetMemoryUtilization)
	}
	if a.RequestsPerSecond == nil {
		a.RequestsPerSecond = new(DefaultRequestsPerSecond)
	}
}
