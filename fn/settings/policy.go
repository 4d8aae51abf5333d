package settings

import (
	"fmt"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

// Policy bounds what an AgentDeployment may set beyond its model.
type Policy struct {
	// Tools agents may call.
	ToolsSameNamespace bool
	ToolNamespaces     []string
	// ToolCIDRs are valid network addresses (netip.ParsePrefix reads them).
	ToolCIDRs []string

	// Prefixes of the extra pod labels and annotations agents may set.
	LabelPrefixes, AnnotationPrefixes []string

	// Image pulls.
	PullSecrets         []string
	AgentPullSecrets    bool
	PullPolicy          corev1.PullPolicy
	AllowedPullPolicies []string

	Scheduling Scheduling

	// Per-agent switches.
	AllowMonitoringOff, AllowMetrics, AllowDisruptionBudget bool
}

// Scheduling places every agent's pods; NodePools are those an agent may
// ask for, by name.
type Scheduling struct {
	NodeSelector              map[string]string
	Tolerations               []corev1.Toleration
	Affinity                  *corev1.Affinity
	PriorityClassName         string
	TopologySpreadConstraints []corev1.TopologySpreadConstraint
	NodePools                 map[string]v1beta1.NodePool
	NodePoolNames             []string
}

// Pull policies, and those an agent may pick unless the input says otherwise.
var (
	pullPolicies               = []string{string(corev1.PullAlways), string(corev1.PullIfNotPresent), string(corev1.PullNever)}
	defaultAllowedPullPolicies = []string{string(corev1.PullAlways), string(corev1.PullIfNotPresent)}
)

// neverReachable are ranges no tool may lie in, whatever the platform
// allows: loopback and link-local (the cloud metadata services).
var neverReachable = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("fe80::/10"),
}

// resolvePolicy sets and checks the policy on agents' options.
func resolvePolicy(s *Settings, in *v1beta1.AgentPolicy, root *field.Path) field.ErrorList {
	errs := resolveToolPolicy(&s.Policy, ptr.Deref(in.Tools, v1beta1.ToolPolicy{}), root.Child("tools"))

	pm := ptr.Deref(in.PodMetadata, v1beta1.PodMetadataPolicy{})
	s.Policy.LabelPrefixes, s.Policy.AnnotationPrefixes = pm.LabelPrefixes, pm.AnnotationPrefixes
	errs = append(errs, checkPrefixes(pm.LabelPrefixes, root.Child("podMetadata", "labelPrefixes"))...)
	errs = append(errs, checkPrefixes(pm.AnnotationPrefixes, root.Child("podMetadata", "annotationPrefixes"))...)

	errs = append(errs, resolveImagePull(&s.Policy, ptr.Deref(in.ImagePull, v1beta1.ImagePull{}), root.Child("imagePull"))...)
	errs = append(errs, resolveScheduling(&s.Policy.Scheduling, ptr.Deref(in.Scheduling, v1beta1.Scheduling{}), root.Child("scheduling"))...)

	o := ptr.Deref(in.AgentOverrides, v1beta1.AgentOverrides{})
	s.Policy.AllowMonitoringOff = ptr.Deref(o.MonitoringOff, true)
	s.Policy.AllowMetrics = ptr.Deref(o.Metrics, true)
	s.Policy.AllowDisruptionBudget = ptr.Deref(o.DisruptionBudget, true)
	return errs
}

func resolveToolPolicy(p *Policy, in v1beta1.ToolPolicy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	p.ToolsSameNamespace = ptr.Deref(in.SameNamespace, true)
	p.ToolNamespaces = in.Namespaces
	for i, ns := range in.Namespaces {
		for _, msg := range validation.IsDNS1123Label(ns) {
			errs = append(errs, field.Invalid(path.Child("namespaces").Index(i), ns, "must be a namespace's name: "+msg))
		}
	}
	for i, c := range in.CIDRs {
		pr, err := netip.ParsePrefix(c)
		at := path.Child("cidrs").Index(i)
		switch {
		case err != nil:
			errs = append(errs, field.Invalid(at, c, "must be a CIDR such as 203.0.113.0/24 or 2001:db8::/48"))
		case pr.Masked() != pr:
			errs = append(errs, field.Invalid(at, c, fmt.Sprintf("must be a network address: %s", pr.Masked())))
		case slices.ContainsFunc(neverReachable, pr.Overlaps):
			errs = append(errs, field.Invalid(at, c, "must not overlap loopback (127.0.0.0/8, ::1/128) or link-local ranges (169.254.0.0/16, fe80::/10, where cloud metadata services answer)"))
		default:
			p.ToolCIDRs = append(p.ToolCIDRs, c)
		}
	}
	return errs
}

// checkPrefixes refuses an empty prefix, which would admit every key.
func checkPrefixes(prefixes []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, pr := range prefixes {
		if pr == "" {
			errs = append(errs, field.Invalid(path.Index(i), pr, "must not be empty: an empty prefix would admit every key"))
		}
	}
	return errs
}

func resolveImagePull(p *Policy, in v1beta1.ImagePull, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	p.PullSecrets = in.Secrets
	for i, name := range in.Secrets {
		for _, msg := range validation.IsDNS1123Subdomain(name) {
			errs = append(errs, field.Invalid(path.Child("secrets").Index(i), name, "must name a Secret: "+msg))
		}
	}
	p.AgentPullSecrets = ptr.Deref(in.AgentSecrets, true)
	p.PullPolicy = corev1.PullPolicy(pick(in.Policy, string(corev1.PullIfNotPresent)))
	if !slices.Contains(pullPolicies, string(p.PullPolicy)) {
		errs = append(errs, field.NotSupported(path.Child("policy"), in.Policy, pullPolicies))
	}
	p.AllowedPullPolicies = defaultAllowedPullPolicies
	if in.AllowedPolicies != nil {
		p.AllowedPullPolicies = in.AllowedPolicies
	}
	for i, pol := range in.AllowedPolicies {
		if !slices.Contains(pullPolicies, pol) {
			errs = append(errs, field.NotSupported(path.Child("allowedPolicies").Index(i), pol, pullPolicies))
		}
	}
	return errs
}

func resolveScheduling(s *Scheduling, in v1beta1.Scheduling, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	s.NodeSelector, s.Tolerations, s.Affinity = in.NodeSelector, in.Tolerations, in.Affinity
	s.PriorityClassName, s.TopologySpreadConstraints = in.PriorityClassName, in.TopologySpreadConstraints
	errs = append(errs, metav1validation.ValidateLabels(in.NodeSelector, path.Child("nodeSelector"))...)
	errs = append(errs, checkTolerations(in.Tolerations, path.Child("tolerations"))...)
	if n := in.PriorityClassName; n != "" {
		for _, msg := range validation.IsDNS1123Subdomain(n) {
			errs = append(errs, field.Invalid(path.Child("priorityClassName"), n, "must name a PriorityClass: "+msg))
		}
	}
	for i, c := range in.TopologySpreadConstraints {
		at := path.Child("topologySpreadConstraints").Index(i)
		if c.MaxSkew < 1 {
			errs = append(errs, field.Invalid(at.Child("maxSkew"), c.MaxSkew, "must be at least 1"))
		}
		for _, msg := range validation.IsQualifiedName(c.TopologyKey) {
			errs = append(errs, field.Invalid(at.Child("topologyKey"), c.TopologyKey, msg))
		}
		if w := c.WhenUnsatisfiable; w != corev1.DoNotSchedule && w != corev1.ScheduleAnyway {
			errs = append(errs, field.NotSupported(at.Child("whenUnsatisfiable"), w, []corev1.UnsatisfiableConstraintAction{corev1.DoNotSchedule, corev1.ScheduleAnyway}))
		}
		errs = append(errs, checkSelector(c.LabelSelector, at.Child("labelSelector"))...)
	}
	s.NodePools = make(map[string]v1beta1.NodePool, len(in.NodePools))
	for i, pool := range in.NodePools {
		at := path.Child("nodePools").Index(i)
		if _, dup := s.NodePools[pool.Name]; dup {
			errs = append(errs, field.Duplicate(at.Child("name"), pool.Name))
			continue
		}
		for _, msg := range validation.IsDNS1123Label(pool.Name) {
			errs = append(errs, field.Invalid(at.Child("name"), pool.Name, msg))
		}
		if len(pool.NodeSelector) == 0 && len(pool.Tolerations) == 0 {
			errs = append(errs, field.Required(at, "a node pool needs a nodeSelector, tolerations or both"))
		}
		errs = append(errs, metav1validation.ValidateLabels(pool.NodeSelector, at.Child("nodeSelector"))...)
		errs = append(errs, checkTolerations(pool.Tolerations, at.Child("tolerations"))...)
		s.NodePools[pool.Name] = pool
		s.NodePoolNames = append(s.NodePoolNames, pool.Name)
	}
	slices.Sort(s.NodePoolNames)
	return errs
}

// checkTolerations checks what the API server would refuse in a
// toleration, so that the refusal names the input's field rather than a
// Deployment Crossplane cannot apply.
func checkTolerations(ts []corev1.Toleration, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, t := range ts {
		at := path.Index(i)
		if t.Key != "" {
			for _, msg := range validation.IsQualifiedName(t.Key) {
				errs = append(errs, field.Invalid(at.Child("key"), t.Key, msg))
			}
		}
		switch t.Operator {
		case corev1.TolerationOpEqual, "":
			if t.Key == "" {
				errs = append(errs, field.Invalid(at.Child("operator"), t.Operator, "must be Exists when the key is empty"))
			}
		case corev1.TolerationOpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(at.Child("value"), t.Value, "must be empty when the operator is Exists"))
			}
		case corev1.TolerationOpLt, corev1.TolerationOpGt:
			errs = append(errs, field.NotSupported(at.Child("operator"), t.Operator, []corev1.TolerationOperator{corev1.TolerationOpEqual, corev1.TolerationOpExists}))
		default:
			errs = append(errs, field.NotSupported(at.Child("operator"), t.Operator, []corev1.TolerationOperator{corev1.TolerationOpEqual, corev1.TolerationOpExists}))
		}
		switch t.Effect {
		case "", corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			errs = append(errs, field.NotSupported(at.Child("effect"), t.Effect, []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute}))
		}
	}
	return errs
}
