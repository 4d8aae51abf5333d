//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// poll is how often tests look at the cluster; patience how long they wait
// for Crossplane and the controllers to converge.
const (
	poll     = time.Second
	patience = 3 * time.Minute
)

// xr is an AgentDeployment as kubectl shows it.
type xr struct {
	Metadata struct {
		Name       string            `json:"name"`
		Namespace  string            `json:"namespace"`
		UID        string            `json:"uid"`
		Generation int64             `json:"generation"`
		Labels     map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec   map[string]any `json:"spec"`
	Status xrStatus       `json:"status"`
}

type xrStatus struct {
	Phase              string      `json:"phase"`
	Model              string      `json:"model"`
	Replicas           int32       `json:"replicas"`
	ReadyReplicas      int32       `json:"readyReplicas"`
	AvailableReplicas  int32       `json:"availableReplicas"`
	UpdatedReplicas    int32       `json:"updatedReplicas"`
	ObservedGeneration int64       `json:"observedGeneration"`
	Endpoint           string      `json:"endpoint"`
	Selector           string      `json:"selector"`
	ServiceAccountName string      `json:"serviceAccountName"`
	Conditions         []condition `json:"conditions"`
}

func (s xrStatus) condition(t string) condition {
	for _, c := range s.Conditions {
		if c.Type == t {
			return c
		}
	}
	return condition{Type: t, Status: "Unknown"}
}

// summary is the status in one line, for failure messages.
func (s xrStatus) summary() string {
	conds := make([]string, 0, len(s.Conditions))
	for _, c := range s.Conditions {
		conds = append(conds, fmt.Sprintf("%s=%s(%s: %s)", c.Type, c.Status, c.Reason, c.Message))
	}
	return fmt.Sprintf("phase=%q replicas=%d ready=%d available=%d updated=%d observedGeneration=%d model=%q endpoint=%q conditions=[%s]",
		s.Phase, s.Replicas, s.ReadyReplicas, s.AvailableReplicas, s.UpdatedReplicas, s.ObservedGeneration, s.Model, s.Endpoint, strings.Join(conds, "; "))
}

// agent is an AgentDeployment manifest.
func agent(ns, name string, spec map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": "agentops.io/v1alpha1",
		"kind":       "AgentDeployment",
		"metadata":   map[string]any{"name": name, "namespace": ns},
		"spec":       spec,
	}
}

// baseSpec is a small valid spec: one replica of a hosted model, its key in
// a Secret, no autoscaling.
func baseSpec() map[string]any {
	return map[string]any{
		"model":    "claude-3-sonnet",
		"replicas": 1,
		"secrets":  map[string]any{"apiKeySecret": "anthropic-api-key"},
	}
}

// namespace creates a namespace for one test and deletes it afterwards.
func namespace(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := env.k.Run(ctx, "", "create", "namespace", name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// XRs first, so Crossplane deletes what it composed before the
		// namespace controller does.
		_, _ = env.k.Run(context.Background(), "", "delete", "agentdeployments", "--all", "-n", name, "--wait=true", "--timeout=60s")
		_, _ = env.k.Run(context.Background(), "", "delete", "namespace", name, "--wait=false")
	})
	return name
}

func apply(t *testing.T, manifest any) {
	t.Helper()
	if _, err := env.k.Apply(context.Background(), toJSON(manifest)); err != nil {
		t.Fatal(err)
	}
}

func getXR(ctx context.Context, ns, name string) (*xr, error) {
	var x xr
	if err := env.k.Get(ctx, &x, "agentdeployment", name, "-n", ns); err != nil {
		return nil, err
	}
	return &x, nil
}

// waitXR waits until ok accepts the AgentDeployment and returns it.
func waitXR(t *testing.T, ns, name, what string, ok func(*xr) error) *xr {
	t.Helper()
	var got *xr
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		x, err := getXR(ctx, ns, name)
		if err != nil {
			return err
		}
		got = x
		if err := ok(x); err != nil {
			return fmt.Errorf("%w\n  status: %s", err, x.Status.summary())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("AgentDeployment %s/%s: waiting for %s: %v", ns, name, what, err)
	}
	return got
}

// running accepts an AgentDeployment that is Running with replicas ready,
// reflects its latest generation, and is Ready and Synced. Crossplane
// writes the function's status fields in one request and its own
// conditions in the next, so a GET between the two sees phase Running
// beside the previous reconcile's Ready=False: wait for both.
func running(replicas int32) func(*xr) error {
	return func(x *xr) error {
		s := x.Status
		switch {
		case s.ObservedGeneration != x.Metadata.Generation:
			return fmt.Errorf("observedGeneration %d, generation %d", s.ObservedGeneration, x.Metadata.Generation)
		case s.condition("Responsive").Status == "False":
			return errors.New("Crossplane's circuit breaker for this XR is open: it drops watch events, the XR's own included")
		case s.Phase != "Running":
			return fmt.Errorf("phase %q, want Running", s.Phase)
		case s.ReadyReplicas != replicas || s.AvailableReplicas != replicas || s.UpdatedReplicas != replicas || s.Replicas != replicas:
			return fmt.Errorf("want %d replicas ready, available and updated", replicas)
		case s.condition("Ready").Status != "True":
			return fmt.Errorf("phase Running but condition Ready is %q", s.condition("Ready").Status)
		case s.condition("Synced").Status != "True":
			return fmt.Errorf("phase Running but condition Synced is %q", s.condition("Synced").Status)
		}
		return nil
	}
}

// runningClaim is running for a claim: its status is the composite's,
// whose generation is not the claim's.
func runningClaim(replicas int32) func(*xr) error {
	return func(x *xr) error {
		x.Status.ObservedGeneration = x.Metadata.Generation
		return running(replicas)(x)
	}
}

func phase(p string) func(*xr) error {
	return func(x *xr) error {
		if x.Status.ObservedGeneration != x.Metadata.Generation {
			return fmt.Errorf("observedGeneration %d, generation %d", x.Status.ObservedGeneration, x.Metadata.Generation)
		}
		if x.Status.Phase != p {
			return fmt.Errorf("phase %q, want %s", x.Status.Phase, p)
		}
		return nil
	}
}

// composedKind is a kind the function composes, as kubectl names it, and
// how the composed object's name derives from the AgentDeployment's.
type composedKind struct {
	resource string
	suffix   string
	// autoscaled kinds exist only with spec.autoscaling.enabled.
	autoscaled bool
}

var composedKinds = []composedKind{
	{resource: "deployments.apps"},
	{resource: "services"},
	{resource: "serviceaccounts"},
	{resource: "configmaps", suffix: "-config"},
	{resource: "horizontalpodautoscalers.autoscaling", autoscaled: true},
	{resource: "poddisruptionbudgets.policy"},
	{resource: "networkpolicies.networking.k8s.io"},
	{resource: "servicemonitors.monitoring.coreos.com"},
	{resource: "prometheusrules.monitoring.coreos.com"},
}

// composedOf lists, per kind, the names of the objects labelled as
// composed by the AgentDeployment (Crossplane's crossplane.io/composite
// label).
func composedOf(ctx context.Context, ns, composite string) (map[string][]string, error) {
	got := map[string][]string{}
	for _, k := range composedKinds {
		var list struct {
			Items []struct {
				Metadata struct {
					Name string `json:"name"`
				} `json:"metadata"`
			} `json:"items"`
		}
		if err := env.k.Get(ctx, &list, k.resource, "-n", ns, "-l", "crossplane.io/composite="+composite); err != nil {
			return nil, err
		}
		for _, i := range list.Items {
			got[k.resource] = append(got[k.resource], i.Metadata.Name)
		}
	}
	return got, nil
}

// wantComposed is what composedOf returns for an AgentDeployment named
// name whose composed objects are named base.
func wantComposed(base string, autoscaled bool) map[string][]string {
	want := map[string][]string{}
	for _, k := range composedKinds {
		if k.autoscaled && !autoscaled {
			continue
		}
		want[k.resource] = []string{base + k.suffix}
	}
	return want
}

// object is any Kubernetes object, decoded loosely.
type object = map[string]any

// snapshot records every composed object without what controllers write
// (status, resourceVersion, managedFields), to show that bad input changed
// nothing the function or Crossplane own.
func snapshot(ctx context.Context, ns string, composed map[string][]string) (map[string]object, error) {
	snap := map[string]object{}
	for _, resource := range slices.Sorted(maps.Keys(composed)) {
		for _, name := range composed[resource] {
			var o object
			if err := env.k.Get(ctx, &o, resource, name, "-n", ns); err != nil {
				return nil, err
			}
			delete(o, "status")
			if md, ok := o["metadata"].(map[string]any); ok {
				for _, f := range []string{"managedFields", "resourceVersion"} {
					delete(md, f)
				}
			}
			snap[resource+"/"+name] = o
		}
	}
	return snap, nil
}

// jsonPath reads a field with kubectl's JSONPath.
func jsonPath(ctx context.Context, path string, args ...string) (string, error) {
	return env.k.Run(ctx, "", append([]string{"get", "-o", "jsonpath=" + path}, args...)...)
}

func decode(t *testing.T, into any, args ...string) {
	t.Helper()
	if err := env.k.Get(context.Background(), into, args...); err != nil {
		t.Fatal(err)
	}
}
