// Package status derives an AgentDeployment's status (phase, replica
// counts, endpoint, conditions, readiness) from the composed resources
// Crossplane observed. It is built from scratch on every call, never copied
// from the observed XR, so it can only say what the cluster reports now.
package status

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/health"
)

// Condition types the function sets on the XR (and the claim). Never
// Crossplane's own Ready and Synced. Every call sets all of them: Crossplane
// keeps a condition a function stops setting, which would then go stale.
const (
	TypeValidated           = "Validated"
	TypeWorkloadAvailable   = "WorkloadAvailable"
	TypeRolloutComplete     = "RolloutComplete"
	TypeAutoscalingActive   = "AutoscalingActive"
	TypeResourcesReady      = "ResourcesReady"
	TypeMonitoringAvailable = "MonitoringAvailable"
)

// A Condition to report.
type Condition struct {
	Type    string
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

// A Warning is a problem a person must act on; it becomes a Warning event.
type Warning struct {
	Reason  string
	Message string
}

// A Result of deriving the status.
type Result struct {
	Status v1alpha1.AgentDeploymentStatus
	// Desired are the objects to compose now: what Derive was given, less
	// what waits for objects its pods need (compose.InOrder).
	Desired []compose.Composed
	// Held are the objects left out of Desired, with what each waits for.
	Held []compose.Held
	// Health of each desired composed resource, by composition resource
	// name. Each becomes the resource's readiness.
	Health map[compose.Key]health.Result
	// Conditions to set, in a stable order.
	Conditions []Condition
	// Warnings to emit; none unless something needs a person.
	Warnings []Warning
	// Ready is the XR's own readiness: true only when Running.
	Ready bool
	// Claim is true on the legacy path, where conditions and warnings go to
	// the claim too.
	Claim bool
	// AwaitingCRDs lists the optional kinds the agent would compose whose
	// CRDs the cluster lacks: the function looks again sooner.
	AwaitingCRDs []crds.Kind
}

// Derive the status of w from the observed composed resources at now, and
// which of the objects the agent needs to compose now. all lists every
// object the agent needs; observed is what Crossplane sent, of which only
// the fields health.ReadFields lists are read.
func Derive(w *compose.Workload, all []compose.Composed, observed map[compose.Key]*unstructured.Unstructured, now time.Time) Result {
	desired, held := inOrder(all, observed)
	depKey := w.Key(compose.KeyDeployment)
	dep := observeDeployment(w, object(observed, depKey), object(observed, w.Key(compose.KeyHPA)), now, unobserved(w, all, observed))
	dep.held = heldBack(held, depKey)
	scaler := observeScaler(w, observed)

	r := Result{Desired: desired, Held: held, Health: make(map[compose.Key]health.Result, len(desired)), Claim: w.Agent.Legacy}
	for _, d := range desired {
		if d.Key == depKey {
			r.Health[d.Key] = dep.health.Result
			continue
		}
		r.Health[d.Key] = health.Of(object(observed, d.Key))
	}
	notReady := notReadyResources(desired, r.Health, depKey)

	r.Status = v1alpha1.AgentDeploymentStatus{
		Model:              string(w.Agent.Spec.Model),
		ObservedGeneration: w.Agent.Generation,
		Endpoint:           endpoint(object(observed, w.Key(compose.KeyService)), r.Health[w.Key(compose.KeyService)]),
		Selector:           selectorString(w.Selector()),
		ServiceAccountName: w.Names.Base,
		Replicas:           dep.want,
	}
	if dep.d != nil {
		r.Status.ReadyReplicas = dep.d.Status.ReadyReplicas
		r.Status.AvailableReplicas = dep.d.Status.AvailableReplicas
		r.Status.UpdatedReplicas = dep.d.Status.UpdatedReplicas
	}
	r.AwaitingCRDs = awaitingCRDs(w)
	r.Status.Phase = phase(dep, notReady)
	r.Ready = r.Status.Phase == v1alpha1.PhaseRunning
	r.Conditions = []Condition{
		{Type: TypeValidated, Status: metav1.ConditionTrue, Reason: "ValidSpec", Message: "the spec and the function's input are valid"},
		workloadAvailable(w, dep),
		rolloutComplete(w, dep),
		autoscalingActive(w, scaler),
		resourcesReady(notReady),
		monitoringAvailable(w),
	}
	if r.Status.Phase == v1alpha1.PhaseFailed {
		r.Warnings = []Warning{{Reason: dep.health.Reason, Message: describe(w, "Deployment") + " failed: " + dep.health.Message}}
	}
	return r
}
