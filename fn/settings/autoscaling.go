package settings

import (
	"net/url"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

// An Engine scales autoscaled agents.
type Engine string

// The engines.
const (
	EngineHPA  Engine = "HPA"
	EngineKEDA Engine = "KEDA"
)

// Defaults of the autoscaling input and the alerts' severities.
const (
	DefaultEngine                  = EngineHPA
	DefaultKEDAPrometheusAddress   = "http://prometheus-operated.monitoring.svc:9090"
	DefaultErrorRateSeverity       = "critical"
	DefaultCostSeverity            = "warning"
	prometheusAddressMustBeAbsURL  = "must be an absolute http or https URL, such as http://prometheus-operated.monitoring.svc:9090"
	severityMustBeLabelValueSuffix = " (Alertmanager routes on the severity label)"
)

// URL schemes an endpoint may have.
const (
	schemeHTTP  = "http"
	schemeHTTPS = "https"
)

// resolveAutoscaling sets the engine and its settings.
func resolveAutoscaling(s *Settings, in *v1beta1.Autoscaling, root *field.Path) field.ErrorList {
	a := ptr.Deref(in, v1beta1.Autoscaling{})
	p := root.Child("autoscaling")
	var errs field.ErrorList
	s.Engine = DefaultEngine
	switch e := Engine(a.Engine); e {
	case "":
	case EngineHPA, EngineKEDA:
		s.Engine = e
	default:
		errs = append(errs, field.NotSupported(p.Child("engine"), a.Engine, []string{string(EngineHPA), string(EngineKEDA)}))
	}
	s.KEDAPrometheusAddress = DefaultKEDAPrometheusAddress
	if k := a.KEDA; k != nil && k.PrometheusServerAddress != "" {
		s.KEDAPrometheusAddress = k.PrometheusServerAddress
		if u, err := url.Parse(k.PrometheusServerAddress); err != nil || u.Host == "" || !slices.Contains([]string{schemeHTTP, schemeHTTPS}, u.Scheme) {
			errs = append(errs, field.Invalid(p.Child("keda", "prometheusServerAddress"), k.PrometheusServerAddress, prometheusAddressMustBeAbsURL))
		}
	}
	return errs
}

// resolveSeverities sets the alerts' severity labels.
func resolveSeverities(s *Settings, a v1beta1.Alerts, alertPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	s.ErrorRateSeverity = pick(a.ErrorRateSeverity, DefaultErrorRateSeverity)
	s.CostSeverity = pick(a.CostSeverity, DefaultCostSeverity)
	for _, sev := range []struct{ name, v string }{{"errorRateSeverity", s.ErrorRateSeverity}, {"costSeverity", s.CostSeverity}} {
		for _, msg := range validation.IsValidLabelValue(sev.v) {
			errs = append(errs, field.Invalid(alertPath.Child(sev.name), sev.v, msg+severityMustBeLabelValueSuffix))
		}
	}
	return errs
}

// checkToggles refuses a PrometheusRule without the ServiceMonitor: its
// alerts select the namespace and service labels that the ServiceMonitor's
// scrape puts on the agent's series, so under another scrape they would
// never fire.
func checkToggles(c Compose, composePath *field.Path) field.ErrorList {
	if c.PrometheusRule && !c.ServiceMonitor {
		return field.ErrorList{field.Invalid(composePath.Child("prometheusRule"), true,
			"must be false when compose.serviceMonitor is false: the PrometheusRule's alerts select the namespace and service labels the ServiceMonitor's scrape adds, and would never fire")}
	}
	return nil
}
