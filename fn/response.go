package fn

import (
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// Responses are built on the protocol's own types rather than with the
// SDK's response, request and resource packages: those link in every
// Kubernetes API group client-go knows, 23 MB of binary and 13 MiB of
// resident memory in each function process (BENCHMARKS.md), for the nine
// kinds the function composes.

// newResponse answers req with its desired state and context unchanged, to
// be asked again after ttl, as the SDK's response.To does.
func newResponse(req *fnv1.RunFunctionRequest, ttl time.Duration) *fnv1.RunFunctionResponse {
	return &fnv1.RunFunctionResponse{
		Meta:    &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag(), Ttl: durationpb.New(ttl)},
		Desired: req.GetDesired(),
		Context: req.GetContext(),
	}
}

// addCondition sets a condition on target: the XR, or the XR and its claim.
func addCondition(rsp *fnv1.RunFunctionResponse, target fnv1.Target, typ string, s fnv1.Status, reason, message string) {
	rsp.Conditions = append(rsp.Conditions, &fnv1.Condition{
		Type:    typ,
		Status:  s,
		Reason:  reason,
		Message: &message,
		Target:  target.Enum(),
	})
}

// addResult adds a result; Crossplane makes a Warning an event and a Fatal
// one stops the pipeline. An empty reason is left out.
func addResult(rsp *fnv1.RunFunctionResponse, target fnv1.Target, severity fnv1.Severity, reason, message string) {
	r := &fnv1.Result{Severity: severity, Message: message, Target: target.Enum()}
	if reason != "" {
		r.Reason = &reason
	}
	rsp.Results = append(rsp.Results, r)
}
