package status

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/apis/v1alpha1"
)

const (
	production      = "test/fixtures/xr/production-claude-agent.yaml"
	productionSel   = "app.kubernetes.io/instance=production-claude-agent,app.kubernetes.io/name=agentops-agent"
	productionEP    = "production-claude-agent.agents.svc.cluster.local:8080"
	productionModel = "claude-3-opus"
)

// The fixtures' scenarios, each a state of an agent's life: the derived
// phase, counts, conditions and readiness.
func TestDeriveFixtures(t *testing.T) {
	type args struct {
		scenario string
		xr       string
		at       time.Time
	}
	type want struct {
		derived  derived
		messages map[string][]string
	}
	running := func(typ, reason string) string { return typ + "=True/" + reason }
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"FirstCreate": {
			reason: "Nothing observed yet: Pending, every resource not ready, and no endpoint to call.",
			args:   args{xr: production, at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhasePending, Model: productionModel, Replicas: 3, ObservedGeneration: 1, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), "WorkloadAvailable=False/AwaitingDependencies", "RolloutComplete=False/AwaitingDependencies",
					"AutoscalingActive=False/Creating", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"},
				NotReady: withoutDeployment,
				Held:     []string{"deployment"},
			}, messages: map[string][]string{TypeWorkloadAvailable: {"Deployment agents/production-claude-agent is composed once its pods can start: waiting for Crossplane to create ServiceAccount agents/production-claude-agent and ConfigMap agents/production-claude-agent-config", "Synced"}}},
		},
		"Steady": {
			reason: "Every replica updated, available and ready, every resource ready: Running and Ready, the HPA held at its minimum.",
			args:   args{scenario: "steady", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseRunning, Model: productionModel, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Ready:  true,
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "AllReplicasAvailable"), running(TypeRolloutComplete, "RolloutComplete"),
					running(TypeAutoscalingActive, "ScalingActive"), running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
			}, messages: map[string][]string{TypeAutoscalingActive: {"between 3 and 10 replicas", "currently 3", "TooFewReplicas"}}},
		},
		"RollingOut": {
			reason: "A new pod template rolls out, one of three replicas updated, the old ones serving: Degraded, not Ready. The XR's stale Running status is not copied.",
			args:   args{scenario: "rolling-out", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseDegraded, Model: productionModel, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, UpdatedReplicas: 1, ObservedGeneration: 2, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "AllReplicasAvailable"), "RolloutComplete=False/RolloutInProgress",
					running(TypeAutoscalingActive, "ScalingActive"), running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
			}, messages: map[string][]string{TypeRolloutComplete: {"1 of 3 replicas run the current pod template"}}},
		},
		"Failed": {
			reason: "The rollout passed its progress deadline: Failed with a warning, although the old replicas still serve.",
			args:   args{scenario: "failed", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseFailed, Model: productionModel, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, UpdatedReplicas: 1, ObservedGeneration: 2, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "AllReplicasAvailable"), "RolloutComplete=False/ProgressDeadlineExceeded",
					running(TypeAutoscalingActive, "ScalingActive"), running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
				Warnings: []string{"ProgressDeadlineExceeded"},
			}, messages: map[string][]string{
				TypeRolloutComplete: {"no progress for 600s", `ReplicaSet "production-claude-agent-7c95bd8f4d" has timed out progressing.`, "3 replicas of the previous pod template still run", "kubectl -n agents describe deployment/production-claude-agent"},
				"warning":           {"Deployment agents/production-claude-agent failed"},
			}},
		},
		"Degraded": {
			reason: "One of three replicas ready: Degraded, with where to look.",
			args:   args{scenario: "degraded", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseDegraded, Model: productionModel, Replicas: 3, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), "WorkloadAvailable=False/ReplicasUnavailable", running(TypeRolloutComplete, "RolloutComplete"),
					running(TypeAutoscalingActive, "ScalingActive"), running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
			}, messages: map[string][]string{TypeWorkloadAvailable: {"1 of 3 replicas ready, 1 available", "kubectl -n agents get pods -l app.kubernetes.io/instance=production-claude-agent"}}},
		},
		"NoReplicaAvailableWithinDeadline": {
			reason: "No replica ready for five minutes, within the progress deadline: Pending.",
			args:   args{scenario: "no-replica-available", at: time.Date(2026, 11, 25, 16, 45, 3, 0, time.UTC)},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhasePending, Model: productionModel, Replicas: 3, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), "WorkloadAvailable=False/NoReplicaReady", running(TypeRolloutComplete, "RolloutComplete"),
					"AutoscalingActive=False/FailedGetResourceMetric", running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
			}},
		},
		"NoReplicaAvailablePastDeadline": {
			reason: "No replica ready, and none available for longer than the progress deadline: Failed with a warning.",
			args:   args{scenario: "no-replica-available", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseFailed, Model: productionModel, Replicas: 3, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), "WorkloadAvailable=False/NoReplicaAvailable", running(TypeRolloutComplete, "RolloutComplete"),
					"AutoscalingActive=False/FailedGetResourceMetric", running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
				Warnings: []string{"NoReplicaAvailable"},
			}, messages: map[string][]string{TypeWorkloadAvailable: {"none of its 3 replicas is ready", "since 2026-11-25T16:40:03Z", "kubectl -n agents get pods"}}},
		},
		"HPAMetricMissing": {
			reason: "The HPA cannot read the custom metric: AutoscalingActive False with a hint, but the agent is Running and Ready.",
			args:   args{scenario: "hpa-metric-missing", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseRunning, Model: productionModel, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Ready:  true,
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "AllReplicasAvailable"), running(TypeRolloutComplete, "RolloutComplete"),
					"AutoscalingActive=False/RequestRateUnavailable", running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
			}, messages: map[string][]string{TypeAutoscalingActive: {"will not scale the agent down (now 3 replicas)", "no custom metrics API (custom.metrics.k8s.io) registered", "prometheus-adapter"}}},
		},
		"Deleting": {
			reason: "The Deployment is being deleted (foreground): not ready whatever its status says, and the agent Degraded.",
			args:   args{scenario: "deleting", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseDegraded, Model: productionModel, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, UpdatedReplicas: 3, ObservedGeneration: 1, Endpoint: productionEP, Selector: productionSel, ServiceAccountName: "production-claude-agent"},
				Conditions: []string{running(TypeValidated, "ValidSpec"), "WorkloadAvailable=False/Deleting", "RolloutComplete=False/Deleting",
					running(TypeAutoscalingActive, "ScalingActive"), running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
				NotReady: []string{"deployment"},
			}, messages: map[string][]string{TypeWorkloadAvailable: {"being deleted since 2026-11-26T08:15:42Z", "foregroundDeletion", "creates it again"}}},
		},
		"ScaledToZero": {
			reason: "spec.replicas 0: Running with nothing to run, saying so.",
			args:   args{scenario: "scaled-to-zero", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseRunning, Model: "gpt-4.1", ObservedGeneration: 2, Endpoint: "fixed-gpt-agent.agents.svc.cluster.local:8080", Selector: "app.kubernetes.io/instance=fixed-gpt-agent,app.kubernetes.io/name=agentops-agent", ServiceAccountName: "fixed-gpt-agent"},
				Ready:  true,
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "ScaledToZero"), running(TypeRolloutComplete, "RolloutComplete"),
					"AutoscalingActive=False/AutoscalingDisabled", running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
			}},
		},
		"LegacyClaim": {
			reason: "The legacy claim's XR: composed in the claim's namespace, Running, with conditions for the claim too.",
			args:   args{scenario: "legacy-claim", at: now},
			want: want{derived: derived{
				Status: v1alpha1.AgentDeploymentStatus{Phase: v1alpha1.PhaseRunning, Model: "claude-3-sonnet", Replicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, UpdatedReplicas: 2, ObservedGeneration: 1, Endpoint: "legacy-claude-agent.team-a.svc.cluster.local:8080", Selector: "app.kubernetes.io/instance=legacy-claude-agent,app.kubernetes.io/name=agentops-agent", ServiceAccountName: "legacy-claude-agent"},
				Ready:  true,
				Claim:  true,
				Conditions: []string{running(TypeValidated, "ValidSpec"), running(TypeWorkloadAvailable, "AllReplicasAvailable"), running(TypeRolloutComplete, "RolloutComplete"),
					"AutoscalingActive=False/AutoscalingDisabled", running(TypeResourcesReady, "AllReady"), running(TypeMonitoringAvailable, ReasonMonitoringComposed)},
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, got := derive(t, tc.args.scenario, tc.args.xr, nil, tc.args.at)
			if diff := cmp.Diff(tc.want.derived, got); diff != "" {
				t.Errorf("%s\nDerive(...): -want, +got:\n%s", tc.reason, diff)
			}
			checkMessages(t, tc.reason, r, tc.want.messages)
		})
	}
}

// Nothing observed changes, so nothing reported changes: the same result an
// hour later, down to every message, or Crossplane would rewrite the
// conditions (and their transition times) on every call.
func TestDeriveIsStable(t *testing.T) {
	scenarios := []string{"", "steady", "rolling-out", "failed", "degraded", "no-replica-available", "hpa-metric-missing", "deleting", "scaled-to-zero", "legacy-claim"}
	for _, sc := range scenarios {
		t.Run("scenario="+sc, func(t *testing.T) {
			first, _ := derive(t, sc, production, nil, now)
			later, _ := derive(t, sc, production, nil, now.Add(time.Hour))
			if diff := cmp.Diff(first, later); diff != "" {
				t.Errorf("scenario %q: the same observed state an hour later\nDerive(...): -now, +later:\n%s", sc, diff)
			}
		})
	}
}
