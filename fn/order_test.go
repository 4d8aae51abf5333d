package fn

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// TestRunFunctionComposesInOrder: the Deployment is composed only once the
// ServiceAccount and ConfigMap its pods need are observed, and never
// withdrawn once it exists.
func TestRunFunctionComposesInOrder(t *testing.T) {
	type want struct {
		deployment bool
		conditions []string
		phase      any
		warnings   []string
	}
	deployment := &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"production-claude-agent","namespace":"agents","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1}}`)}
	cases := map[string]struct {
		reason  string
		observe func(req *fnv1.RunFunctionRequest)
		want    want
	}{
		"FirstCall": {
			reason:  "Nothing observed: everything but the Deployment is composed; Pending, saying what the Deployment waits for; no warning.",
			observe: func(*fnv1.RunFunctionRequest) {},
			want:    want{conditions: []string{"WorkloadAvailable=AwaitingDependencies", "RolloutComplete=AwaitingDependencies"}, phase: "Pending"},
		},
		"DependenciesObserved": {
			reason:  "The ServiceAccount and ConfigMap observed: the Deployment is composed, and Crossplane is to create it.",
			observe: func(req *fnv1.RunFunctionRequest) { withDependencies(req, "") },
			want:    want{deployment: true, conditions: []string{"WorkloadAvailable=Creating", "RolloutComplete=Creating"}, phase: "Pending"},
		},
		"DeploymentObservedDependencyGone": {
			reason: "The Deployment exists, the ServiceAccount is gone: the Deployment stays in the desired state, or Crossplane would delete it.",
			observe: func(req *fnv1.RunFunctionRequest) {
				req.Observed.Resources = map[string]*fnv1.Resource{"deployment": deployment}
			},
			want: want{deployment: true, conditions: []string{"WorkloadAvailable=NoReplicaReady", "RolloutComplete=RolloutInProgress"}, phase: "Pending"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, exampleXR(t, "production-claude-agent.yaml"), compositionInput(t, "agentdeployment.yaml"), nil)
			tc.observe(req)
			rsp := run(t, req)
			got := want{phase: rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["phase"], warnings: warnings(rsp)}
			_, got.deployment = rsp.GetDesired().GetResources()["deployment"]
			for _, c := range rsp.GetConditions() {
				if c.GetType() == "WorkloadAvailable" || c.GetType() == "RolloutComplete" {
					got.conditions = append(got.conditions, c.GetType()+"="+c.GetReason())
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
