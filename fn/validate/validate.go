// Package validate checks an AgentDeployment's spec against the rules the
// XRD schema cannot express (or that an API server never applied, as in a
// local render). Every error names its field and what is allowed.
package validate

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// Limits of the API, as the XRD schema states them.
const (
	MaxReplicas           = 100
	MaxTemperature        = 2.0
	MaxMaxTokens          = 1000000
	MaxSystemPromptLength = 65536
	MaxImageLength        = 512
	MaxRequestsPerSecond  = 100000
	MaxVaultRoleLength    = 128
	MaxVaultPathLength    = 512
)

var (
	imageRef   = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`)
	vaultRole  = regexp.MustCompile(`^[A-Za-z0-9_.@-]*$`)
	vaultPath  = regexp.MustCompile(`^[A-Za-z0-9_./-]*$`)
	specPath   = field.NewPath("spec")
	secretPath = specPath.Child("secrets")
)

// Spec checks spec, whose defaults are applied, against s.
func Spec(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	return slices.Concat(
		model(spec, s),
		replicas(spec),
		image(spec.Image, s.Images),
		resources(spec, s),
		config(spec, s),
		secrets(spec, s),
		autoscaling(spec.Autoscaling),
		options(spec, s),
	)
}

func model(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	if _, ok := s.Models[string(spec.Model)]; ok {
		return nil
	}
	p := specPath.Child("model")
	if spec.Model == "" {
		return field.ErrorList{field.Required(p, fmt.Sprintf("supported values: %q", s.ModelNames))}
	}
	return field.ErrorList{field.NotSupported(p, spec.Model, s.ModelNames)}
}

func replicas(spec *v1alpha1.AgentDeploymentSpec) field.ErrorList {
	if r := *spec.Replicas; r < 0 || r > MaxReplicas {
		return field.ErrorList{field.Invalid(specPath.Child("replicas"), r, fmt.Sprintf("must be between 0 and %d", MaxReplicas))}
	}
	return nil
}

func image(img *string, allowed settings.Images) field.ErrorList {
	if img == nil {
		return nil
	}
	p := specPath.Child("image")
	switch {
	case len(*img) > MaxImageLength:
		return field.ErrorList{field.TooLong(p, *img, MaxImageLength)}
	case !imageRef.MatchString(*img):
		return field.ErrorList{field.Invalid(p, *img, "must be an image reference such as registry.example.com/team/agent:v1.2.3 (lower-case repository, optional tag and sha256 digest)")}
	}
	return imagePolicy(*img, allowed)
}

func config(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	var errs field.ErrorList
	c := spec.Config
	p := specPath.Child("config")
	window := s.Models[string(spec.Model)].ContextWindow
	switch mt := *c.MaxTokens; {
	case mt < 1 || mt > MaxMaxTokens:
		errs = append(errs, field.Invalid(p.Child("maxTokens"), mt, fmt.Sprintf("must be between 1 and %d", MaxMaxTokens)))
	case window > 0 && mt > window:
		errs = append(errs, field.Invalid(p.Child("maxTokens"), mt, fmt.Sprintf("must not exceed the context window of %s (%d tokens)", spec.Model, window)))
	}
	if t := *c.Temperature; t < 0 || t > MaxTemperature {
		errs = append(errs, field.Invalid(p.Child("temperature"), t, "must be between 0 and 2"))
	}
	// The XRD's maxLength counts characters, not bytes.
	if utf8.RuneCountInString(*c.SystemPrompt) > MaxSystemPromptLength {
		errs = append(errs, field.TooLongCharacters(p.Child("systemPrompt"), *c.SystemPrompt, MaxSystemPromptLength))
	}
	return errs
}

func secrets(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	var errs field.ErrorList
	sec := spec.Secrets
	v := sec.Vault
	if name := sec.APIKeySecret; name != nil {
		for _, msg := range validation.IsDNS1123Subdomain(*name) {
			errs = append(errs, field.Invalid(secretPath.Child("apiKeySecret"), *name, "must name a Secret: "+msg))
		}
		if v.Enabled {
			errs = append(errs, field.Forbidden(secretPath.Child("apiKeySecret"), "set either spec.secrets.apiKeySecret or spec.secrets.vault, not both"))
		}
	}
	for _, msg := range validation.IsConfigMapKey(*sec.APIKeyKey) {
		errs = append(errs, field.Invalid(secretPath.Child("apiKeyKey"), *sec.APIKeyKey, msg))
	}
	errs = append(errs, vault(v)...)
	if m, ok := s.Models[string(spec.Model)]; ok && m.Provider.Hosted() && sec.APIKeySecret == nil && !v.Enabled {
		errs = append(errs, field.Required(secretPath.Child("apiKeySecret"),
			fmt.Sprintf("model %s is served by %s, a hosted provider that needs an API key: set spec.secrets.apiKeySecret to a Secret in this namespace, or enable spec.secrets.vault", spec.Model, m.Provider)))
	}
	return errs
}

func vault(v *v1alpha1.Vault) field.ErrorList {
	var errs field.ErrorList
	p := secretPath.Child("vault")
	role, path := ptr.Deref(v.Role, ""), ptr.Deref(v.SecretPath, "")
	if v.Enabled && role == "" {
		errs = append(errs, field.Required(p.Child("role"), "the Vault role the agent logs in with is required when spec.secrets.vault.enabled is true"))
	}
	if v.Enabled && path == "" {
		errs = append(errs, field.Required(p.Child("secretPath"), "the Vault path of the API key (such as secret/data/agents/openai) is required when spec.secrets.vault.enabled is true"))
	}
	if len(role) > MaxVaultRoleLength || !vaultRole.MatchString(role) {
		errs = append(errs, field.Invalid(p.Child("role"), role, fmt.Sprintf("must be at most %d of the characters A-Z a-z 0-9 _ . @ -", MaxVaultRoleLength)))
	}
	if len(path) > MaxVaultPathLength || !vaultPath.MatchString(path) {
		errs = append(errs, field.Invalid(p.Child("secretPath"), path, fmt.Sprintf("must be at most %d of the characters A-Z a-z 0-9 _ . / -", MaxVaultPathLength)))
	}
	return errs
}

func autoscaling(a *v1alpha1.Autoscaling) field.ErrorList {
	var errs field.ErrorList
	p := specPath.Child("autoscaling")
	lo, hi := *a.MinReplicas, *a.MaxReplicas
	if lo < 1 || lo > MaxReplicas {
		errs = append(errs, field.Invalid(p.Child("minReplicas"), lo, fmt.Sprintf("must be between 1 and %d", MaxReplicas)))
	}
	if hi < 1 || hi > MaxReplicas {
		errs = append(errs, field.Invalid(p.Child("maxReplicas"), hi, fmt.Sprintf("must be between 1 and %d", MaxReplicas)))
	}
	if lo > hi {
		errs = append(errs, field.Invalid(p.Child("minReplicas"), lo, fmt.Sprintf("must be less than or equal to spec.autoscaling.maxReplicas (%d)", hi)))
	}
	// A slice, not a map: the message must not change order between calls.
	for _, t := range []struct {
		name string
		v    int32
	}{{"targetCPUUtilization", *a.TargetCPUUtilization}, {"targetMemoryUtilization", *a.TargetMemoryUtilization}} {
		if t.v < 1 || t.v > 100 {
			errs = append(errs, field.Invalid(p.Child(t.name), t.v, "must be a percentage between 1 and 100"))
		}
	}
	if r := *a.RequestsPerSecond; r < 0 || r > MaxRequestsPerSecond {
		errs = append(errs, field.Invalid(p.Child("requestsPerSecond"), r, fmt.Sprintf("must be between 0 (scale on CPU and memory only) and %d", MaxRequestsPerSecond)))
	}
	return errs
}
