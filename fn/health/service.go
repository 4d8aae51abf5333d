package health

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Service reasons.
const (
	ReasonNoClusterIP    = "NoClusterIP"
	ReasonNoLoadBalancer = "NoLoadBalancerIngress"
	serviceTypeLB        = "LoadBalancer"
	serviceTypeExternal  = "ExternalName"
)

// service is ready once it has a cluster IP ("None" for a headless one); a
// LoadBalancer also needs an ingress address. An ExternalName has neither.
func service(u *unstructured.Unstructured) Result {
	typ, _, _ := unstructured.NestedString(u.Object, "spec", "type")
	if typ == serviceTypeExternal {
		return Result{State: Current, Reason: ReasonReady, Message: "external name"}
	}
	ip, _, _ := unstructured.NestedString(u.Object, "spec", "clusterIP")
	if ip == "" {
		return Result{State: InProgress, Reason: ReasonNoClusterIP, Message: "no cluster IP allocated yet"}
	}
	if typ == serviceTypeLB {
		ingress, _, _ := unstructured.NestedSlice(u.Object, "status", "loadBalancer", "ingress")
		if len(ingress) == 0 {
			return Result{State: InProgress, Reason: ReasonNoLoadBalancer, Message: "waiting for the load balancer's ingress address"}
		}
	}
	return Result{State: Current, Reason: ReasonReady, Message: "cluster IP " + ip}
}
