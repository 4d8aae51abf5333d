package fn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	sdkresource "github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
	"github.com/agentops-io/agentops/fn/settings"
)

// viaUnstructured is the conversion desiredStruct replaces: through an
// unstructured map, without status and nulls, then the SDK's Struct.
func viaUnstructured(t testing.TB, o runtime.Object) *structpb.Struct {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		t.Fatal(err)
	}
	delete(m, "status")
	dropNullFields(m)
	gvks, _, err := scheme.ObjectKinds(o)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetGroupVersionKind(gvks[0])
	s, err := sdkresource.AsStruct(u)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dropNullFields(m map[string]any) {
	for k, v := range m {
		switch t := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			dropNullFields(t)
		case []any:
			for _, e := range t {
				if em, ok := e.(map[string]any); ok {
					dropNullFields(em)
				}
			}
		}
	}
}

// exampleObjects are the objects the function composes for an example.
func exampleObjects(t testing.TB, example string) []compose.Composed {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", example))
	if err != nil {
		t.Fatal(err)
	}
	xr := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(b, &xr.Object); err != nil {
		t.Fatal(err)
	}
	a, errs := agent.FromComposite(xr)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s, errs := settings.Resolve(nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return compose.All(compose.NewWorkload(a, s))
}

func TestDesiredStructMatchesUnstructured(t *testing.T) {
	cases := map[string]struct {
		reason  string
		example string
	}{
		"Production": {reason: "Every kind of the production example converts as through an unstructured map.", example: "production-claude-agent.yaml"},
		"Vault":      {reason: "The Vault example's annotations and env convert alike.", example: "vault.yaml"},
		"Minimal":    {reason: "The minimal example, all defaults, converts alike.", example: "minimal.yaml"},
		"Fixed":      {reason: "A Deployment with spec.replicas (no HPA) converts alike.", example: "autoscaling-off.yaml"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, o := range exampleObjects(t, tc.example) {
				got, err := desiredStruct(structcodec.NewEncoder(), o.Object)
				if err != nil {
					t.Fatalf("%s\ndesiredStruct(%s): %v", tc.reason, o.Key, err)
				}
				if diff := cmp.Diff(viaUnstructured(t, o.Object), got, protocmp.Transform()); diff != "" {
					t.Errorf("%s\ndesiredStruct(%s): -want, +got:\n%s", tc.reason, o.Key, diff)
				}
			}
		})
	}
}

func TestDesiredStruct(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      runtime.Object
		want   string
		err    bool
	}{
		"ConfigMap": {
			reason: "Kind and apiVersion come from the scheme; the null creationTimestamp is left out.",
			o:      &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c", Labels: map[string]string{"a": "b"}}, Data: map[string]string{"k": "v"}},
			want:   `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"b"}},"data":{"k":"v"}}`,
		},
		"Deployment": {
			reason: "Status is left out; quantities, int-or-strings, numbers and booleans keep their JSON form; empty structs stay.",
			o: &appsv1.Deployment{
				ObjectMeta: metav1.ObjectMeta{Name: "d"},
				Spec: appsv1.DeploymentSpec{
					Replicas: ptr.To[int32](3),
					Strategy: appsv1.DeploymentStrategy{RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: new(intstr.FromString("25%"))}},
					Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
						EnableServiceLinks: new(false),
						Containers: []corev1.Container{{Name: "c", Resources: corev1.ResourceRequirements{
							Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
						}}},
					}},
				},
				Status: appsv1.DeploymentStatus{ReadyReplicas: 3},
			},
			want: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{
				"replicas":3,"strategy":{"rollingUpdate":{"maxSurge":"25%"}},
				"template":{"metadata":{},"spec":{"enableServiceLinks":false,"containers":[{"name":"c","resources":{"limits":{"cpu":"500m"}}}]}}}}`,
		},
		"UnknownKind": {
			reason: "A kind the scheme does not know is an error, not a resource without a kind.",
			o:      &unstructured.Unstructured{Object: map[string]any{"kind": "X"}},
			err:    true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := desiredStruct(structcodec.NewEncoder(), tc.o)
			if (err != nil) != tc.err {
				t.Fatalf("%s\ndesiredStruct(...): error %v, want error: %t", tc.reason, err, tc.err)
			}
			if tc.err {
				return
			}
			if diff := cmp.Diff(sdkresource.MustStructJSON(tc.want), got, protocmp.Transform()); diff != "" {
				t.Errorf("%s\ndesiredStruct(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
