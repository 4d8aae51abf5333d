// Package status derives an AgentDeployment's status (phase, replica
// counts, conditions, readiness) from the composed resources Crossplane
// observed. It is built from scratch on every call, never copied from the
// observed XR, so it can only say what the cluster reports now.
package status

import (
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// Condition types the function sets on the XR (and the claim). Never
// Crossplane's own Ready and Synced.
const (
	TypeValidated         = "Validated"
	TypeWorkloadAvailable = "WorkloadAvailable"
	TypeRolloutComplete   = "RolloutComplete"
	TypeAutoscalingActive = "AutoscalingActive"
	TypeResourcesReady    = "ResourcesReady"
)

// A Condition to report.
type Condition struct {
	Type    string
	Status  bool
	Reason  string
	Message string
}

// A Result of deriving the status.
type Result struct {
	Status v1alpha1.AgentDeploymentStatus
	// Verdicts on each desired composed resource, by composition resource name.
	Verdicts map[resource.Name]health.Verdict
	// Conditions to set, in a stable order.
	Conditions []Condition
	// Ready is the XR's own readiness: true only when Running.
	Ready bool
}

// Derive the status of w from the observed composed resources. desired
// lists what this function composes; observed is what Crossplane sent.
func Derive(w *compose.Workload, desired []compose.Composed, observed map[resource.Name]resource.ObservedComposed) Result {
	r := Result{Verdicts: make(map[resource.Name]health.Verdict, len(desired))}
	for _, d := range desired {
		o, ok := observed[d.Key]
		if !ok || o.Resource == nil {
			r.Verdicts[d.Key] = health.Of(nil)
			continue
		}
		r.Verdicts[d.Key] = health.Of(&o.Resource.Unstructured)
	}
	dep := observeDeployment(observed[w.Key(compose.KeyDeployment)])
	hpa := observeHPA(w, observed[w.Key(compose.KeyHPA)])

	r.Status = v1alpha1.AgentDeploymentStatus{
		Model:              string(w.Agent.Spec.Model),
		ObservedGeneration: w.Agent.Generation,
		Endpoint:           w.Endpoint(),
		Selector:           selectorString(w.Selector()),
		Replicas:           desiredReplicas(w, dep, hpa),
	}
	if dep.observed {
		r.Status.ReadyReplicas = dep.d.Status.ReadyReplicas
		r.Status.AvailableReplicas = dep.d.Status.AvailableReplicas
		r.Status.UpdatedReplicas = dep.d.Status.UpdatedReplicas
	}
	notReady := notReadyResources(desired, r.Verdicts, w.Key(compose.KeyDeployment))
	r.Status.Phase = phase(dep, r.Status.Replicas, notReady)
	r.Ready = r.Status.Phase == v1alpha1.PhaseRunning
	r.Conditions = []Condition{
		{Type: TypeValidated, Status: true, Reason: "ValidSpec", Message: "spec is valid"},
		workloadAvailable(dep, r.Status.Replicas),
		rolloutComplete(dep),
		autoscalingActive(w, hpa),
		resourcesReady(notReady),
	}
	return r
}
