package fn

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/status"
)

// setDesired adds the agent's objects to the desired composed resources,
// each with its readiness, keeping what earlier steps desired, and sets the
// desired XR's status and readiness.
func setDesired(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, objs []compose.Composed, r status.Result) error {
	desired := req.GetDesired().GetResources()
	ours := make(map[string]*fnv1.Resource, len(objs))
	for _, o := range objs {
		if _, taken := desired[string(o.Key)]; taken {
			response.Warning(rsp, fmt.Errorf("an earlier pipeline step already desires a composed resource named %q; function-agentops replaces it (set resourceNamePrefix in the function's input to keep both)", o.Key)).TargetComposite()
		}
		s, err := desiredStruct(o.Object)
		if err != nil {
			return fmt.Errorf("cannot convert %s to a composed resource: %w", o.Key, err)
		}
		ready := fnv1.Ready_READY_FALSE
		if r.Verdicts[o.Key].Ready {
			ready = fnv1.Ready_READY_TRUE
		}
		ours[string(o.Key)] = &fnv1.Resource{Resource: s, Ready: ready}
	}

	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return fmt.Errorf("cannot read the desired composite resource: %w", err)
	}
	if err := setStatus(dxr, r); err != nil {
		return err
	}
	setDesiredComposed(rsp, ours)
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		return fmt.Errorf("cannot set the desired composite resource: %w", err)
	}
	return nil
}

// setStatus writes the derived status into the desired XR. Every field is
// written, zeros included, so `kubectl get` shows 0 rather than nothing.
func setStatus(dxr *resource.Composite, r status.Result) error {
	s := r.Status
	fields := map[string]any{
		"phase":              string(s.Phase),
		"model":              s.Model,
		"replicas":           int64(s.Replicas),
		"readyReplicas":      int64(s.ReadyReplicas),
		"availableReplicas":  int64(s.AvailableReplicas),
		"updatedReplicas":    int64(s.UpdatedReplicas),
		"observedGeneration": s.ObservedGeneration,
		"endpoint":           s.Endpoint,
		"selector":           s.Selector,
	}
	for k, v := range fields {
		if err := dxr.Resource.SetValue("status."+k, v); err != nil {
			return fmt.Errorf("cannot set status.%s: %w", k, err)
		}
	}
	dxr.Ready = resource.ReadyFalse
	if r.Ready {
		dxr.Ready = resource.ReadyTrue
	}
	return nil
}
