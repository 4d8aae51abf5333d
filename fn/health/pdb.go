package health

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ReasonStatusNotObserved: the controller has not reported on the object yet.
const ReasonStatusNotObserved = "StatusNotObserved"

// podDisruptionBudget is ready once the disruption controller has reported on
// its current generation.
func podDisruptionBudget(u *unstructured.Unstructured) Verdict {
	observed, found, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	if !found || observed < u.GetGeneration() {
		return Verdict{Reason: ReasonStatusNotObserved, Message: "waiting for the disruption controller to report its status"}
	}
	return Verdict{Ready: true, Reason: ReasonReady}
}
