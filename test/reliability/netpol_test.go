package reliability

import (
	"net"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// An endpoint of a connection: a pod (namespace and labels), or an address
// outside the cluster (ip only).
type endpoint struct {
	namespace string
	nsLabels  map[string]string
	pod       map[string]string
	ip        string
}

// A probe is one connection to or from the agent's pod.
type probe struct {
	peer     endpoint
	port     int32
	protocol corev1.Protocol
}

// allows reports whether np, in namespace ns, admits the connection between
// the selected pod and the probe's peer: ingress from it, or egress to it.
// It follows the NetworkPolicy API's documented semantics: a direction the
// policy types name is denied unless a rule admits it; a rule admits a
// peer if any of its peers and any of its ports match, an empty list
// matching everything; a peer with only a podSelector means the policy's
// own namespace.
func allows(np *networkingv1.NetworkPolicy, ns string, egress bool, p probe) bool {
	typ := networkingv1.PolicyTypeIngress
	if egress {
		typ = networkingv1.PolicyTypeEgress
	}
	governed := false
	for _, pt := range np.Spec.PolicyTypes {
		governed = governed || pt == typ
	}
	if !governed {
		return true
	}
	type rule struct {
		peers []networkingv1.NetworkPolicyPeer
		ports []networkingv1.NetworkPolicyPort
	}
	var rules []rule
	if egress {
		for _, r := range np.Spec.Egress {
			rules = append(rules, rule{r.To, r.Ports})
		}
	} else {
		for _, r := range np.Spec.Ingress {
			rules = append(rules, rule{r.From, r.Ports})
		}
	}
	for _, r := range rules {
		if anyPeer(r.peers, ns, p.peer) && anyPort(r.ports, p) {
			return true
		}
	}
	return false
}

func anyPeer(peers []networkingv1.NetworkPolicyPeer, ns string, e endpoint) bool {
	if len(peers) == 0 {
		return true
	}
	for _, peer := range peers {
		if peerMatches(peer, ns, e) {
			return true
		}
	}
	return false
}

func peerMatches(peer networkingv1.NetworkPolicyPeer, ns string, e endpoint) bool {
	if peer.IPBlock != nil {
		return inBlock(peer.IPBlock, e.ip)
	}
	if e.pod == nil {
		return false // Selectors match pods only.
	}
	if peer.NamespaceSelector == nil {
		if e.namespace != ns {
			return false
		}
	} else if !selects(peer.NamespaceSelector, e.nsLabels) {
		return false
	}
	return peer.PodSelector == nil || selects(peer.PodSelector, e.pod)
}

func selects(s *metav1.LabelSelector, l map[string]string) bool {
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		return false
	}
	return sel.Matches(labels.Set(l))
}

func inBlock(b *networkingv1.IPBlock, ip string) bool {
	addr := net.ParseIP(ip)
	_, cidr, err := net.ParseCIDR(b.CIDR)
	if addr == nil || err != nil || !cidr.Contains(addr) {
		return false
	}
	for _, ex := range b.Except {
		if _, c, err := net.ParseCIDR(ex); err == nil && c.Contains(addr) {
			return false
		}
	}
	return true
}

func anyPort(ports []networkingv1.NetworkPolicyPort, p probe) bool {
	if len(ports) == 0 {
		return true
	}
	for _, port := range ports {
		if ptr.Deref(port.Protocol, corev1.ProtocolTCP) != p.protocol {
			continue
		}
		if port.Port == nil {
			return true
		}
		if port.Port.Type == intstr.String {
			continue // Named ports: the agent's policy uses numbers.
		}
		lo, hi := port.Port.IntVal, ptr.Deref(port.EndPort, port.Port.IntVal)
		if p.port >= lo && p.port <= hi {
			return true
		}
	}
	return false
}

// TestEvaluator pins the semantics the NetworkPolicy test relies on.
func TestEvaluator(t *testing.T) {
	web := map[string]string{"app": "web"}
	np := &networkingv1.NetworkPolicy{Spec: networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
		Ingress: []networkingv1.NetworkPolicyIngressRule{
			{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: web}}}, Ports: []networkingv1.NetworkPolicyPort{{Port: new(intstr.FromInt32(80))}}},
			{From: []networkingv1.NetworkPolicyPeer{{
				NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "ops"}},
				PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "probe"}},
			}}},
			{From: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8", Except: []string{"10.1.0.0/16"}}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr.To(corev1.ProtocolUDP), Port: new(intstr.FromInt32(5000)), EndPort: ptr.To[int32](5010)}}},
		},
	}}
	ops := map[string]string{"team": "ops"}
	cases := map[string]struct {
		reason string
		probe  probe
		want   bool
	}{
		"PodSelectorSameNamespace":  {"A podSelector alone matches pods of the policy's namespace.", probe{endpoint{namespace: "ns", pod: web}, 80, corev1.ProtocolTCP}, true},
		"PodSelectorOtherNamespace": {"…and no other namespace's.", probe{endpoint{namespace: "other", pod: web}, 80, corev1.ProtocolTCP}, false},
		"WrongPort":                 {"Ports restrict the rule.", probe{endpoint{namespace: "ns", pod: web}, 81, corev1.ProtocolTCP}, false},
		"WrongProtocol":             {"The protocol defaults to TCP.", probe{endpoint{namespace: "ns", pod: web}, 80, corev1.ProtocolUDP}, false},
		"BothSelectors":             {"Namespace and pod selectors in one peer must both match; no ports means every port.", probe{endpoint{namespace: "x", nsLabels: ops, pod: map[string]string{"app": "probe"}}, 9999, corev1.ProtocolTCP}, true},
		"OnlyNamespaceMatches":      {"…not just the namespace.", probe{endpoint{namespace: "x", nsLabels: ops, pod: web}, 9999, corev1.ProtocolTCP}, false},
		"IPBlockRange":              {"An ipBlock with a port range.", probe{endpoint{ip: "10.2.3.4"}, 5005, corev1.ProtocolUDP}, true},
		"IPBlockExcept":             {"…minus its exceptions.", probe{endpoint{ip: "10.1.3.4"}, 5005, corev1.ProtocolUDP}, false},
		"IPBlockOutsideRange":       {"…and outside its port range.", probe{endpoint{ip: "10.2.3.4"}, 5011, corev1.ProtocolUDP}, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := allows(np, "ns", false, tc.probe); got != tc.want {
				t.Errorf("%s\nallows(...): want %v, got %v", tc.reason, tc.want, got)
			}
		})
	}
	if !allows(np, "ns", true, probe{endpoint{ip: "1.1.1.1"}, 443, corev1.ProtocolTCP}) {
		t.Errorf("a policy that names only Ingress must not restrict egress")
	}
}
