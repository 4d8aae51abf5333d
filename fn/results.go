package fn

import (
	"errors"

	"google.golang.org/protobuf/types/known/durationpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/status"
)

// Reasons of the function's own conditions and results.
const (
	reasonInvalidSpec   = "InvalidSpec"
	reasonInternalError = "InternalError"
	reasonRolloutFailed = "RolloutFailed"
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

// report sets the derived conditions, a warning when the rollout failed (the
// one state a person must act on), and the TTL: short while converging, long
// once Running, since Crossplane also calls again on every change of a
// composed resource.
func report(rsp *fnv1.RunFunctionResponse, r status.Result, s *settings.Settings) {
	for _, c := range r.Conditions {
		set := response.ConditionFalse
		if c.Status {
			set = response.ConditionTrue
		}
		set(rsp, c.Type, c.Reason).WithMessage(c.Message).TargetCompositeAndClaim()
	}
	if r.Status.Phase == v1alpha1.PhaseFailed {
		for _, c := range r.Conditions {
			if c.Type == status.TypeRolloutComplete {
				response.Warning(rsp, errors.New("the agent's rollout failed: "+c.Message)).WithReason(reasonRolloutFailed).TargetCompositeAndClaim()
			}
		}
	}
	ttl := s.TTLConverging
	if r.Ready {
		ttl = s.TTLStable
	}
	rsp.Meta.Ttl = durationpb.New(ttl)
}
