package status

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/function-sdk-go/request"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/input/v1beta1"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// now is when the tests look at the fixtures: after every timestamp in them.
var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// A mutation changes a scenario before deriving its status: the XR, or the
// observed objects (which hold float64 numbers, as in production).
type mutation func(xr *unstructured.Unstructured, observed map[compose.Key]*unstructured.Unstructured)

// derived is what a test compares: the status, and a short form of the
// rest.
type derived struct {
	Status     v1alpha1.AgentDeploymentStatus
	Ready      bool
	Claim      bool
	Conditions []string
	NotReady   []string
	Warnings   []string
	// Held are the keys of the objects not composed yet.
	Held []string
}

// derive runs Derive as the function does, on a scenario of
// test/fixtures/observed ("" for nothing observed, with xr), at t.
func derive(t *testing.T, scenario, xr string, m mutation, at time.Time) (Result, derived) {
	t.Helper()
	w, desired, observed := load(t, scenario, xr, m)
	r := Derive(w, desired, observed, at)
	return r, summarize(r)
}

func load(t *testing.T, scenario, xr string, m mutation) (*compose.Workload, []compose.Composed, map[compose.Key]*unstructured.Unstructured) {
	t.Helper()
	composition := filepath.Join(fixtures.Root(), "compositions", "agentdeployment.yaml")
	dir := ""
	if scenario != "" {
		all, err := fixtures.Scenarios()
		if err != nil {
			t.Fatal(err)
		}
		sc := all[scenario]
		xr, composition, dir = sc.XR, filepath.Join(fixtures.Root(), sc.Composition), fixtures.Dir(scenario)
	}
	x, err := fixtures.Object(filepath.Join(fixtures.Root(), xr))
	if err != nil {
		t.Fatal(err)
	}
	if m != nil {
		m(x, nil)
	}
	req, err := fixtures.NewRequest(x, composition, dir)
	if err != nil {
		t.Fatal(err)
	}
	in := &v1beta1.Input{}
	if err := request.GetInput(req, in); err != nil {
		t.Fatal(err)
	}
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		t.Fatal(err)
	}
	a, errs := agent.FromComposite(&oxr.Resource.Unstructured)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	observed := fixtures.ObservedObjects(req)
	if m != nil {
		m(nil, observed)
	}
	w := compose.NewWorkload(a, s)
	return w, compose.All(w), observed
}

func summarize(r Result) derived {
	d := derived{Status: r.Status, Ready: r.Ready, Claim: r.Claim}
	for _, c := range r.Conditions {
		d.Conditions = append(d.Conditions, fmt.Sprintf("%s=%s/%s", c.Type, c.Status, c.Reason))
	}
	for k, v := range r.Health {
		if !v.Ready() {
			d.NotReady = append(d.NotReady, string(k))
		}
	}
	sort.Strings(d.NotReady)
	for _, h := range r.Held {
		d.Held = append(d.Held, string(h.Key))
	}
	for _, w := range r.Warnings {
		d.Warnings = append(d.Warnings, w.Reason)
	}
	return d
}

// message is the message of the condition of type typ.
func message(r Result, typ string) string {
	for _, c := range r.Conditions {
		if c.Type == typ {
			return c.Message
		}
	}
	return ""
}

// checkMessages reports each condition message lacking a wanted part.
func checkMessages(t *testing.T, reason string, r Result, want map[string][]string) {
	t.Helper()
	for typ, parts := range want {
		got := message(r, typ)
		if typ == "warning" && len(r.Warnings) > 0 {
			got = r.Warnings[0].Message
		}
		for _, p := range parts {
			if !strings.Contains(got, p) {
				t.Errorf("%s\n%s message %q lacks %q", reason, typ, got, p)
			}
		}
	}
}

// set sets a field of an observed object.
func set(observed map[compose.Key]*unstructured.Unstructured, key compose.Key, value any, fields ...string) {
	if err := unstructured.SetNestedField(observed[key].Object, value, fields...); err != nil {
		panic(err)
	}
}

// unset removes a field of an observed object.
func unset(observed map[compose.Key]*unstructured.Unstructured, key compose.Key, fields ...string) {
	unstructured.RemoveNestedField(observed[key].Object, fields...)
}

// on applies f to the observed objects only.
func on(f func(map[compose.Key]*unstructured.Unstructured)) mutation {
	return func(xr *unstructured.Unstructured, observed map[compose.Key]*unstructured.Unstructured) {
		if observed != nil {
			f(observed)
		}
	}
}

// onXR applies f to the XR only.
func onXR(f func(*unstructured.Unstructured)) mutation {
	return func(xr *unstructured.Unstructured, observed map[compose.Key]*unstructured.Unstructured) {
		if xr != nil {
			f(xr)
		}
	}
}

// withoutDeployment are allKeys but the Deployment: what is composed, and
// not ready, before anything is observed.
var withoutDeployment = []string{"configmap", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "serviceaccount", "servicemonitor"}

// replicaFailure adds a ReplicaFailure condition to the observed Deployment,
// failing since since.
func replicaFailure(o map[compose.Key]*unstructured.Unstructured, message string, since time.Time) {
	conds, _, _ := unstructured.NestedSlice(o["deployment"].Object, "status", "conditions")
	conds = append(conds, map[string]any{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
		"message": message, "lastTransitionTime": since.UTC().Format(time.RFC3339)})
	set(o, "deployment", conds, "status", "conditions")
}

// keep removes every observed object but those under keys.
func keep(o map[compose.Key]*unstructured.Unstructured, keys ...string) {
	for k := range o {
		if !slices.Contains(keys, string(k)) {
			delete(o, k)
		}
	}
}
