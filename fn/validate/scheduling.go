package validate

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// imagePull refuses pull secrets where the platform forbids an agent its
// own, and a pull policy the platform does not allow (with IfNotPresent a
// node reuses a cached private image for any pod, secret or not: a platform
// may insist on Always).
func imagePull(spec *v1alpha1.AgentDeploymentSpec, pol settings.Policy) field.ErrorList {
	var errs field.ErrorList
	p := specPath.Child("imagePullSecrets")
	if len(spec.ImagePullSecrets) > 0 && !pol.AgentPullSecrets {
		errs = append(errs, field.Forbidden(p, "the platform sets the pull secrets of every agent (input imagePull.agentSecrets is false)"))
	}
	if len(spec.ImagePullSecrets) > MaxPullSecrets {
		errs = append(errs, field.TooMany(p, len(spec.ImagePullSecrets), MaxPullSecrets))
	}
	seen := map[string]bool{}
	for i, s := range spec.ImagePullSecrets {
		for _, msg := range validation.IsDNS1123Subdomain(s.Name) {
			errs = append(errs, field.Invalid(p.Index(i).Child("name"), s.Name, "must name a Secret: "+msg))
		}
		if seen[s.Name] {
			errs = append(errs, field.Duplicate(p.Index(i).Child("name"), s.Name))
		}
		seen[s.Name] = true
	}
	if pp := spec.ImagePullPolicy; pp != nil && !slices.Contains(pol.AllowedPullPolicies, *pp) {
		errs = append(errs, field.NotSupported(specPath.Child("imagePullPolicy"), *pp, pol.AllowedPullPolicies))
	}
	return errs
}

// nodePool refuses a pool the platform does not define.
func nodePool(pool *string, s settings.Scheduling) field.ErrorList {
	if pool == nil {
		return nil
	}
	if _, ok := s.NodePools[*pool]; !ok {
		p := specPath.Child("nodePool")
		if len(s.NodePoolNames) == 0 {
			return field.ErrorList{field.Forbidden(p, fmt.Sprintf("node pool %q: the platform defines no node pool an agent may ask for (input scheduling.nodePools)", *pool))}
		}
		return field.ErrorList{field.NotSupported(p, *pool, s.NodePoolNames)}
	}
	return nil
}
