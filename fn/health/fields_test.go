package health

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestNewFields(t *testing.T) {
	cases := map[string]struct {
		reason string
		paths  []string
		want   Fields
	}{
		"Nested": {
			reason: "Dotted paths nest; a field without any within it is meant whole.",
			paths:  []string{"kind", "spec.replicas", "spec.paused", "status.loadBalancer.ingress"},
			want:   Fields{"kind": nil, "spec": {"replicas": nil, "paused": nil}, "status": {"loadBalancer": {"ingress": nil}}},
		},
		"WholeAfterPart": {
			reason: "A field meant whole after a part of it: all of it.",
			paths:  []string{"status.conditions", "status"},
			want:   Fields{"status": nil},
		},
		"PartAfterWhole": {
			reason: "A part of a field already meant whole adds nothing.",
			paths:  []string{"status", "status.conditions"},
			want:   Fields{"status": nil},
		},
		"None": {reason: "No path, no field.", want: Fields{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, NewFields(tc.paths...)); diff != "" {
				t.Errorf("%s\nNewFields(%q): -want, +got:\n%s", tc.reason, tc.paths, diff)
			}
		})
	}
}

func TestReadFields(t *testing.T) {
	common := Fields{"apiVersion": nil, "kind": nil, "metadata": {"name": nil, "namespace": nil, "generation": nil, "deletionTimestamp": nil, "finalizers": nil}}
	with := func(f Fields) Fields {
		out := maps.Clone(common)
		maps.Copy(out, f)
		return out
	}
	cases := map[string]struct {
		reason string
		gk     schema.GroupKind
		want   Fields
	}{
		"Deployment": {
			reason: "What DeploymentHealth and fn/status read: three spec fields and the whole status.",
			gk:     KindDeployment,
			want:   with(Fields{"spec": {"replicas": nil, "paused": nil, "progressDeadlineSeconds": nil}, "status": nil}),
		},
		"Service": {
			reason: "What the check and fn/status's endpoint read.",
			gk:     KindService,
			want:   with(Fields{"spec": {"type": nil, "clusterIP": nil, "ports": nil}, "status": {"loadBalancer": nil}}),
		},
		"HorizontalPodAutoscaler": {
			reason: "What fn/status's AutoscalingActive condition and replica count read.",
			gk:     KindHPA,
			want:   with(Fields{"status": {"conditions": nil, "currentReplicas": nil, "desiredReplicas": nil, "currentMetrics": nil}}),
		},
		"PodDisruptionBudget": {
			reason: "The status's observed generation, against the common generation.",
			gk:     schema.GroupKind{Group: "policy", Kind: "PodDisruptionBudget"},
			want:   with(Fields{"status": {"observedGeneration": nil}}),
		},
		"ConfigMap": {
			reason: "A kind ready once it exists: the common fields.",
			gk:     schema.GroupKind{Kind: "ConfigMap"},
			want:   common,
		},
		"Unknown": {
			reason: "A kind without an entry: the common fields.",
			gk:     schema.GroupKind{Group: "example.com", Kind: "Widget"},
			want:   common,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ReadFields(tc.gk)); diff != "" {
				t.Errorf("%s\nReadFields(%s): -want, +got:\n%s", tc.reason, tc.gk, diff)
			}
		})
	}
}

func TestKindError(t *testing.T) {
	cases := map[string]struct {
		reason string
		obj    map[string]any
		gk     schema.GroupKind
		want   string
	}{
		"Same": {
			reason: "A Deployment of any version is a Deployment.",
			obj:    map[string]any{"apiVersion": "apps/v1beta2", "kind": "Deployment"},
			gk:     KindDeployment,
		},
		"OtherKind": {
			reason: "A ConfigMap is not, and the error says what it is.",
			obj:    map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "a"}},
			gk:     KindDeployment,
			want:   `cannot read Deployment a: it is of kind "ConfigMap" (apiVersion "v1")`,
		},
		"OtherGroup": {
			reason: "Nor is a kind of the same name in another group.",
			obj:    map[string]any{"apiVersion": "example.com/v1", "kind": "Service"},
			gk:     KindService,
			want:   `cannot read Service : it is of kind "Service" (apiVersion "example.com/v1")`,
		},
		"NoKind": {
			reason: "Nor an object without a kind.",
			obj:    map[string]any{"spec": map[string]any{}},
			gk:     KindHPA,
			want:   `cannot read HorizontalPodAutoscaler : it is of kind "" (apiVersion "")`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ""
			if err := KindError(&unstructured.Unstructured{Object: tc.obj}, tc.gk); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nKindError(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
