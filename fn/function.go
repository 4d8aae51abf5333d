// Package fn is the AgentOps composition function: from one AgentDeployment
// it composes the agent's workload and reports its status.
//
// Each call: read the input and the XR, validate, build the typed objects,
// add them to the desired state (keeping what earlier pipeline steps put
// there), judge each from its observed state, and derive the XR's status.
// Bad input ends the call with a Fatal result and a condition naming the
// field, and no change to the desired state: Crossplane would delete any
// composed resource missing from it.
package fn

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/status"
	"github.com/agentops-io/agentops/fn/validate"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// Function composes AgentDeployments.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
}

// NewFunction returns the function, logging to log.
func NewFunction(log logging.Logger) *Function {
	return &Function{log: log}
}

// RunFunction composes one AgentDeployment.
func (f *Function) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (rsp *fnv1.RunFunctionResponse, err error) {
	rsp = response.To(req, settings.DefaultTTLConverging)
	// A panic must not crash the server, nor leave a partial desired state.
	defer func() {
		if r := recover(); r != nil {
			f.log.Info("Recovered from a panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			rsp = response.To(req, settings.DefaultTTLConverging)
			response.Fatal(rsp, fmt.Errorf("internal error in function-agentops (please report it): %v", r))
			err = nil
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.log.Debug("Running function", "tag", req.GetMeta().GetTag())

	in := &v1beta1.Input{}
	if err := request.GetInput(req, in); err != nil {
		return invalid(req, fmt.Errorf("invalid function input in the Composition: %w", err)), nil
	}
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		return invalid(req, fmt.Errorf("invalid function input in the Composition: %w", errs.ToAggregate())), nil
	}
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		return invalid(req, fmt.Errorf("cannot read the observed composite resource: %w", err)), nil
	}
	a, errs := agent.FromComposite(oxr.Resource)
	if len(errs) > 0 {
		return invalid(req, errs.ToAggregate()), nil
	}
	if errs := validate.Spec(&a.Spec, s); len(errs) > 0 {
		return invalid(req, errs.ToAggregate()), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	w := compose.NewWorkload(a, s)
	objs := compose.All(w)
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		return invalid(req, fmt.Errorf("cannot read the observed composed resources: %w", err)), nil
	}
	result := status.Derive(w, objs, observed)
	if err := setDesired(req, rsp, objs, result); err != nil {
		// Only a bug can get here; fail the whole call rather than return a
		// desired state with some of the agent's resources missing.
		return internalError(req, err), nil
	}
	report(rsp, result, s)
	return rsp, nil
}
