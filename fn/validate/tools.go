package validate

import (
	"fmt"
	"net/netip"
	"slices"

	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// tools refuses a tool the platform's policy does not admit (input tools):
// another namespace than those listed, the agent's own when the platform
// closes it, a CIDR outside the allowed ranges. Each egress rule opens the
// agent's pods to that destination, so the bounds are the platform's.
func tools(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	p := specPath.Child("tools")
	if len(spec.Tools) > MaxToolsPerAgent {
		return field.ErrorList{field.TooMany(p, len(spec.Tools), MaxToolsPerAgent)}
	}
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, t := range spec.Tools {
		at := p.Index(i)
		for _, msg := range validation.IsDNS1123Label(t.Name) {
			errs = append(errs, field.Invalid(at.Child("name"), t.Name, msg))
		}
		if seen[t.Name] {
			errs = append(errs, field.Duplicate(at.Child("name"), t.Name))
		}
		seen[t.Name] = true
		errs = append(errs, toolPorts(t.Ports, at.Child("ports"))...)
		switch {
		case (t.PodSelector != nil) == (t.CIDR != nil):
			errs = append(errs, field.Invalid(at, t.Name, "a tool is either in the cluster (podSelector, with an optional namespace) or outside it (cidr): set exactly one of podSelector and cidr"))
		case t.CIDR != nil:
			if t.Namespace != nil {
				errs = append(errs, field.Forbidden(at.Child("namespace"), "namespace applies to an in-cluster tool: set podSelector with it"))
			}
			errs = append(errs, toolCIDR(*t.CIDR, s.Policy.ToolCIDRs, at.Child("cidr"))...)
		default:
			errs = append(errs, metav1validation.ValidateLabelSelector(t.PodSelector, metav1validation.LabelSelectorValidationOptions{}, at.Child("podSelector"))...)
			errs = append(errs, toolNamespace(t.Namespace, s.Policy, at.Child("namespace"))...)
		}
	}
	return errs
}

func toolPorts(ports []v1alpha1.ToolPort, p *field.Path) field.ErrorList {
	switch {
	case len(ports) == 0:
		return field.ErrorList{field.Required(p, "a tool needs at least one port")}
	case len(ports) > MaxToolPorts:
		return field.ErrorList{field.TooMany(p, len(ports), MaxToolPorts)}
	}
	var errs field.ErrorList
	for i, port := range ports {
		if port.Port < 1 || port.Port > 65535 {
			errs = append(errs, field.Invalid(p.Index(i).Child("port"), port.Port, "must be between 1 and 65535"))
		}
		if pr := port.Protocol; pr != nil && *pr != "TCP" && *pr != "UDP" {
			errs = append(errs, field.NotSupported(p.Index(i).Child("protocol"), *pr, []string{"TCP", "UDP"}))
		}
	}
	return errs
}

func toolNamespace(ns *string, pol settings.Policy, p *field.Path) field.ErrorList {
	if ns == nil {
		if !pol.ToolsSameNamespace {
			return field.ErrorList{field.Forbidden(p, fmt.Sprintf("the platform admits no tool in the agent's own namespace (input tools.sameNamespace is false); allowed namespaces: %q", pol.ToolNamespaces))}
		}
		return nil
	}
	for _, msg := range validation.IsDNS1123Label(*ns) {
		return field.ErrorList{field.Invalid(p, *ns, msg)}
	}
	if !slices.Contains(pol.ToolNamespaces, *ns) {
		return field.ErrorList{field.Forbidden(p, fmt.Sprintf("namespace %q is not one the platform admits tools in (input tools.namespaces): %q, or leave namespace out for the agent's own", *ns, pol.ToolNamespaces))}
	}
	return nil
}

func toolCIDR(c string, allowed []string, p *field.Path) field.ErrorList {
	pr, err := netip.ParsePrefix(c)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(p, c, "must be a CIDR such as 203.0.113.0/24 or 2001:db8::/48")}
	case pr.Masked() != pr:
		return field.ErrorList{field.Invalid(p, c, fmt.Sprintf("must be a network address: %s", pr.Masked()))}
	}
	inside := func(a string) bool {
		ap, err := netip.ParsePrefix(a)
		return err == nil && ap.Bits() <= pr.Bits() && ap.Contains(pr.Addr())
	}
	if !slices.ContainsFunc(allowed, inside) {
		ranges := "none"
		if len(allowed) > 0 {
			ranges = fmt.Sprintf("%q", allowed)
		}
		return field.ErrorList{field.Forbidden(p, fmt.Sprintf("%s is not inside a range the platform admits external tools in (input tools.cidrs): %s", c, ranges))}
	}
	return nil
}
