package health_test

import (
	"encoding/json"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/fn/health"
)

// FuzzOf judges arbitrary observed objects, as Crossplane would send them
// (JSON numbers are float64). Nothing may panic; every result has a
// reason and one of the known states. The seeds run in every
// `go test`; `make fuzz` runs it for minutes.
func FuzzOf(f *testing.F) {
	for _, seed := range []string{
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"readyReplicas":3,"updatedReplicas":3,"availableReplicas":3}}`,
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":3},"status":{"observedGeneration":2,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"x"},{"type":"ReplicaFailure","status":"True"}]}}`,
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["f"]},"status":{"replicas":"three"}}`,
		`{"apiVersion":"v1","kind":"Service","spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1"},"status":{"loadBalancer":{"ingress":[]}}}`,
		`{"apiVersion":"v1","kind":"Service","spec":{"clusterIP":42}}`,
		`{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"generation":1},"status":{"observedGeneration":"x"}}`,
		`{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","status":{"desiredReplicas":"x","conditions":[{"type":"ScalingActive","status":"False"}]}}`,
		`{"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor"}`,
		`{"kind":"Deployment","apiVersion":"apps/v1","spec":{"replicas":-1e300}}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	known := map[health.State]bool{health.Current: true, health.InProgress: true, health.Failed: true, health.Terminating: true, health.NotFound: true, health.Unknown: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj := map[string]any{}
		if json.Unmarshal(data, &obj) != nil {
			return
		}
		u := &unstructured.Unstructured{Object: obj}
		dep := health.Deployment(u, health.DeploymentOptions{Now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)})
		for name, r := range map[string]health.Result{"Of": health.Of(u), "Deployment": dep.Result} {
			if r.Reason == "" {
				t.Fatalf("%s(...): a result without a reason: %+v", name, r)
			}
			if !known[r.State] {
				t.Fatalf("%s(...): a result of no known state: %+v", name, r)
			}
		}
		if !known[dep.Rollout] || !known[dep.Availability] {
			t.Fatalf("Deployment(...): a rollout or availability of no known state: %+v", dep)
		}
	})
}
