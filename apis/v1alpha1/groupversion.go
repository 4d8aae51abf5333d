package v1alpha1

import "k8s.io/apimachinery/pkg/runtime/schema"

// The AgentDeployment API's identity.
const (
	Group   = "agentops.io"
	Version = "v1alpha1"
	Kind    = "AgentDeployment"
	Plural  = "agentdeployments"

	// LegacyKind is the cluster-scoped composite kind of the legacy v1 XRD,
	// whose claim kind is Kind.
	LegacyKind   = "XAgentDeployment"
	LegacyPlural = "xagentdeployments"
)

// SchemeGroupVersion is the API's group and version.
var SchemeGroupVersion = schema.GroupVersion{Group: Group, Version: Version}
