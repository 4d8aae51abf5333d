// Package templatefn is a test-only composition function that stands in for
// function-go-templating and function-auto-ready, which the Go module proxy
// does not serve. It does for a Composition what they do, for the features
// our examples use, so that the e2e and render suites run the examples'
// Compositions as written, only with their functionRefs pointed at it:
//
//   - with a GoTemplate input (source Inline), it executes the template with
//     sprig and go-templating's getResourceCondition and
//     setResourceNameAnnotation, and adds each rendered object to the desired
//     state: composed resources under their composition-resource-name
//     annotation, with the ready annotation as their readiness; the XR's own
//     kind as the desired XR's status; a meta Context object as context keys;
//   - with no input, it marks each observed desired resource whose readiness
//     no earlier step set ready as function-auto-ready does: a Deployment by
//     its replicas and Available condition, Services and ConfigMaps once
//     they exist, anything else by its Ready condition.
package templatefn

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// ttl is what both functions answer by default.
const ttl = time.Minute

// Function is the stand-in.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

// RunFunction runs the template of the input, or auto-ready without one.
func (Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := &fnv1.RunFunctionResponse{
		Meta:    &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag(), Ttl: durationpb.New(ttl)},
		Desired: proto.CloneOf(req.GetDesired()),
		Context: proto.CloneOf(req.GetContext()),
	}
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	if req.GetInput() == nil {
		autoReady(req, rsp)
		return rsp, nil
	}
	if err := runTemplate(req, rsp); err != nil {
		rsp.Results = append(rsp.Results, &fnv1.Result{Severity: fnv1.Severity_SEVERITY_FATAL, Message: fmt.Sprint(err)})
	}
	return rsp, nil
}
