// Package fuzz fuzzes RunFunction as a whole. It is a package of its own:
// a fuzzing binary that also links the API server's validation code has so
// much coverage to track that it manages a few executions a minute.
package fuzz

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr/funcr"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// FuzzRunFunction feeds RunFunction arbitrary XRs, inputs and observed
// Deployments. Whatever it gets, it answers without an error and without a
// panic (a recovered panic is a bug too), and either refuses with a Fatal
// result and the desired state untouched, or desires every composed
// resource. The seeds run in every `go test`; `make fuzz` runs it for
// minutes.
func FuzzRunFunction(f *testing.F) {
	for _, e := range fixtures.Examples(f) {
		f.Add(mustJSON(f, e.XR), mustJSON(f, e.Input), []byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":2},"status":{"observedGeneration":2,"replicas":3,"readyReplicas":3,"updatedReplicas":3,"availableReplicas":3}}`))
	}
	f.Add([]byte(`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"a","namespace":"b"},"spec":{"model":"gpt-4o","replicas":-1e300,"resources":{"requests":{"cpu":"1e1000"}}}}`), []byte(`{"ttl":{"stable":"-5s"}}`), []byte(`{"status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}`))
	f.Add([]byte(`{"apiVersion":"agentops.io/v1alpha1","kind":"XAgentDeployment","metadata":{"labels":{"crossplane.io/claim-name":"x","crossplane.io/claim-namespace":"y"}},"spec":{"model":"llama-2-70b","autoscaling":{"enabled":true,"minReplicas":0}}}`), []byte(`{"models":[{"name":"llama-2-70b","endpoint":"http://[::1]:99999/v1"}]}`), []byte(`{"kind":"ConfigMap"}`))
	f.Add([]byte(`{}`), []byte(`null`), []byte(`[]`))

	f.Fuzz(func(t *testing.T, xr, input, deployment []byte) {
		req := &fnv1.RunFunctionRequest{Observed: &fnv1.State{}, Desired: &fnv1.State{}}
		if s := asStruct(xr); s != nil {
			req.Observed.Composite = &fnv1.Resource{Resource: s}
		}
		req.Input = asStruct(input)
		if s := asStruct(deployment); s != nil {
			req.Observed.Resources = map[string]*fnv1.Resource{"deployment": {Resource: s}}
		}
		log := &recorder{}
		rsp, err := fn.NewFunction(log.logger()).RunFunction(context.Background(), req)
		if err != nil {
			t.Fatalf("RunFunction(...): %v", err)
		}
		if log.saw("Recovered from a panic") {
			t.Fatalf("RunFunction(...) panicked")
		}
		if msg := fatal(rsp); msg != "" {
			if diff := cmp.Diff(req.GetDesired(), rsp.GetDesired(), protocmp.Transform()); diff != "" {
				t.Fatalf("RunFunction(...) refused (%s) but changed the desired state: -want, +got:\n%s", msg, diff)
			}
			return
		}
		for _, key := range []string{"serviceaccount", "configmap", "deployment", "service"} {
			if _, ok := rsp.GetDesired().GetResources()[key]; !ok {
				t.Fatalf("RunFunction(...) desired a partial state without %s", key)
			}
		}
	})
}

// asStruct parses a JSON object as Crossplane would send it, or returns nil.
func asStruct(b []byte) *structpb.Struct {
	s := &structpb.Struct{}
	if protojson.Unmarshal(b, s) != nil {
		return nil
	}
	return s
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fatal(rsp *fnv1.RunFunctionResponse) string {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return r.GetMessage()
		}
	}
	return ""
}

// recorder keeps the function's log lines, debug included.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) logger() logging.Logger {
	return logging.NewLogrLogger(funcr.New(func(prefix, args string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.lines = append(r.lines, prefix+" "+args)
	}, funcr.Options{Verbosity: 1}))
}

func (r *recorder) saw(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
