package observed_test

import (
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// remoteCases are every case of local in Object mode: the same observed
// objects, each reported by the provider-kubernetes Object that carries it
// (fixtures.AsObjects), with the remote Composition's input; and edge cases
// of the Objects themselves.
func remoteCases(t testing.TB, local map[string]observedCase) map[string]observedCase {
	t.Helper()
	out := make(map[string]observedCase, len(local))
	for name, tc := range local {
		out["Remote/"+name] = observedCase{reason: tc.reason + " In Object mode.", req: asRemote(tc.req, fixtures.ObjectState{})}
	}
	steady := fixtureRequest("steady")
	edges := map[string]struct {
		reason string
		st     fixtures.ObjectState
		change func(t testing.TB, req *fnv1.RunFunctionRequest)
	}{
		"NotSynced": {
			reason: "Objects the provider cannot sync, with no remote object: their conditions and ProviderConfig are read.",
			st:     fixtures.ObjectState{SyncedFalse: "connect failed: Unauthorized", NoManifest: true},
		},
		"NotSyncedStaleManifest": {
			reason: "Objects that no longer sync still report the remote objects last observed.",
			st:     fixtures.ObjectState{SyncedFalse: "connect failed: Unauthorized"},
		},
		"GenerationAhead": {
			reason: "An Object whose Synced condition is of an older generation is not applied yet: its generation is read.",
			change: setComposed("deployment-object", float64(2), "metadata", "generation"),
		},
		"ObjectDeleting": {
			reason: "An Object being deleted: its deletionTimestamp and finalizers are read.",
			change: setComposed("service-object", "2026-11-26T08:00:00Z", "metadata", "deletionTimestamp"),
		},
		"ObjectNotReady": {
			reason: "An Object whose own Ready condition is False.",
			change: setComposed("configmap-object", []any{
				map[string]any{"type": "Synced", "status": "True", "observedGeneration": float64(1)},
				map[string]any{"type": "Ready", "status": "False", "reason": "Unavailable", "message": "not yet", "observedGeneration": float64(1)},
			}, "status", "conditions"),
		},
		"OtherProviderConfig": {
			reason: "The ProviderConfig an Object names is read, for messages.",
			st:     fixtures.ObjectState{SyncedFalse: "connect failed: Unauthorized"},
			change: setComposed("deployment-object", "other", "spec", "providerConfigRef", "name"),
		},
		"ManifestNotAnObject": {
			reason: "A manifest that is a string is no remote object, in both readings.",
			change: setComposed("deployment-object", "x", "status", "atProvider", "manifest"),
		},
		"AtProviderNotAnObject": {
			reason: "An atProvider that is a list is no remote object, in both readings.",
			change: setComposed("service-object", []any{"x"}, "status", "atProvider"),
		},
		"ManifestOfAnotherKind": {
			reason: "A remote object of another kind under the Deployment's Object is not read as a Deployment.",
			change: setComposed("deployment-object", "StatefulSet", "status", "atProvider", "manifest", "kind"),
		},
		"ObjectOfAnotherKind": {
			reason: "Another kind under an Object's name is no Object.",
			change: setComposed("service-object", "Service", "kind"),
		},
	}
	for name, e := range edges {
		req := asRemote(steady, e.st)
		out["RemoteEdge/"+name] = observedCase{reason: e.reason, req: func(t testing.TB) *fnv1.RunFunctionRequest {
			t.Helper()
			r := req(t)
			if e.change != nil {
				e.change(t, r)
			}
			return r
		}}
	}
	return out
}

// asRemote is the request of req in Object mode, its observed objects
// reported by Objects in state st.
func asRemote(req func(t testing.TB) *fnv1.RunFunctionRequest, st fixtures.ObjectState) func(t testing.TB) *fnv1.RunFunctionRequest {
	return func(t testing.TB) *fnv1.RunFunctionRequest {
		t.Helper()
		r := req(t)
		in, err := fixtures.Input(fixtures.Root() + "/" + fixtures.RemoteComposition)
		if err != nil {
			t.Fatal(err)
		}
		if r.Input, err = structpb.NewStruct(in); err != nil {
			t.Fatal(err)
		}
		ns := r.GetObserved().GetComposite().GetResource().GetFields()["metadata"].GetStructValue().GetFields()["namespace"].GetStringValue()
		objects, err := fixtures.AsObjects(r.GetObserved().GetResources(), ns, "workload", st)
		if err != nil {
			t.Fatal(err)
		}
		r.Observed.Resources = objects
		return r
	}
}
