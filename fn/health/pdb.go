package health

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ReasonStatusNotObserved: the controller has not reported on the object yet.
const ReasonStatusNotObserved = "StatusNotObserved"

// podDisruptionBudget is ready once the disruption controller has reported on
// its current generation. Too few healthy pods is the Deployment's problem,
// reported there, not the budget's.
func podDisruptionBudget(u *unstructured.Unstructured) Result {
	observed, found := Int64(u, "status", "observedGeneration")
	generation, _ := Int64(u, "metadata", "generation")
	if !found || observed < generation {
		return Result{State: InProgress, Reason: ReasonStatusNotObserved, Message: "waiting for the disruption controller to report its status"}
	}
	return Result{State: Current, Reason: ReasonReady, Message: "observed by the disruption controller"}
}
