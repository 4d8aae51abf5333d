package fn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/status"
)

// sdkDesiredComposite is how the function set the desired XR before
// desiredComposite: through the SDK's map and fieldpath. It is the reference
// desiredComposite must agree with.
func sdkDesiredComposite(req *fnv1.RunFunctionRequest, r status.Result) (*fnv1.Resource, error) {
	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return nil, err
	}
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
		"serviceAccountName": s.ServiceAccountName,
	}
	for k, v := range fields {
		if err := dxr.Resource.SetValue("status."+k, v); err != nil {
			return nil, fmt.Errorf("cannot set status.%s: %w", k, err)
		}
	}
	dxr.Ready = resource.ReadyFalse
	if r.Ready {
		dxr.Ready = resource.ReadyTrue
	}
	rsp := &fnv1.RunFunctionResponse{}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		return nil, err
	}
	return rsp.GetDesired().GetComposite(), nil
}

func TestDesiredComposite(t *testing.T) {
	running := status.Result{
		Status: v1alpha1.AgentDeploymentStatus{
			Phase: v1alpha1.PhaseRunning, Model: "gpt-4o",
			Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 2, UpdatedReplicas: 1,
			ObservedGeneration: 4,
			Endpoint:           "support-bot.agents.svc.cluster.local:8080",
			Selector:           "app.kubernetes.io/instance=support-bot",
			ServiceAccountName: "support-bot",
		},
		Ready: true,
	}
	pending := status.Result{Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhasePending}}
	xr := func(json string) *fnv1.State {
		return &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(json)}}
	}
	const earlier = `{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"support-bot","labels":{"team":"a"}},"spec":{"model":"gpt-4o","tags":[1,"two",null,{"three":3}],"gone":null}`

	cases := map[string]struct {
		reason  string
		desired *fnv1.State
		result  status.Result
		wantErr bool
	}{
		"NoDesiredState": {
			reason: "With no desired state, the XR is its status alone.",
			result: running,
		},
		"NoDesiredComposite": {
			reason:  "A desired state without an XR is the same.",
			desired: &fnv1.State{},
			result:  running,
		},
		"CompositeWithoutResource": {
			reason:  "An XR with readiness and connection details but no body.",
			desired: &fnv1.State{Composite: &fnv1.Resource{Ready: fnv1.Ready_READY_TRUE, ConnectionDetails: map[string][]byte{"url": []byte("https://x")}}},
			result:  pending,
		},
		"EarlierStepWithoutStatus": {
			reason:  "An earlier step's XR is kept, nested lists and nulls included, and the status added.",
			desired: xr(earlier + `}`),
			result:  running,
		},
		"EarlierStepWithStatus": {
			reason:  "An earlier step's status fields stay beside ours; ours replace theirs of the same name.",
			desired: xr(earlier + `,"status":{"phase":"Old","replicas":7,"earlier":"step","atProvider":{"id":"x-1"},"conditions":[{"type":"Synced","status":"True"}]}}`),
			result:  running,
		},
		"EmptyStatus": {
			reason:  "An empty status object is filled.",
			desired: xr(`{"status":{}}`),
			result:  running,
		},
		"ZeroStatus": {
			reason:  "Every field is written, zeros and empty strings included, and the XR is not ready.",
			desired: xr(earlier + `,"status":{"replicas":2}}`),
			result:  status.Result{},
		},
		"NotReady": {
			reason:  "The XR's readiness follows the result's, whatever the earlier step said.",
			desired: &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(earlier + `}`), Ready: fnv1.Ready_READY_TRUE}},
			result:  pending,
		},
		"ConnectionDetails": {
			reason:  "The earlier step's connection details are kept.",
			desired: &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(earlier + `}`), ConnectionDetails: map[string][]byte{"token": []byte("s3cr3t")}}},
			result:  running,
		},
		"HugeGeneration": {
			reason:  "A generation beyond 2^53 rounds as JSON's float64 does.",
			desired: xr(earlier + `}`),
			result:  status.Result{Status: v1alpha1.AgentDeploymentStatus{ObservedGeneration: 1<<53 + 1}},
		},
		"StatusNotAnObject": {
			reason:  "A status that is a string is not replaced.",
			desired: xr(`{"status":"broken"}`),
			result:  running,
			wantErr: true,
		},
		"StatusNull": {
			reason:  "Nor is a null status.",
			desired: xr(`{"status":null}`),
			result:  running,
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := &fnv1.RunFunctionRequest{Desired: tc.desired}
			before := proto.CloneOf(req)

			want, wantErr := sdkDesiredComposite(proto.CloneOf(req), tc.result)
			got, err := desiredComposite(req.GetDesired().GetComposite(), tc.result)
			if (err != nil) != tc.wantErr || (wantErr != nil) != tc.wantErr {
				t.Fatalf("%s\ndesiredComposite(...): want error %t, got %v (the SDK's: %v)", tc.reason, tc.wantErr, err, wantErr)
			}
			// The SDK names whichever status field its map gave it first.
			if err != nil && !strings.HasSuffix(err.Error(), ": status is not an object") {
				t.Errorf("%s\ndesiredComposite(...): want an error like the SDK's %q, got %q", tc.reason, wantErr, err)
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\ndesiredComposite(...): -want (the SDK's), +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(before, req, protocmp.Transform()); diff != "" {
				t.Errorf("%s\ndesiredComposite(...): changed the request: -before, +after:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestDesiredCompositeSharesTheRest checks that what the function does not
// change of the earlier step's XR is shared, not copied: the copying is what
// the direct path saves.
func TestDesiredCompositeSharesTheRest(t *testing.T) {
	in := resource.MustStructJSON(`{"metadata":{"name":"x"},"spec":{"model":"gpt-4o"},"status":{"earlier":"step"}}`)
	got, err := desiredComposite(&fnv1.Resource{Resource: in}, status.Result{})
	if err != nil {
		t.Fatal(err)
	}
	fields, status := got.GetResource().GetFields(), got.GetResource().GetFields()["status"].GetStructValue().GetFields()
	want := map[string]bool{"metadata": true, "spec": true, "status.earlier": true}
	shared := map[string]bool{
		"metadata":       fields["metadata"] == in.GetFields()["metadata"],
		"spec":           fields["spec"] == in.GetFields()["spec"],
		"status.earlier": status["earlier"] == in.GetFields()["status"].GetStructValue().GetFields()["earlier"],
	}
	if diff := cmp.Diff(want, shared); diff != "" {
		t.Errorf("desiredComposite(...): -want shared, +got shared:\n%s", diff)
	}
}

// BenchmarkDesiredComposite sets the status of an earlier step's XR: through
// the SDK, and directly.
func BenchmarkDesiredComposite(b *testing.B) {
	req := &fnv1.RunFunctionRequest{Desired: &fnv1.State{Composite: &fnv1.Resource{
		Resource: resource.MustStructJSON(`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"support-bot"},"status":{"earlier":"step"}}`),
	}}}
	r := status.Result{Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseRunning, Model: "gpt-4o", Replicas: 3}, Ready: true}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sdkDesiredComposite(req, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := desiredComposite(req.GetDesired().GetComposite(), r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
