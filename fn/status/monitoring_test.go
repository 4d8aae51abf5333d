package status

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/settings"
)

func TestMonitoringAvailable(t *testing.T) {
	workload := func(c settings.Compose, engine settings.Engine, installed crds.Installed) *compose.Workload {
		spec := v1alpha1.AgentDeploymentSpec{Model: "claude-3-opus", Autoscaling: &v1alpha1.Autoscaling{Enabled: true}}
		spec.Default()
		return &compose.Workload{
			Agent:     &agent.Agent{Name: "a", Namespace: "agents", Spec: spec},
			Settings:  &settings.Settings{Compose: c, Engine: engine},
			Names:     compose.NamesFor("a"),
			Installed: installed,
		}
	}
	on := settings.Compose{HorizontalPodAutoscaler: true, ServiceMonitor: true, PrometheusRule: true}
	type want struct {
		condition Condition
		awaiting  []crds.Kind
	}
	cases := map[string]struct {
		reason string
		w      *compose.Workload
		want   want
	}{
		"Composed": {
			reason: "Both CRDs installed, both asked for: True.",
			w:      workload(on, settings.EngineHPA, crds.Installed{}),
			want:   want{condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionTrue, Reason: ReasonMonitoringComposed, Message: "ServiceMonitor and PrometheusRule composed"}},
		},
		"CRDsNotInstalled": {
			reason: "No Prometheus Operator: False, CRDNotInstalled, naming both CRDs and what happens once they are installed; the function looks again soon.",
			w:      workload(on, settings.EngineHPA, crds.Without(crds.ServiceMonitor, crds.PrometheusRule)),
			want: want{
				condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionFalse, Reason: ReasonCRDNotInstalled, Message: "the cluster has no CRD for ServiceMonitor (servicemonitors.monitoring.coreos.com) and PrometheusRule (prometheusrules.monitoring.coreos.com): the agent is not scraped or alerted on. Install the Prometheus Operator's CRDs and the function composes them at its next call (within a minute), no restart needed; or turn them off in the Composition's input (compose.serviceMonitor, compose.prometheusRule)"},
				awaiting:  []crds.Kind{crds.ServiceMonitor, crds.PrometheusRule},
			},
		},
		"ServiceMonitorCRDOnlyMissing": {
			reason: "The rule's CRD is there, the ServiceMonitor's is not: the rule waits for it, and the message says why.",
			w:      workload(on, settings.EngineHPA, crds.Without(crds.ServiceMonitor)),
			want: want{
				condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionFalse, Reason: ReasonCRDNotInstalled, Message: "the cluster has no CRD for ServiceMonitor (servicemonitors.monitoring.coreos.com): the agent is not scraped or alerted on. Install the Prometheus Operator's CRDs and the function composes them at its next call (within a minute), no restart needed; or turn them off in the Composition's input (compose.serviceMonitor, compose.prometheusRule); the PrometheusRule waits for the ServiceMonitor, whose scrape adds the labels its alerts select"},
				awaiting:  []crds.Kind{crds.ServiceMonitor},
			},
		},
		"TurnedOff": {
			reason: "The input turns monitoring off: False, NotComposed, and no CRD awaited even where absent.",
			w:      workload(settings.Compose{HorizontalPodAutoscaler: true}, settings.EngineHPA, crds.Without(crds.ServiceMonitor, crds.PrometheusRule)),
			want:   want{condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionFalse, Reason: ReasonNotComposed, Message: "the platform's Composition composes no ServiceMonitor or PrometheusRule (input compose.serviceMonitor is false)"}},
		},
		"AgentTurnsMonitoringOff": {
			reason: "The agent turns monitoring off (spec.monitoring.enabled false): NotComposed, and no CRD awaited.",
			w: func() *compose.Workload {
				w := workload(on, settings.EngineHPA, crds.Without(crds.ServiceMonitor, crds.PrometheusRule))
				w.Agent.Spec.Monitoring = &v1alpha1.AgentMonitoring{Enabled: new(false)}
				return w
			}(),
			want: want{condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionFalse, Reason: ReasonNotComposed, Message: "spec.monitoring.enabled is false: no ServiceMonitor or PrometheusRule for this agent"}},
		},
		"RuleOff": {
			reason: "ServiceMonitor on, rule off: True, saying the rule is off.",
			w:      workload(settings.Compose{ServiceMonitor: true}, settings.EngineHPA, crds.Installed{}),
			want:   want{condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionTrue, Reason: ReasonMonitoringComposed, Message: "ServiceMonitor composed; the platform's Composition composes no PrometheusRule (input compose.prometheusRule is false)"}},
		},
		"KEDAAwaited": {
			reason: "KEDA chosen, its CRD absent: awaited too (the autoscaler's condition says so), monitoring itself composed.",
			w:      workload(on, settings.EngineKEDA, crds.Without(crds.ScaledObject)),
			want: want{
				condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionTrue, Reason: ReasonMonitoringComposed, Message: "ServiceMonitor and PrometheusRule composed"},
				awaiting:  []crds.Kind{crds.ScaledObject},
			},
		},
		"KEDANotAwaitedWithoutAutoscaling": {
			reason: "Autoscaling off: no ScaledObject awaited, so no short TTL for it.",
			w: func() *compose.Workload {
				w := workload(on, settings.EngineKEDA, crds.Without(crds.ScaledObject))
				w.Agent.Spec.Autoscaling.Enabled = false
				return w
			}(),
			want: want{condition: Condition{Type: TypeMonitoringAvailable, Status: metav1.ConditionTrue, Reason: ReasonMonitoringComposed, Message: "ServiceMonitor and PrometheusRule composed"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want.condition, monitoringAvailable(tc.w)); diff != "" {
				t.Errorf("%s\nmonitoringAvailable(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.awaiting, awaitingCRDs(tc.w)); diff != "" {
				t.Errorf("%s\nawaitingCRDs(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
