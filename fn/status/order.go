package status

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// ReasonAwaitingDependencies: the Deployment is not composed yet, because
// objects its pods need are not there yet (compose.InOrder).
const ReasonAwaitingDependencies = "AwaitingDependencies"

// inOrder splits what the agent needs into what to compose now and what
// waits for objects its pods need: those must be observed and ready first.
func inOrder(all []compose.Composed, observed map[compose.Key]*unstructured.Unstructured) ([]compose.Composed, []compose.Held) {
	exists := func(k compose.Key) bool { return object(observed, k) != nil }
	ready := func(k compose.Key) bool { return health.Of(object(observed, k)).Ready() }
	return compose.InOrder(all, exists, ready)
}

// heldBack is what the object under key waits for, or nil if it is
// composed.
func heldBack(held []compose.Held, key compose.Key) *compose.Held {
	for i := range held {
		if held[i].Key == key {
			return &held[i]
		}
	}
	return nil
}

// unobserved lists the objects a pod can reference that the agent composes
// and Crossplane has not observed yet.
func unobserved(w *compose.Workload, all []compose.Composed, observed map[compose.Key]*unstructured.Unstructured) []health.Object {
	var out []health.Object
	for _, c := range all {
		if kind, name, ok := compose.Referable(c); ok && object(observed, c.Key) == nil {
			out = append(out, health.Object{Kind: kind, Namespace: w.Agent.Namespace, Name: name})
		}
	}
	return out
}

// awaiting says what a held-back Deployment waits for.
func awaiting(w *compose.Workload, h *compose.Held) string {
	names := make([]string, 0, len(h.Awaits))
	for _, c := range h.Awaits {
		kind, name, _ := compose.Referable(c)
		names = append(names, kind+" "+w.Agent.Namespace+"/"+name)
	}
	return describe(w, "Deployment") + " is composed once its pods can start: waiting for Crossplane to create " + strings.Join(names, " and ") +
		", which they need; if this lasts, see this resource's Synced condition and events"
}
