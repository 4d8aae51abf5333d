package fn_test

import (
	"context"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
)

// TestNothingChangedSameResponse: called again on an unchanged cluster,
// with the XR's status as Crossplane wrote it from the first answer, the
// function answers exactly as before. Crossplane then applies no change
// to a composed object and writes no XR status, so an idle agent makes no
// watch event to spend its circuit breaker's tokens (docs/operations.md);
// TestFixturesAgreeWithFunction shows the composed objects equal what is
// observed, and e2e TestCircuitBreaker counts the events of a settled
// fleet.
func TestNothingChangedSameResponse(t *testing.T) {
	eachScenario(t, func(t *testing.T, name string, f *fn.Function, req *fnv1.RunFunctionRequest, first *fnv1.RunFunctionResponse) {
		again := proto.Clone(req).(*fnv1.RunFunctionRequest)
		writeStatus(again.GetObserved().GetComposite().GetResource(), first.GetDesired().GetComposite().GetResource())
		second, err := f.RunFunction(context.Background(), again)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, second, protocmp.Transform()); diff != "" {
			t.Errorf("scenario %s: the same observed state, with the status the first answer set, answered otherwise (-first, +second):\n%s", name, diff)
		}
	})
}

// writeStatus does what Crossplane does with a desired XR's status: its
// fields replace the observed XR's.
func writeStatus(xr, desired *structpb.Struct) {
	ds := desired.GetFields()["status"].GetStructValue()
	if ds == nil {
		return
	}
	status := xr.GetFields()["status"].GetStructValue()
	if status.GetFields() == nil {
		status = &structpb.Struct{Fields: map[string]*structpb.Value{}}
		xr.Fields["status"] = structpb.NewStructValue(status)
	}
	maps.Copy(status.GetFields(), ds.GetFields())
}
