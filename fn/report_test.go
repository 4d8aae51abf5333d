package fn_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// reported is what one call tells Crossplane besides the composed objects.
type reported struct {
	Phase    string
	XRReady  fnv1.Ready
	NotReady []string
	// Ready of every desired composed resource: never Unspecified.
	Unspecified []string
	Targets     []string
	Results     []string
	TTL         time.Duration
}

func report(rsp *fnv1.RunFunctionResponse) reported {
	r := reported{
		Phase:   rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["phase"].GetStringValue(),
		XRReady: rsp.GetDesired().GetComposite().GetReady(),
		TTL:     rsp.GetMeta().GetTtl().AsDuration(),
	}
	for k, res := range rsp.GetDesired().GetResources() {
		switch res.GetReady() {
		case fnv1.Ready_READY_FALSE:
			r.NotReady = append(r.NotReady, k)
		case fnv1.Ready_READY_TRUE:
		case fnv1.Ready_READY_UNSPECIFIED:
			r.Unspecified = append(r.Unspecified, k)
		}
	}
	sort.Strings(r.NotReady)
	sort.Strings(r.Unspecified)
	targets := map[string]bool{}
	for _, c := range rsp.GetConditions() {
		targets[c.GetTarget().String()] = true
	}
	for t := range targets {
		r.Targets = append(r.Targets, t)
	}
	sort.Strings(r.Targets)
	for _, res := range rsp.GetResults() {
		r.Results = append(r.Results, fmt.Sprintf("%s/%s/%s", res.GetSeverity(), res.GetReason(), res.GetTarget()))
	}
	return r
}

// Every fixture scenario through RunFunction: readiness on every composed
// resource, the XR's own readiness, where conditions go, which results, and
// the TTL.
func TestRunFunctionReportsObservedState(t *testing.T) {
	const (
		short = 15 * time.Second
		long  = 5 * time.Minute
		xr    = "TARGET_COMPOSITE"
		claim = "TARGET_COMPOSITE_AND_CLAIM"
	)
	cases := map[string]struct {
		reason string
		want   reported
	}{
		"steady": {
			reason: "Running: the XR Ready, every resource ready, no result at all, the long TTL.",
			want:   reported{Phase: "Running", XRReady: fnv1.Ready_READY_TRUE, Targets: []string{xr}, TTL: long},
		},
		"rolling-out": {
			reason: "Degraded by a rollout: the XR explicitly not Ready, the Deployment not ready, no event, the short TTL.",
			want:   reported{Phase: "Degraded", XRReady: fnv1.Ready_READY_FALSE, NotReady: []string{"deployment"}, Targets: []string{xr}, TTL: short},
		},
		"failed": {
			reason: "Failed: one Warning naming the reason, the short TTL (not Running).",
			want: reported{Phase: "Failed", XRReady: fnv1.Ready_READY_FALSE, NotReady: []string{"deployment"}, Targets: []string{xr},
				Results: []string{"SEVERITY_WARNING/ProgressDeadlineExceeded/TARGET_COMPOSITE"}, TTL: short},
		},
		"degraded": {
			reason: "Degraded: not Ready, short TTL, no event.",
			want:   reported{Phase: "Degraded", XRReady: fnv1.Ready_READY_FALSE, NotReady: []string{"deployment"}, Targets: []string{xr}, TTL: short},
		},
		"no-replica-available": {
			reason: "No replica for longer than the deadline: Failed, with a Warning.",
			want: reported{Phase: "Failed", XRReady: fnv1.Ready_READY_FALSE, NotReady: []string{"deployment"}, Targets: []string{xr},
				Results: []string{"SEVERITY_WARNING/NoReplicaAvailable/TARGET_COMPOSITE"}, TTL: short},
		},
		"hpa-metric-missing": {
			reason: "A missing custom metric does not hold the XR back: Ready, and no event (the condition says it).",
			want:   reported{Phase: "Running", XRReady: fnv1.Ready_READY_TRUE, Targets: []string{xr}, TTL: long},
		},
		"deleting": {
			reason: "A Deployment being deleted is not ready.",
			want:   reported{Phase: "Degraded", XRReady: fnv1.Ready_READY_FALSE, NotReady: []string{"deployment"}, Targets: []string{xr}, TTL: short},
		},
		"scaled-to-zero": {
			reason: "Zero replicas: Running and Ready.",
			want:   reported{Phase: "Running", XRReady: fnv1.Ready_READY_TRUE, Targets: []string{xr}, TTL: long},
		},
		"legacy-claim": {
			reason: "On the legacy path every condition targets the claim too.",
			want:   reported{Phase: "Running", XRReady: fnv1.Ready_READY_TRUE, Targets: []string{claim}, TTL: long},
		},
	}
	f := fn.NewFunction(logging.NewNopLogger())
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req, err := fixtures.Request(name)
			if err != nil {
				t.Fatal(err)
			}
			rsp, err := f.RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, report(rsp)); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// eachScenario calls one function on every observed-state scenario's
// request, in a subtest each, and checks the answer.
func eachScenario(t *testing.T, check func(t *testing.T, name string, f *fn.Function, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse)) {
	t.Helper()
	scenarios, err := fixtures.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	f := fn.NewFunction(logging.NewNopLogger())
	for name := range scenarios {
		t.Run(name, func(t *testing.T) {
			req, err := fixtures.Request(name)
			if err != nil {
				t.Fatal(err)
			}
			rsp, err := f.RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			check(t, name, f, req, rsp)
		})
	}
}

// The fixtures must be what the function composes: every field the function
// desires is in the observed object with the same value. When this fails
// after a change to fn/compose, regenerate them: make observed-fixtures.
func TestFixturesAgreeWithFunction(t *testing.T) {
	eachScenario(t, func(t *testing.T, name string, _ *fn.Function, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) {
		desired := make([]string, 0, len(rsp.GetDesired().GetResources()))
		observed := make([]string, 0, len(req.GetObserved().GetResources()))
		for k := range rsp.GetDesired().GetResources() {
			desired = append(desired, k)
		}
		for k := range req.GetObserved().GetResources() {
			observed = append(observed, k)
		}
		sort.Strings(desired)
		sort.Strings(observed)
		if diff := cmp.Diff(desired, observed); diff != "" {
			t.Fatalf("scenario %s: the function desires other resources than the fixture holds (make observed-fixtures): -desired, +observed:\n%s", name, diff)
		}
		for k, d := range rsp.GetDesired().GetResources() {
			o := req.GetObserved().GetResources()[k].GetResource().AsMap()
			for _, p := range missing(d.GetResource().AsMap(), o, k) {
				t.Errorf("scenario %s: %s (make observed-fixtures)", name, p)
			}
		}
	})
}

// missing lists where desired is not part of observed.
func missing(desired, observed any, path string) []string {
	switch d := desired.(type) {
	case map[string]any:
		o, ok := observed.(map[string]any)
		if !ok {
			return []string{path + ": not an object in the fixture"}
		}
		var out []string
		for k, v := range d {
			out = append(out, missing(v, o[k], path+"."+k)...)
		}
		return out
	case []any:
		o, ok := observed.([]any)
		if !ok || len(o) != len(d) {
			return []string{fmt.Sprintf("%s: desired %v, fixture %v", path, desired, observed)}
		}
		var out []string
		for i := range d {
			out = append(out, missing(d[i], o[i], fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	if !cmp.Equal(desired, observed) {
		return []string{fmt.Sprintf("%s: desired %v, fixture %v", path, desired, observed)}
	}
	return nil
}
