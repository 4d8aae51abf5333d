package fn

import (
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/settings"
)

// deliveredAgent is a as its objects see it: in Object mode with a target
// namespace set, they go to that namespace of the workload cluster, while
// their Objects stay in the XR's namespace (status.Deliver). a is not
// changed: its Namespace still says where the XR is.
func deliveredAgent(a *agent.Agent, d settings.Delivery) *agent.Agent {
	if !d.Remote() || d.Namespace == "" {
		return a
	}
	remote := *a
	remote.Namespace = d.Namespace
	return &remote
}
