package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Network says where agents may connect.
type Network struct {
	// ClusterCIDRs are the cluster's pod and service CIDRs, and any other
	// range agents of hosted models must not reach (such as the API
	// server's endpoint addresses when they are public). Agents of hosted
	// models reach any address on the model API's port except these and
	// the ranges always excluded: loopback, link-local (169.254.0.0/16,
	// fe80::/10), RFC 1918, CGNAT (100.64.0.0/10) and IPv6 unique-local
	// (fc00::/7). Default: 10.96.0.0/12 and 10.244.0.0/16 (kubeadm's service
	// CIDR, kind's and flannel's pod CIDR), 10.42.0.0/16 and 10.43.0.0/16
	// (k3s), all inside 10.0.0.0/8; set yours when they lie outside the
	// private ranges.
	// +optional
	// +listType=set
	ClusterCIDRs []string `json:"clusterCIDRs,omitempty"`

	// Vault selects the Vault servers the Vault Agent sidecar may reach on
	// port 8200. Default: pods labelled app.kubernetes.io/name=vault in the
	// namespace vault (the Vault Helm chart's labels).
	// +optional
	Vault *PeerSelector `json:"vault,omitempty"`
}

// PeerSelector selects pods, in namespaces, for a NetworkPolicy rule.
type PeerSelector struct {
	// NamespaceSelector of the pods' namespaces.
	// +optional
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`

	// PodSelector of the pods. Default: every pod in the selected
	// namespaces.
	// +optional
	PodSelector *metav1.LabelSelector `json:"podSelector,omitempty"`
}

// Images restricts which images agents run.
type Images struct {
	// Allowed are the registries and repositories an AgentDeployment's
	// spec.image may come from, as prefixes that end at a path boundary:
	// "registry.example.com/" admits every repository of that registry,
	// "registry.example.com/team" that repository and those under it.
	// Default: the repositories of the model catalog's images (with the
	// input's model overrides).
	// +optional
	// +listType=set
	Allowed []string `json:"allowed,omitempty"`

	// RequireDigest refuses an spec.image without a sha256 digest
	// (image@sha256:...), so that what runs cannot change under a tag.
	// Default: false.
	// +optional
	RequireDigest *bool `json:"requireDigest,omitempty"`
}
