package compose

import (
	"net/url"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/fn/settings"
)

// Ports the agent's NetworkPolicy opens besides its own and the model API's.
const (
	dnsPort   = 53
	vaultPort = 8200
)

// NetworkPolicy admits ingress to the agent's http port only from the
// gateway and from Prometheus (which scrapes /metrics on that same port), and
// egress only to cluster DNS and to the model API: its port on public
// addresses for hosted providers, on the model server's pods for self-hosted
// ones; plus Vault's pods on Vault's port when Vault injects the API key.
func NetworkPolicy(w *Workload) *networkingv1.NetworkPolicy {
	s := w.Settings
	httpPort := []networkingv1.NetworkPolicyPort{tcp(HTTPPort)}
	egress := []networkingv1.NetworkPolicyEgressRule{
		{
			To: []networkingv1.NetworkPolicyPeer{{
				NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: "kube-system"}},
				PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
			}},
			Ports: []networkingv1.NetworkPolicyPort{udp(dnsPort), tcp(dnsPort)},
		},
		{To: modelAPI(w), Ports: []networkingv1.NetworkPolicyPort{tcp(ModelAPIPort(w.Model.Endpoint))}},
	}
	if w.Agent.Spec.Secrets.Vault.Enabled {
		egress = append(egress, networkingv1.NetworkPolicyEgressRule{To: []networkingv1.NetworkPolicyPeer{peer(s.Network.Vault)}, Ports: []networkingv1.NetworkPolicyPort{tcp(vaultPort)}})
	}
	return &networkingv1.NetworkPolicy{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: w.Selector()},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
			Ingress: []networkingv1.NetworkPolicyIngressRule{
				{From: []networkingv1.NetworkPolicyPeer{{PodSelector: s.GatewayPods.DeepCopy(), NamespaceSelector: s.GatewayNamespaces.DeepCopy()}}, Ports: httpPort},
				{From: []networkingv1.NetworkPolicyPeer{{PodSelector: s.PrometheusPods.DeepCopy(), NamespaceSelector: s.PrometheusNamespaces.DeepCopy()}}, Ports: httpPort},
			},
			Egress: append(egress, toolEgress(w)...),
		},
	}
}

// modelAPI is where the model's API may be: a hosted provider anywhere but
// in the cluster's, the private and the link-local ranges (the cloud
// metadata service); a self-hosted model only on its server's pods.
func modelAPI(w *Workload) []networkingv1.NetworkPolicyPeer {
	n := w.Settings.Network
	if server, ok := n.ModelServers[w.Model.Name]; ok && !w.Model.Provider.Hosted() {
		return []networkingv1.NetworkPolicyPeer{peer(server)}
	}
	return []networkingv1.NetworkPolicyPeer{
		{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: slices.Clone(n.HostedExceptIPv4)}},
		{IPBlock: &networkingv1.IPBlock{CIDR: "::/0", Except: slices.Clone(n.HostedExceptIPv6)}},
	}
}

func peer(p settings.Peer) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: p.Namespaces.DeepCopy(), PodSelector: p.Pods.DeepCopy()}
}

// ModelAPIPort is the TCP port of a model API endpoint URL.
func ModelAPIPort(endpoint string) int32 {
	u, err := url.Parse(endpoint)
	if err != nil {
		return 443
	}
	if p, err := strconv.ParseInt(u.Port(), 10, 32); err == nil && p > 0 && p < 65536 {
		return int32(p)
	}
	if u.Scheme == "http" {
		return 80
	}
	return 443
}

func tcp(port int32) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Protocol: ptr.To(corev1.ProtocolTCP), Port: new(intstr.FromInt32(port))}
}

func udp(port int32) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Protocol: ptr.To(corev1.ProtocolUDP), Port: new(intstr.FromInt32(port))}
}
