package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func port(proto corev1.Protocol, p int32) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Protocol: new(proto), Port: new(intstr.FromInt32(p))}
}

func TestNetworkPolicy(t *testing.T) {
	gateway := networkingv1.NetworkPolicyIngressRule{
		From:  []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "agent-gateway"}}}},
		Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 8080)},
	}
	prometheus := networkingv1.NetworkPolicyIngressRule{
		From: []networkingv1.NetworkPolicyPeer{{
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "prometheus"}},
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "monitoring"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 8080)},
	}
	dns := networkingv1.NetworkPolicyEgressRule{
		To: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}},
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolUDP, 53), port(corev1.ProtocolTCP, 53)},
	}
	egressTo := func(p int32, to ...networkingv1.NetworkPolicyPeer) networkingv1.NetworkPolicyEgressRule {
		return networkingv1.NetworkPolicyEgressRule{To: to, Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, p)}}
	}
	// Hosted providers: any address but the private, loopback, link-local
	// and CGNAT ranges (the cluster's default CIDRs lie in 10.0.0.0/8).
	internet := []networkingv1.NetworkPolicyPeer{
		{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: []string{"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"}}},
		{IPBlock: &networkingv1.IPBlock{CIDR: "::/0", Except: []string{"::1/128", "fc00::/7", "fe80::/10"}}},
	}
	inNamespace := func(ns string) *metav1.LabelSelector {
		return &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns}}
	}
	vault := networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace("vault"), PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "vault"}}}
	policy := func(model string, ingress []networkingv1.NetworkPolicyIngressRule, egress ...networkingv1.NetworkPolicyEgressRule) *networkingv1.NetworkPolicy {
		return &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "agents", Labels: labels("agent", model)},
			Spec: networkingv1.NetworkPolicySpec{
				PodSelector: metav1.LabelSelector{MatchLabels: selector("agent")},
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
				Ingress:     ingress,
				Egress:      egress,
			},
		}
	}
	cases := map[string]struct {
		reason string
		spec   string
		input  *v1beta1.Input
		want   *networkingv1.NetworkPolicy
	}{
		"Hosted": {
			reason: "A hosted model's API is reached on 443 at public addresses only; ingress from the gateway and from Prometheus on the http port.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			want:   policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443, internet...)),
		},
		"HostedClusterCIDRs": {
			reason: "Cluster CIDRs outside the private ranges are excluded too, by address family.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			input:  &v1beta1.Input{Network: &v1beta1.Network{ClusterCIDRs: []string{"198.18.0.0/15", "2001:db8:42::/56"}}},
			want: policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443,
				networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: []string{"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "198.18.0.0/15"}}},
				networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: "::/0", Except: []string{"::1/128", "fc00::/7", "fe80::/10", "2001:db8:42::/56"}}},
			)),
		},
		"SelfHosted": {
			reason: "A self-hosted model is reached on its endpoint's port, in the namespace of its Service address only.",
			spec:   "{model: llama-2-70b}",
			want:   policy("llama-2-70b", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(8000, networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace("llm-serving")})),
		},
		"SelfHostedServerSelector": {
			reason: "The input's selector narrows a self-hosted model's destination to its server's pods.",
			spec:   "{model: llama-2-70b}",
			input: &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "llama-2-70b", Server: &v1beta1.PeerSelector{
				PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}},
			}}}},
			want: policy("llama-2-70b", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(8000, networkingv1.NetworkPolicyPeer{
				NamespaceSelector: inNamespace("llm-serving"),
				PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}},
			})),
		},
		"Vault": {
			reason: "The Vault agent reaches Vault's pods on 8200, and nothing else on that port.",
			spec:   "{model: gpt-4o, secrets: {vault: {enabled: true, role: r, secretPath: s}}}",
			want:   policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443, internet...), egressTo(8200, vault)),
		},
		"VaultSelector": {
			reason: "The input says where Vault runs.",
			spec:   "{model: gpt-4o, secrets: {vault: {enabled: true, role: r, secretPath: s}}}",
			input:  &v1beta1.Input{Network: &v1beta1.Network{Vault: &v1beta1.PeerSelector{NamespaceSelector: inNamespace("secrets")}}},
			want:   policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443, internet...), egressTo(8200, networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace("secrets")})),
		},
		"PlatformSelectors": {
			reason: "The platform's selectors choose who may call the agent and who scrapes it.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			input: &v1beta1.Input{
				Gateway: &v1beta1.Gateway{
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "gw"}},
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "gateway"}},
				},
				Monitoring: &v1beta1.Monitoring{
					PrometheusPodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "prom"}},
					PrometheusNamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "obs"}},
				},
			},
			want: policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{
				{
					From: []networkingv1.NetworkPolicyPeer{{
						PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "gw"}},
						NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "gateway"}},
					}},
					Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 8080)},
				},
				{
					From: []networkingv1.NetworkPolicyPeer{{
						PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "prom"}},
						NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "obs"}},
					}},
					Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 8080)},
				},
			}, dns, egressTo(443, internet...)),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", tc.spec), tc.input)
			got := NetworkPolicy(w)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nNetworkPolicy(...): -want, +got:\n%s", tc.reason, diff)
			}
			// The policy's selectors are copies: editing them must not edit the settings.
			got.Spec.Ingress[0].From[0].PodSelector.MatchLabels["x"] = "y"
			if _, ok := w.Settings.GatewayPods.MatchLabels["x"]; ok {
				t.Errorf("%s\nNetworkPolicy(...) shares its selectors with the settings", tc.reason)
			}
			for _, to := range got.Spec.Egress[1].To {
				if b := to.IPBlock; b != nil {
					b.Except[0] = "changed"
				}
			}
			if w.Settings.Network.HostedExceptIPv4[0] == "changed" || w.Settings.Network.HostedExceptIPv6[0] == "changed" {
				t.Errorf("%s\nNetworkPolicy(...) shares its except lists with the settings", tc.reason)
			}
		})
	}
}

func TestModelAPIPort(t *testing.T) {
	cases := map[string]struct {
		endpoint string
		want     int32
	}{
		"HTTPS":         {endpoint: "https://api.openai.com/v1", want: 443},
		"HTTP":          {endpoint: "http://vllm.serving/v1", want: 80},
		"ExplicitPort":  {endpoint: "http://llama.llm-serving.svc.cluster.local:8000/v1", want: 8000},
		"HTTPSWithPort": {endpoint: "https://llm.example.com:8443", want: 8443},
		"PortTooLarge":  {endpoint: "https://llm.example.com:70000", want: 443},
		"Unparseable":   {endpoint: "://", want: 443},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := ModelAPIPort(tc.endpoint); got != tc.want {
				t.Errorf("ModelAPIPort(%q): want %d, got %d", tc.endpoint, tc.want, got)
			}
		})
	}
}
