package reliability

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.yaml from what the code does now (make reliability-golden)")

const badInputGolden = "testdata/bad-input.golden.yaml"

// A refusal is what happened to one bad case: who refused it, and with
// which messages.
type refusal struct {
	RefusedBy string `json:"refusedBy"`
	// Schema is the API server's error ("" when it admits the object).
	Schema string `json:"schema,omitempty"`
	// Function is the message of the function's Fatal result.
	Function string `json:"function,omitempty"`
	// Condition is the reason of the condition that reports observed state
	// the function could not read. Its message, the status code's to word,
	// is only checked for the field it names.
	Condition string `json:"condition,omitempty"`
}

// TestBadInput runs every bad case through the API server's validation of
// the CRD Crossplane makes from our XRD, and through RunFunction: with the
// object as the API server stored it, or, where the API server refuses it,
// as `crossplane render` would pass it. Each case must be refused by whom
// the table says, with messages that name the field, and never with a
// partial desired state. The messages are in testdata/bad-input.golden.yaml.
func TestBadInput(t *testing.T) {
	v2 := newAPIServer(t, "apis/definition.yaml", compositeCRD)
	legacy := newAPIServer(t, "apis/legacy/definition.yaml", compositeCRD)
	cases := badCases()
	if len(cases) < 60 {
		t.Fatalf("the table has %d cases; the issue asks for at least 60", len(cases))
	}
	got := map[string]refusal{}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			xr, api := baseXR(), v2
			if tc.legacy {
				xr, api = claimXR(t, baseXR()), legacy
			}
			in := compositionInput(t, "compositions/agentdeployment.yaml")
			if tc.xr != nil {
				tc.xr(xr)
			}
			if tc.input != nil {
				tc.input(in)
			}
			var r refusal
			stored, schemaErr := api.admit(xr)
			if tc.xr != nil {
				r.Schema = schemaErr
			} else if schemaErr != "" {
				t.Fatalf("%s\nthe base XR is refused: %s", tc.reason, schemaErr)
			}
			seen := stored
			if r.Schema != "" {
				seen = xr
			}
			req := request(t, seen, in, withDependencies(tc.observed))
			rsp, _ := run(t, req)
			r.Function = fatal(rsp)
			var condMsg string
			if tc.condition != "" {
				r.Condition, condMsg = condition(rsp, tc.condition)
			}
			r.RefusedBy = refusedBy(r)
			got[name] = r

			wholeOrNothing(t, tc.reason, req, rsp, autoscaled(seen))
			var problems []string
			if r.RefusedBy != tc.want.by {
				problems = append(problems, fmt.Sprintf("refused by: want %q, got %q\n%+v", tc.want.by, r.RefusedBy, r))
			}
			for _, msg := range []string{r.Schema, r.Function, condMsg} {
				if msg != "" && !strings.Contains(msg, tc.want.field) {
					problems = append(problems, fmt.Sprintf("the message does not name %s: %s", tc.want.field, msg))
				}
			}
			switch {
			case tc.gap != "" && len(problems) > 0:
				t.Skipf("%s\nknown gap: %s\n%s", tc.reason, tc.gap, strings.Join(problems, "\n"))
			case tc.gap != "":
				t.Errorf("%s\nthe known gap is closed (%s): remove the case's gap", tc.reason, tc.gap)
			case len(problems) > 0:
				t.Errorf("%s\n%s", tc.reason, strings.Join(problems, "\n"))
			}
		})
	}
	golden(t, badInputGolden, got)
}

// baseXR is a valid AgentDeployment, which each case spoils in one way.
func baseXR() map[string]any {
	return map[string]any{
		"apiVersion": "agentops.io/v1alpha1",
		"kind":       "AgentDeployment",
		"metadata":   map[string]any{"name": "support-agent", "namespace": "agents"},
		"spec": map[string]any{
			"model":   "gpt-4o",
			"secrets": map[string]any{"apiKeySecret": "openai-api-key"},
		},
	}
}

func refusedBy(r refusal) string {
	switch {
	case r.Condition != "" && r.Schema == "" && r.Function == "":
		return reported
	case r.Schema != "" && r.Function != "":
		return byBoth
	case r.Schema != "":
		return bySchema
	case r.Function != "":
		return byFunction
	default:
		return "nobody"
	}
}

// condition is the reason and message of the response's condition of type
// typ.
func condition(rsp *fnv1.RunFunctionResponse, typ string) (string, string) {
	for _, c := range rsp.GetConditions() {
		if c.GetType() == typ {
			return c.GetReason(), c.GetMessage()
		}
	}
	return "", ""
}

func autoscaled(xr map[string]any) bool {
	spec, _ := xr["spec"].(map[string]any)
	a, _ := spec["autoscaling"].(map[string]any)
	on, _ := a["enabled"].(bool)
	return on
}

// wholeOrNothing: a response with a Fatal result leaves the desired state
// as the request had it; any other holds every composed resource, each
// with a valid name.
func wholeOrNothing(t *testing.T, reason string, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, autoscaled bool) {
	t.Helper()
	if fatal(rsp) != "" {
		if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
			t.Errorf("%s\nRunFunction(...) with a Fatal result changed the desired state: -want, +got:\n%s", reason, diff)
		}
		return
	}
	if diff := cmp.Diff(allKeys(autoscaled), desiredKeys(rsp)); diff != "" {
		t.Errorf("%s\nRunFunction(...) desired a partial state: -want, +got:\n%s", reason, diff)
	}
	for key, r := range rsp.GetDesired().GetResources() {
		name := r.GetResource().GetFields()["metadata"].GetStructValue().GetFields()["name"].GetStringValue()
		if errs := validation.IsDNS1035Label(name); len(errs) > 0 {
			t.Errorf("%s\ndesired %s is named %q: %v", reason, key, name, errs)
		}
	}
	if rsp.GetDesired().GetComposite() == nil || proto.Equal(rsp.GetDesired().GetComposite(), &fnv1.Resource{}) {
		t.Errorf("%s\nRunFunction(...) set no desired XR", reason)
	}
}

// golden compares got with the golden file, or rewrites it with -update.
func golden[T any](t *testing.T, file string, got map[string]T) {
	t.Helper()
	b, err := yaml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	header := "# Generated by `make reliability-golden` (go test ./test/reliability -update). DO NOT EDIT.\n"
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, append([]byte(header), b...), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v: run make reliability-golden", err)
	}
	wantMap := map[string]T{}
	if err := yaml.Unmarshal(want, &wantMap); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantMap, got); diff != "" {
		t.Errorf("%s is out of date; if the change is meant, run make reliability-golden: -want, +got:\n%s", file, diff)
	}
}
