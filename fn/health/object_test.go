package health

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestReadObject(t *testing.T) {
	object := func(generation float64, conditions []any, manifest map[string]any) *unstructured.Unstructured {
		status := map[string]any{"conditions": conditions}
		if manifest != nil {
			status["atProvider"] = map[string]any{"manifest": manifest}
		}
		return &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "kubernetes.m.crossplane.io/v1alpha1", "kind": "Object",
			"metadata": map[string]any{"name": "a-deployment", "namespace": "agents", "generation": generation},
			"spec":     map[string]any{"providerConfigRef": map[string]any{"kind": "ProviderConfig", "name": "eu"}},
			"status":   status,
		}}
	}
	synced := map[string]any{"type": "Synced", "status": "True", "observedGeneration": float64(1)}
	ready := map[string]any{"type": "Ready", "status": "True", "observedGeneration": float64(1)}
	remote := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "a-config"}}
	type want struct {
		result   Result
		manifest bool
	}
	cases := map[string]struct {
		reason string
		u      *unstructured.Unstructured
		want   want
	}{
		"NotObserved": {
			reason: "An Object Crossplane has not observed is not created yet.",
			want:   want{result: Result{State: NotFound, Reason: ReasonNotObserved, Message: "not created yet"}},
		},
		"Delivered": {
			reason: "Synced and Ready for its generation, with the remote object.",
			u:      object(1, []any{synced, ready}, remote),
			want:   want{result: Result{State: Current, Reason: ReasonReady, Message: "applied through ProviderConfig eu"}, manifest: true},
		},
		"NotSynced": {
			reason: "Synced=False (bad credentials) is Failed, and the message names the ProviderConfig to fix.",
			u:      object(1, []any{map[string]any{"type": "Synced", "status": "False", "message": "connect failed: Unauthorized"}}, nil),
			want: want{result: Result{State: Failed, Reason: ReasonObjectNotSynced,
				Message: "provider-kubernetes cannot apply it through ProviderConfig eu: connect failed: Unauthorized; check that ProviderConfig eu exists and its credentials reach the workload cluster"}},
		},
		"NoConditions": {
			reason: "An Object the provider has not reported on yet is in progress.",
			u:      object(1, nil, nil),
			want:   want{result: Result{State: InProgress, Reason: ReasonObjectPending, Message: "provider-kubernetes has not applied it through ProviderConfig eu yet"}},
		},
		"OlderGeneration": {
			reason: "A Synced condition of an older generation says nothing of the new spec: the remote object is stale.",
			u:      object(2, []any{synced, ready}, remote),
			want:   want{result: Result{State: InProgress, Reason: ReasonObjectPending, Message: "provider-kubernetes has not applied generation 2 through ProviderConfig eu yet"}, manifest: true},
		},
		"NotReady": {
			reason: "The Object's own Ready=False, under a readiness policy that derives it from the remote object.",
			u:      object(1, []any{synced, map[string]any{"type": "Ready", "status": "False", "reason": "Unavailable", "message": "waiting"}}, remote),
			want:   want{result: Result{State: InProgress, Reason: ReasonObjectNotReady, Message: "the Object is not Ready (Unavailable): waiting"}, manifest: true},
		},
		"ManifestWithoutKind": {
			reason: "A manifest without a kind is no remote object to judge.",
			u:      object(1, []any{synced, ready}, map[string]any{"metadata": map[string]any{"name": "x"}}),
			want:   want{result: Result{State: Current, Reason: ReasonReady, Message: "applied through ProviderConfig eu"}},
		},
		"OtherKind": {
			reason: "Another kind under an Object's name is not read as one.",
			u:      &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}},
			want:   want{result: Result{State: Unknown, Reason: ReasonMalformed, Message: `cannot read Object x: it is of kind "ConfigMap" (apiVersion "v1")`}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ReadObject(tc.u)
			if diff := cmp.Diff(tc.want.result, got.Result); diff != "" {
				t.Errorf("%s\nReadObject(...).Result: -want, +got:\n%s", tc.reason, diff)
			}
			if (got.Manifest != nil) != tc.want.manifest {
				t.Errorf("%s\nReadObject(...).Manifest: %v, want one: %v", tc.reason, got.Manifest, tc.want.manifest)
			}
		})
	}
}
