package health

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// observed converts a typed object as Crossplane sends it: through a
// protobuf Struct, so every number is a float64.
func observed(t *testing.T, o runtime.Object, gvk string) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	apiVersion, kind := splitGVK(gvk)
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	s, err := structpb.NewStruct(u.Object)
	if err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: s.AsMap()}
}

func splitGVK(gvk string) (string, string) {
	for i := len(gvk) - 1; i >= 0; i-- {
		if gvk[i] == ' ' {
			return gvk[:i], gvk[i+1:]
		}
	}
	return "", gvk
}

func TestOf(t *testing.T) {
	svc := func(typ corev1.ServiceType, ip string, ingress ...corev1.LoadBalancerIngress) *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "a"}, Spec: corev1.ServiceSpec{Type: typ, ClusterIP: ip}, Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: ingress}}}
	}
	pdb := func(generation int64, st *policyv1.PodDisruptionBudgetStatus) *policyv1.PodDisruptionBudget {
		p := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "a", Generation: generation}}
		if st != nil {
			p.Status = *st
		}
		return p
	}
	deleting := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "a", DeletionTimestamp: &metav1.Time{Time: now}, Finalizers: []string{"example.com/hold"}}}
	cases := map[string]struct {
		reason string
		u      func(t *testing.T) *unstructured.Unstructured
		want   Result
	}{
		"NotObserved": {
			reason: "Nothing observed: not ready.",
			u:      func(*testing.T) *unstructured.Unstructured { return nil },
			want:   Result{State: NotFound, Reason: ReasonNotObserved, Message: "not created yet"},
		},
		"Deleting": {
			reason: "Any kind with a deletionTimestamp is not ready, naming the finalizers it waits for.",
			u:      func(t *testing.T) *unstructured.Unstructured { return observed(t, deleting, "v1 ConfigMap") },
			want:   Result{State: Terminating, Reason: ReasonDeleting, Message: "being deleted since 2026-11-26T09:00:00Z, waiting for finalizers example.com/hold; Crossplane creates it again once it is gone"},
		},
		"ConfigMapExists": {
			reason: "A ConfigMap is ready once it exists.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, "v1 ConfigMap")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "exists"},
		},
		"UnknownKindExists": {
			reason: "A kind without a check is ready once it exists.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, "example.com/v1 Widget")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "exists"},
		},
		"HPAWithMetricMissing": {
			reason: "An HPA is ready once observed, even when it cannot read a metric: that is a condition, not a reason to hold the XR back.",
			u: func(t *testing.T) *unstructured.Unstructured {
				u := observed(t, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, "autoscaling/v2 HorizontalPodAutoscaler")
				_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "ScalingActive", "status": "False", "reason": "FailedGetPodsMetric"}}, "status", "conditions")
				return u
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "exists"},
		},
		"ServiceNoClusterIP": {
			reason: "A ClusterIP Service without an address yet is not ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeClusterIP, ""), "v1 Service")
			},
			want: Result{State: InProgress, Reason: ReasonNoClusterIP, Message: "no cluster IP allocated yet"},
		},
		"ServiceClusterIP": {
			reason: "A ClusterIP Service with an address is ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeClusterIP, "10.96.1.2"), "v1 Service")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "cluster IP 10.96.1.2"},
		},
		"ServiceHeadless": {
			reason: "A headless Service (clusterIP None) is ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeClusterIP, "None"), "v1 Service")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "cluster IP None"},
		},
		"LoadBalancerWithoutIngress": {
			reason: "A LoadBalancer needs an ingress address.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeLoadBalancer, "10.96.1.2"), "v1 Service")
			},
			want: Result{State: InProgress, Reason: ReasonNoLoadBalancer, Message: "waiting for the load balancer's ingress address"},
		},
		"LoadBalancerWithIngress": {
			reason: "A LoadBalancer with an ingress address is ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeLoadBalancer, "10.96.1.2", corev1.LoadBalancerIngress{IP: "203.0.113.7"}), "v1 Service")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "cluster IP 10.96.1.2"},
		},
		"ExternalName": {
			reason: "An ExternalName Service has no address to wait for.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, svc(corev1.ServiceTypeExternalName, ""), "v1 Service")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "external name"},
		},
		"PDBNoStatus": {
			reason: "A PodDisruptionBudget the disruption controller has not reported on is not ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, pdb(1, nil), "policy/v1 PodDisruptionBudget")
			},
			want: Result{State: InProgress, Reason: ReasonStatusNotObserved, Message: "waiting for the disruption controller to report its status"},
		},
		"PDBOldGeneration": {
			reason: "A status of an earlier generation is not this spec's.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, pdb(2, &policyv1.PodDisruptionBudgetStatus{ObservedGeneration: 1, ExpectedPods: 3}), "policy/v1 PodDisruptionBudget")
			},
			want: Result{State: InProgress, Reason: ReasonStatusNotObserved, Message: "waiting for the disruption controller to report its status"},
		},
		"PDBObserved": {
			reason: "A status of the current generation, numbers as float64 as from a request: ready, whatever the disruptions allowed.",
			u: func(t *testing.T) *unstructured.Unstructured {
				return observed(t, pdb(2, &policyv1.PodDisruptionBudgetStatus{ObservedGeneration: 2, ExpectedPods: 3, CurrentHealthy: 1, DesiredHealthy: 1}), "policy/v1 PodDisruptionBudget")
			},
			want: Result{State: Current, Reason: ReasonReady, Message: "observed by the disruption controller"},
		},
		"DeploymentMalformed": {
			reason: "A Deployment that cannot be read is not ready.",
			u: func(t *testing.T) *unstructured.Unstructured {
				u := observed(t, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, "apps/v1 Deployment")
				_ = unstructured.SetNestedField(u.Object, "three", "spec", "replicas")
				return u
			},
			want: Result{State: Unknown, Reason: ReasonMalformed, Message: "cannot read Deployment a: unrecognized type: int32"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Of(tc.u(t))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nOf(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestInt64(t *testing.T) {
	cases := map[string]struct {
		reason string
		obj    map[string]any
		want   int64
		found  bool
	}{
		"Float64":  {reason: "From a request numbers are float64.", obj: map[string]any{"a": float64(3)}, want: 3, found: true},
		"Int64":    {reason: "From a typed object they are int64.", obj: map[string]any{"a": int64(4)}, want: 4, found: true},
		"Missing":  {reason: "Nothing there.", obj: map[string]any{}},
		"NotANumb": {reason: "A string is no number.", obj: map[string]any{"a": "3"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, found := Int64(&unstructured.Unstructured{Object: tc.obj}, "a")
			if diff := cmp.Diff([]any{tc.want, tc.found}, []any{got, found}); diff != "" {
				t.Errorf("%s\nInt64(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
