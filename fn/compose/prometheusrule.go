package compose

import (
	"fmt"
	"maps"
	"strconv"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Metrics the agent runtime exports.
const (
	MetricRequestsTotal = "llm_requests_total"
	MetricCostUSDTotal  = "llm_cost_usd_total"
)

// PrometheusRule alerts on this agent's error rate and spend. Each expression
// selects this agent's series only, by the namespace and service labels the
// ServiceMonitor's scrape puts on them.
func PrometheusRule(w *Workload) *monv1.PrometheusRule {
	s := w.Settings
	sel := fmt.Sprintf(`namespace=%q,service=%q`, w.Agent.Namespace, w.Names.Base)
	who := fmt.Sprintf("Agent %s/%s (%s)", w.Agent.Namespace, w.Agent.Name, w.Model.Name)
	labels := map[string]string{"namespace": w.Agent.Namespace, "agent": w.Agent.Name, "model": w.Model.Name}
	withSeverity := func(sev string) map[string]string {
		l := map[string]string{"severity": sev}
		maps.Copy(l, labels)
		return l
	}
	return &monv1.PrometheusRule{
		ObjectMeta: w.monitoringMeta(),
		Spec: monv1.PrometheusRuleSpec{Groups: []monv1.RuleGroup{{
			Name: "agentops." + w.Agent.Namespace + "." + w.Names.Base,
			Rules: []monv1.Rule{
				{
					Alert:  "HighErrorRate",
					Expr:   intstr.FromString(ErrorRateExpr(sel, s.ErrorRatePercent)),
					For:    new(s.ErrorRateFor),
					Labels: withSeverity(s.ErrorRateSeverity),
					Annotations: map[string]string{
						"summary":     who + " fails more than " + percent(s.ErrorRatePercent) + " of its LLM requests",
						"description": "{{ $value | humanizePercentage }} of the agent's LLM requests failed over the last 5 minutes (threshold " + percent(s.ErrorRatePercent) + ", for " + string(s.ErrorRateFor) + ").",
					},
				},
				{
					Alert:  "HighLLMCosts",
					Expr:   intstr.FromString(CostExpr(sel, s.CostPerHourUSD)),
					For:    new(s.CostFor),
					Labels: withSeverity(s.CostSeverity),
					Annotations: map[string]string{
						"summary":     who + " spends more than $" + number(s.CostPerHourUSD) + " per hour on its model",
						"description": "The agent spent ${{ $value | printf \"%.2f\" }} on LLM calls over the last hour (threshold $" + number(s.CostPerHourUSD) + " per hour, for " + string(s.CostFor) + ").",
					},
				},
			},
		}}},
	}
}

// ErrorRateExpr is the fraction of failed requests over five minutes,
// compared with a threshold given in percent.
func ErrorRateExpr(selector string, thresholdPercent float64) string {
	return fmt.Sprintf(`sum(rate(%[1]s{%[2]s,status="error"}[5m])) / sum(rate(%[1]s{%[2]s}[5m])) > %[3]s`,
		MetricRequestsTotal, selector, number(thresholdPercent/100))
}

// CostExpr is the dollars spent over the last hour: increase() over 1h of a
// dollar counter is dollars per hour. (rate() would be dollars per second.)
func CostExpr(selector string, usdPerHour float64) string {
	return fmt.Sprintf(`sum(increase(%s{%s}[1h])) > %s`, MetricCostUSDTotal, selector, number(usdPerHour))
}

func number(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func percent(f float64) string { return number(f) + "%" }
