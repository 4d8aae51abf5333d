package status

import (
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// In Object mode the agent's objects live in a workload cluster and the
// control plane observes provider-kubernetes Objects. Derive judges the
// remote objects the Objects report, exactly as it judges local ones (the
// same phases and conditions); Deliver then wraps what to compose in
// Objects and adds what the Objects themselves say: the Delivered
// condition, and each Object's readiness.

// TypeDelivered says whether provider-kubernetes applies every Object to
// the workload cluster; Object mode only.
const TypeDelivered = "Delivered"

// Reasons of Delivered.
const (
	ReasonDelivered  = "Delivered"
	ReasonDelivering = "Delivering"
)

// Objects are the observed Objects of Object mode, by the composition
// resource name of the object each wraps.
type Objects map[compose.Key]health.ObjectState

// Unwrap reads the observed Objects: it returns them, and the remote
// objects they report by the composition resource names of Local mode, as
// Derive reads them. Observed resources that are not Objects of ours are
// left out of both.
func Unwrap(observed map[compose.Key]*unstructured.Unstructured) (Objects, map[compose.Key]*unstructured.Unstructured) {
	objects := make(Objects, len(observed))
	manifests := make(map[compose.Key]*unstructured.Unstructured, len(observed))
	for k, u := range observed {
		local, ok := compose.LocalKey(k)
		if !ok {
			continue
		}
		s := health.ReadObject(u)
		objects[local] = s
		if s.Manifest != nil {
			manifests[local] = s.Manifest
		}
	}
	return objects, manifests
}

// Deliver turns r, derived from the remote objects, into Object mode's
// result: each object to compose wrapped in an Object in namespace (the
// XR's, on the control plane), each Object's readiness from its own
// conditions and its remote object's health, and the Delivered condition.
// The XR is Ready only when Running and every Object is delivered.
func Deliver(w *compose.Workload, r Result, objects Objects, namespace string) Result {
	r.Desired, r.Held = keepExisting(r.Desired, r.Held, objects)
	out := r
	out.Desired = compose.Wrap(w, namespace, r.Desired)
	out.Health = make(map[compose.Key]health.Result, len(r.Desired))
	var failed, pending []objectProblem
	for _, d := range r.Desired {
		own := objects[d.Key].Result
		if own.State == "" {
			own = health.Of(nil)
		}
		combined, judged := r.Health[d.Key]
		if !judged || !own.Ready() {
			combined = own
		}
		out.Health[compose.ObjectKey(d.Key)] = combined
		switch {
		case own.State == health.Failed:
			failed = append(failed, objectProblem{compose.ObjectKey(d.Key), own.Message})
		case !own.Ready():
			pending = append(pending, objectProblem{compose.ObjectKey(d.Key), own.Message})
		}
	}
	delivered := delivered(w, failed, pending)
	out.Conditions = append(append([]Condition(nil), r.Conditions...), delivered)
	if len(failed) > 0 {
		out.Warnings = append(append([]Warning(nil), r.Warnings...), Warning{Reason: health.ReasonObjectNotSynced, Message: delivered.Message})
	}
	out.Ready = r.Ready && delivered.Status == metav1.ConditionTrue
	return out
}

// keepExisting composes a held-back object anyway if its Object exists:
// left out of the desired state, Crossplane would delete the Object and so
// the remote object (compose.InOrder keeps what exists; here what exists
// is the Object, whether or not it reports a remote object yet).
func keepExisting(desired []compose.Composed, held []compose.Held, objects Objects) ([]compose.Composed, []compose.Held) {
	var still []compose.Held
	for _, h := range held {
		if s, ok := objects[h.Key]; ok && s.Result.State != health.NotFound {
			desired = append(desired, h.Composed)
			continue
		}
		still = append(still, h)
	}
	return desired, still
}

// delivered is the Delivered condition: False naming the ProviderConfig
// when provider-kubernetes cannot apply an Object, False while an Object is
// not applied yet, else True.
func delivered(w *compose.Workload, failed, pending []objectProblem) Condition {
	via := w.Settings.Delivery.ProviderConfigKind + " " + w.Settings.Delivery.ProviderConfigName
	switch {
	case len(failed) > 0:
		return Condition{Type: TypeDelivered, Status: metav1.ConditionFalse, Reason: health.ReasonObjectNotSynced, Message: "provider-kubernetes cannot deliver the agent's objects through " + via + ": " + grouped(failed)}
	case len(pending) > 0:
		return Condition{Type: TypeDelivered, Status: metav1.ConditionFalse, Reason: ReasonDelivering, Message: "not delivered yet through " + via + ": " + grouped(pending)}
	}
	return Condition{Type: TypeDelivered, Status: metav1.ConditionTrue, Reason: ReasonDelivered, Message: "every object is applied to the workload cluster through " + via}
}

// An objectProblem is why the Object under key is not delivered.
type objectProblem struct {
	key     compose.Key
	message string
}

// grouped lists problems once per message, with the Objects it concerns:
// Objects of one ProviderConfig mostly fail alike.
func grouped(problems []objectProblem) string {
	keys := map[string][]string{}
	for _, p := range problems {
		keys[p.message] = append(keys[p.message], string(p.key))
	}
	out := make([]string, 0, len(keys))
	for msg, ks := range keys {
		sort.Strings(ks)
		out = append(out, strings.Join(ks, ", ")+": "+msg)
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}
