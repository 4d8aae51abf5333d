package settings

import (
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

// Delivery modes (input.delivery.mode).
const (
	DeliveryLocal  = "Local"
	DeliveryObject = "Object"
)

// The provider-kubernetes values the input may name, from the Object and
// ProviderConfig CRDs of provider-kubernetes v1.3.1.
var (
	deliveryModes       = []string{DeliveryLocal, DeliveryObject}
	providerConfigKinds = []string{"ProviderConfig", "ClusterProviderConfig"}
	managementPolicies  = []string{"*", "Observe", "Create", "Update", "Delete", "LateInitialize"}
	readinessPolicies   = []string{"SuccessfulCreate", "DeriveFromObject", "AllTrue", "DeriveFromCelQuery"}
)

// Defaults of Object mode: the provider's own.
const (
	DefaultProviderConfigKind = "ClusterProviderConfig"
	DefaultProviderConfigName = "default"
	celQueryPolicy            = "DeriveFromCelQuery"
)

// Delivery is where the composed resources go.
type Delivery struct {
	// Mode is DeliveryLocal or DeliveryObject.
	Mode string
	// ProviderConfigKind and ProviderConfigName reach the workload cluster.
	ProviderConfigKind string
	ProviderConfigName string
	// Namespace in the workload cluster; empty means the agent's own.
	Namespace string
	// ManagementPolicies of the Objects; nil leaves the provider's default.
	ManagementPolicies []string
	// ReadinessPolicy and CelQuery of the Objects; empty leaves the
	// provider's default.
	ReadinessPolicy string
	CelQuery        string
	// Watch asks the provider to watch the remote objects.
	Watch bool
}

// Remote reports whether the composed resources go to a workload cluster.
func (d Delivery) Remote() bool { return d.Mode == DeliveryObject }

// resolveDelivery sets where the composed resources go, and checks that
// Object mode's fields are set only in Object mode.
func resolveDelivery(s *Settings, in *v1beta1.Delivery, root *field.Path) field.ErrorList {
	p := root.Child("delivery")
	if in == nil {
		in = &v1beta1.Delivery{}
	}
	s.Delivery = Delivery{Mode: in.Mode}
	if s.Delivery.Mode == "" {
		s.Delivery.Mode = DeliveryLocal
	}
	if !slices.Contains(deliveryModes, s.Delivery.Mode) {
		return field.ErrorList{field.NotSupported(p.Child("mode"), in.Mode, deliveryModes)}
	}
	if !s.Delivery.Remote() {
		return localOnly(in, p)
	}
	var errs field.ErrorList
	ref := ptr.Deref(in.ProviderConfigRef, v1beta1.ProviderConfigReference{})
	s.Delivery.ProviderConfigKind = defaulted(ref.Kind, DefaultProviderConfigKind)
	s.Delivery.ProviderConfigName = defaulted(ref.Name, DefaultProviderConfigName)
	if !slices.Contains(providerConfigKinds, s.Delivery.ProviderConfigKind) {
		errs = append(errs, field.NotSupported(p.Child("providerConfigRef", "kind"), ref.Kind, providerConfigKinds))
	}
	for _, msg := range validation.IsDNS1123Subdomain(s.Delivery.ProviderConfigName) {
		errs = append(errs, field.Invalid(p.Child("providerConfigRef", "name"), ref.Name, msg))
	}
	s.Delivery.Namespace = in.Namespace
	if in.Namespace != "" {
		for _, msg := range validation.IsDNS1123Label(in.Namespace) {
			errs = append(errs, field.Invalid(p.Child("namespace"), in.Namespace, msg))
		}
	}
	return append(errs, resolveObjectOptions(&s.Delivery, ptr.Deref(in.Object, v1beta1.ObjectOptions{}), p.Child("object"))...)
}

// localOnly refuses Object mode's fields in Local mode: set there, they
// would be ignored, and the agent composed where the team did not mean.
func localOnly(in *v1beta1.Delivery, p *field.Path) field.ErrorList {
	const msg = "applies only when delivery.mode is Object"
	var errs field.ErrorList
	if in.ProviderConfigRef != nil {
		errs = append(errs, field.Forbidden(p.Child("providerConfigRef"), msg))
	}
	if in.Namespace != "" {
		errs = append(errs, field.Forbidden(p.Child("namespace"), msg))
	}
	if in.Object != nil {
		errs = append(errs, field.Forbidden(p.Child("object"), msg))
	}
	return errs
}

// resolveObjectOptions checks the Objects' options.
func resolveObjectOptions(d *Delivery, in v1beta1.ObjectOptions, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	policies := p.Child("managementPolicies")
	for i, mp := range in.ManagementPolicies {
		switch {
		case !slices.Contains(managementPolicies, mp):
			errs = append(errs, field.NotSupported(policies.Index(i), mp, managementPolicies))
		case slices.Index(in.ManagementPolicies, mp) < i:
			errs = append(errs, field.Duplicate(policies.Index(i), mp))
		}
	}
	if len(in.ManagementPolicies) > 0 && !slices.Contains(in.ManagementPolicies, "*") && !slices.Contains(in.ManagementPolicies, "Observe") {
		errs = append(errs, field.Invalid(policies, in.ManagementPolicies, "must include Observe (or *): the function judges the agent from the remote objects the provider observes"))
	}
	d.ManagementPolicies = in.ManagementPolicies
	d.Watch = ptr.Deref(in.Watch, false)
	r := ptr.Deref(in.Readiness, v1beta1.ObjectReadiness{})
	d.ReadinessPolicy, d.CelQuery = r.Policy, r.CelQuery
	readiness := p.Child("readiness")
	switch {
	case r.Policy != "" && !slices.Contains(readinessPolicies, r.Policy):
		errs = append(errs, field.NotSupported(readiness.Child("policy"), r.Policy, readinessPolicies))
	case r.Policy == celQueryPolicy && r.CelQuery == "":
		errs = append(errs, field.Required(readiness.Child("celQuery"), "required when readiness.policy is "+celQueryPolicy))
	case r.Policy != celQueryPolicy && r.CelQuery != "":
		errs = append(errs, field.Forbidden(readiness.Child("celQuery"), "applies only when readiness.policy is "+celQueryPolicy))
	}
	return errs
}

func defaulted(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
