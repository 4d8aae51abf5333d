package compose

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// toolEgress is one egress rule per tool of the agent (spec.tools), which
// the validation held to the platform's bounds: its pods (in the agent's
// namespace unless it names another) or its CIDR, on its ports only.
func toolEgress(w *Workload) []networkingv1.NetworkPolicyEgressRule {
	tools := w.Agent.Spec.Tools
	if len(tools) == 0 {
		return nil
	}
	rules := make([]networkingv1.NetworkPolicyEgressRule, 0, len(tools))
	for _, t := range tools {
		var to networkingv1.NetworkPolicyPeer
		if t.CIDR != nil {
			to.IPBlock = &networkingv1.IPBlock{CIDR: *t.CIDR}
		} else {
			to.PodSelector = t.PodSelector.DeepCopy()
			if t.Namespace != nil {
				to.NamespaceSelector = &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: *t.Namespace}}
			}
		}
		ports := make([]networkingv1.NetworkPolicyPort, len(t.Ports))
		for i, p := range t.Ports {
			ports[i] = networkingv1.NetworkPolicyPort{
				Protocol: new(corev1.Protocol(ptr.Deref(p.Protocol, string(corev1.ProtocolTCP)))),
				Port:     new(intstr.FromInt32(p.Port)),
			}
		}
		rules = append(rules, networkingv1.NetworkPolicyEgressRule{To: []networkingv1.NetworkPolicyPeer{to}, Ports: ports})
	}
	return rules
}
