package reliability

import (
	"fmt"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// The cluster around the agent, as the Compositions' inputs describe it:
// the gateway in the agent's namespace, Prometheus in "monitoring", DNS in
// kube-system, a self-hosted model server in "llm-serving", Vault in "vault"
// with the Vault Helm chart's labels.
var (
	gateway    = map[string]string{"app.kubernetes.io/name": "agent-gateway"}
	prometheus = map[string]string{"app.kubernetes.io/name": "prometheus"}
	kubeDNS    = map[string]string{"k8s-app": "kube-dns"}
	vaultPods  = map[string]string{"app.kubernetes.io/name": "vault", "component": "server"}
	stranger   = map[string]string{"app": "curious"}
)

// podIP is the address every pod here has: in kind's pod CIDR, so that an
// ipBlock rule is asked about pods too (implementations may match pod IPs
// against ipBlocks).
const podIP = "10.244.1.7"

func nsLabels(ns string) map[string]string {
	return map[string]string{"kubernetes.io/metadata.name": ns}
}

func pod(ns string, l map[string]string) endpoint {
	return endpoint{namespace: ns, nsLabels: nsLabels(ns), pod: l, ip: podIP}
}

func address(ip string) endpoint { return endpoint{ip: ip} }

// TestNetworkPolicy: for every example, the composed NetworkPolicy selects
// the agent's pods; admits ingress only from the gateway and Prometheus, on
// the agent's port; and egress only to cluster DNS and to the model API (443
// on public addresses for hosted models, the model server's pods on its
// port for self-hosted ones), plus Vault's pods on 8200 where Vault injects
// the key. The risky destinations are asked about on every port the policy
// opens: the API server (its Service address and its endpoint), the cloud
// metadata service, another namespace's pod, RFC 1918, CGNAT and loopback
// addresses, and the internet. An example's tools (spec.tools) are reached
// on their ports, and nothing like them is (toolConnections).
func TestNetworkPolicy(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			np, agent := composedPolicy(t, e)
			want, got := map[string]bool{}, map[string]bool{}
			for name, c := range connections(e, agent.namespace) {
				want[name] = c.want
				got[name] = allows(np, agent.namespace, c.egress, c.probe)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the NetworkPolicy of %s (model %s): -want, +got:\n%s", e.Name, modelOf(e), diff)
			}
		})
	}
}

// composedPolicy runs the function on an example and returns the
// NetworkPolicy it composes, and the agent's pod it must select.
func composedPolicy(t *testing.T, e example) (*networkingv1.NetworkPolicy, endpoint) {
	t.Helper()
	rsp, _ := run(t, request(t, e.XR, e.Input, withDependencies(nil)))
	if msg := fatal(rsp); msg != "" {
		t.Fatalf("RunFunction(%s): %s", e.Name, msg)
	}
	np, d := &networkingv1.NetworkPolicy{}, &appsv1.Deployment{}
	desired(t, rsp, "networkpolicy", np)
	desired(t, rsp, "deployment", d)
	if !selects(&np.Spec.PodSelector, d.Spec.Template.Labels) || np.Namespace != d.Namespace {
		t.Fatalf("the NetworkPolicy does not select the agent's pods")
	}
	return np, pod(d.Namespace, d.Spec.Template.Labels)
}

// connection is one connection to or from the agent's pod, and whether the
// NetworkPolicy must admit it.
type connection struct {
	egress bool
	probe  probe
	want   bool
}

// connections is the table every oracle of the NetworkPolicy answers, for
// an example whose agent runs in namespace ns.
func connections(e example, ns string) map[string]connection {
	model := modelOf(e)
	_, selfHosted := map[string]bool{"llama-2-13b": true, "llama-2-70b": true, "llama-3.1-8b": true, "llama-3.3-70b": true, "mixtral-8x7b": true, "qwen-2.5-72b": true}[model]
	vault := vaultEnabled(e)
	internet, internet6 := address("203.0.113.10"), address("2001:db8::10")
	modelServer := pod("llm-serving", map[string]string{"app": model})
	modelPort := map[bool]int32{true: 8000, false: 443}[selfHosted]

	checks := map[string]connection{
		"IngressGatewayOnAgentPort":    {false, probe{pod(ns, gateway), 8080, corev1.ProtocolTCP}, true},
		"IngressGatewayOtherPort":      {false, probe{pod(ns, gateway), 9090, corev1.ProtocolTCP}, false},
		"IngressGatewayUDP":            {false, probe{pod(ns, gateway), 8080, corev1.ProtocolUDP}, false},
		"IngressGatewayOtherNamespace": {false, probe{pod("elsewhere", gateway), 8080, corev1.ProtocolTCP}, false},
		"IngressPrometheusOnAgentPort": {false, probe{pod("monitoring", prometheus), 8080, corev1.ProtocolTCP}, true},
		"IngressPrometheusOtherPort":   {false, probe{pod("monitoring", prometheus), 22, corev1.ProtocolTCP}, false},
		"IngressPrometheusLookalike":   {false, probe{pod(ns, prometheus), 8080, corev1.ProtocolTCP}, false},
		"IngressOtherPodInMonitoring":  {false, probe{pod("monitoring", stranger), 8080, corev1.ProtocolTCP}, false},
		"IngressNeighbour":             {false, probe{pod(ns, stranger), 8080, corev1.ProtocolTCP}, false},
		"IngressFromInternet":          {false, probe{internet, 8080, corev1.ProtocolTCP}, false},
		"EgressDNSUDP":                 {true, probe{pod("kube-system", kubeDNS), 53, corev1.ProtocolUDP}, true},
		"EgressDNSTCP":                 {true, probe{pod("kube-system", kubeDNS), 53, corev1.ProtocolTCP}, true},
		"EgressDNSElsewhere":           {true, probe{pod(ns, stranger), 53, corev1.ProtocolUDP}, false},
		"EgressOtherPodInKubeSystem":   {true, probe{pod("kube-system", stranger), 53, corev1.ProtocolUDP}, false},
		"EgressInternetHTTPS":          {true, probe{internet, 443, corev1.ProtocolTCP}, !selfHosted},
		"EgressInternetIPv6HTTPS":      {true, probe{internet6, 443, corev1.ProtocolTCP}, !selfHosted},
		"EgressInternetHTTP":           {true, probe{internet, 80, corev1.ProtocolTCP}, false},
		"EgressInternetSSH":            {true, probe{internet, 22, corev1.ProtocolTCP}, false},
		"EgressInternetModelPort":      {true, probe{internet, 8000, corev1.ProtocolTCP}, false},
		"EgressInternetVaultPort":      {true, probe{internet, 8200, corev1.ProtocolTCP}, false},
		"EgressDatabase":               {true, probe{pod("data", stranger), 5432, corev1.ProtocolTCP}, false},
		"EgressHTTPSUDP":               {true, probe{internet, 443, corev1.ProtocolUDP}, false},
		"EgressNeighbourOnAgentPort":   {true, probe{pod(ns, stranger), 8080, corev1.ProtocolTCP}, false},
		"EgressModelServer":            {true, probe{modelServer, 8000, corev1.ProtocolTCP}, selfHosted},
		"EgressModelServerOtherPort":   {true, probe{modelServer, 8001, corev1.ProtocolTCP}, false},
		"EgressModelServerLookalike":   {true, probe{pod("elsewhere", map[string]string{"app": model}), 8000, corev1.ProtocolTCP}, false},
		"EgressVault":                  {true, probe{pod("vault", vaultPods), 8200, corev1.ProtocolTCP}, vault},
		"EgressVaultLookalike":         {true, probe{pod(ns, vaultPods), 8200, corev1.ProtocolTCP}, false},
		"EgressOtherPodInVault":        {true, probe{pod("vault", stranger), 8200, corev1.ProtocolTCP}, false},
	}
	// The risky destinations, on every port the policy opens to
	// something: none may be reached.
	risky := map[string]endpoint{
		"KubernetesAPIService":  address("10.96.0.1"),
		"KubernetesAPIEndpoint": address("172.18.0.2"),
		"MetadataService":       address("169.254.169.254"),
		"MetadataServiceIPv6":   address("fd00:ec2::254"),
		"OtherNamespacePod":     pod("data", stranger),
		"RFC1918Ten":            address("10.1.2.3"),
		"RFC1918OneSevenTwo":    address("172.16.5.5"),
		"RFC1918OneNineTwo":     address("192.168.1.1"),
		"CGNAT":                 address("100.64.1.1"),
		"Loopback":              address("127.0.0.1"),
		"IPv6LinkLocal":         address("fe80::1"),
	}
	// The agent's tools: reachable, and nothing like them.
	hostedPort := map[bool]int32{true: 0, false: 443}[selfHosted]
	tools, toolPorts := toolConnections(e, ns, hostedPort)
	maps.Copy(checks, tools)
	for name, e := range risky {
		for _, port := range append([]int32{modelPort, 8200, 6443, 80}, toolPorts...) {
			checks[fmt.Sprintf("Egress%s%d", name, port)] = connection{true, probe{e, port, corev1.ProtocolTCP}, false}
		}
	}
	return checks
}

func modelOf(e example) string {
	spec, _ := e.XR["spec"].(map[string]any)
	return fmt.Sprint(spec["model"])
}

func vaultEnabled(e example) bool {
	spec, _ := e.XR["spec"].(map[string]any)
	s, _ := spec["secrets"].(map[string]any)
	v, _ := s["vault"].(map[string]any)
	on, _ := v["enabled"].(bool)
	return on
}
