package validate

import (
	"fmt"
	"regexp"
	"time"

	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/settings"
)

// MaxScrapeInterval is the longest per-agent scrape interval: beyond it a
// rate over the alerts' windows has too few samples.
const MaxScrapeInterval = time.Hour

var (
	metricsPath    = regexp.MustCompile(`^/[A-Za-z0-9/._~-]*$`)
	scrapeInterval = regexp.MustCompile(`^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$`)
	percent        = regexp.MustCompile(`^(100|[1-9]?[0-9])%$`)
)

// monitoring refuses switches the platform does not allow an agent to
// turn, and a path or interval Prometheus would not take.
func monitoring(m *v1alpha1.AgentMonitoring, s *settings.Settings) field.ErrorList {
	if m == nil {
		return nil
	}
	var errs field.ErrorList
	p := specPath.Child("monitoring")
	if m.Enabled != nil && !*m.Enabled && !s.Policy.AllowMonitoringOff {
		errs = append(errs, field.Forbidden(p.Child("enabled"), "the platform monitors every agent (input agentOverrides.monitoringOff is false)"))
	}
	if (m.Path != nil || m.Interval != nil) && !s.Policy.AllowMetrics {
		errs = append(errs, field.Forbidden(p, "the platform sets the metrics path and interval of every agent (input agentOverrides.metrics is false)"))
	}
	if path := m.Path; path != nil && (len(*path) > 256 || !metricsPath.MatchString(*path)) {
		errs = append(errs, field.Invalid(p.Child("path"), *path, "must be an absolute URL path of at most 256 characters, such as /metrics"))
	}
	if iv := m.Interval; iv != nil {
		errs = append(errs, interval(*iv, s, p.Child("interval"))...)
	}
	return errs
}

// interval refuses a scrape interval shorter than the platform's timeout
// (Prometheus refuses a timeout longer than the interval) or over an hour.
func interval(iv string, s *settings.Settings, p *field.Path) field.ErrorList {
	d, err := time.ParseDuration(iv)
	timeout, _ := time.ParseDuration(string(s.ScrapeTimeout))
	switch {
	case iv == "" || !scrapeInterval.MatchString(iv) || err != nil:
		return field.ErrorList{field.Invalid(p, iv, "must be a duration in h, m and s, such as 15s or 1m")}
	case d < timeout || d > MaxScrapeInterval:
		return field.ErrorList{field.Invalid(p, iv, fmt.Sprintf("must be between the platform's scrape timeout (%s) and %s", s.ScrapeTimeout, MaxScrapeInterval))}
	}
	return nil
}

// disruptionBudget refuses a budget that would block every voluntary
// eviction (a node drain waits on it forever), and one the platform does
// not let agents set.
func disruptionBudget(spec *v1alpha1.AgentDeploymentSpec, s *settings.Settings) field.ErrorList {
	b := spec.DisruptionBudget
	if b == nil {
		return nil
	}
	p := specPath.Child("disruptionBudget")
	if !s.Policy.AllowDisruptionBudget {
		return field.ErrorList{field.Forbidden(p, "the platform sets every agent's PodDisruptionBudget (input agentOverrides.disruptionBudget is false)")}
	}
	if (b.MinAvailable == nil) == (b.MaxUnavailable == nil) {
		return field.ErrorList{field.Invalid(p, "<object>", "set exactly one of minAvailable and maxUnavailable")}
	}
	guaranteed := *spec.Replicas
	if spec.Autoscaling.Enabled && s.Compose.HorizontalPodAutoscaler {
		guaranteed = *spec.Autoscaling.MinReplicas
	}
	if v := b.MinAvailable; v != nil {
		n, ok := budgetValue(*v)
		switch {
		case !ok:
			return field.ErrorList{field.Invalid(p.Child("minAvailable"), v.String(), "must be a number of pods or a percentage from 0% to 100%")}
		case v.Type == intstr.String && n == 100, v.Type == intstr.Int && n > 0 && n >= guaranteed:
			return field.ErrorList{field.Invalid(p.Child("minAvailable"), v.String(), fmt.Sprintf("must leave a pod to evict: below the agent's %d guaranteed replicas, so that node drains can proceed", guaranteed))}
		}
	}
	if v := b.MaxUnavailable; v != nil {
		n, ok := budgetValue(*v)
		switch {
		case !ok:
			return field.ErrorList{field.Invalid(p.Child("maxUnavailable"), v.String(), "must be a number of pods or a percentage from 0% to 100%")}
		case n == 0:
			return field.ErrorList{field.Invalid(p.Child("maxUnavailable"), v.String(), "must be at least 1 (or 1%), so that node drains can proceed")}
		}
	}
	return nil
}

// budgetValue is a bound's number, of pods or percent.
func budgetValue(v intstr.IntOrString) (int32, bool) {
	if v.Type == intstr.Int {
		return v.IntVal, v.IntVal >= 0
	}
	if !percent.MatchString(v.StrVal) {
		return 0, false
	}
	var n int32
	_, err := fmt.Sscanf(v.StrVal, "%d%%", &n)
	return n, err == nil
}
