package fn

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// remoteRequest is a scenario's request in Object mode, its observed
// objects reported by Objects in state st.
func remoteRequest(t *testing.T, scenario string, st fixtures.ObjectState) *fnv1.RunFunctionRequest {
	t.Helper()
	req, err := fixtures.RemoteRequest(scenario, st)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// condition is the response's condition of type typ.
func condition(t *testing.T, rsp *fnv1.RunFunctionResponse, typ string) *fnv1.Condition {
	t.Helper()
	for _, c := range rsp.GetConditions() {
		if c.GetType() == typ {
			return c
		}
	}
	t.Fatalf("RunFunction(...): no condition %s", typ)
	return nil
}

func TestRunFunctionObjectMode(t *testing.T) {
	type want struct {
		keys      []string
		phase     string
		ready     fnv1.Ready
		delivered fnv1.Status
		reason    string
		// message is a part of Delivered's message.
		message  string
		warnings int
	}
	objects := func(names ...string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = n + "-object"
		}
		return out
	}
	cases := map[string]struct {
		reason string
		req    func(t *testing.T) *fnv1.RunFunctionRequest
		want   want
	}{
		"Create": {
			reason: "On create every object but the Deployment is wrapped in an Object, under names Local mode never uses; the Deployment waits for its ServiceAccount and ConfigMap in the workload cluster.",
			req: func(t *testing.T) *fnv1.RunFunctionRequest {
				t.Helper()
				req := newRequest(t, exampleXR(t, "production-claude-agent.yaml"), compositionInput(t, "agentdeployment-remote.yaml"), nil)
				return req
			},
			want: want{
				keys:  objects("configmap", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "serviceaccount", "servicemonitor"),
				phase: "Pending", ready: fnv1.Ready_READY_FALSE, delivered: fnv1.Status_STATUS_CONDITION_FALSE, reason: "Delivering",
				message: "not delivered yet through ClusterProviderConfig workload",
			},
		},
		"Steady": {
			reason: "Every remote object reported ready, every Object Synced and Ready: Running, as in Local mode.",
			req: func(t *testing.T) *fnv1.RunFunctionRequest {
				t.Helper()
				return remoteRequest(t, "steady", fixtures.ObjectState{})
			},
			want: want{
				keys:  objects(ours...),
				phase: "Running", ready: fnv1.Ready_READY_TRUE, delivered: fnv1.Status_STATUS_CONDITION_TRUE, reason: "Delivered",
				message: "every object is applied to the workload cluster through ClusterProviderConfig workload",
			},
		},
		"Degraded": {
			reason: "The remote Deployment's own rollout decides the phase: one of three replicas available is Degraded.",
			req: func(t *testing.T) *fnv1.RunFunctionRequest {
				t.Helper()
				return remoteRequest(t, "degraded", fixtures.ObjectState{})
			},
			want: want{keys: objects(ours...), phase: "Degraded", ready: fnv1.Ready_READY_FALSE, delivered: fnv1.Status_STATUS_CONDITION_TRUE, reason: "Delivered", message: "through ClusterProviderConfig workload"},
		},
		"BadProviderConfig": {
			reason: "Objects the provider cannot sync are a condition naming the ProviderConfig and a warning, not a silent Pending; the existing Deployment Object stays desired.",
			req: func(t *testing.T) *fnv1.RunFunctionRequest {
				t.Helper()
				return remoteRequest(t, "steady", fixtures.ObjectState{SyncedFalse: "connect failed: cannot create new unstructured server side apply extractor: Unauthorized", NoManifest: true})
			},
			want: want{
				keys:  objects(ours...),
				phase: "Pending", ready: fnv1.Ready_READY_FALSE, delivered: fnv1.Status_STATUS_CONDITION_FALSE, reason: "ObjectNotSynced",
				message:  "provider-kubernetes cannot apply it through ClusterProviderConfig workload: connect failed: cannot create new unstructured server side apply extractor: Unauthorized; check that ClusterProviderConfig workload exists",
				warnings: 1,
			},
		},
		"NotObservedYet": {
			reason: "Objects created but not yet applied: Pending, Delivered False while the provider works.",
			req: func(t *testing.T) *fnv1.RunFunctionRequest {
				t.Helper()
				req := remoteRequest(t, "steady", fixtures.ObjectState{NoManifest: true})
				for _, r := range req.GetObserved().GetResources() {
					delete(r.GetResource().GetFields()["status"].GetStructValue().GetFields(), "conditions")
				}
				return req
			},
			want: want{keys: objects(ours...), phase: "Pending", ready: fnv1.Ready_READY_FALSE, delivered: fnv1.Status_STATUS_CONDITION_FALSE, reason: "Delivering", message: "has not applied it through ClusterProviderConfig workload yet"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := run(t, tc.req(t))
			if f := fatal(rsp); len(f) > 0 {
				t.Fatalf("%s\nRunFunction(...): fatal %v", tc.reason, f)
			}
			if diff := cmp.Diff(tc.want.keys, keys(rsp)); diff != "" {
				t.Errorf("%s\nRunFunction(...): desired resources -want, +got:\n%s", tc.reason, diff)
			}
			xr := rsp.GetDesired().GetComposite()
			if got := xr.GetResource().GetFields()["status"].GetStructValue().GetFields()["phase"].GetStringValue(); got != tc.want.phase {
				t.Errorf("%s\nRunFunction(...): phase %q, want %q", tc.reason, got, tc.want.phase)
			}
			if xr.GetReady() != tc.want.ready {
				t.Errorf("%s\nRunFunction(...): XR ready %v, want %v", tc.reason, xr.GetReady(), tc.want.ready)
			}
			c := condition(t, rsp, "Delivered")
			if c.GetStatus() != tc.want.delivered || c.GetReason() != tc.want.reason || !strings.Contains(c.GetMessage(), tc.want.message) {
				t.Errorf("%s\nRunFunction(...): Delivered %v %s %q, want %v %s containing %q", tc.reason, c.GetStatus(), c.GetReason(), c.GetMessage(), tc.want.delivered, tc.want.reason, tc.want.message)
			}
			if got := len(warnings(rsp)); got != tc.want.warnings {
				t.Errorf("%s\nRunFunction(...): %d warnings, want %d: %v", tc.reason, got, tc.want.warnings, warnings(rsp))
			}
		})
	}
}

// TestObjectModeManifests checks what each Object carries: the object Local
// mode would compose, with its kind, in the target namespace, without a
// status; the Object itself in the XR's namespace, through the
// ProviderConfig, named after the agent and the kind.
func TestObjectModeManifests(t *testing.T) {
	xr := exampleXR(t, "production-claude-agent.yaml")
	local := run(t, withDependencies(newRequest(t, xr, compositionInput(t, "agentdeployment.yaml"), nil), ""))
	input := compositionInput(t, "agentdeployment-remote.yaml")
	delivery := input.GetFields()["delivery"].GetStructValue()
	delivery.GetFields()["namespace"] = structpb.NewStringValue("agents-remote")
	req := newRequest(t, xr, input, nil)
	steady := remoteRequest(t, "steady", fixtures.ObjectState{})
	req.Observed.Resources = steady.GetObserved().GetResources()
	rsp := run(t, req)

	for _, key := range keys(local) {
		want := desiredObject(t, local, key)
		want["metadata"].(map[string]any)["namespace"] = "agents-remote"
		obj := desiredObject(t, rsp, key+"-object")
		wantObject := map[string]any{
			"apiVersion": "kubernetes.m.crossplane.io/v1alpha1",
			"kind":       "Object",
			"metadata": map[string]any{
				"name":      "production-claude-agent-" + key,
				"namespace": "agents",
				"labels":    obj["metadata"].(map[string]any)["labels"],
			},
			"spec": map[string]any{
				"providerConfigRef": map[string]any{"kind": "ClusterProviderConfig", "name": "workload"},
				"forProvider":       map[string]any{"manifest": want},
				"watch":             true,
			},
		}
		if key == "prometheusrule" || key == "servicemonitor" {
			// Their selectors, expressions and labels name the namespace
			// the agent runs in: the workload cluster's, so they differ
			// from Local mode's beyond metadata.namespace.
			manifest := obj["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
			if ns := manifest["metadata"].(map[string]any)["namespace"]; ns != "agents-remote" {
				t.Errorf("the manifest of %s is in namespace %v, want agents-remote", key, ns)
			}
			wantObject["spec"].(map[string]any)["forProvider"] = obj["spec"].(map[string]any)["forProvider"]
		}
		if diff := cmp.Diff(wantObject, obj); diff != "" {
			t.Errorf("the Object of %s: -want, +got:\n%s", key, diff)
		}
	}
	if slices.Contains(keys(rsp), "deployment") {
		t.Errorf("Object mode composed a local Deployment: %v", keys(rsp))
	}
}
