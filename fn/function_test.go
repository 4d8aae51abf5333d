package fn

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/internal/fixtures"
)

// read reads a file of the repository.
func read(t *testing.T, path ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{".."}, path...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// object reads YAML into a map.
func object(t *testing.T, y []byte) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal(y, &m); err != nil {
		t.Fatalf("yaml.Unmarshal: %v", err)
	}
	return m
}

// toStruct converts a map to a protobuf Struct, as Crossplane sends it.
func toStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	j, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return resource.MustStructJSON(string(j))
}

// compositionInput is the function's input in a Composition's pipeline.
func compositionInput(t *testing.T, file string) *structpb.Struct {
	t.Helper()
	in, err := fixtures.Input(filepath.Join(fixtures.Root(), "compositions", file))
	if err != nil {
		t.Fatal(err)
	}
	return toStruct(t, in)
}

// exampleXR reads an example as Crossplane observes it: with a generation
// and Crossplane's own spec fields.
func exampleXR(t *testing.T, file string) map[string]any {
	t.Helper()
	xr := object(t, read(t, "examples", file))
	xr["metadata"].(map[string]any)["generation"] = 4
	xr["spec"].(map[string]any)["crossplane"] = map[string]any{"compositionRef": map[string]any{"name": "agentdeployments.agentops.io"}}
	return xr
}

// legacyXR is the composite Crossplane makes for the legacy claim example.
func legacyXR(t *testing.T) map[string]any {
	t.Helper()
	xr, err := fixtures.ClaimXR(object(t, read(t, "examples", "legacy", "claim.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	return xr
}

// earlierStep is a desired state an earlier pipeline step left: a resource
// of its own and a field on the desired XR.
func earlierStep(t *testing.T, keys ...string) *fnv1.State {
	t.Helper()
	s := &fnv1.State{
		Composite: &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment","metadata":{"name":"x","namespace":"agents"},"status":{"earlier":"step"}}`)},
		Resources: map[string]*fnv1.Resource{},
	}
	for _, k := range keys {
		s.Resources[k] = &fnv1.Resource{
			Resource: resource.MustStructJSON(`{"apiVersion":"s3.aws.upbound.io/v1beta1","kind":"Bucket","metadata":{"name":"` + k + `"},"spec":{"forProvider":{"region":"eu-west-1"}}}`),
			Ready:    fnv1.Ready_READY_TRUE,
		}
	}
	return s
}

func newRequest(t *testing.T, xr map[string]any, input *structpb.Struct, desired *fnv1.State) *fnv1.RunFunctionRequest {
	t.Helper()
	return &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{Tag: "tag"},
		Input:    input,
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: toStruct(t, xr)}},
		Desired:  desired,
		Context:  resource.MustStructJSON(`{"apiextensions.crossplane.io/environment":{"region":"eu"}}`),
	}
}

// withDependencies makes req a later call, after Crossplane created the
// ServiceAccount and ConfigMap the Deployment's pods need: only then is the
// Deployment composed (compose.InOrder).
func withDependencies(req *fnv1.RunFunctionRequest, prefix string) *fnv1.RunFunctionRequest {
	if req.Observed.Resources == nil {
		req.Observed.Resources = map[string]*fnv1.Resource{}
	}
	req.Observed.Resources[prefix+"serviceaccount"] = &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"}}`)}
	req.Observed.Resources[prefix+"configmap"] = &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}`)}
	return req
}

// invalidResponse is the whole answer to a request the function refuses: the
// request's desired state, untouched; a Fatal result; a Validated=False
// condition with the same message.
func invalidResponse(req *fnv1.RunFunctionRequest, msg string) *fnv1.RunFunctionResponse {
	return &fnv1.RunFunctionResponse{
		Meta:    &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag(), Ttl: durationpb.New(15 * time.Second)},
		Desired: req.GetDesired(),
		Context: req.GetContext(),
		Conditions: []*fnv1.Condition{{
			Type: "Validated", Status: fnv1.Status_STATUS_CONDITION_FALSE, Reason: "InvalidSpec",
			Message: new(msg), Target: fnv1.Target_TARGET_COMPOSITE_AND_CLAIM.Enum(),
		}},
		Results: []*fnv1.Result{{Severity: fnv1.Severity_SEVERITY_FATAL, Message: msg, Target: fnv1.Target_TARGET_COMPOSITE.Enum()}},
	}
}

func run(t *testing.T, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := NewFunction(logging.NewNopLogger()).RunFunction(t.Context(), req)
	if err != nil {
		t.Fatalf("RunFunction(...): %v", err)
	}
	return rsp
}

func TestRunFunctionInvalid(t *testing.T) {
	withSpec := func(f func(spec map[string]any)) map[string]any {
		xr := exampleXR(t, "minimal.yaml")
		f(xr["spec"].(map[string]any))
		return xr
	}
	minimal := exampleXR(t, "minimal.yaml")
	input := compositionInput(t, "agentdeployment.yaml")
	cases := map[string]struct {
		reason string
		xr     map[string]any
		input  *structpb.Struct
		want   string
	}{
		"UnknownModel": {
			reason: "An unknown model is named with the allowed values.",
			xr:     withSpec(func(s map[string]any) { s["model"] = "gpt-9" }),
			input:  input,
			want:   `spec.model: Unsupported value: "gpt-9": supported values: "claude-3-opus", "claude-3-sonnet", "claude-haiku-4-5", "claude-opus-4-1", "claude-sonnet-4-5", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-pro", "gpt-3.5-turbo", "gpt-4", "gpt-4.1", "gpt-4o", "gpt-5", "gpt-5-mini", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.3-70b", "mistral-large", "mixtral-8x7b", "qwen-2.5-72b"`,
		},
		"SeveralFields": {
			reason: "Every bad field is named in the one message.",
			xr: withSpec(func(s map[string]any) {
				s["replicas"] = 500
				s["config"] = map[string]any{"temperature": 3, "maxTokens": 200000}
				s["autoscaling"] = map[string]any{"minReplicas": 5, "maxReplicas": 2}
			}),
			input: input,
			want: `[spec.replicas: Invalid value: 500: must be between 0 and 100, ` +
				`spec.config.maxTokens: Invalid value: 200000: must not exceed the context window of gpt-4o (128000 tokens), ` +
				`spec.config.temperature: Invalid value: 3: must be between 0 and 2, ` +
				`spec.autoscaling.minReplicas: Invalid value: 5: must be less than or equal to spec.autoscaling.maxReplicas (2)]`,
		},
		"HostedWithoutKey": {
			reason: "A hosted model without an API key source says how to give one.",
			xr:     withSpec(func(s map[string]any) { delete(s, "secrets") }),
			input:  input,
			want:   `spec.secrets.apiKeySecret: Required value: model gpt-4o is served by openai, a hosted provider that needs an API key: set spec.secrets.apiKeySecret to a Secret in this namespace, or enable spec.secrets.vault`,
		},
		"ReplicasWrongType": {
			reason: "A value of the wrong type is named with the type wanted.",
			xr:     withSpec(func(s map[string]any) { s["replicas"] = "three" }),
			input:  input,
			want:   `spec.replicas: Invalid value: "three": must be of type integer`,
		},
		"BadQuantity": {
			reason: "A malformed quantity names its field.",
			xr:     withSpec(func(s map[string]any) { s["resources"] = map[string]any{"requests": map[string]any{"cpu": "2Gx"}} }),
			input:  input,
			want:   `spec.resources.requests.cpu: Invalid value: "2Gx": must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi`,
		},
		"LegacyWithoutClaim": {
			reason: "A legacy composite made without a claim is refused with a message saying to use a claim.",
			xr: func() map[string]any {
				xr := legacyXR(t)
				delete(xr["metadata"].(map[string]any), "labels")
				return xr
			}(),
			input: compositionInput(t, "legacy.yaml"),
			want:  `metadata.labels[crossplane.io/claim-namespace]: Required value: XAgentDeployment "legacy-claude-agent-4685e" has no claim: the legacy XRD composes into the namespace of an AgentDeployment claim; create an AgentDeployment claim (kind AgentDeployment) in a namespace instead of an XAgentDeployment`,
		},
		"BadInput": {
			reason: "A bad input names the input's field and what is allowed.",
			xr:     minimal,
			input:  resource.MustStructJSON(`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input","monitoring":{"scrapeInterval":"30"},"alerts":{"errorRatePercent":150}}`),
			want: `invalid function input in the Composition: [input.monitoring.scrapeInterval: Invalid value: "30": must be a Prometheus duration such as 30s, 5m or 1h, ` +
				`input.alerts.errorRatePercent: Invalid value: 150: must be between 0 and 100]`,
		},
		"UnknownInputField": {
			reason: "An input field the function does not know is an error, not silently ignored.",
			xr:     minimal,
			input:  resource.MustStructJSON(`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input","alert":{"errorRatePercent":1}}`),
			want:   `invalid function input in the Composition: input.alert: Invalid value: "alert": unknown field: the Input (agentops.fn.crossplane.io/v1beta1) does not define it; its fields are models, defaultResources, gateway, monitoring, alerts, autoscaling, compose, resourceNamePrefix, progressDeadlineSeconds, ttl, network, images, tools, podMetadata, imagePull, scheduling, agentOverrides and delivery`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Earlier steps' resources, and one of ours from an earlier call:
			// all must come back exactly as they went in.
			req := newRequest(t, tc.xr, tc.input, earlierStep(t, "bucket", "deployment"))
			want := invalidResponse(proto.CloneOf(req), tc.want)
			got := run(t, req)
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// desiredObject returns a desired composed resource as a map.
func desiredObject(t *testing.T, rsp *fnv1.RunFunctionResponse, key string) map[string]any {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[key]
	if !ok {
		t.Fatalf("RunFunction(...): no desired resource %q; have %v", key, keys(rsp))
	}
	return r.GetResource().AsMap()
}

func keys(rsp *fnv1.RunFunctionResponse) []string {
	return slices.Sorted(maps.Keys(rsp.GetDesired().GetResources()))
}

func fatal(rsp *fnv1.RunFunctionResponse) []string {
	var out []string
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			out = append(out, r.GetMessage())
		}
	}
	return out
}

func warnings(rsp *fnv1.RunFunctionResponse) []string {
	var out []string
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING {
			out = append(out, r.GetMessage())
		}
	}
	return out
}

var ours = []string{"configmap", "deployment", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "serviceaccount", "servicemonitor"}

func prefixed(prefix string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// TestRunFunctionPipeline runs the function as one step of a pipeline whose
// earlier steps desired resources of their own.
func TestRunFunctionPipeline(t *testing.T) {
	collision := `an earlier pipeline step already desires a composed resource named "deployment"; function-agentops replaces it (set resourceNamePrefix in the function's input to keep both)`
	cases := map[string]struct {
		reason   string
		input    *structpb.Struct
		prefix   string
		earlier  []string
		keys     []string
		warnings []string
	}{
		"OtherResources": {
			reason:  "Resources of earlier steps are kept as they were.",
			input:   compositionInput(t, "agentdeployment.yaml"),
			earlier: []string{"bucket", "queue"},
			keys:    slices.Sorted(slices.Values(append([]string{"bucket", "queue"}, ours...))),
		},
		"Collision": {
			reason:   "A key an earlier step used is taken over, with a warning that says how to avoid it.",
			input:    compositionInput(t, "agentdeployment.yaml"),
			earlier:  []string{"bucket", "deployment"},
			keys:     slices.Sorted(slices.Values(append([]string{"bucket"}, ours...))),
			warnings: []string{collision},
		},
		"Prefix": {
			reason:  "resourceNamePrefix keeps the function's keys apart from other steps'.",
			input:   resource.MustStructJSON(`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input","resourceNamePrefix":"agent-"}`),
			prefix:  "agent-",
			earlier: []string{"bucket", "deployment"},
			keys:    slices.Sorted(slices.Values(append([]string{"bucket", "deployment"}, prefixed("agent-", ours...)...))),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := withDependencies(newRequest(t, exampleXR(t, "production-claude-agent.yaml"), tc.input, earlierStep(t, tc.earlier...)), tc.prefix)
			before := proto.CloneOf(req)
			rsp := run(t, req)
			if f := fatal(rsp); len(f) > 0 {
				t.Fatalf("%s\nRunFunction(...): fatal results: %v", tc.reason, f)
			}
			if diff := cmp.Diff(tc.keys, keys(rsp)); diff != "" {
				t.Errorf("%s\nRunFunction(...): desired resources: -want, +got:\n%s", tc.reason, diff)
			}
			for k, r := range before.GetDesired().GetResources() {
				if slices.Contains(ours, k) && tc.warnings != nil {
					continue // replaced, with a warning
				}
				if diff := cmp.Diff(r, rsp.GetDesired().GetResources()[k], protocmp.Transform()); diff != "" {
					t.Errorf("%s\nRunFunction(...): an earlier step's %q: -want, +got:\n%s", tc.reason, k, diff)
				}
			}
			if diff := cmp.Diff(tc.warnings, warnings(rsp)); diff != "" {
				t.Errorf("%s\nRunFunction(...): warnings: -want, +got:\n%s", tc.reason, diff)
			}
			xr := rsp.GetDesired().GetComposite().GetResource().AsMap()
			if got := xr["status"].(map[string]any)["earlier"]; got != "step" {
				t.Errorf("%s\nRunFunction(...): an earlier step's field on the desired XR: want step, got %v", tc.reason, got)
			}
		})
	}
}

// TestRunFunctionExamples composes every example and checks what the issue
// promises of the result.
func TestRunFunctionExamples(t *testing.T) {
	noHPA := slices.DeleteFunc(slices.Clone(ours), func(k string) bool { return k == "horizontalpodautoscaler" })
	cases := map[string]struct {
		file       string
		keys       []string
		replicas   any // minReplicas on create when the HPA owns the count
		minAvail   bool
		egressPort float64
	}{
		"Production": {file: "production-claude-agent.yaml", keys: ours, replicas: float64(3), minAvail: true, egressPort: 443},
		"Minimal":    {file: "minimal.yaml", keys: noHPA, replicas: float64(1), egressPort: 443},
		"Fixed":      {file: "autoscaling-off.yaml", keys: noHPA, replicas: float64(2), minAvail: true, egressPort: 443},
		"Vault":      {file: "vault.yaml", keys: noHPA, replicas: float64(2), minAvail: true, egressPort: 443},
		"SelfHosted": {file: "self-hosted-llama.yaml", keys: ours, replicas: float64(1), egressPort: 8000},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			xr := exampleXR(t, tc.file)
			rsp := run(t, withDependencies(newRequest(t, xr, compositionInput(t, "agentdeployment.yaml"), nil), ""))
			if f := fatal(rsp); len(f) > 0 {
				t.Fatalf("RunFunction(%s): fatal results: %v", tc.file, f)
			}
			if diff := cmp.Diff(tc.keys, keys(rsp)); diff != "" {
				t.Errorf("RunFunction(%s): desired resources: -want, +got:\n%s", tc.file, diff)
			}
			name := xr["metadata"].(map[string]any)["name"]
			for _, k := range tc.keys {
				o := desiredObject(t, rsp, k)
				meta := o["metadata"].(map[string]any)
				if meta["namespace"] != "agents" {
					t.Errorf("RunFunction(%s): %s: namespace: want agents, got %v", tc.file, k, meta["namespace"])
				}
				if _, ok := meta["creationTimestamp"]; ok {
					t.Errorf("RunFunction(%s): %s: a desired object must not carry creationTimestamp", tc.file, k)
				}
				if _, ok := o["status"]; ok {
					t.Errorf("RunFunction(%s): %s: a desired object must not carry a status", tc.file, k)
				}
				if meta["labels"].(map[string]any)["app.kubernetes.io/instance"] != name {
					t.Errorf("RunFunction(%s): %s: labels: want instance %v, got %v", tc.file, k, name, meta["labels"])
				}
			}
			spec := desiredObject(t, rsp, "deployment")["spec"].(map[string]any)
			if got := spec["replicas"]; got != tc.replicas {
				t.Errorf("RunFunction(%s): deployment spec.replicas: want %v, got %v", tc.file, tc.replicas, got)
			}
			pdb := desiredObject(t, rsp, "poddisruptionbudget")["spec"].(map[string]any)
			if _, got := pdb["minAvailable"]; got != tc.minAvail {
				t.Errorf("RunFunction(%s): PDB: minAvailable set: want %t, got %v", tc.file, tc.minAvail, pdb)
			}
			egress := desiredObject(t, rsp, "networkpolicy")["spec"].(map[string]any)["egress"].([]any)
			if got := egress[1].(map[string]any)["ports"].([]any)[0].(map[string]any)["port"]; got != tc.egressPort {
				t.Errorf("RunFunction(%s): NetworkPolicy: model API port: want %v, got %v", tc.file, tc.egressPort, got)
			}
			status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
			if status["observedGeneration"] != float64(4) {
				t.Errorf("RunFunction(%s): status.observedGeneration: want the XR's generation 4, got %v", tc.file, status["observedGeneration"])
			}
			if status["model"] != xr["spec"].(map[string]any)["model"] {
				t.Errorf("RunFunction(%s): status.model: want %v, got %v", tc.file, xr["spec"].(map[string]any)["model"], status["model"])
			}
			var validated *fnv1.Condition
			for _, c := range rsp.GetConditions() {
				if c.GetType() == "Validated" {
					validated = c
				}
			}
			if validated.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
				t.Errorf("RunFunction(%s): want Validated=True, got %v", tc.file, validated)
			}
		})
	}
}

// TestRunFunctionLegacyClaim composes the legacy claim example into the
// claim's namespace, with names derived from the claim's name.
func TestRunFunctionLegacyClaim(t *testing.T) {
	rsp := run(t, withDependencies(newRequest(t, legacyXR(t), compositionInput(t, "legacy.yaml"), nil), ""))
	if f := fatal(rsp); len(f) > 0 {
		t.Fatalf("RunFunction(...): fatal results: %v", f)
	}
	type placed struct{ Name, Namespace string }
	got := map[string]placed{}
	for _, k := range keys(rsp) {
		meta := desiredObject(t, rsp, k)["metadata"].(map[string]any)
		got[k] = placed{Name: meta["name"].(string), Namespace: meta["namespace"].(string)}
	}
	want := map[string]placed{}
	for _, k := range ours {
		if k == "horizontalpodautoscaler" {
			continue
		}
		want[k] = placed{Name: "legacy-claude-agent", Namespace: "team-a"}
	}
	want["configmap"] = placed{Name: "legacy-claude-agent-config", Namespace: "team-a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RunFunction(...): where the legacy claim's resources go: -want, +got:\n%s", diff)
	}
	for _, c := range rsp.GetConditions() {
		if c.GetTarget() != fnv1.Target_TARGET_COMPOSITE_AND_CLAIM {
			t.Errorf("RunFunction(...): condition %s targets %s: a claim's user must see it too", c.GetType(), c.GetTarget())
		}
	}
}

// TestRunFunctionLongName composes an AgentDeployment whose name is too long
// and not a DNS label: every object gets a valid, stable name.
func TestRunFunctionLongName(t *testing.T) {
	xr := exampleXR(t, "minimal.yaml")
	name := "9." + strings.Repeat("very-long-agent-name.", 10) + "example"
	xr["metadata"].(map[string]any)["name"] = name
	first := run(t, newRequest(t, xr, compositionInput(t, "agentdeployment.yaml"), nil))
	second := run(t, newRequest(t, xr, compositionInput(t, "agentdeployment.yaml"), nil))
	if diff := cmp.Diff(first.GetDesired(), second.GetDesired(), protocmp.Transform()); diff != "" {
		t.Errorf("RunFunction(...) twice: the desired state is not stable: -first, +second:\n%s", diff)
	}
	for _, k := range keys(first) {
		n := desiredObject(t, first, k)["metadata"].(map[string]any)["name"].(string)
		if len(n) > 63 || !strings.HasPrefix(n, "agent-9-very-long-agent-name-") {
			t.Errorf("RunFunction(...): %s: name %q: want at most 63 characters, derived from %q", k, n, name)
		}
	}
}

// TestRunFunctionDoesNotModifyRequest: the response must not share the
// request's desired state, or a failure after it was changed would return
// a partial desired state as the request's own.
func TestRunFunctionDoesNotModifyRequest(t *testing.T) {
	req := withDependencies(newRequest(t, exampleXR(t, "production-claude-agent.yaml"), compositionInput(t, "agentdeployment.yaml"), earlierStep(t, "bucket")), "")
	want := proto.CloneOf(req)
	rsp := run(t, req)
	if diff := cmp.Diff(want, req, protocmp.Transform()); diff != "" {
		t.Errorf("RunFunction(...) changed its request: -before, +after:\n%s", diff)
	}
	if len(rsp.GetDesired().GetResources()) != len(ours)+1 {
		t.Errorf("RunFunction(...): want %d desired resources, got %v", len(ours)+1, keys(rsp))
	}
}

func TestRunFunctionCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rsp, err := NewFunction(logging.NewNopLogger()).RunFunction(ctx, newRequest(t, exampleXR(t, "minimal.yaml"), nil, nil))
	if err == nil || rsp != nil {
		t.Errorf("RunFunction(canceled context): want no response and an error, got %v, %v", rsp, err)
	}
}

// TestRunFunctionNoInput: a Composition need not configure the function.
func TestRunFunctionNoInput(t *testing.T) {
	rsp := run(t, newRequest(t, exampleXR(t, "minimal.yaml"), nil, nil))
	if f := fatal(rsp); len(f) > 0 {
		t.Fatalf("RunFunction(no input): fatal results: %v", f)
	}
	if rsp.GetMeta().GetTtl().AsDuration() != 15*time.Second {
		t.Errorf("RunFunction(no input): a converging agent's TTL: want 15s, got %v", rsp.GetMeta().GetTtl().AsDuration())
	}
}

// quantityEqual compares quantities by value: a parsed and a copied quantity
// may differ in their cached string.
var quantityEqual = cmp.Comparer(func(a, b apiresource.Quantity) bool { return a.Cmp(b) == 0 })

// TestCallsLeaveTheSettingsUnchanged runs the function concurrently on
// several agents sharing one input, then checks the cached settings against
// freshly resolved ones: no call may write to the settings it shares, and
// every response must be that of a Function of its own.
func TestCallsLeaveTheSettingsUnchanged(t *testing.T) {
	input := compositionInput(t, "agentdeployment.yaml")
	input.GetFields()["defaultResources"] = structpb.NewStructValue(resource.MustStructJSON(`{"requests":{"cpu":"300m"},"limits":{"memory":"2Gi"}}`))
	input.GetFields()["models"] = structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{
		structpb.NewStructValue(resource.MustStructJSON(`{"name":"my-model","provider":"openai","image":"registry.example.com/agent:v1","endpoint":"https://llm.example.com/v1"}`)),
	}})
	examples := []string{"minimal.yaml", "production-claude-agent.yaml", "self-hosted-llama.yaml", "autoscaling-off.yaml", "vault.yaml"}
	requests := make([]*fnv1.RunFunctionRequest, len(examples))
	want := make([]*fnv1.RunFunctionResponse, len(examples))
	for i, e := range examples {
		requests[i] = newRequest(t, exampleXR(t, e), input, nil)
		want[i] = run(t, proto.CloneOf(requests[i]))
		// Only calls that compose read the settings throughout.
		if n := len(want[i].GetDesired().GetResources()); n == 0 {
			t.Fatalf("RunFunction(%s): composes nothing: %v", e, want[i].GetResults())
		}
	}

	f := NewFunction(logging.NewNopLogger())
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for n := range 10 {
				i := (g + n) % len(requests)
				rsp, err := f.RunFunction(t.Context(), proto.CloneOf(requests[i]))
				if err != nil {
					t.Errorf("RunFunction(%s): %v", examples[i], err)
					return
				}
				if diff := cmp.Diff(want[i], rsp, protocmp.Transform()); diff != "" {
					t.Errorf("RunFunction(%s): -want (a Function of its own), +got:\n%s", examples[i], diff)
					return
				}
			}
		})
	}
	wg.Wait()

	fresh, _ := settings.Read(input)
	cached, _ := f.inputs.For(input)
	if diff := cmp.Diff(fresh, cached, quantityEqual); diff != "" {
		t.Errorf("For(...) after the calls: -want (freshly resolved), +got (cached):\n%s", diff)
	}
}
