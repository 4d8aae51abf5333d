// Package v1beta1 is the input of the AgentOps composition function: what a
// platform team sets in its Composition. Every field is optional; the
// defaults are documented on each field and applied by the function.
//
// +kubebuilder:object:generate=true
// +groupName=agentops.fn.crossplane.io
// +versionName=v1beta1
package v1beta1
