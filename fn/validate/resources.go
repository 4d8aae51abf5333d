package validate

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// resources checks that no request exceeds its limit, once the platform's
// defaults fill what the spec leaves out.
func resources(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	var errs field.ErrorList
	r := s.ContainerResources(spec)
	p := specPath.Child("resources")
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, lim := r.Requests[name], r.Limits[name]
		if req.Sign() < 0 {
			errs = append(errs, field.Invalid(p.Child("requests", string(name)), req.String(), "must not be negative"))
		}
		if lim.Sign() < 0 {
			errs = append(errs, field.Invalid(p.Child("limits", string(name)), lim.String(), "must not be negative"))
		}
		if req.Cmp(lim) > 0 {
			errs = append(errs, field.Invalid(p.Child("requests", string(name)), req.String(),
				fmt.Sprintf("must be less than or equal to the %s limit (%s)%s", name, lim.String(), fromDefault(spec, name))))
		}
		if lim.IsZero() && !req.IsZero() {
			errs = append(errs, field.Invalid(p.Child("limits", string(name)), lim.String(), "must be greater than zero"))
		}
	}
	return errs
}

// fromDefault says where a limit the user did not set came from.
func fromDefault(spec *v1alpha1.AgentDeploymentSpec, name corev1.ResourceName) string {
	l := spec.Resources.Limits
	if l == nil || (name == corev1.ResourceCPU && l.CPU == nil) || (name == corev1.ResourceMemory && l.Memory == nil) {
		return fmt.Sprintf(", the platform's default; set spec.resources.limits.%s too", name)
	}
	return ""
}
