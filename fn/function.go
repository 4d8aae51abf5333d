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
	"maps"
	"runtime/debug"

	grpcstatus "google.golang.org/grpc/status"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/validate"
)

// Function composes AgentDeployments.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
	// inputs caches the settings of the Compositions' inputs.
	inputs *settings.Cache
}

// NewFunction returns the function, logging to log.
func NewFunction(log logging.Logger) *Function {
	return &Function{log: log, inputs: settings.NewCache(settings.DefaultCacheSize)}
}

// RunFunction composes one AgentDeployment.
func (f *Function) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (rsp *fnv1.RunFunctionResponse, err error) { //nolint:nonamedreturns // The deferred recover sets the results of a call that panicked.
	rsp = newResponse(req, settings.DefaultTTLConverging)
	// newResponse shares the request's desired state; adding to it would
	// change the request too, and a later failure would answer with a
	// partial desired state as if it were the request's own.
	rsp.Desired = ownDesired(req.GetDesired())
	// A panic must not crash the server, nor leave a partial desired state:
	// answer with the request's own desired state and a Fatal result.
	defer func() {
		if r := recover(); r != nil {
			f.log.Info("Recovered from a panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			rsp, err = internalError(req, fmt.Errorf("internal error in function-agentops (please report it): %v", r)), nil
		}
	}()
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	f.log.Debug("Running function", "tag", req.GetMeta().GetTag())

	// s is shared with every call of the same input: read it, never change it.
	s, errs := f.inputs.For(req.GetInput())
	if len(errs) > 0 {
		return invalid(req, fmt.Errorf("invalid function input in the Composition: %w", errs.ToAggregate())), nil
	}
	a, errs := agent.FromComposite(observed.Composite(req))
	if len(errs) > 0 {
		return invalid(req, errs.ToAggregate()), nil
	}
	if errs := validate.Spec(&a.Spec, s); len(errs) > 0 {
		return invalid(req, errs.ToAggregate()), nil
	}
	if err := stopped(ctx); err != nil {
		return nil, err
	}

	w := compose.NewWorkload(deliveredAgent(a, s.Delivery), s)
	result, requirements := judge(req, w, s.Delivery, a.Namespace)
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	if err := setDesired(req, rsp, result.Desired, result); err != nil {
		// Only a bug can get here; fail the whole call rather than return a
		// desired state with some of the agent's resources missing.
		return internalError(req, err), nil
	}
	if err := setContext(req, rsp, newAgentContext(w, result)); err != nil {
		return internalError(req, err), nil
	}
	f.log.Debug("Desired state built", "tag", req.GetMeta().GetTag(), "resources", len(rsp.GetDesired().GetResources()))
	rsp.Requirements = requirements
	report(rsp, result, s)
	return rsp, nil
}

// stopped returns the gRPC status of a cancelled or expired call, so that a
// caller that gave up gets Canceled or DeadlineExceeded, and no more work is
// done for it.
func stopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return grpcstatus.FromContextError(err).Err()
	}
	return nil
}

// ownDesired copies what a response changes of a desired state: its
// resources map and its composite (replaced, never edited in place).
func ownDesired(d *fnv1.State) *fnv1.State {
	if d == nil {
		return nil
	}
	return &fnv1.State{Composite: d.GetComposite(), Resources: maps.Clone(d.GetResources())}
}
