package observed_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/observed"
)

// TestTrimRequiredSchemas: the required schemas arrive cut to whether each
// kind has one, the rest of the request as sent, and the function answers
// as it does to the whole request.
func TestTrimRequiredSchemas(t *testing.T) {
	schema, err := structpb.NewStruct(map[string]any{
		"type":       "object",
		"properties": map[string]any{"spec": map[string]any{"type": "object", "description": "a CRD's schema, tens of kilobytes in a real one"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := fixtureRequest("steady")(t)
	req.Meta = &fnv1.RequestMeta{Tag: "t", Capabilities: []fnv1.Capability{fnv1.Capability_CAPABILITY_CAPABILITIES, fnv1.Capability_CAPABILITY_REQUIRED_SCHEMAS}}
	req.RequiredSchemas = map[string]*fnv1.Schema{
		crds.ServiceMonitor.Name: {OpenapiV3: schema},
		crds.PrometheusRule.Name: {},
		crds.ScaledObject.Name:   {OpenapiV3: &structpb.Struct{}},
	}
	b, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	trimmed, ok := observed.TrimRequest(nil, b)
	if !ok {
		t.Fatal("TrimRequest(...): false, want the request trimmed")
	}
	got := &fnv1.RunFunctionRequest{}
	if err := proto.Unmarshal(trimmed, got); err != nil {
		t.Fatalf("the trimmed request does not decode: %v", err)
	}
	want := map[string]*fnv1.Schema{
		crds.ServiceMonitor.Name: {OpenapiV3: &structpb.Struct{}},
		crds.PrometheusRule.Name: {},
		crds.ScaledObject.Name:   {OpenapiV3: &structpb.Struct{}},
	}
	if diff := cmp.Diff(want, got.GetRequiredSchemas(), protocmp.Transform()); diff != "" {
		t.Errorf("the trimmed required schemas: -want (whether each has one), +got:\n%s", diff)
	}
	withoutSchemas := func(r *fnv1.RunFunctionRequest) *fnv1.RunFunctionRequest {
		out := withoutObjects(r)
		out.RequiredSchemas = nil
		return out
	}
	if diff := cmp.Diff(withoutSchemas(req), withoutSchemas(got), protocmp.Transform()); diff != "" {
		t.Errorf("the request but its observed objects and schemas: -sent, +trimmed:\n%s", diff)
	}
	gotRsp := sameResponse(t, "The function answers the trimmed request as the whole one.", req, got)
	if n := len(gotRsp.GetDesired().GetResources()); n == 0 {
		t.Fatal("RunFunction composed nothing")
	}
	if _, composed := gotRsp.GetDesired().GetResources()["prometheusrule"]; composed {
		t.Error("RunFunction composed the PrometheusRule, whose schema came back empty")
	}
}
