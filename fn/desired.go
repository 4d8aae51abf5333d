package fn

import (
	"errors"
	"fmt"
	"maps"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
	"github.com/agentops-io/agentops/fn/status"
)

// setDesired adds the agent's objects to the desired composed resources,
// each with its readiness, keeping what earlier steps desired, and sets the
// desired XR's status and readiness.
func setDesired(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, objs []compose.Composed, r status.Result) error {
	desired := req.GetDesired().GetResources()
	ours := make(map[string]*fnv1.Resource, len(objs))
	e := structcodec.GetEncoder()
	defer structcodec.PutEncoder(e)
	for _, o := range objs {
		if _, taken := desired[string(o.Key)]; taken {
			addResult(rsp, fnv1.Target_TARGET_COMPOSITE, fnv1.Severity_SEVERITY_WARNING, "", fmt.Sprintf("an earlier pipeline step already desires a composed resource named %q; function-agentops replaces it (set resourceNamePrefix in the function's input to keep both)", o.Key))
		}
		s, err := desiredStruct(e, o.Object)
		if err != nil {
			return fmt.Errorf("cannot convert %s to a composed resource: %w", o.Key, err)
		}
		ready := fnv1.Ready_READY_FALSE
		if r.Health[o.Key].Ready() {
			ready = fnv1.Ready_READY_TRUE
		}
		ours[string(o.Key)] = &fnv1.Resource{Resource: s, Ready: ready}
	}

	xr, err := desiredComposite(req.GetDesired().GetComposite(), r)
	if err != nil {
		return err
	}
	setDesiredComposed(rsp, ours)
	rsp.Desired.Composite = xr
	return nil
}

// desiredComposite returns the desired XR of the response: the one earlier
// pipeline steps desired (the request's), with the derived status and the
// XR's readiness. It builds the Struct directly, rather than through a map
// and JSON round trips per field as the SDK does. It copies only the two maps
// it changes, the XR's top level and its status, and shares every other
// Value with the request: nothing changes them.
//
// The SDK's round trip through a map also rewrote Values that no JSON makes,
// which this passes through as they came: a Value of no kind (null in the
// map), a NaN or infinite number ("NaN", "Infinity" strings). Crossplane
// reads the desired XR through the same map, with the same result.
func desiredComposite(xr *fnv1.Resource, r status.Result) (*fnv1.Resource, error) {
	fields := xr.GetResource().GetFields()
	var earlier map[string]*structpb.Value
	if v, ok := fields["status"]; ok {
		// As the SDK's fieldpath does, refuse to replace a status that is
		// not an object rather than lose what an earlier step put there.
		sv, isObject := v.GetKind().(*structpb.Value_StructValue)
		if !isObject {
			return nil, errors.New("cannot set status.phase: status is not an object")
		}
		earlier = sv.StructValue.GetFields()
	}
	statusValue, st := structcodec.Struct(len(earlier) + statusFields)
	maps.Copy(st.GetFields(), earlier)
	setStatus(st.GetFields(), r.Status)

	top := make(map[string]*structpb.Value, len(fields)+1)
	maps.Copy(top, fields)
	top["status"] = statusValue
	ready := fnv1.Ready_READY_FALSE
	if r.Ready {
		ready = fnv1.Ready_READY_TRUE
	}
	return &fnv1.Resource{Resource: &structpb.Struct{Fields: top}, ConnectionDetails: xr.GetConnectionDetails(), Ready: ready}, nil
}

// statusFields is how many fields setStatus writes.
const statusFields = 10

// setStatus writes the derived status into the fields of the desired XR's
// status. Every field is written, zeros included, so `kubectl get` shows 0
// rather than nothing. Numbers are JSON's, float64.
func setStatus(fields map[string]*structpb.Value, s v1alpha1.AgentDeploymentStatus) {
	fields["phase"] = structcodec.String(string(s.Phase))
	fields["model"] = structcodec.String(s.Model)
	fields["replicas"] = structcodec.Number(float64(s.Replicas))
	fields["readyReplicas"] = structcodec.Number(float64(s.ReadyReplicas))
	fields["availableReplicas"] = structcodec.Number(float64(s.AvailableReplicas))
	fields["updatedReplicas"] = structcodec.Number(float64(s.UpdatedReplicas))
	fields["observedGeneration"] = structcodec.Number(float64(s.ObservedGeneration))
	fields["endpoint"] = structcodec.String(s.Endpoint)
	fields["selector"] = structcodec.String(s.Selector)
	fields["serviceAccountName"] = structcodec.String(s.ServiceAccountName)
}
