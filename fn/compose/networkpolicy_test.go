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
	egressTo := func(p int32) networkingv1.NetworkPolicyEgressRule {
		return networkingv1.NetworkPolicyEgressRule{Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, p)}}
	}
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
			reason: "A hosted model's API is reached on 443; ingress from the gateway and from Prometheus on the http port.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			want:   policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443)),
		},
		"SelfHosted": {
			reason: "A self-hosted model is reached on its endpoint's port.",
			spec:   "{model: llama-2-70b}",
			want:   policy("llama-2-70b", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(8000)),
		},
		"Vault": {
			reason: "The Vault agent reaches Vault on 8200.",
			spec:   "{model: gpt-4o, secrets: {vault: {enabled: true, role: r, secretPath: s}}}",
			want:   policy("gpt-4o", []networkingv1.NetworkPolicyIngressRule{gateway, prometheus}, dns, egressTo(443), egressTo(8200)),
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
			}, dns, egressTo(443)),
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
