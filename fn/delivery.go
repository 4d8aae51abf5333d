package fn

import (
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/status"
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

// judge composes w and derives its status from what the request observed,
// the way d delivers it, with the requirements to ask Crossplane for. In
// Local mode the observed objects are the agent's own, and only the kinds
// whose CRDs the control plane holds are composed. In Object mode they are
// read inside their Objects (in the XR's namespace), whose own conditions
// say whether they were delivered; every kind is composed, since the
// control plane's CRDs say nothing of a workload cluster's (a missing CRD
// there shows in its Object's Synced condition).
func judge(req *fnv1.RunFunctionRequest, w *compose.Workload, d settings.Delivery, xrNamespace string) (status.Result, *fnv1.Requirements) {
	composed := observed.Composed(req)
	if !d.Remote() {
		var requirements *fnv1.Requirements
		w.Installed, requirements = crds.Read(req)
		w.ObserveReplicas(composed[w.Key(compose.KeyDeployment)])
		return status.Derive(w, compose.All(w), composed, time.Now()), requirements
	}
	objects, remote := status.Unwrap(composed)
	w.ObserveReplicas(remote[w.Key(compose.KeyDeployment)])
	result := status.Derive(w, compose.All(w), remote, time.Now())
	return status.Deliver(w, result, objects, xrNamespace), nil
}
