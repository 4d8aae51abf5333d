package status

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
)

// States between and around the fixtures' scenarios, made by changing one:
// each case says what moves the phase, and to where.
func TestDeriveTransitions(t *testing.T) {
	type args struct {
		scenario string
		mutate   mutation
	}
	type want struct {
		phase      v1alpha1.Phase
		replicas   int32
		endpoint   string
		conditions []string
		notReady   []string
		warnings   []string
		held       []string
		messages   map[string][]string
	}
	// steadyConditions are the steady scenario's, with some replaced by type.
	steadyConditions := func(replace ...string) []string {
		c := []string{"Validated=True/ValidSpec", "WorkloadAvailable=True/AllReplicasAvailable", "RolloutComplete=True/RolloutComplete", "AutoscalingActive=True/ScalingActive", "ResourcesReady=True/AllReady", "MonitoringAvailable=True/Composed"}
		for _, r := range replace {
			typ, _, _ := strings.Cut(r, "=")
			for i := range c {
				if strings.HasPrefix(c[i], typ+"=") {
					c[i] = r
				}
			}
		}
		return c
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"PartlyCreated": {
			reason: "Crossplane has created the ServiceAccount and ConfigMap only: the Deployment, which needs them, is composed now; still Pending, the rest not ready.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				keep(o, "serviceaccount", "configmap")
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3,
				conditions: []string{"Validated=True/ValidSpec", "WorkloadAvailable=False/Creating", "RolloutComplete=False/Creating", "AutoscalingActive=False/Creating", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"},
				notReady:   []string{"deployment", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "servicemonitor"}},
		},
		"ConfigMapNotYet": {
			reason: "The ServiceAccount is there, the ConfigMap the pods mount is not: the Deployment waits for the ConfigMap only.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				keep(o, "serviceaccount", "service")
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3, endpoint: productionEP,
				conditions: []string{"Validated=True/ValidSpec", "WorkloadAvailable=False/AwaitingDependencies", "RolloutComplete=False/AwaitingDependencies", "AutoscalingActive=False/Creating", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"},
				notReady:   []string{"configmap", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "servicemonitor"},
				held:       []string{"deployment"},
				messages:   map[string][]string{TypeRolloutComplete: {"waiting for Crossplane to create ConfigMap agents/production-claude-agent-config, which they need"}}},
		},
		"DependencyBeingDeletedFirst": {
			reason: "A ServiceAccount being deleted is not ready: a Deployment not created yet waits for it to be created again.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				keep(o, "serviceaccount", "configmap")
				set(o, "serviceaccount", "2026-11-26T08:00:00Z", "metadata", "deletionTimestamp")
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3,
				conditions: []string{"Validated=True/ValidSpec", "WorkloadAvailable=False/AwaitingDependencies", "RolloutComplete=False/AwaitingDependencies", "AutoscalingActive=False/Creating", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"},
				notReady:   []string{"horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "prometheusrule", "service", "serviceaccount", "servicemonitor"},
				held:       []string{"deployment"}},
		},
		"DependencyDeletedLater": {
			reason: "The ServiceAccount is deleted under a running agent: the Deployment stays composed (withdrawn, Crossplane would delete it); Degraded until the ServiceAccount is back.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				delete(o, "serviceaccount")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"serviceaccount"}},
		},
		"PodsAwaitServiceAccount": {
			reason: "The ServiceAccount is gone and a scale-up's pods are refused for want of it: the ReplicaSet's failure waits for an object we compose, so Degraded with its message, no warning, however long.",
			args: args{scenario: "rolling-out", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				delete(o, "serviceaccount")
				replicaFailure(o, `pods "production-claude-agent-7c95bd8f4d-" is forbidden: error looking up service account agents/production-claude-agent: serviceaccount "production-claude-agent" not found`, now.Add(-time.Hour))
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("RolloutComplete=False/PodCreationRetrying", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"deployment", "serviceaccount"},
				messages:   map[string][]string{TypeRolloutComplete: {"the rollout of Deployment agents/production-claude-agent waits: its ReplicaSet cannot create pods (FailedCreate)", "it retries until ServiceAccount agents/production-claude-agent, composed with it, exists"}}},
		},
		"FirstPodsRefusedBriefly": {
			reason: "A new Deployment whose first pods were refused a moment ago (the ServiceAccount plugin's cache lagging behind the ServiceAccount): Pending with the message, not Failed, no warning.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				for _, f := range []string{"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"} {
					set(o, "deployment", int64(0), "status", f)
				}
				replicaFailure(o, `pods "production-claude-agent-7c95bd8f4d-" is forbidden: error looking up service account agents/production-claude-agent: serviceaccount "production-claude-agent" not found`, now.Add(-30*time.Second))
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("WorkloadAvailable=False/NoReplicaReady", "RolloutComplete=False/PodCreationRetrying"),
				notReady:   []string{"deployment"},
				messages:   map[string][]string{TypeRolloutComplete: {"it retries, and the agent is Failed if this lasts 120s from 2026-11-26T08:59:30Z"}}},
		},
		"PodsRefusedPastGrace": {
			reason: "Pods refused for a cause that could pass, for longer than the grace period: Failed, with a warning.",
			args: args{scenario: "rolling-out", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				replicaFailure(o, `Internal error occurred: failed calling webhook "vault.hashicorp.com": failed to call webhook: Post "https://vault-agent-injector-svc.vault.svc:443/mutate?timeout=10s": dial tcp 10.96.12.7:443: connect: connection refused`, now.Add(-10*time.Minute))
			})},
			want: want{phase: v1alpha1.PhaseFailed, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("RolloutComplete=False/ReplicaFailure"),
				notReady:   []string{"deployment"},
				warnings:   []string{"ReplicaFailure"},
				messages:   map[string][]string{"warning": {"failed calling webhook", "since 2026-11-26T08:50:00Z, longer than 120s"}}},
		},
		"BeforeTheHPAActs": {
			reason: "An autoscaled Deployment starts at the API server's default of one replica: one ready is not Running while minReplicas is 3.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "deployment", int64(1), "spec", "replicas")
				for _, f := range []string{"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"} {
					set(o, "deployment", int64(1), "status", f)
				}
				unset(o, "horizontalpodautoscaler", "status", "conditions")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("WorkloadAvailable=False/ReplicasUnavailable", "RolloutComplete=False/RolloutInProgress", "AutoscalingActive=Unknown/AwaitingController"),
				notReady:   []string{"deployment"},
				messages:   map[string][]string{TypeWorkloadAvailable: {"1 of 3 replicas ready"}}},
		},
		"ScalingUp": {
			reason: "The HPA raised the Deployment to 5 replicas, 3 ready: Degraded until the new ones are ready; status.replicas follows the HPA.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "deployment", int64(5), "spec", "replicas")
				set(o, "deployment", int64(5), "status", "replicas")
				set(o, "deployment", int64(5), "status", "updatedReplicas")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 5, endpoint: productionEP,
				conditions: steadyConditions("WorkloadAvailable=False/ReplicasUnavailable"),
				notReady:   []string{"deployment"}},
		},
		"GenerationNotObserved": {
			reason: "A new spec the Deployment controller has not seen yet: its old ProgressDeadlineExceeded is not this spec's, so Degraded, not Failed.",
			args: args{scenario: "failed", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "deployment", int64(4), "metadata", "generation")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("RolloutComplete=False/RolloutPending"),
				notReady:   []string{"deployment"},
				messages:   map[string][]string{TypeRolloutComplete: {"observe generation 4 (it has observed 2)"}}},
		},
		"ReplicaFailure": {
			reason: "The ReplicaSet cannot create pods (quota): Failed, with the controller's message, and a warning.",
			args: args{scenario: "rolling-out", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				conds, _, _ := unstructured.NestedSlice(o["deployment"].Object, "status", "conditions")
				conds = append(conds, map[string]any{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
					"message": `pods "production-claude-agent-7c95bd8f4d-x2x8k" is forbidden: exceeded quota: agents, requested: limits.cpu=2, used: limits.cpu=6, limited: limits.cpu=6`})
				set(o, "deployment", conds, "status", "conditions")
			})},
			want: want{phase: v1alpha1.PhaseFailed, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("RolloutComplete=False/ReplicaFailure"),
				notReady:   []string{"deployment"},
				warnings:   []string{"ReplicaFailure"},
				messages:   map[string][]string{TypeRolloutComplete: {"cannot create pods (FailedCreate)", "exceeded quota", "(a ResourceQuota of the namespace is used up)"}, "warning": {"exceeded quota"}}},
		},
		"Paused": {
			reason: "Someone paused the rollout: Degraded, with how to resume.",
			args: args{scenario: "rolling-out", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "deployment", true, "spec", "paused")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("RolloutComplete=False/RolloutPaused"),
				notReady:   []string{"deployment"},
				messages:   map[string][]string{TypeRolloutComplete: {"kubectl -n agents rollout resume deployment/production-claude-agent"}}},
		},
		"PDBNotObserved": {
			reason: "The disruption controller has not reported on the PodDisruptionBudget: the agent serves, but is not Running yet.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				unset(o, "poddisruptionbudget", "status")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"poddisruptionbudget"},
				messages:   map[string][]string{TypeResourcesReady: {"poddisruptionbudget: waiting for the disruption controller"}}},
		},
		"PDBNewGenerationNotObserved": {
			reason: "The PodDisruptionBudget's spec changed and its controller has not caught up: not ready.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "poddisruptionbudget", float64(2), "metadata", "generation")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"poddisruptionbudget"}},
		},
		"ServiceWithoutClusterIP": {
			reason: "A Service without a cluster IP yet: no endpoint to publish, Degraded.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				unset(o, "service", "spec", "clusterIP")
				unset(o, "service", "spec", "clusterIPs")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3,
				conditions: steadyConditions("ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"service"}},
		},
		"ServiceMonitorDeleting": {
			reason: "The ServiceMonitor is being deleted: not ready, so not Running, though the agent serves.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "servicemonitor", "2026-11-26T08:00:00Z", "metadata", "deletionTimestamp")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"servicemonitor"},
				messages:   map[string][]string{TypeResourcesReady: {"servicemonitor: being deleted since 2026-11-26T08:00:00Z"}}},
		},
		"HPADeleting": {
			reason: "The HPA is being deleted: AutoscalingActive says so, and the agent is Degraded.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "horizontalpodautoscaler", "2026-11-26T08:00:00Z", "metadata", "deletionTimestamp")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("AutoscalingActive=False/Deleting", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"),
				notReady:   []string{"horizontalpodautoscaler"}},
		},
		"DeploymentOfAnotherKind": {
			reason: "A ConfigMap observed where the Deployment should be is not read as a Deployment: Pending, and the conditions say what it is.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "deployment", "v1", "apiVersion")
				set(o, "deployment", "ConfigMap", "kind")
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("WorkloadAvailable=False/Malformed", "RolloutComplete=False/Malformed"),
				notReady:   []string{"deployment"},
				messages:   map[string][]string{TypeWorkloadAvailable: {`cannot read Deployment production-claude-agent: it is of kind "ConfigMap" (apiVersion "v1")`}}},
		},
		"ServiceOfAnotherKind": {
			reason: "An object of another kind where the Service should be gives no endpoint, though it has a Service's ports; a kind without a check is ready once it exists.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				set(o, "service", "example.com/v1", "apiVersion")
			})},
			want: want{phase: v1alpha1.PhaseRunning, replicas: 3,
				conditions: steadyConditions()},
		},
		"DeploymentGoneRest": {
			reason: "The Deployment is gone (deleted) while the rest remains: Pending until Crossplane creates it again.",
			args: args{scenario: "steady", mutate: on(func(o map[compose.Key]*unstructured.Unstructured) {
				delete(o, "deployment")
			})},
			want: want{phase: v1alpha1.PhasePending, replicas: 3, endpoint: productionEP,
				conditions: steadyConditions("WorkloadAvailable=False/Creating", "RolloutComplete=False/Creating"),
				notReady:   []string{"deployment"}},
		},
		"ReplicasEditedNotYetApplied": {
			reason: "spec.replicas 2 -> 3 on a fixed-size agent, before Crossplane applies it: the agent wants 3, so not Running on the old 2.",
			args: args{scenario: "legacy-claim", mutate: onXR(func(xr *unstructured.Unstructured) {
				_ = unstructured.SetNestedField(xr.Object, int64(3), "spec", "replicas")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 3, endpoint: "legacy-claude-agent.team-a.svc.cluster.local:8080",
				conditions: []string{"Validated=True/ValidSpec", "WorkloadAvailable=False/ReplicasUnavailable", "RolloutComplete=False/RolloutInProgress", "AutoscalingActive=False/AutoscalingDisabled", "ResourcesReady=True/AllReady", "MonitoringAvailable=True/Composed"},
				notReady:   []string{"deployment"}},
		},
		"AutoscalingTurnedOn": {
			reason: "Autoscaling turned on for a fixed-size agent: until Crossplane creates the HPA, the agent is Degraded and AutoscalingActive says why.",
			args: args{scenario: "legacy-claim", mutate: onXR(func(xr *unstructured.Unstructured) {
				_ = unstructured.SetNestedField(xr.Object, true, "spec", "autoscaling", "enabled")
			})},
			want: want{phase: v1alpha1.PhaseDegraded, replicas: 2, endpoint: "legacy-claude-agent.team-a.svc.cluster.local:8080",
				conditions: []string{"Validated=True/ValidSpec", "WorkloadAvailable=True/AllReplicasAvailable", "RolloutComplete=True/RolloutComplete", "AutoscalingActive=False/Creating", "ResourcesReady=False/NotReady", "MonitoringAvailable=True/Composed"},
				notReady:   []string{"horizontalpodautoscaler"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, got := derive(t, tc.args.scenario, "", tc.args.mutate, now)
			gotWant := want{phase: got.Status.Phase, replicas: got.Status.Replicas, endpoint: got.Status.Endpoint, conditions: got.Conditions, notReady: got.NotReady, warnings: got.Warnings, held: got.Held, messages: tc.want.messages}
			if diff := cmp.Diff(tc.want, gotWant, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nDerive(...): -want, +got:\n%s", tc.reason, diff)
			}
			if got.Ready != (got.Status.Phase == v1alpha1.PhaseRunning) {
				t.Errorf("%s\nDerive(...).Ready = %v in phase %s: want Ready only when Running", tc.reason, got.Ready, got.Status.Phase)
			}
			checkMessages(t, tc.reason, r, tc.want.messages)
		})
	}
}
