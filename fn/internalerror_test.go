package fn

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// bugLogger panics on the first Debug line, which RunFunction writes once it
// has started: a stand-in for a bug anywhere in the call.
type bugLogger struct{ logging.Logger }

func (bugLogger) Debug(string, ...any) { panic("a bug") }

// TestRunFunctionInternalError: a failure of the function's own is a Fatal
// result with the request's desired state untouched, like bad input, but
// Validated is Unknown with reason InternalError, not False: the spec is
// not to blame.
func TestRunFunctionInternalError(t *testing.T) {
	input := compositionInput(t, "agentdeployment.yaml")
	statusNotAnObject := earlierStep(t, "bucket", "deployment")
	statusNotAnObject.Composite.Resource = resource.MustStructJSON(`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","status":"earlier"}`)
	cases := map[string]struct {
		reason  string
		log     logging.Logger
		desired *fnv1.State
		want    string
	}{
		"Panic": {
			reason:  "A panic is recovered into the answer.",
			log:     bugLogger{logging.NewNopLogger()},
			desired: earlierStep(t, "bucket", "deployment"),
			want:    "internal error in function-agentops (please report it): a bug",
		},
		"CannotSetStatus": {
			reason:  "A desired XR whose status an earlier step made a string: the status cannot be set, and nothing of the agent's is desired.",
			log:     logging.NewNopLogger(),
			desired: statusNotAnObject,
			want:    "cannot set status.phase: status is not an object",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, exampleXR(t, "minimal.yaml"), input, tc.desired)
			want := &fnv1.RunFunctionResponse{
				Meta:    &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag(), Ttl: durationpb.New(15 * time.Second)},
				Desired: proto.CloneOf(req.GetDesired()),
				Context: req.GetContext(),
				Conditions: []*fnv1.Condition{{
					Type: "Validated", Status: fnv1.Status_STATUS_CONDITION_UNKNOWN, Reason: "InternalError",
					Message: new(tc.want), Target: fnv1.Target_TARGET_COMPOSITE_AND_CLAIM.Enum(),
				}},
				Results: []*fnv1.Result{{Severity: fnv1.Severity_SEVERITY_FATAL, Message: tc.want, Target: fnv1.Target_TARGET_COMPOSITE.Enum()}},
			}
			got, err := NewFunction(tc.log).RunFunction(t.Context(), req)
			if err != nil {
				t.Fatalf("RunFunction(...): %v", err)
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
