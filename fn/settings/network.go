package settings

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// Network is where agents may connect, besides cluster DNS.
type Network struct {
	// HostedExcept are the ranges agents of hosted models may not reach, by
	// address family: the always-excluded ranges and the cluster's CIDRs,
	// without a range another one already covers.
	HostedExceptIPv4, HostedExceptIPv6 []string
	// ModelServers are the self-hosted models' servers, by model name.
	ModelServers map[string]Peer
	// Vault is where the Vault Agent sidecar finds Vault.
	Vault Peer
}

// A Peer selects pods for a NetworkPolicy rule; a nil namespace selector
// means the agent's own namespace.
type Peer struct {
	Namespaces *metav1.LabelSelector
	Pods       *metav1.LabelSelector
}

// Ranges no agent reaches: loopback, "this network", link-local (the cloud
// metadata services among them), RFC 1918, CGNAT (100.64.0.0/10, which
// several clusters use for pods), and their IPv6 counterparts: loopback,
// unique-local (fc00::/7, AWS's IPv6 metadata
// service among them) and link-local. (IPv4-mapped addresses never
// appear on the wire.)
var (
	alwaysExceptIPv4 = []string{"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"}
	alwaysExceptIPv6 = []string{"::1/128", "fc00::/7", "fe80::/10"}
)

// DefaultClusterCIDRs are the pod and service CIDRs of common installers:
// kubeadm's service CIDR, kind's and flannel's pod CIDR, k3s' pod and
// service CIDRs.
var DefaultClusterCIDRs = []string{"10.96.0.0/12", "10.244.0.0/16", "10.42.0.0/16", "10.43.0.0/16"}

// DefaultVaultNamespace is where the Vault Helm chart is usually installed.
const DefaultVaultNamespace = "vault"

func defaultVault() Peer {
	return Peer{
		Namespaces: namespaceNamed(DefaultVaultNamespace),
		Pods:       &metav1.LabelSelector{MatchLabels: map[string]string{labelName: "vault"}},
	}
}

func namespaceNamed(ns string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: ns}}
}

// resolveNetwork sets where agents may connect. It reads s.Models, so it
// runs after the models are resolved.
func resolveNetwork(s *Settings, in *v1beta1.Network, overrides []v1beta1.ModelOverride, root *field.Path) field.ErrorList {
	if in == nil {
		in = &v1beta1.Network{}
	}
	p := root.Child("network")
	var errs field.ErrorList
	cidrs := in.ClusterCIDRs
	if cidrs == nil {
		cidrs = DefaultClusterCIDRs
	}
	var prefixes []netip.Prefix
	for i, c := range cidrs {
		pr, err := netip.ParsePrefix(c)
		switch {
		case err != nil:
			errs = append(errs, field.Invalid(p.Child("clusterCIDRs").Index(i), c, "must be a CIDR such as 10.96.0.0/12 or fd00:10:96::/112"))
		case pr.Masked() != pr:
			errs = append(errs, field.Invalid(p.Child("clusterCIDRs").Index(i), c, fmt.Sprintf("must be a network address: %s", pr.Masked())))
		case pr.Bits() == 0:
			errs = append(errs, field.Invalid(p.Child("clusterCIDRs").Index(i), c, "must not be every address"))
		default:
			prefixes = append(prefixes, pr)
		}
	}
	s.Network.HostedExceptIPv4 = exceptList(alwaysExceptIPv4, prefixes, true)
	s.Network.HostedExceptIPv6 = exceptList(alwaysExceptIPv6, prefixes, false)

	s.Network.Vault = defaultVault()
	if v := in.Vault; v != nil {
		s.Network.Vault = Peer{Namespaces: v.NamespaceSelector, Pods: v.PodSelector}
		errs = append(errs, checkPeer(s.Network.Vault, p.Child("vault"))...)
	}

	s.Network.ModelServers = map[string]Peer{}
	for _, name := range s.ModelNames {
		e := s.Models[name]
		if e.Provider != catalog.SelfHosted {
			continue
		}
		i := slices.IndexFunc(overrides, func(o v1beta1.ModelOverride) bool { return o.Name == name })
		var server *v1beta1.PeerSelector
		if i >= 0 {
			server = overrides[i].Server
		}
		peer, perrs := modelServer(e, server, root.Child("models").Index(max(i, 0)))
		errs = append(errs, perrs...)
		s.Network.ModelServers[name] = peer
	}
	return errs
}

// modelServer selects a self-hosted model's server: the input's selectors,
// the namespace defaulting to the one its endpoint's Service address names.
func modelServer(e catalog.Entry, in *v1beta1.PeerSelector, p *field.Path) (Peer, field.ErrorList) {
	peer, isService := serviceAddress(e.Endpoint)
	if in != nil {
		if in.NamespaceSelector != nil {
			peer.Namespaces = in.NamespaceSelector
		}
		peer.Pods = in.PodSelector
		return peer, checkPeer(peer, p.Child("server"))
	}
	if !isService {
		return peer, field.ErrorList{field.Required(p.Child("server"), fmt.Sprintf("model %q is self-hosted and its endpoint %q is not a Service address (<service>.<namespace>.svc... or a bare <service> in the agent's namespace): select its server pods, the only destination its agents may reach", e.Name, e.Endpoint))}
	}
	return peer, nil
}

// serviceAddress selects the pods an endpoint's Service address may lead
// to: every pod of <namespace> for <service>.<namespace>.svc[.<cluster
// domain>] (the label before "svc": a name such as llama-3.1-8b puts dots
// before it), every pod of the agent's namespace for a bare <service>.
// Other hosts, <service>.<namespace> among them, may be names outside the
// cluster: they are not guessed at.
func serviceAddress(endpoint string) (Peer, bool) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return Peer{}, false
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if len(validation.IsDNS1035Label(host)) == 0 {
		return Peer{Pods: &metav1.LabelSelector{}}, true
	}
	labels := strings.Split(host, ".")
	i := slices.Index(labels, "svc")
	if i < 2 || len(validation.IsDNS1123Label(labels[i-1])) > 0 {
		return Peer{}, false
	}
	return Peer{Namespaces: namespaceNamed(labels[i-1])}, true
}

func checkPeer(peer Peer, p *field.Path) field.ErrorList {
	if peer.Namespaces == nil && peer.Pods == nil {
		return field.ErrorList{field.Required(p, "set namespaceSelector, podSelector or both")}
	}
	return append(checkSelector(peer.Namespaces, p.Child("namespaceSelector")), checkSelector(peer.Pods, p.Child("podSelector"))...)
}

// exceptList is base plus the prefixes of one address family that no range
// of the list already covers, in a stable order.
func exceptList(base []string, extra []netip.Prefix, ipv4 bool) []string {
	var all []netip.Prefix
	for _, b := range base {
		all = append(all, netip.MustParsePrefix(b))
	}
	for _, e := range extra {
		if e.Addr().Is4() != ipv4 || slices.ContainsFunc(all, func(a netip.Prefix) bool { return a.Bits() <= e.Bits() && a.Contains(e.Addr()) }) {
			continue
		}
		all = append(all, e)
	}
	out := make([]string, len(all))
	for i, a := range all {
		out[i] = a.String()
	}
	return out
}
