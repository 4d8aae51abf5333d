package settings

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestResolveAutoscalingAndAlerts(t *testing.T) {
	type want struct {
		engine, address, errorSeverity, costSeverity string
		rule                                         bool
		errs                                         []string
	}
	defaults := want{engine: "HPA", address: DefaultKEDAPrometheusAddress, errorSeverity: "critical", costSeverity: "warning", rule: true}
	with := func(f func(*want)) want { w := defaults; f(&w); return w }
	cases := map[string]struct {
		reason string
		in     *v1beta1.Input
		want   want
	}{
		"Defaults": {
			reason: "HPA, the Prometheus Operator's Service, errors critical and costs warning.",
			in:     &v1beta1.Input{},
			want:   defaults,
		},
		"KEDA": {
			reason: "The KEDA engine with another Prometheus.",
			in:     &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{Engine: "KEDA", KEDA: &v1beta1.KEDA{PrometheusServerAddress: "https://prom.example.com"}}},
			want:   with(func(w *want) { w.engine, w.address = "KEDA", "https://prom.example.com" }),
		},
		"EngineUnknown": {
			reason: "An engine besides HPA and KEDA, named with the allowed values.",
			in:     &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{Engine: "VPA"}},
			want:   want{errs: []string{`input.autoscaling.engine: Unsupported value: "VPA": supported values: "HPA", "KEDA"`}},
		},
		"AddressNotURL": {
			reason: "KEDA's Prometheus must be a URL.",
			in:     &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{KEDA: &v1beta1.KEDA{PrometheusServerAddress: "prometheus:9090"}}},
			want:   want{errs: []string{`input.autoscaling.keda.prometheusServerAddress: Invalid value: "prometheus:9090": must be an absolute http or https URL, such as http://prometheus-operated.monitoring.svc:9090`}},
		},
		"Severities": {
			reason: "A team pages on cost and tickets errors.",
			in:     &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRateSeverity: "ticket", CostSeverity: "page"}},
			want:   with(func(w *want) { w.errorSeverity, w.costSeverity = "ticket", "page" }),
		},
		"SeverityNotALabelValue": {
			reason: "A severity is a label value.",
			in:     &v1beta1.Input{Alerts: &v1beta1.Alerts{CostSeverity: "very bad"}},
			want:   want{errs: []string{`input.alerts.costSeverity: Invalid value: "very bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') (Alertmanager routes on the severity label)`}},
		},
		"ServiceMonitorOff": {
			reason: "The ServiceMonitor off takes the PrometheusRule with it, unless the input says otherwise.",
			in:     &v1beta1.Input{Compose: &v1beta1.Compose{ServiceMonitor: new(false)}},
			want:   with(func(w *want) { w.rule = false }),
		},
		"RuleWithoutServiceMonitor": {
			reason: "A PrometheusRule asked for without the ServiceMonitor would never fire: refused, saying why.",
			in:     &v1beta1.Input{Compose: &v1beta1.Compose{ServiceMonitor: new(false), PrometheusRule: new(true)}},
			want:   want{errs: []string{"input.compose.prometheusRule: Invalid value: true: must be false when compose.serviceMonitor is false: the PrometheusRule's alerts select the namespace and service labels the ServiceMonitor's scrape adds, and would never fire"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, errs := Resolve(tc.in)
			var got want
			for _, e := range errs {
				got.errs = append(got.errs, e.Error())
			}
			if s != nil {
				got.engine, got.address, got.errorSeverity, got.costSeverity, got.rule = string(s.Engine), s.KEDAPrometheusAddress, s.ErrorRateSeverity, s.CostSeverity, s.Compose.PrometheusRule
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nResolve(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
