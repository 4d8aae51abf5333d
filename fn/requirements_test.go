package fn_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// TestRequiredSchemas: what a steady agent's call composes, asks for and how
// soon it wants to be called again, by what Crossplane says of the CRDs.
func TestRequiredSchemas(t *testing.T) {
	caps := []fnv1.Capability{fnv1.Capability_CAPABILITY_CAPABILITIES, fnv1.Capability_CAPABILITY_REQUIRED_SCHEMAS}
	installed := &fnv1.Schema{OpenapiV3: &structpb.Struct{}}
	type want struct {
		monitoring   bool
		condition    string
		requirements *fnv1.Requirements
		ttl          time.Duration
	}
	cases := map[string]struct {
		reason  string
		caps    []fnv1.Capability
		schemas map[string]*fnv1.Schema
		want    want
	}{
		"BeforeRequiredSchemas": {
			reason: "A Crossplane that cannot send schemas: composed as the input says, as before, nothing asked.",
			want:   want{monitoring: true, condition: "True/Composed", ttl: 5 * time.Minute},
		},
		"Declared": {
			reason: "The Composition declared the schemas, all installed: one call, nothing asked, the stable TTL.",
			caps:   caps,
			schemas: map[string]*fnv1.Schema{
				crds.ServiceMonitor.Name: installed, crds.PrometheusRule.Name: installed, crds.ScaledObject.Name: installed,
			},
			want: want{monitoring: true, condition: "True/Composed", ttl: 5 * time.Minute},
		},
		"MonitoringAbsent": {
			reason: "No Prometheus Operator: no ServiceMonitor or PrometheusRule, CRDNotInstalled, and a call again within a minute to see them installed.",
			caps:   caps,
			schemas: map[string]*fnv1.Schema{
				crds.ServiceMonitor.Name: {}, crds.PrometheusRule.Name: {}, crds.ScaledObject.Name: {},
			},
			want: want{condition: "False/CRDNotInstalled", ttl: time.Minute},
		},
		"NotDeclared": {
			reason: "A Composition without the declaration: the function asks for the schemas itself.",
			caps:   caps,
			want:   want{monitoring: true, condition: "True/Composed", requirements: crds.Requirements("agentops-"), ttl: 5 * time.Minute},
		},
	}
	f := fn.NewFunction(logging.NewNopLogger())
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req, err := fixtures.Request("steady")
			if err != nil {
				t.Fatal(err)
			}
			req.Meta = &fnv1.RequestMeta{Tag: "t", Capabilities: tc.caps}
			req.RequiredSchemas = tc.schemas
			rsp, err := f.RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			got := want{requirements: rsp.GetRequirements(), ttl: rsp.GetMeta().GetTtl().AsDuration()}
			_, sm := rsp.GetDesired().GetResources()["servicemonitor"]
			_, pr := rsp.GetDesired().GetResources()["prometheusrule"]
			if sm != pr {
				t.Errorf("%s\nServiceMonitor composed %t, PrometheusRule %t: want both or neither", tc.reason, sm, pr)
			}
			got.monitoring = sm
			for _, c := range rsp.GetConditions() {
				if c.GetType() == "MonitoringAvailable" {
					got.condition = map[fnv1.Status]string{fnv1.Status_STATUS_CONDITION_TRUE: "True", fnv1.Status_STATUS_CONDITION_FALSE: "False"}[c.GetStatus()] + "/" + c.GetReason()
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
