package observed_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/observed"
	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/fn/status"
	"github.com/agentops-io/agentops/input/v1beta1"
	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/internal/scenario"
)

// observedAt is when the differential test derives the status: after every
// timestamp in the fixtures.
var observedAt = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// A reading of a request's observed state, and what the function makes of
// it.
type reading struct {
	Agent  *agent.Agent
	Errs   []string
	Result status.Result
	// Verdicts of health.Of on every observed object, desired or not.
	Verdicts map[compose.Key]health.Result
}

// TestObservedReadsWhatIsRead derives, from every observed-state fixture,
// the bench requests and edge cases built on them, the agent, its status and
// every object's verdict twice: from the observed state as the SDK reads it,
// whole, and from the fields the function reads. They must be the same.
func TestObservedReadsWhatIsRead(t *testing.T) {
	for name, tc := range observedCases(t) {
		t.Run(name, func(t *testing.T) {
			req := tc.req(t)
			s := requestSettings(t, req)
			want := readWhole(t, req, s)
			got := readPruned(req, s)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nobserved.Composite, observed.Composed(...): -want (the SDK's reading), +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// An observedCase is a request whose observed state the tests read.
type observedCase struct {
	reason string
	req    func(t testing.TB) *fnv1.RunFunctionRequest
}

// observedCases are every observed-state fixture, the bench requests, and
// edge cases built on them.
func observedCases(t testing.TB) map[string]observedCase {
	t.Helper()
	type testCase = observedCase
	cases := map[string]testCase{}
	dirs, err := os.ReadDir(filepath.Join(fixtures.Root(), "test", "fixtures", "observed"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			cases["Fixture/"+d.Name()] = testCase{reason: "The observed-state fixture " + d.Name() + ".", req: fixtureRequest(d.Name())}
		}
	}
	for _, kind := range []string{"create", "steady"} {
		for i := range 4 {
			cases[fmt.Sprintf("Bench/%s/%d", kind, i)] = testCase{reason: fmt.Sprintf("The benchmark's %s request, variant %d.", kind, i), req: benchRequest(kind, i)}
		}
	}
	meta := `"metadata":{"name":"production-claude-agent","namespace":"agents","generation":2}`
	edges := map[string]struct {
		reason string
		base   string
		change func(t testing.TB, req *fnv1.RunFunctionRequest)
	}{
		"DeploymentStatusMalformed": {
			reason: "A status field of the wrong type makes the Deployment Malformed in both readings.",
			base:   "steady", change: setComposed("deployment", "three", "status", "replicas"),
		},
		"DeploymentSpecNotAnObject": {
			reason: "A spec that is a string is kept whole, so the Deployment reads as Malformed in both.",
			base:   "steady", change: setComposed("deployment", "x", "spec"),
		},
		"DeploymentStatusConditionMalformed": {
			reason: "A condition of the wrong type is part of the status read.",
			base:   "steady", change: setComposed("deployment", []any{"Available"}, "status", "conditions"),
		},
		"DeploymentReplicasFraction": {
			reason: "A fraction of a replica is read as the whole reading reads it.",
			base:   "steady", change: setComposed("deployment", 2.5, "spec", "replicas"),
		},
		"DeploymentPaused": {
			reason: "spec.paused is read.",
			base:   "steady", change: setComposed("deployment", true, "spec", "paused"),
		},
		"DeploymentDeadlineShort": {
			reason: "spec.progressDeadlineSeconds is read, with the time since the Deployment became unavailable.",
			base:   "no-replica-available", change: setComposed("deployment", float64(60), "spec", "progressDeadlineSeconds"),
		},
		"DeploymentDeleting": {
			reason: "metadata.deletionTimestamp and finalizers are read.",
			base:   "steady", change: setComposedAll("deployment", map[string]any{"deletionTimestamp": "2026-11-26T08:00:00Z", "finalizers": []any{"example.com/hold"}}, "metadata"),
		},
		"DeploymentOfWrongKind": {
			reason: "A ConfigMap under the deployment key is read as what it is in both readings: not a Deployment.",
			base:   "steady", change: replaceComposed("deployment", `{"apiVersion":"v1","kind":"ConfigMap",`+meta+`,"data":{"a":"b"}}`),
		},
		"StatefulSetUnderDeploymentKey": {
			reason: "An object of another kind with a Deployment's fields is not read as a Deployment.",
			base:   "steady", change: replaceComposed("deployment", `{"apiVersion":"apps/v1","kind":"StatefulSet",`+meta+`,"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"readyReplicas":3,"updatedReplicas":3,"availableReplicas":3}}`),
		},
		"DeploymentUnderHPAKey": {
			reason: "An object of another kind with an HPA's status is not read as an HPA.",
			base:   "steady", change: replaceComposed("horizontalpodautoscaler", `{"apiVersion":"apps/v1","kind":"Deployment",`+meta+`,"status":{"desiredReplicas":5,"conditions":[{"type":"AbleToScale","status":"False","reason":"X","message":"y"}]}}`),
		},
		"HPAMalformed": {
			reason: "An HPA whose desiredReplicas is a string.",
			base:   "steady", change: setComposed("horizontalpodautoscaler", "x", "status", "desiredReplicas"),
		},
		"HPAProblem": {
			reason: "The HPA's conditions are read.",
			base:   "hpa-metric-missing",
		},
		"IngressUnderServiceKey": {
			reason: "An object of another kind with a Service's ports gives no endpoint.",
			base:   "steady", change: replaceComposed("service", `{"apiVersion":"networking.k8s.io/v1","kind":"Ingress",`+meta+`,"spec":{"clusterIP":"10.0.0.1","ports":[{"name":"http","port":80}]}}`),
		},
		"ServiceClusterIPNumber": {
			reason: "A cluster IP of the wrong type.",
			base:   "steady", change: setComposed("service", float64(42), "spec", "clusterIP"),
		},
		"ServicePortMalformed": {
			reason: "A port of the wrong type gives no endpoint in both readings.",
			base:   "steady", change: setComposed("service", []any{map[string]any{"name": "http", "port": "eighty"}}, "spec", "ports"),
		},
		"LoadBalancerWithoutIngress": {
			reason: "spec.type is read.",
			base:   "steady", change: setComposed("service", "LoadBalancer", "spec", "type"),
		},
		"LoadBalancerWithIngress": {
			reason: "status.loadBalancer is read.",
			base:   "steady", change: func(t testing.TB, req *fnv1.RunFunctionRequest) {
				t.Helper()
				setComposed("service", "LoadBalancer", "spec", "type")(t, req)
				setComposed("service", []any{map[string]any{"ip": "203.0.113.7"}}, "status", "loadBalancer", "ingress")(t, req)
			},
		},
		"PDBOldGeneration": {
			reason: "The PodDisruptionBudget's status.observedGeneration and generation are read.",
			base:   "steady", change: setComposed("poddisruptionbudget", float64(99), "metadata", "generation"),
		},
		"PDBMalformed": {
			reason: "A PodDisruptionBudget whose observedGeneration is a string.",
			base:   "steady", change: setComposed("poddisruptionbudget", "x", "status", "observedGeneration"),
		},
		"APIVersionMalformed": {
			reason: "An apiVersion that does not parse reads as no kind at all, as unstructured reads it.",
			base:   "steady", change: setComposed("service", "a/b/c", "apiVersion"),
		},
		"NothingRead": {
			reason: "An object with none of the fields read still reads as observed.",
			base:   "steady", change: replaceComposed("configmap", `{"data":{"a":"b"}}`),
		},
		"Empty": {
			reason: "An empty object reads as not observed in both readings.",
			base:   "steady", change: replaceComposed("service", `{}`),
		},
		"SpecFieldCase": {
			reason: "encoding/json decodes a spec field whatever its case; so does the reading.",
			base:   "steady", change: func(t testing.TB, req *fnv1.RunFunctionRequest) {
				t.Helper()
				spec := req.GetObserved().GetComposite().GetResource().GetFields()["spec"].GetStructValue().GetFields()
				spec["MODEL"], spec["Replicas"] = spec["model"], structpb.NewNumberValue(7)
				delete(spec, "model")
				delete(spec, "replicas")
			},
		},
		"SpecNotAnObject": {
			reason: "A spec that is a string is refused in both readings.",
			base:   "steady", change: setComposite("x", "spec"),
		},
		"SpecQuantityMalformed": {
			reason: "A malformed quantity is refused in both readings.",
			base:   "steady", change: setComposite("2Gx", "spec", "resources", "requests", "cpu"),
		},
		"EverySpecField": {
			reason: "Every field of the AgentDeployment spec is read.",
			base:   "steady", change: setComposite(everySpecField(t), "spec"),
		},
		"LegacyWithoutClaim": {
			reason: "A legacy XR's claim labels are read.",
			base:   "legacy-claim", change: setComposite(map[string]any{"a": "b"}, "metadata", "labels"),
		},
		"WrongGroup": {
			reason: "The XR's apiVersion is read.",
			base:   "steady", change: setComposite("example.com/v1", "apiVersion"),
		},
	}
	for name, e := range edges {
		cases["Edge/"+name] = testCase{reason: e.reason, req: func(t testing.TB) *fnv1.RunFunctionRequest {
			t.Helper()
			req := fixtureRequest(e.base)(t)
			if e.change != nil {
				e.change(t, req)
			}
			return req
		}}
	}
	maps.Copy(cases, remoteCases(t, cases))
	return cases
}

// TestEveryReadFieldMatters: every field fn/health lists as read, removed
// from an observed object, changes what the function makes of at least one
// case. So the list holds nothing superfluous, and
// TestObservedReadsWhatIsRead fails should any of it be left off.
func TestEveryReadFieldMatters(t *testing.T) {
	common := map[string]bool{}
	for _, p := range leafPaths(health.ReadFields(schema.GroupKind{}), nil) {
		common[p] = true
	}
	// A common field is one field for every kind; others are per kind.
	id := func(gk schema.GroupKind, path string) string {
		if common[path] {
			return path
		}
		return gk.String() + " " + path
	}
	listed, matters := map[string]bool{}, map[string]bool{}
	for _, tc := range observedCases(t) {
		req := tc.req(t)
		s := requestSettings(t, req)
		want := readWhole(t, req, s)
		for key, r := range req.GetObserved().GetResources() {
			gk := observed.GroupKindOf(r.GetResource())
			for _, path := range leafPaths(observed.ComposedFields(r.GetResource()), nil) {
				field := id(gk, path)
				listed[field] = true
				if matters[field] {
					continue
				}
				without := proto.CloneOf(req)
				if !removeField(without.GetObserved().GetResources()[key].GetResource(), strings.Split(path, ".")) {
					continue
				}
				if !cmp.Equal(want, readWhole(t, without, s)) {
					matters[field] = true
				}
			}
		}
	}
	var idle []string
	for field := range listed {
		if !matters[field] {
			idle = append(idle, field)
		}
	}
	sort.Strings(idle)
	if len(idle) > 0 {
		t.Errorf("fields listed as read that no case needs: remove them from fn/health, or add a case that reads them:\n%s", strings.Join(idle, "\n"))
	}
}

// leafPaths are the dotted paths of the fields f lists.
func leafPaths(f health.Fields, prefix []string) []string {
	var out []string
	for name, within := range f {
		path := append(slices.Clone(prefix), name)
		if len(within) == 0 {
			out = append(out, strings.Join(path, "."))
			continue
		}
		out = append(out, leafPaths(within, path)...)
	}
	return out
}

// removeField deletes the field at path from s; false if it was not there.
func removeField(s *structpb.Struct, path []string) bool {
	for _, name := range path[:len(path)-1] {
		s = s.GetFields()[name].GetStructValue()
	}
	if _, ok := s.GetFields()[path[len(path)-1]]; !ok {
		return false
	}
	delete(s.GetFields(), path[len(path)-1])
	return true
}

// readWhole reads req's observed state as the SDK reads it.
func readWhole(t *testing.T, req *fnv1.RunFunctionRequest, s *settings.Settings) reading {
	t.Helper()
	xr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		t.Fatal(err)
	}
	return deriveFrom(&xr.Resource.Unstructured, fixtures.ObservedObjects(req), s)
}

// readPruned reads req's observed state as the function does.
func readPruned(req *fnv1.RunFunctionRequest, s *settings.Settings) reading {
	return deriveFrom(observed.Composite(req), observed.Composed(req), s)
}

func deriveFrom(xr *unstructured.Unstructured, observed map[compose.Key]*unstructured.Unstructured, s *settings.Settings) reading {
	r := reading{Verdicts: map[compose.Key]health.Result{}}
	for k, o := range observed {
		r.Verdicts[k] = health.Of(o)
	}
	a, errs := agent.FromComposite(xr)
	for _, e := range errs {
		r.Errs = append(r.Errs, e.Error())
	}
	if a == nil {
		return r
	}
	r.Agent = a
	w := compose.NewWorkload(a, s)
	if !s.Delivery.Remote() {
		r.Result = status.Derive(w, compose.All(w), observed, observedAt)
		return r
	}
	objects, manifests := status.Unwrap(observed)
	for k, m := range manifests {
		r.Verdicts[k+"#manifest"] = health.Of(m)
	}
	for k, o := range objects {
		r.Verdicts[k+"#object"] = o.Result
	}
	r.Result = status.Deliver(w, status.Derive(w, compose.All(w), manifests, observedAt), objects, a.Namespace)
	return r
}

// requestSettings are the settings of req's input.
func requestSettings(t *testing.T, req *fnv1.RunFunctionRequest) *settings.Settings {
	t.Helper()
	in := &v1beta1.Input{}
	if err := request.GetInput(req, in); err != nil {
		t.Fatal(err)
	}
	s, errs := settings.Resolve(in)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return s
}

func fixtureRequest(scenario string) func(t testing.TB) *fnv1.RunFunctionRequest {
	return func(t testing.TB) *fnv1.RunFunctionRequest {
		t.Helper()
		req, err := fixtures.Request(scenario)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
}

// benchRequest is the benchmark's request of the kind ("create" or
// "steady") for variant i of the production example.
func benchRequest(kind string, i int) func(t testing.TB) *fnv1.RunFunctionRequest {
	return func(t testing.TB) *fnv1.RunFunctionRequest {
		t.Helper()
		sb, err := scenario.New(fixtures.Root())
		if err != nil {
			t.Fatal(err)
		}
		var req *fnv1.RunFunctionRequest
		if kind == "create" {
			req, err = sb.Create(i)
		} else {
			req, err = sb.Steady(t.Context(), fn.NewFunction(logging.NewNopLogger()).RunFunction, i)
		}
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
}

// setComposed sets a field of the observed composed resource key.
func setComposed(key string, value any, path ...string) func(t testing.TB, req *fnv1.RunFunctionRequest) {
	return func(t testing.TB, req *fnv1.RunFunctionRequest) {
		t.Helper()
		r := req.GetObserved().GetResources()[key]
		r.Resource = withField(t, r.GetResource(), value, path...)
	}
}

// setComposedAll sets several fields of the object at path.
func setComposedAll(key string, values map[string]any, path ...string) func(t testing.TB, req *fnv1.RunFunctionRequest) {
	return func(t testing.TB, req *fnv1.RunFunctionRequest) {
		t.Helper()
		for k, v := range values {
			setComposed(key, v, append(path, k)...)(t, req)
		}
	}
}

// replaceComposed replaces the observed composed resource key.
func replaceComposed(key, obj string) func(t testing.TB, req *fnv1.RunFunctionRequest) {
	return func(t testing.TB, req *fnv1.RunFunctionRequest) {
		t.Helper()
		req.Observed.Resources[key] = &fnv1.Resource{Resource: resource.MustStructJSON(obj)}
	}
}

// setComposite sets a field of the observed XR.
func setComposite(value any, path ...string) func(t testing.TB, req *fnv1.RunFunctionRequest) {
	return func(t testing.TB, req *fnv1.RunFunctionRequest) {
		t.Helper()
		req.Observed.Composite.Resource = withField(t, req.GetObserved().GetComposite().GetResource(), value, path...)
	}
}

// withField is s with value at path, making the objects on the way.
func withField(t testing.TB, s *structpb.Struct, value any, path ...string) *structpb.Struct {
	t.Helper()
	m := s.AsMap()
	if err := unstructured.SetNestedField(m, value, path...); err != nil {
		t.Fatal(err)
	}
	out, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// everySpecField is an AgentDeployment spec with every field set, as JSON
// would carry it.
func everySpecField(t testing.TB) map[string]any {
	t.Helper()
	spec := v1alpha1.AgentDeploymentSpec{
		Model:    "gpt-4o",
		Replicas: ptr.To[int32](2),
		Image:    new("registry.example.com/agent:v2"),
		Resources: &v1alpha1.Resources{
			Requests: &v1alpha1.ResourceAmounts{CPU: new(apiresource.MustParse("250m")), Memory: new(apiresource.MustParse("512Mi"))},
			Limits:   &v1alpha1.ResourceAmounts{CPU: new(apiresource.MustParse("1")), Memory: new(apiresource.MustParse("1Gi"))},
		},
		Config: &v1alpha1.AgentConfig{MaxTokens: ptr.To[int32](100), Temperature: new(0.5), SystemPrompt: new("be brief")},
		Secrets: &v1alpha1.Secrets{APIKeySecret: new("key"), APIKeyKey: new("k"),
			Vault: &v1alpha1.Vault{Enabled: true, Role: new("agent"), SecretPath: new("secret/agent")}},
		Autoscaling: &v1alpha1.Autoscaling{Enabled: true, MinReplicas: ptr.To[int32](2), MaxReplicas: ptr.To[int32](5),
			TargetCPUUtilization: ptr.To[int32](60), TargetMemoryUtilization: ptr.To[int32](70), RequestsPerSecond: ptr.To[int32](20)},
		AgentOptions: v1alpha1.AgentOptions{
			Tools:            []v1alpha1.Tool{{Name: "search", PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "search"}}, Ports: []v1alpha1.ToolPort{{Port: 8080}}}},
			Env:              []v1alpha1.EnvVar{{Name: "LOG_LEVEL", Value: new("debug")}},
			PodMetadata:      &v1alpha1.PodMetadata{Labels: map[string]string{"team": "support"}},
			ImagePullSecrets: []v1alpha1.LocalReference{{Name: "registry"}},
			ImagePullPolicy:  new("Always"),
			NodePool:         new("agents"),
			Monitoring:       &v1alpha1.AgentMonitoring{Enabled: new(false)},
			DisruptionBudget: &v1alpha1.DisruptionBudget{MaxUnavailable: new(intstr.FromInt32(1))},
		},
	}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got, want := len(m), len(observed.SpecFields); got != want {
		t.Fatalf("everySpecField sets %d fields, the spec has %d: set the new ones", got, want)
	}
	return m
}

// TestReadComposed names, for each kind, the fields of an observed composed
// resource the function reads, and some it does not.
func TestReadComposed(t *testing.T) {
	// Every stored object has these; none is read.
	unread := `"uid":"u","resourceVersion":"1","creationTimestamp":"2026-01-01T00:00:00Z",
		"labels":{"a":"b"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
		"ownerReferences":[{"kind":"AgentDeployment","name":"a"}],
		"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]`
	meta := `"name":"a","namespace":"agents","generation":2,"deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["f"]`
	cases := map[string]struct {
		reason string
		obj    string
		want   string
	}{
		"Deployment": {
			reason: "A Deployment: the common fields, the spec's replicas, paused and progress deadline, and the whole status; not its selector, strategy or pod template.",
			obj: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{` + meta + `,` + unread + `},
				"spec":{"replicas":3,"paused":false,"progressDeadlineSeconds":600,"selector":{"matchLabels":{"a":"b"}},"strategy":{"type":"RollingUpdate"},"revisionHistoryLimit":10,
					"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"agent","image":"x"}]}}},
				"status":{"observedGeneration":2,"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}`,
			want: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{` + meta + `},
				"spec":{"replicas":3,"paused":false,"progressDeadlineSeconds":600},
				"status":{"observedGeneration":2,"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}`,
		},
		"Service": {
			reason: "A Service: its type, cluster IP, ports and load balancer status; not its selector or session affinity.",
			obj: `{"apiVersion":"v1","kind":"Service","metadata":{` + meta + `,` + unread + `},
				"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1","clusterIPs":["10.0.0.1"],"ports":[{"name":"http","port":8080,"targetPort":"http"}],"selector":{"a":"b"},"sessionAffinity":"None"},
				"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]},"conditions":[]}}`,
			want: `{"apiVersion":"v1","kind":"Service","metadata":{` + meta + `},
				"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1","ports":[{"name":"http","port":8080,"targetPort":"http"}]},
				"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}}`,
		},
		"HorizontalPodAutoscaler": {
			reason: "An HPA: its status's conditions, replica counts and the metrics it read; not its spec or last scale time.",
			obj: `{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{` + meta + `,` + unread + `},
				"spec":{"minReplicas":3,"maxReplicas":10,"metrics":[{"type":"Resource"}]},
				"status":{"currentReplicas":3,"desiredReplicas":4,"lastScaleTime":"2026-01-01T00:00:00Z","currentMetrics":[{"type":"Resource"}],"conditions":[{"type":"AbleToScale","status":"True"}]}}`,
			want: `{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{` + meta + `},
				"status":{"currentReplicas":3,"desiredReplicas":4,"currentMetrics":[{"type":"Resource"}],"conditions":[{"type":"AbleToScale","status":"True"}]}}`,
		},
		"ScaledObject": {
			reason: "A KEDA ScaledObject: its conditions, its triggers' health and its HPA's name; not its spec or the rest of its status.",
			obj: `{"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","metadata":{` + meta + `,` + unread + `},
				"spec":{"scaleTargetRef":{"name":"a"},"triggers":[{"type":"cpu","metadata":{"value":"70"}}]},
				"status":{"hpaName":"keda-hpa-a","health":{"s2-prometheus":{"status":"Failing","numberOfFailures":4}},"conditions":[{"type":"Ready","status":"True"}],"originalReplicaCount":1,"scaleTargetKind":"apps/v1.Deployment"}}`,
			want: `{"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","metadata":{` + meta + `},
				"status":{"hpaName":"keda-hpa-a","health":{"s2-prometheus":{"status":"Failing","numberOfFailures":4}},"conditions":[{"type":"Ready","status":"True"}]}}`,
		},
		"PodDisruptionBudget": {
			reason: "A PodDisruptionBudget: its status's observed generation; not its spec or the rest of its status.",
			obj: `{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{` + meta + `,` + unread + `},
				"spec":{"minAvailable":1},"status":{"observedGeneration":2,"currentHealthy":3,"disruptionsAllowed":2}}`,
			want: `{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{` + meta + `},"status":{"observedGeneration":2}}`,
		},
		"ConfigMap": {
			reason: "A kind whose check is that it exists: the common fields only, not its data.",
			obj:    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{` + meta + `,` + unread + `},"data":{"a":"b"}}`,
			want:   `{"apiVersion":"v1","kind":"ConfigMap","metadata":{` + meta + `}}`,
		},
		"UnknownKind": {
			reason: "A kind without an entry: the common fields only.",
			obj:    `{"apiVersion":"example.com/v1","kind":"Widget","metadata":{` + meta + `,` + unread + `},"spec":{"a":1},"status":{"b":2}}`,
			want:   `{"apiVersion":"example.com/v1","kind":"Widget","metadata":{` + meta + `}}`,
		},
		"APIVersionMalformed": {
			reason: "An apiVersion that does not parse is no kind: the common fields only.",
			obj:    `{"apiVersion":"a/b/c","kind":"Service","spec":{"clusterIP":"10.0.0.1"}}`,
			want:   `{"apiVersion":"a/b/c","kind":"Service"}`,
		},
		"NotAnObjectOnThePath": {
			reason: "A value that is not an object where read fields lie within it is read whole, so its readers find the wrong type.",
			obj:    `{"apiVersion":"apps/v1","kind":"Deployment","metadata":"x","spec":["a"]}`,
			want:   `{"apiVersion":"apps/v1","kind":"Deployment","metadata":"x","spec":["a"]}`,
		},
		"NullOnThePath": {
			reason: "A null is read as a nil, as the SDK reads it.",
			obj:    `{"apiVersion":"apps/v1","kind":"Deployment","spec":null,"status":null}`,
			want:   `{"apiVersion":"apps/v1","kind":"Deployment","spec":null,"status":null}`,
		},
		"NothingRead": {
			reason: "An object with none of the fields read is read whole: empty, it would read as not observed.",
			obj:    `{"data":{"a":"b"}}`,
			want:   `{"data":{"a":"b"}}`,
		},
		"Empty": {
			reason: "An empty object stays empty.",
			obj:    `{}`,
			want:   `{}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := observed.ReadComposed(resource.MustStructJSON(tc.obj))
			if diff := cmp.Diff(resource.MustStructJSON(tc.want).AsMap(), got); diff != "" {
				t.Errorf("%s\nreadComposed(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestObservedComposite names the fields of the observed XR the function
// reads, and some it does not.
func TestObservedComposite(t *testing.T) {
	cases := map[string]struct {
		reason string
		xr     string
		want   map[string]any
	}{
		"AgentDeployment": {
			reason: "Its kind, name, namespace, generation, labels and the spec's own fields; not its annotations, managed fields, status, nor Crossplane's spec.crossplane.",
			xr: `{"apiVersion":"agentops.io/v1alpha1","kind":"AgentDeployment",
				"metadata":{"name":"a","namespace":"agents","generation":2,"labels":{"crossplane.io/composite":"a"},"uid":"u","finalizers":["f"],
					"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},"managedFields":[{"manager":"m"}]},
				"spec":{"model":"gpt-4o","replicas":2,"crossplane":{"compositionRef":{"name":"c"},"resourceRefs":[{"kind":"Deployment","name":"a"}]}},
				"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}`,
			want: map[string]any{
				"apiVersion": "agentops.io/v1alpha1", "kind": "AgentDeployment",
				"metadata": map[string]any{"name": "a", "namespace": "agents", "generation": float64(2), "labels": map[string]any{"crossplane.io/composite": "a"}},
				"spec":     map[string]any{"model": "gpt-4o", "replicas": float64(2)},
			},
		},
		"Legacy": {
			reason: "A legacy XR's claim labels; not the claim and composition references in its spec.",
			xr: `{"apiVersion":"agentops.io/v1alpha1","kind":"XAgentDeployment",
				"metadata":{"name":"a-x1","labels":{"crossplane.io/claim-name":"a","crossplane.io/claim-namespace":"agents"}},
				"spec":{"model":"gpt-4o","claimRef":{"name":"a"},"compositionRef":{"name":"c"},"resourceRefs":[],"writeConnectionSecretToRef":{"name":"s"}}}`,
			want: map[string]any{
				"apiVersion": "agentops.io/v1alpha1", "kind": "XAgentDeployment",
				"metadata": map[string]any{"name": "a-x1", "labels": map[string]any{"crossplane.io/claim-name": "a", "crossplane.io/claim-namespace": "agents"}},
				"spec":     map[string]any{"model": "gpt-4o"},
			},
		},
		"SpecFieldCase": {
			reason: "A spec field in another case, which encoding/json decodes all the same.",
			xr:     `{"spec":{"Model":"gpt-4o","AUTOSCALING":{"enabled":true},"Crossplane":{}}}`,
			want:   map[string]any{"spec": map[string]any{"Model": "gpt-4o", "AUTOSCALING": map[string]any{"enabled": true}}},
		},
		"SpecNotAnObject": {
			reason: "A spec that is not an object, whole, for fn/agent to refuse.",
			xr:     `{"spec":"gpt-4o"}`,
			want:   map[string]any{"spec": "gpt-4o"},
		},
		"NoSpec": {
			reason: "No spec: none.",
			xr:     `{"kind":"AgentDeployment"}`,
			want:   map[string]any{"kind": "AgentDeployment"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(tc.xr)}}}
			got := observed.Composite(req)
			if diff := cmp.Diff(tc.want, got.Object); diff != "" {
				t.Errorf("%s\nobserved.Composite(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestObservedComposed reads the observed composed resources of a request
// as the SDK does, but for the fields left out: the same names and empty
// objects. Neither request has an XR, which reads as an
// empty one.
func TestObservedComposed(t *testing.T) {
	svc := `{"apiVersion":"v1","kind":"Service","metadata":{"name":"s","managedFields":[{"manager":"m"}]},"spec":{"clusterIP":"10.0.0.1"}}`
	cases := map[string]struct {
		reason string
		req    *fnv1.RunFunctionRequest
		want   *fnv1.RunFunctionRequest
	}{
		"Objects": {
			reason: "Each object by its name; one without a resource is empty.",
			req: &fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{
				"service": {Resource: resource.MustStructJSON(svc), ConnectionDetails: map[string][]byte{"k": []byte("v")}},
				"empty":   {},
			}}},
			want: &fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{
				"service": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"clusterIP":"10.0.0.1"}}`), ConnectionDetails: map[string][]byte{"k": []byte("v")}},
				"empty":   {},
			}}},
		},
		"Nothing": {
			reason: "A request without observed state: no composed resources.",
			req:    &fnv1.RunFunctionRequest{},
			want:   &fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want := fixtures.ObservedObjects(tc.want)
			if diff := cmp.Diff(want, observed.Composed(proto.CloneOf(tc.req))); diff != "" {
				t.Errorf("%s\nobserved.Composed(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(map[string]any{}, observed.Composite(tc.req).Object); diff != "" {
				t.Errorf("%s\nobserved.Composite(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
