package status

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Reasons of ResourcesReady.
const (
	ReasonAllReady = "AllReady"
	ReasonNotReady = "NotReady"
)

// resourcesReady says whether every composed resource besides the
// Deployment (which WorkloadAvailable and RolloutComplete cover) is ready.
func resourcesReady(notReady []string) Condition {
	if len(notReady) == 0 {
		return Condition{Type: TypeResourcesReady, Status: metav1.ConditionTrue, Reason: ReasonAllReady, Message: "every composed resource besides the Deployment is ready"}
	}
	return Condition{Type: TypeResourcesReady, Status: metav1.ConditionFalse, Reason: ReasonNotReady, Message: "not ready: " + strings.Join(notReady, "; ")}
}
