package fn

import (
	"errors"

	"google.golang.org/protobuf/types/known/durationpb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

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
	rsp := response.To(req, settings.DefaultTTLConverging)
	response.ConditionFalse(rsp, status.TypeValidated, reasonInvalidSpec).WithMessage(err.Error()).TargetCompositeAndClaim()
	response.Fatal(rsp, err)
	return rsp
}

// internalError answers a request the function failed on through no fault of
// the user's.
func internalError(req *fnv1.RunFunctionRequest, err error) *fnv1.RunFunctionResponse {
	rsp := response.To(req, settings.DefaultTTLConverging)
	response.ConditionFalse(rsp, status.TypeValidated, reasonInternalError).WithMessage(err.Error()).TargetCompositeAndClaim()
	response.Fatal(rsp, err)
	return rsp
}

// setCondition sets a condition of each status.
var setCondition = map[metav1.ConditionStatus]func(*fnv1.RunFunctionResponse, string, string) *response.ConditionOption{
	metav1.ConditionTrue:    response.ConditionTrue,
	metav1.ConditionFalse:   response.ConditionFalse,
	metav1.ConditionUnknown: response.ConditionUnknown,
}

// report sets the derived conditions and warnings, on the claim too on the
// legacy path, and the TTL. No Normal result: Crossplane would turn each into
// an event on every call. The TTL is short until the agent is Running (as
// the input's ttl documents), so a Pending agent is judged Failed soon after
// its deadline; Crossplane also calls again whenever a composed resource
// changes.
func report(rsp *fnv1.RunFunctionResponse, r status.Result, s *settings.Settings) {
	for _, c := range r.Conditions {
		set, ok := setCondition[c.Status]
		if !ok {
			set = response.ConditionUnknown
		}
		co := set(rsp, c.Type, c.Reason).WithMessage(c.Message)
		if r.Claim {
			co.TargetCompositeAndClaim()
		}
	}
	for _, w := range r.Warnings {
		ro := response.Warning(rsp, errors.New(w.Message)).WithReason(w.Reason)
		if r.Claim {
			ro.TargetCompositeAndClaim()
		}
	}
	ttl := s.TTLConverging
	if r.Ready {
		ttl = s.TTLStable
	}
	rsp.Meta.Ttl = durationpb.New(ttl)
}
