package crds

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

func TestRead(t *testing.T) {
	caps := &fnv1.RequestMeta{Capabilities: []fnv1.Capability{fnv1.Capability_CAPABILITY_CAPABILITIES, fnv1.Capability_CAPABILITY_REQUIRED_SCHEMAS}}
	installed := &fnv1.Schema{OpenapiV3: &structpb.Struct{}}
	absent := &fnv1.Schema{}
	type want struct {
		missing      []Kind
		requirements *fnv1.Requirements
	}
	cases := map[string]struct {
		reason string
		req    *fnv1.RunFunctionRequest
		want   want
	}{
		"NoCapability": {
			reason: "A Crossplane before v2.2 cannot say: every kind counts as installed, and nothing is asked for.",
			req:    &fnv1.RunFunctionRequest{Meta: &fnv1.RequestMeta{Capabilities: []fnv1.Capability{fnv1.Capability_CAPABILITY_CONDITIONS}}},
			want:   want{},
		},
		"DeclaredAllInstalled": {
			reason: "The Composition declared the schemas and every CRD is there: nothing missing, nothing more to ask (one call).",
			req: &fnv1.RunFunctionRequest{Meta: caps, RequiredSchemas: map[string]*fnv1.Schema{
				"servicemonitor": installed, "prometheusrule": installed, "scaledobject": installed,
			}},
			want: want{},
		},
		"DeclaredMonitoringAbsent": {
			reason: "An empty Schema is Crossplane's answer for a kind no CRD serves.",
			req: &fnv1.RunFunctionRequest{Meta: caps, RequiredSchemas: map[string]*fnv1.Schema{
				"servicemonitor": absent, "prometheusrule": absent, "scaledobject": installed,
			}},
			want: want{missing: []Kind{ServiceMonitor, PrometheusRule}},
		},
		"NotDeclaredFirstCall": {
			reason: "No declaration: ask under names of the function's own, and count every kind installed on this call, whose response Crossplane drops.",
			req:    &fnv1.RunFunctionRequest{Meta: caps},
			want:   want{requirements: Requirements(askedPrefix)},
		},
		"NotDeclaredAnswered": {
			reason: "Crossplane's answer to the function's own request: read it, and ask the same again, so the requirements settle.",
			req: &fnv1.RunFunctionRequest{Meta: caps, RequiredSchemas: map[string]*fnv1.Schema{
				"agentops-servicemonitor": installed, "agentops-prometheusrule": installed, "agentops-scaledobject": absent,
			}},
			want: want{missing: []Kind{ScaledObject}, requirements: Requirements(askedPrefix)},
		},
		"PartlyDeclared": {
			reason: "A declaration missing a kind is not trusted for the others: the function asks for all of them itself.",
			req: &fnv1.RunFunctionRequest{Meta: caps, RequiredSchemas: map[string]*fnv1.Schema{
				"servicemonitor": absent,
			}},
			want: want{requirements: Requirements(askedPrefix)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in, rq := Read(tc.req)
			if diff := cmp.Diff(tc.want.missing, in.Missing()); diff != "" {
				t.Errorf("%s\nRead(...) missing: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.requirements, rq, protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRead(...) requirements: -want, +got:\n%s", tc.reason, diff)
			}
			for _, k := range Optional {
				if got, want := in.Has(k), !slices.Contains(tc.want.missing, k); got != want {
					t.Errorf("%s\nHas(%s) = %t, want %t", tc.reason, k.Kind, got, want)
				}
			}
		})
	}
}

func TestRequirements(t *testing.T) {
	want := &fnv1.Requirements{Schemas: map[string]*fnv1.SchemaSelector{
		"servicemonitor": {ApiVersion: "monitoring.coreos.com/v1", Kind: "ServiceMonitor"},
		"prometheusrule": {ApiVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"},
		"scaledobject":   {ApiVersion: "keda.sh/v1alpha1", Kind: "ScaledObject"},
	}}
	if diff := cmp.Diff(want, Requirements(""), protocmp.Transform()); diff != "" {
		t.Errorf("Requirements(\"\"): the names and kinds a Composition declares (compositions/*.yaml): -want, +got:\n%s", diff)
	}
}
