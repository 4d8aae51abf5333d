package settings

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/fn/internal/decode"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// Resolve applies the defaults to in and checks it. A nil input is valid: a
// Composition need not configure the function. Errors name the input field.
func Resolve(in *v1beta1.Input) (*Settings, field.ErrorList) {
	if in == nil {
		in = &v1beta1.Input{}
	}
	root := field.NewPath("input")
	var errs field.ErrorList
	s := &Settings{
		ErrorRatePercent:        ptr.Deref(alerts(in).ErrorRatePercent, DefaultErrorRatePercent),
		CostPerHourUSD:          ptr.Deref(alerts(in).CostPerHourUSD, DefaultCostPerHourUSD),
		Compose:                 composeToggles(in.Compose),
		ProgressDeadlineSeconds: ptr.Deref(in.ProgressDeadlineSeconds, DefaultProgressDeadlineSeconds),
		TTLConverging:           DefaultTTLConverging,
		TTLStable:               DefaultTTLStable,
	}

	var modelErrs field.ErrorList
	s.Models, s.ModelNames, modelErrs = resolveModels(in.Models, root.Child("models"))
	errs = append(errs, modelErrs...)

	var resErrs field.ErrorList
	s.DefaultResources, resErrs = resolveResources(in.DefaultResources, root.Child("defaultResources"))
	errs = append(errs, resErrs...)

	s.GatewayPods, s.GatewayNamespaces = defaultGatewayPods(), nil
	if g := in.Gateway; g != nil {
		if g.PodSelector != nil {
			s.GatewayPods = *g.PodSelector
		}
		s.GatewayNamespaces = g.NamespaceSelector
	}
	errs = append(errs, checkSelector(&s.GatewayPods, root.Child("gateway", "podSelector"))...)
	errs = append(errs, checkSelector(s.GatewayNamespaces, root.Child("gateway", "namespaceSelector"))...)

	errs = append(errs, resolveMonitoring(s, ptr.Deref(in.Monitoring, v1beta1.Monitoring{}), root.Child("monitoring"))...)
	errs = append(errs, resolveAlerts(s, alerts(in), root.Child("alerts"))...)
	errs = append(errs, resolveSeverities(s, alerts(in), root.Child("alerts"))...)
	errs = append(errs, resolveAutoscaling(s, in.Autoscaling, root)...)
	errs = append(errs, checkToggles(s.Compose, root.Child("compose"))...)

	if d := s.ProgressDeadlineSeconds; d < 10 || d > 86400 {
		errs = append(errs, field.Invalid(root.Child("progressDeadlineSeconds"), d, "must be between 10 and 86400 seconds"))
	}

	s.ResourceNamePrefix = in.ResourceNamePrefix
	if p := strings.TrimSuffix(in.ResourceNamePrefix, "-"); p != "" {
		for _, msg := range validation.IsDNS1123Label(p) {
			errs = append(errs, field.Invalid(root.Child("resourceNamePrefix"), in.ResourceNamePrefix, msg))
		}
	}

	errs = append(errs, resolveTTL(s, in.TTL, root.Child("ttl"))...)
	errs = append(errs, resolveNetwork(s, in.Network, in.Models, root)...)
	errs = append(errs, resolveImages(s, in.Images, root)...)
	errs = append(errs, resolvePolicy(s, &in.AgentPolicy, root)...)
	errs = append(errs, resolveDelivery(s, in.Delivery, root)...)
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// resolveMonitoring sets where Prometheus runs and how it scrapes agents.
func resolveMonitoring(s *Settings, mon v1beta1.Monitoring, monPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	s.PrometheusPods = ptr.Deref(mon.PrometheusPodSelector, defaultPrometheusPods())
	s.PrometheusNamespaces = ptr.Deref(mon.PrometheusNamespaceSelector, defaultPrometheusNamespaces())
	errs = append(errs, checkSelector(&s.PrometheusPods, monPath.Child("prometheusPodSelector"))...)
	errs = append(errs, checkSelector(&s.PrometheusNamespaces, monPath.Child("prometheusNamespaceSelector"))...)
	s.MonitoringLabels = mon.Labels
	errs = append(errs, metav1validation.ValidateLabels(mon.Labels, monPath.Child("labels"))...)
	s.ScrapeInterval = duration(mon.ScrapeInterval, DefaultScrapeInterval, monPath.Child("scrapeInterval"), &errs)
	// Like Prometheus, a timeout left unset never exceeds the interval.
	defaultTimeout := monv1.Duration(DefaultScrapeTimeout)
	if lessThan(s.ScrapeInterval, defaultTimeout) {
		defaultTimeout = s.ScrapeInterval
	}
	s.ScrapeTimeout = duration(mon.ScrapeTimeout, string(defaultTimeout), monPath.Child("scrapeTimeout"), &errs)
	if lessThan(s.ScrapeInterval, s.ScrapeTimeout) {
		errs = append(errs, field.Invalid(monPath.Child("scrapeTimeout"), string(s.ScrapeTimeout), fmt.Sprintf("must not be longer than scrapeInterval (%s)", s.ScrapeInterval)))
	}
	return errs
}

// resolveAlerts checks the thresholds (already defaulted in s) and sets how
// long each must hold.
func resolveAlerts(s *Settings, a v1beta1.Alerts, alertPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	s.ErrorRateFor = duration(a.ErrorRateFor, DefaultErrorRateFor, alertPath.Child("errorRateFor"), &errs)
	s.CostFor = duration(a.CostFor, DefaultCostFor, alertPath.Child("costFor"), &errs)
	if s.ErrorRatePercent < 0 || s.ErrorRatePercent > 100 {
		errs = append(errs, field.Invalid(alertPath.Child("errorRatePercent"), s.ErrorRatePercent, "must be between 0 and 100"))
	}
	if s.CostPerHourUSD < 0 {
		errs = append(errs, field.Invalid(alertPath.Child("costPerHourUSD"), s.CostPerHourUSD, "must not be negative"))
	}
	return errs
}

// resolveTTL sets the response TTLs the input overrides.
func resolveTTL(s *Settings, t *v1beta1.TTL, ttlPath *field.Path) field.ErrorList {
	if t == nil {
		return nil
	}
	var errs field.ErrorList
	if t.Converging != nil {
		s.TTLConverging = t.Converging.Duration
		errs = append(errs, checkTTL(t.Converging, ttlPath.Child("converging"))...)
	}
	if t.Stable != nil {
		s.TTLStable = t.Stable.Duration
		errs = append(errs, checkTTL(t.Stable, ttlPath.Child("stable"))...)
	}
	return errs
}

func alerts(in *v1beta1.Input) v1beta1.Alerts { return ptr.Deref(in.Alerts, v1beta1.Alerts{}) }

func composeToggles(c *v1beta1.Compose) Compose {
	if c == nil {
		c = &v1beta1.Compose{}
	}
	return Compose{
		HorizontalPodAutoscaler: ptr.Deref(c.HorizontalPodAutoscaler, true),
		PodDisruptionBudget:     ptr.Deref(c.PodDisruptionBudget, true),
		NetworkPolicy:           ptr.Deref(c.NetworkPolicy, true),
		ServiceMonitor:          ptr.Deref(c.ServiceMonitor, true),
		// The rules select labels the ServiceMonitor's scrape adds: off
		// with it unless the input says otherwise (checkToggles refuses
		// that).
		PrometheusRule: ptr.Deref(c.PrometheusRule, ptr.Deref(c.ServiceMonitor, true)),
	}
}

// resolveModels merges overrides into the built-in catalog.
func resolveModels(overrides []v1beta1.ModelOverride, path *field.Path) (map[string]catalog.Entry, []string, field.ErrorList) {
	models := make(map[string]catalog.Entry, len(overrides)+len(catalog.Names()))
	for _, e := range catalog.Builtin() {
		models[e.Name] = e
	}
	var errs field.ErrorList
	seen := make(map[string]bool, len(overrides))
	for i, o := range overrides {
		p := path.Index(i)
		if seen[o.Name] {
			errs = append(errs, field.Duplicate(p.Child("name"), o.Name))
			continue
		}
		seen[o.Name] = true
		for _, msg := range validation.IsValidLabelValue(o.Name) {
			errs = append(errs, field.Invalid(p.Child("name"), o.Name, msg))
		}
		if o.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), "a model override needs the model's name"))
		}
		e, known := models[o.Name]
		e.Name = o.Name
		if o.Provider != "" {
			e.Provider = catalog.Provider(o.Provider)
		}
		e.Image = pick(o.Image, e.Image)
		e.Endpoint = pick(o.Endpoint, e.Endpoint)
		if o.ContextWindow != 0 {
			e.ContextWindow = o.ContextWindow
		}
		errs = append(errs, checkEntry(e, known, p)...)
		models[o.Name] = e
	}
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	slices.Sort(names)
	return models, names, errs
}

func checkEntry(e catalog.Entry, known bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !slices.Contains(catalog.Providers, e.Provider) {
		providers := make([]string, len(catalog.Providers))
		for i, pr := range catalog.Providers {
			providers[i] = string(pr)
		}
		if !known && e.Provider == "" {
			errs = append(errs, field.Required(p.Child("provider"), fmt.Sprintf("model %q is not in the built-in catalog, so its provider is required: one of %s", e.Name, strings.Join(providers, ", "))))
		} else {
			errs = append(errs, field.NotSupported(p.Child("provider"), e.Provider, providers))
		}
	}
	if e.Image == "" {
		errs = append(errs, field.Required(p.Child("image"), fmt.Sprintf("model %q is not in the built-in catalog, so its image is required", e.Name)))
	}
	errs = append(errs, checkEndpoint(e, p.Child("endpoint"))...)
	if e.ContextWindow < 0 {
		errs = append(errs, field.Invalid(p.Child("contextWindow"), e.ContextWindow, "must be positive"))
	}
	return errs
}

// resolveResources fills the input's default requests and limits over the
// built-in ones.
func resolveResources(in *v1beta1.Resources, path *field.Path) (corev1.ResourceRequirements, field.ErrorList) {
	out := defaultResources()
	if in == nil {
		return out, nil
	}
	var errs field.ErrorList
	set := func(list corev1.ResourceList, name corev1.ResourceName, v string, p *field.Path) {
		if v == "" {
			return
		}
		q, err := resource.ParseQuantity(v)
		if err != nil || q.Sign() < 0 || decode.HugeExponent(v) {
			errs = append(errs, field.Invalid(p, v, "must be a non-negative Kubernetes quantity such as 500m or 1Gi"))
			return
		}
		list[name] = q
	}
	if r := in.Requests; r != nil {
		set(out.Requests, corev1.ResourceCPU, r.CPU, path.Child("requests", "cpu"))
		set(out.Requests, corev1.ResourceMemory, r.Memory, path.Child("requests", "memory"))
	}
	if l := in.Limits; l != nil {
		set(out.Limits, corev1.ResourceCPU, l.CPU, path.Child("limits", "cpu"))
		set(out.Limits, corev1.ResourceMemory, l.Memory, path.Child("limits", "memory"))
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, lim := out.Requests[name], out.Limits[name]
		if req.Cmp(lim) > 0 {
			errs = append(errs, field.Invalid(path.Child("requests", string(name)), req.String(), fmt.Sprintf("must not exceed the default limit (%s)", lim.String())))
		}
	}
	return out, errs
}

func checkSelector(s *metav1.LabelSelector, p *field.Path) field.ErrorList {
	if s == nil {
		return nil
	}
	return metav1validation.ValidateLabelSelector(s, metav1validation.LabelSelectorValidationOptions{}, p)
}

func checkTTL(d *metav1.Duration, p *field.Path) field.ErrorList {
	if d.Duration < 1e9 {
		return field.ErrorList{field.Invalid(p, d.Duration.String(), "must be at least 1s")}
	}
	return nil
}

// duration checks a Prometheus duration, such as 30s or 5m, and returns it or
// the default.
func duration(v, def string, p *field.Path, errs *field.ErrorList) monv1.Duration {
	if v == "" {
		return monv1.Duration(def)
	}
	if _, err := parseDuration(v); err != nil {
		*errs = append(*errs, field.Invalid(p, v, "must be a Prometheus duration such as 30s, 5m or 1h"))
		return monv1.Duration(def)
	}
	return monv1.Duration(v)
}

func lessThan(a, b monv1.Duration) bool {
	da, errA := parseDuration(string(a))
	db, errB := parseDuration(string(b))
	return errA == nil && errB == nil && da < db
}

func pick(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// checkEndpoint refuses an endpoint that is not an absolute URL, one that
// carries credentials (they belong in a Secret, not in the input and the
// agent's environment), and plain http for a hosted provider, whose API key
// would cross the internet in clear.
func checkEndpoint(e catalog.Entry, p *field.Path) field.ErrorList {
	u, err := url.Parse(e.Endpoint)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != schemeHTTPS && u.Scheme != schemeHTTP):
		return field.ErrorList{field.Invalid(p, e.Endpoint, "must be an absolute http or https URL, such as https://api.example.com/v1")}
	case u.User != nil:
		// Never echo them: a username may be a key too.
		u.User = nil
		return field.ErrorList{field.Invalid(p, u.String(), "must not hold credentials (a user:password@ part, left out here): put the API key in a Secret (spec.secrets)")}
	case e.Provider.Hosted() && u.Scheme != schemeHTTPS:
		return field.ErrorList{field.Invalid(p, e.Endpoint, fmt.Sprintf("must be an https URL: provider %s is reached over the internet with an API key", e.Provider))}
	}
	return nil
}
