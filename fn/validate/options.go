package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// Limits of the options, as the XRD schema states them.
const (
	MaxEnv           = 64
	MaxEnvValue      = 4096
	MaxPodMetadata   = 16
	MaxPullSecrets   = 8
	MaxToolsPerAgent = 32
	MaxToolPorts     = 8
)

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Keys AgentOps sets on the agent's pods, which spec.podMetadata may never
// set, whatever the platform's prefixes: the selector labels among them, and
// the Vault Agent Injector's annotations, which could mount a token into the
// agent's container.
var (
	ownLabels           = []string{"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/component"}
	ownAnnotations      = []string{"kubectl.kubernetes.io/default-container"}
	ownPrefixes         = []string{"agentops.io/"}
	ownAnnotationPrefix = []string{"agentops.io/", "vault.hashicorp.com/"}
)

// options checks what an agent sets beyond its model against the platform's
// policy.
func options(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	return slices.Concat(
		tools(spec, s),
		env(spec.Env),
		podMetadata(spec.PodMetadata, s.Policy),
		imagePull(spec, s.Policy),
		nodePool(spec.NodePool, s.Policy.Scheduling),
		monitoring(spec.Monitoring, s),
		disruptionBudget(spec, s),
	)
}

func env(vars []v1alpha1.EnvVar) field.ErrorList {
	var errs field.ErrorList
	p := specPath.Child("env")
	if len(vars) > MaxEnv {
		return field.ErrorList{field.TooMany(p, len(vars), MaxEnv)}
	}
	seen := map[string]bool{}
	for i, v := range vars {
		at := p.Index(i)
		switch {
		case !envName.MatchString(v.Name) || len(v.Name) > 128:
			errs = append(errs, field.Invalid(at.Child("name"), v.Name, "must be at most 128 letters, digits and underscores, not starting with a digit"))
		case slices.Contains(v1alpha1.ReservedEnvNames, v.Name):
			errs = append(errs, field.Forbidden(at.Child("name"), fmt.Sprintf("%s is reserved by the agent contract (%s): the function sets it", v.Name, strings.Join(v1alpha1.ReservedEnvNames, ", "))))
		case seen[v.Name]:
			errs = append(errs, field.Duplicate(at.Child("name"), v.Name))
		}
		seen[v.Name] = true
		errs = append(errs, envValue(v, at)...)
	}
	return errs
}

func envValue(v v1alpha1.EnvVar, at *field.Path) field.ErrorList {
	if (v.Value != nil) == (v.ValueFrom != nil) {
		return field.ErrorList{field.Invalid(at, v.Name, "set exactly one of value and valueFrom")}
	}
	if v.Value != nil {
		if len(*v.Value) > MaxEnvValue {
			return field.ErrorList{field.TooLong(at.Child("value"), "", MaxEnvValue)}
		}
		return nil
	}
	from := at.Child("valueFrom")
	refs := map[string]*v1alpha1.KeyReference{"secretKeyRef": v.ValueFrom.SecretKeyRef, "configMapKeyRef": v.ValueFrom.ConfigMapKeyRef}
	if (refs["secretKeyRef"] != nil) == (refs["configMapKeyRef"] != nil) {
		return field.ErrorList{field.Invalid(from, v.Name, "set exactly one of secretKeyRef and configMapKeyRef")}
	}
	var errs field.ErrorList
	for _, kind := range []string{"secretKeyRef", "configMapKeyRef"} {
		ref := refs[kind]
		if ref == nil {
			continue
		}
		for _, msg := range validation.IsDNS1123Subdomain(ref.Name) {
			errs = append(errs, field.Invalid(from.Child(kind, "name"), ref.Name, msg))
		}
		for _, msg := range validation.IsConfigMapKey(ref.Key) {
			errs = append(errs, field.Invalid(from.Child(kind, "key"), ref.Key, msg))
		}
	}
	return errs
}

func podMetadata(pm *v1alpha1.PodMetadata, pol settings.Policy) field.ErrorList {
	if pm == nil {
		return nil
	}
	p := specPath.Child("podMetadata")
	errs := metav1validation.ValidateLabels(pm.Labels, p.Child("labels"))
	errs = append(errs, metadataKeys(pm.Labels, ownLabels, ownPrefixes, pol.LabelPrefixes, p.Child("labels"), "input podMetadata.labelPrefixes")...)
	errs = append(errs, apivalidation.ValidateAnnotations(pm.Annotations, p.Child("annotations"))...)
	errs = append(errs, metadataKeys(pm.Annotations, ownAnnotations, ownAnnotationPrefix, pol.AnnotationPrefixes, p.Child("annotations"), "input podMetadata.annotationPrefixes")...)
	if len(pm.Labels) > MaxPodMetadata {
		errs = append(errs, field.TooMany(p.Child("labels"), len(pm.Labels), MaxPodMetadata))
	}
	if len(pm.Annotations) > MaxPodMetadata {
		errs = append(errs, field.TooMany(p.Child("annotations"), len(pm.Annotations), MaxPodMetadata))
	}
	return errs
}

// metadataKeys refuses keys AgentOps sets, and keys under none of the
// platform's prefixes.
func metadataKeys(m map[string]string, own, ownPrefix, allowed []string, p *field.Path, policy string) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(m) {
		switch {
		case slices.Contains(own, k) || hasAnyPrefix(k, ownPrefix):
			errs = append(errs, field.Forbidden(p.Key(k), fmt.Sprintf("%s is set by AgentOps: keys %q and those under %q are its own", k, own, ownPrefix)))
		case !hasAnyPrefix(k, allowed):
			errs = append(errs, field.Forbidden(p.Key(k), fmt.Sprintf("%s is not under a prefix the platform allows (%s): %q", k, policy, allowed)))
		}
	}
	return errs
}

func hasAnyPrefix(k string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(pr string) bool { return strings.HasPrefix(k, pr) })
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
