// Package v1alpha1 holds the AgentDeployment API: one object an app team
// writes to get a production-grade LLM agent workload.
//
// The Go types are the source of truth: `make generate` turns them into the
// CompositeResourceDefinitions under apis/ (see apis/internal/xrdgen).
//
// +kubebuilder:object:generate=true
// +groupName=agentops.io
// +versionName=v1alpha1
package v1alpha1
