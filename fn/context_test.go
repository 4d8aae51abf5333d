package fn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/resource"
)

func TestPipelineContext(t *testing.T) {
	// What the environment step before ours put there stays beside our key.
	earlier := `"apiextensions.crossplane.io/environment":{"region":"eu"}`
	cases := map[string]struct {
		reason string
		xr     map[string]any
		want   *structpb.Struct
	}{
		"FirstCall": {
			reason: "Names are published from the first call, before anything exists; the endpoint only once the Service is ready.",
			xr:     exampleXR(t, "minimal.yaml"),
			want: resource.MustStructJSON(`{` + earlier + `,"agentops.io/agent":{
				"name":"minimal-agent","namespace":"agents","endpoint":"",
				"service":{"name":"minimal-agent","port":8080},
				"serviceAccountName":"minimal-agent",
				"selector":{"app.kubernetes.io/instance":"minimal-agent","app.kubernetes.io/name":"agentops-agent"},
				"phase":"Pending","ready":false}}`),
		},
		"Invalid": {
			reason: "A refused spec publishes nothing: the context is the request's, as the desired state is.",
			xr: func() map[string]any {
				xr := exampleXR(t, "minimal.yaml")
				xr["spec"].(map[string]any)["replicas"] = 1000
				return xr
			}(),
			want: resource.MustStructJSON(`{` + earlier + `}`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, tc.xr, compositionInput(t, "agentdeployment.yaml"), nil)
			before := proto.CloneOf(req.GetContext())
			rsp := run(t, req)
			if diff := cmp.Diff(tc.want, rsp.GetContext(), protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRunFunction(...).Context: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(before, req.GetContext(), protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRunFunction(...) changed the request's context: -before, +after:\n%s", tc.reason, diff)
			}
		})
	}
}
