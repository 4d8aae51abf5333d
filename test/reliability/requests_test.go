package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr/funcr"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// Fixtures (internal/fixtures), as the tests here name them.
type example = fixtures.Example

var (
	examples = fixtures.Examples
	root     = fixtures.Root()
)

// claimXR is the legacy XR Crossplane makes for a claim.
func claimXR(t testing.TB, claim map[string]any) map[string]any {
	t.Helper()
	xr, err := fixtures.ClaimXR(claim)
	if err != nil {
		t.Fatal(err)
	}
	return xr
}

// compositionInput is the input of the Composition's one step.
func compositionInput(t testing.TB, path string) map[string]any {
	t.Helper()
	in, err := fixtures.Input(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// documents reads every YAML document of a file.
func documents(t testing.TB, path string) []map[string]any {
	t.Helper()
	docs, err := fixtures.Maps(path)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// request is what Crossplane sends for an XR, its Composition's input and
// the composed resources it observed.
func request(t testing.TB, xr, input map[string]any, observed map[string]map[string]any) *fnv1.RunFunctionRequest {
	t.Helper()
	req := &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{Tag: "reliability"},
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: toStruct(t, xr)}},
		Desired:  &fnv1.State{},
	}
	if input != nil {
		req.Input = toStruct(t, input)
	}
	if len(observed) > 0 {
		req.Observed.Resources = map[string]*fnv1.Resource{}
		for name, o := range observed {
			req.Observed.Resources[name] = &fnv1.Resource{Resource: toStruct(t, o)}
		}
	}
	return req
}

// withDependencies adds to observed (a copy) the ServiceAccount and
// ConfigMap the agent's pods need, unless it has them: only once they are
// observed does the function compose the Deployment.
func withDependencies(observed map[string]map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{
		"serviceaccount": {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{"name": "observed"}},
		"configmap":      {"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "observed-config"}},
	}
	maps.Copy(out, observed)
	return out
}

// toStruct converts JSON-like data to a protobuf Struct, as Crossplane
// does: through JSON, so integers become numbers.
func toStruct(t testing.TB, m map[string]any) *structpb.Struct {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	s := &structpb.Struct{}
	if err := protojson.Unmarshal(b, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// run calls the function as the server does, logging at debug level into
// the returned buffer.
func run(t testing.TB, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, string) {
	t.Helper()
	log := &logBuffer{}
	rsp, err := fn.NewFunction(log.logger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatalf("RunFunction(...): %v", err)
	}
	return rsp, log.String()
}

// logBuffer records log lines, debug included.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuffer) logger() logging.Logger {
	return logging.NewLogrLogger(funcr.New(func(prefix, args string) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.lines = append(l.lines, prefix+" "+args)
	}, funcr.Options{Verbosity: 1}))
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// fatal is the message of the response's Fatal result, or "".
func fatal(rsp *fnv1.RunFunctionResponse) string {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return r.GetMessage()
		}
	}
	return ""
}

// desiredKeys lists, sorted, the composition resource names of the desired
// composed resources.
func desiredKeys(rsp *fnv1.RunFunctionResponse) []string {
	keys := make([]string, 0, len(rsp.GetDesired().GetResources()))
	for k := range rsp.GetDesired().GetResources() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// allKeys are the composed resources of an agent under the Compositions'
// inputs, which turn every optional one on.
func allKeys(autoscaled bool) []string {
	keys := []string{"configmap", "deployment", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "serviceaccount", "servicemonitor"}
	if autoscaled {
		keys = append(keys, "horizontalpodautoscaler")
		slices.Sort(keys)
	}
	return keys
}

// desired decodes one desired composed resource into out.
func desired(t testing.TB, rsp *fnv1.RunFunctionResponse, key string, out any) {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[key]
	if !ok {
		t.Fatalf("no desired composed resource %q; have %v", key, desiredKeys(rsp))
	}
	b, err := protojson.Marshal(r.GetResource())
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(out); err != nil {
		t.Fatalf("desired %s: %v", key, err)
	}
}
