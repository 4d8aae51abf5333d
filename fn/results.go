package fn

import (
	"google.golang.org/protobuf/types/known/durationpb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/status"
)

// Reasons of the function's own conditions and results.
const (
	reasonInvalidSpec   = "InvalidSpec"
	reasonInternalError = "InternalError"
)

// invalid answers a request whose input or XR is wrong: a Fatal result, so
// Crossplane changes nothing, and a Validated=False condition with the same
// message on the XR and its claim. The desired state is the request's own,
// untouched.
func invalid(req *fnv1.RunFunctionRequest, err error) *fnv1.RunFunctionResponse {
	rsp := newResponse(req, settings.DefaultTTLConverging)
	addCondition(rsp, fnv1.Target_TARGET_COMPOSITE_AND_CLAIM, status.TypeValidated, fnv1.Status_STATUS_CONDITION_FALSE, reasonInvalidSpec, err.Error())
	addResult(rsp, fnv1.Target_TARGET_COMPOSITE, fnv1.Severity_SEVERITY_FATAL, "", err.Error())
	return rsp
}

// internalError answers a request the function failed on through no fault of
// the user's: a Fatal result and the request's own desired state, as for
// invalid input, but Validated is Unknown, not False, with its own reason.
// False would blame the spec, which the function may not even have read.
func internalError(req *fnv1.RunFunctionRequest, err error) *fnv1.RunFunctionResponse {
	rsp := newResponse(req, settings.DefaultTTLConverging)
	addCondition(rsp, fnv1.Target_TARGET_COMPOSITE_AND_CLAIM, status.TypeValidated, fnv1.Status_STATUS_CONDITION_UNKNOWN, reasonInternalError, err.Error())
	addResult(rsp, fnv1.Target_TARGET_COMPOSITE, fnv1.Severity_SEVERITY_FATAL, "", err.Error())
	return rsp
}

// conditionStatus is the protocol's form of each condition status.
var conditionStatus = map[metav1.ConditionStatus]fnv1.Status{
	metav1.ConditionTrue:    fnv1.Status_STATUS_CONDITION_TRUE,
	metav1.ConditionFalse:   fnv1.Status_STATUS_CONDITION_FALSE,
	metav1.ConditionUnknown: fnv1.Status_STATUS_CONDITION_UNKNOWN,
}

// report sets the derived conditions and warnings, on the claim too on the
// legacy path, and the TTL. No Normal result: Crossplane would turn each into
// an event on every call. The TTL is short until the agent is Running (as
// the input's ttl documents), so a Pending agent is judged Failed soon after
// its deadline; Crossplane also calls again whenever a composed resource
// changes.
func report(rsp *fnv1.RunFunctionResponse, r status.Result, s *settings.Settings) {
	target := fnv1.Target_TARGET_COMPOSITE
	if r.Claim {
		target = fnv1.Target_TARGET_COMPOSITE_AND_CLAIM
	}
	for _, c := range r.Conditions {
		st, ok := conditionStatus[c.Status]
		if !ok {
			st = fnv1.Status_STATUS_CONDITION_UNKNOWN
		}
		addCondition(rsp, target, c.Type, st, c.Reason, c.Message)
	}
	for _, w := range r.Warnings {
		addResult(rsp, target, fnv1.Severity_SEVERITY_WARNING, w.Reason, w.Message)
	}
	ttl := s.TTLConverging
	if r.Ready {
		ttl = s.TTLStable
	}
	// Crossplane calls again when a composed resource changes, but not
	// when a CRD appears: look again soon for one the agent waits for.
	if len(r.AwaitingCRDs) > 0 {
		ttl = min(ttl, settings.TTLAwaitingCRDs)
	}
	rsp.Meta.Ttl = durationpb.New(ttl)
}
