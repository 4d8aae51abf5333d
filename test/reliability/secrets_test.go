package reliability

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn"
)

// canary is secret data no output may ever hold: a fresh value per run, so
// that nothing can hold it by accident.
func canary(t testing.TB) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk-canary-" + hex.EncodeToString(b)
}

// leakyRequest gives the function the secret wherever Crossplane could hand
// it secret data, or a careless function could pick it up: the Secret the
// example references, observed as a composed resource and as a required
// resource; the step's credentials; the XR's and a composed resource's
// connection details; an observed Deployment whose pod someone gave the key
// as a plain env value; and the pipeline context.
func leakyRequest(t testing.TB, e example, secret string) *fnv1.RunFunctionRequest {
	t.Helper()
	ns := "agents"
	if e.Legacy {
		ns = "team-a"
	}
	enc := base64.StdEncoding.EncodeToString([]byte(secret))
	secretObj := map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "openai-api-key", "namespace": ns, "annotations": map[string]any{
			"kubectl.kubernetes.io/last-applied-configuration": `{"stringData":{"api-key":"` + secret + `"}}`,
		}},
		"data": map[string]any{"api-key": enc},
	}
	leakyDeployment := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "agent", "namespace": ns, "generation": 1},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{
			"name": "agent", "env": []any{map[string]any{"name": "API_KEY", "value": secret}},
		}}}}},
		"status": map[string]any{"observedGeneration": 1, "replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1},
	}
	req := request(t, e.XR, e.Input, map[string]map[string]any{"api-key": secretObj, "deployment": leakyDeployment})
	req.Observed.Composite.ConnectionDetails = map[string][]byte{"api-key": []byte(secret)}
	req.Observed.Resources["api-key"].ConnectionDetails = map[string][]byte{"api-key": []byte(secret)}
	req.Credentials = map[string]*fnv1.Credentials{"model-api": {Source: &fnv1.Credentials_CredentialData{
		CredentialData: &fnv1.CredentialData{Data: map[string][]byte{"api-key": []byte(secret)}},
	}}}
	req.RequiredResources = map[string]*fnv1.Resources{"api-key": {Items: []*fnv1.Resource{{Resource: toStruct(t, secretObj)}}}}
	ctx, err := structpb.NewStruct(map[string]any{"apiextensions.crossplane.io/environment": map[string]any{"apiKey": secret}})
	if err != nil {
		t.Fatal(err)
	}
	req.Context = ctx
	return req
}

// leaks says where in a response and a log the secret, or its base64, is.
func leaks(t *testing.T, rsp *fnv1.RunFunctionResponse, log, secret string) []string {
	t.Helper()
	// The context is the pipeline's, passed on to the next step unread:
	// echoing it is the protocol, not a leak. The key the function adds
	// (fn.ContextKey) is its own output, and is scanned.
	scanned := proto.Clone(rsp).(*fnv1.RunFunctionResponse)
	scanned.Context = &structpb.Struct{Fields: map[string]*structpb.Value{fn.ContextKey: rsp.GetContext().GetFields()[fn.ContextKey]}}
	b, err := protojson.Marshal(scanned)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
		if strings.Contains(string(b), form) {
			where = append(where, "the response (desired state, results, conditions)")
		}
		if strings.Contains(log, form) {
			where = append(where, "the debug log")
		}
	}
	return where
}

// TestNoSecretLeaks: for every example, with the secret offered in every
// place above, no desired resource, result (Crossplane's events), condition
// or debug log line holds it.
func TestNoSecretLeaks(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			secret := canary(t)
			req := leakyRequest(t, e, secret)
			rsp, log := run(t, req)
			if msg := fatal(rsp); msg != "" {
				t.Fatalf("RunFunction(%s): %s", e.Name, msg)
			}
			// Every agent has six at least: its ServiceAccount, ConfigMap,
			// Deployment, Service, PodDisruptionBudget and NetworkPolicy.
			if got := len(rsp.GetDesired().GetResources()); got < 6 {
				t.Fatalf("RunFunction(%s): only %d desired resources", e.Name, got)
			}
			if where := leaks(t, rsp, log, secret); len(where) > 0 {
				t.Errorf("the secret given to the function appears in %v", where)
			}
			passed := proto.CloneOf(rsp.GetContext())
			delete(passed.GetFields(), fn.ContextKey)
			if !proto.Equal(passed, req.GetContext()) {
				t.Errorf("the pipeline context was not passed on unchanged besides %s", fn.ContextKey)
			}
		})
	}
}

// TestLeakDetector: a value the function is meant to render (the system
// prompt, which goes to a ConfigMap) is found by the same scan, so the
// scan sees what the function outputs.
func TestLeakDetector(t *testing.T) {
	e := examples(t)[0]
	marker := canary(t)
	xr := deepCopy(e.XR)
	set("spec.config.systemPrompt", marker)(xr)
	e.XR = xr
	rsp, log := run(t, leakyRequest(t, e, canary(t)))
	if where := leaks(t, rsp, log, marker); len(where) == 0 {
		t.Errorf("the scan did not find the system prompt %q in the response", marker)
	}
}
