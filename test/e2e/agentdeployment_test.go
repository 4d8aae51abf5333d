//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// TestAgentDeployment is every scenario of an AgentDeployment's life on a
// real control plane. The first cordons the only node, so it runs alone;
// the burst of 50 runs alone, so that its timings are its own; the legacy
// claims need the v2 XRD gone, so they run last.
func TestAgentDeployment(t *testing.T) {
	if *controlPlaneOnly {
		t.Skip("-e2e.controlplane-only")
	}
	t.Run("MonitoringCRDsAbsent", testMonitoringCRDsAbsent)
	t.Run("PendingThenRunning", testPendingThenRunning)
	t.Run("Scenarios", func(t *testing.T) {
		t.Run("MonitoringCRDsInstalled", testMonitoringAppears)
		t.Run("KEDA", testKEDA)
		t.Run("ProductionExample", testProductionExample)
		t.Run("DegradedAndFailed", testDegradedAndFailed)
		t.Run("Update", testUpdate)
		t.Run("InvalidInput", testInvalidInput)
		t.Run("Scale", testScale)
		t.Run("Delete", testDelete)
		t.Run("AutoscalingHoldsMinReplicas", testAutoscaling)
		t.Run("AutoscalingToggle", testAutoscalingToggle)
		t.Run("CustomerSupportExample", testCustomerSupportExample)
		t.Run("RemoteDelivery", testRemoteDelivery)
		t.Run("Platform", testPlatform)
	})
	t.Run("Burst", testBurst)
	// Alone, each: they stop or replace the function every other scenario needs.
	t.Run("FunctionOutage", testFunctionOutage)
	t.Run("FunctionBadCertificate", testFunctionBadCertificate)
	t.Run("Upgrade", testUpgrade)
	t.Run("LegacyClaim", testLegacyClaim)
}

// model returns the catalog's entry for a model.
func model(t *testing.T, name string) catalog.Entry {
	t.Helper()
	for _, e := range catalog.Builtin() {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("model %s is not in the catalog", name)
	return catalog.Entry{}
}

// Scenario 1: the production example, as a user applies it. Every composed
// object exists (so the real API server accepted it) and carries the spec.
func testProductionExample(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(env.repo, "examples", "production-claude-agent.yaml")
	var example struct {
		Metadata struct{ Name, Namespace string }
		Spec     struct {
			Model  string
			Config struct{ SystemPrompt string }
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &example); err != nil {
		t.Fatal(err)
	}
	ns, name := namespace(t, example.Metadata.Namespace), example.Metadata.Name
	if _, err := env.k.Run(ctx, "", "apply", "-f", file); err != nil {
		t.Fatal(err)
	}
	// autoscaling.minReplicas is 3: the HPA holds the Deployment there.
	x := waitXR(t, ns, name, "Running with 3 replicas", running(3))

	got, err := composedOf(ctx, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposed(name, true), got); diff != "" {
		t.Fatalf("composed objects of %s/%s (-want, +got):\n%s", ns, name, diff)
	}

	// README's first command after the apply, with either label.
	t.Run("FirstCommands", func(t *testing.T) {
		want := []string{
			"deployment.apps/" + name, "service/" + name, "horizontalpodautoscaler.autoscaling/" + name,
			"poddisruptionbudget.policy/" + name, "networkpolicy.networking.k8s.io/" + name,
		}
		for _, label := range []string{"crossplane.io/composite=" + name, "app.kubernetes.io/instance=" + name} {
			out, err := env.k.Run(ctx, "", "get", "deployments,services,hpa,pdb,networkpolicies", "-n", ns, "-l", label, "-o", "name")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, strings.Fields(out)); diff != "" {
				t.Errorf("kubectl get deployments,services,hpa,pdb,networkpolicies -l %s (-want, +got):\n%s", label, diff)
			}
		}
	})

	m := model(t, example.Spec.Model)
	var dep appsv1.Deployment
	decode(t, &dep, "deployment", name, "-n", ns)
	selector := dep.Spec.Selector.MatchLabels
	pod := dep.Spec.Template
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("Deployment %s has %d containers, want 1", name, len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	vars := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		vars[e.Name] = e
	}

	t.Run("Deployment", func(t *testing.T) {
		type view struct {
			Image, ServiceAccount, ModelName, Endpoint string
			Requests, Limits                           map[string]string
			APIKey                                     *corev1.SecretKeySelector
			PodLabelsMatchSelector                     bool
			ConfigChecksumSet                          bool
		}
		quantities := func(l corev1.ResourceList) map[string]string {
			out := map[string]string{}
			for k, v := range l {
				out[string(k)] = v.String()
			}
			return out
		}
		matches := true
		for k, v := range selector {
			matches = matches && pod.Labels[k] == v
		}
		want := view{
			Image: m.Image, ServiceAccount: name, ModelName: m.Name, Endpoint: m.Endpoint,
			Requests:               map[string]string{"cpu": "500m", "memory": "1Gi", "ephemeral-storage": "384Mi"},
			Limits:                 map[string]string{"cpu": "2", "memory": "4Gi", "ephemeral-storage": "1152Mi"},
			APIKey:                 &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "anthropic-api-key"}, Key: "api-key"},
			PodLabelsMatchSelector: true, ConfigChecksumSet: true,
		}
		got := view{
			Image: c.Image, ServiceAccount: pod.Spec.ServiceAccountName,
			ModelName: vars["MODEL_NAME"].Value, Endpoint: vars["API_ENDPOINT"].Value,
			Requests: quantities(c.Resources.Requests), Limits: quantities(c.Resources.Limits),
			PodLabelsMatchSelector: matches && len(selector) > 0,
			ConfigChecksumSet:      pod.Annotations["agentops.io/config-checksum"] != "",
		}
		if v := vars["API_KEY"].ValueFrom; v != nil {
			got.APIKey = v.SecretKeyRef
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Deployment %s/%s (-want, +got):\n%s", ns, name, diff)
		}
		mountsConfig := false
		for _, v := range pod.Spec.Volumes {
			mountsConfig = mountsConfig || (v.ConfigMap != nil && v.ConfigMap.Name == name+"-config")
		}
		if !mountsConfig {
			t.Errorf("Deployment %s/%s does not mount ConfigMap %s-config", ns, name, name)
		}
	})

	t.Run("Service", func(t *testing.T) {
		var svc corev1.Service
		decode(t, &svc, "service", name, "-n", ns)
		if diff := cmp.Diff(selector, svc.Spec.Selector); diff != "" {
			t.Errorf("Service selector is not the Deployment's (-deployment, +service):\n%s", diff)
		}
		if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort.String() != c.Ports[0].Name {
			t.Errorf("Service ports %+v do not target the container's port %q", svc.Spec.Ports, c.Ports[0].Name)
		}
		wantEndpoint := fmt.Sprintf("%s.%s.svc.cluster.local:%d", name, ns, svc.Spec.Ports[0].Port)
		if x.Status.Endpoint != wantEndpoint {
			t.Errorf("status.endpoint %q, want %q", x.Status.Endpoint, wantEndpoint)
		}
	})

	t.Run("ConfigMap", func(t *testing.T) {
		var cm corev1.ConfigMap
		decode(t, &cm, "configmap", name+"-config", "-n", ns)
		temperature, err := strconv.ParseFloat(cm.Data["temperature"], 64)
		if err != nil {
			t.Errorf("ConfigMap temperature %q: %v", cm.Data["temperature"], err)
		}
		type view struct {
			MaxTokens, SystemPrompt string
			Temperature             float64
		}
		want := view{MaxTokens: "4096", SystemPrompt: example.Spec.Config.SystemPrompt, Temperature: 0.7}
		got := view{MaxTokens: cm.Data["maxTokens"], SystemPrompt: cm.Data["systemPrompt"], Temperature: temperature}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ConfigMap %s-config (-want, +got):\n%s", name, diff)
		}
	})

	t.Run("HorizontalPodAutoscaler", func(t *testing.T) {
		var hpa autoscalingv2.HorizontalPodAutoscaler
		decode(t, &hpa, "hpa", name, "-n", ns)
		type view struct {
			Target                  autoscalingv2.CrossVersionObjectReference
			Min, Max                int32
			CPUPercent, MemPercent  int32
			RequestsPerSecondPerPod string
			RequestsPerSecondMetric string
		}
		got := view{Target: hpa.Spec.ScaleTargetRef, Max: hpa.Spec.MaxReplicas}
		if hpa.Spec.MinReplicas != nil {
			got.Min = *hpa.Spec.MinReplicas
		}
		for _, m := range hpa.Spec.Metrics {
			switch {
			case m.Resource != nil && m.Resource.Name == corev1.ResourceCPU && m.Resource.Target.AverageUtilization != nil:
				got.CPUPercent = *m.Resource.Target.AverageUtilization
			case m.Resource != nil && m.Resource.Name == corev1.ResourceMemory && m.Resource.Target.AverageUtilization != nil:
				got.MemPercent = *m.Resource.Target.AverageUtilization
			case m.Pods != nil && m.Pods.Target.AverageValue != nil:
				got.RequestsPerSecondMetric, got.RequestsPerSecondPerPod = m.Pods.Metric.Name, m.Pods.Target.AverageValue.String()
			}
		}
		want := view{
			Target: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: name},
			Min:    3, Max: 10, CPUPercent: 70, MemPercent: 80,
			RequestsPerSecondPerPod: "10", RequestsPerSecondMetric: "llm_requests_per_second",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("HorizontalPodAutoscaler %s (-want, +got):\n%s", name, diff)
		}
	})

	t.Run("PodDisruptionBudget", func(t *testing.T) {
		var pdb policyv1.PodDisruptionBudget
		decode(t, &pdb, "pdb", name, "-n", ns)
		if pdb.Spec.Selector == nil || !cmp.Equal(selector, pdb.Spec.Selector.MatchLabels) {
			t.Errorf("PodDisruptionBudget selector %v, want the Deployment's %v", pdb.Spec.Selector, selector)
		}
		// Three replicas guaranteed: one must stay up through disruptions,
		// and the real disruption controller agrees the pods are healthy.
		if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 1 {
			t.Errorf("PodDisruptionBudget minAvailable %v, want 1", pdb.Spec.MinAvailable)
		}
		err := kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
			if err := env.k.Get(ctx, &pdb, "pdb", name, "-n", ns); err != nil {
				return err
			}
			if pdb.Status.CurrentHealthy != 3 || pdb.Status.DisruptionsAllowed != 2 {
				return fmt.Errorf("PDB status %+v, want 3 healthy and 2 disruptions allowed", pdb.Status)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})

	t.Run("NetworkPolicy", func(t *testing.T) {
		var np networkingv1.NetworkPolicy
		decode(t, &np, "networkpolicy", name, "-n", ns)
		if !cmp.Equal(selector, np.Spec.PodSelector.MatchLabels) {
			t.Errorf("NetworkPolicy podSelector %v, want the Deployment's %v", np.Spec.PodSelector.MatchLabels, selector)
		}
		if len(np.Spec.Ingress) == 0 {
			t.Errorf("NetworkPolicy %s admits no ingress at all: %+v", name, np.Spec)
		}
	})

	t.Run("ServiceMonitor", func(t *testing.T) {
		var sm serviceMonitor
		decode(t, &sm, "servicemonitor", name, "-n", ns)
		var svc corev1.Service
		decode(t, &svc, "service", name, "-n", ns)
		for k, v := range sm.Spec.Selector.MatchLabels {
			if svc.Labels[k] != v {
				t.Errorf("ServiceMonitor selects %s=%s; the Service's labels are %v", k, v, svc.Labels)
			}
		}
		if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != svc.Spec.Ports[0].Name {
			t.Errorf("ServiceMonitor endpoints %+v, want one on the Service's port %q", sm.Spec.Endpoints, svc.Spec.Ports[0].Name)
		}
		if sm.Labels["release"] != "prometheus" {
			t.Errorf("ServiceMonitor labels %v lack the Composition's release=prometheus", sm.Labels)
		}
	})

	t.Run("PrometheusRule", func(t *testing.T) {
		var pr prometheusRule
		decode(t, &pr, "prometheusrule", name, "-n", ns)
		var alerts []string
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				if r.Alert != "" {
					alerts = append(alerts, r.Alert)
				}
			}
		}
		if len(alerts) == 0 {
			t.Errorf("PrometheusRule %s has no alerts: %+v", name, pr.Spec)
		}
		if pr.Labels["release"] != "prometheus" {
			t.Errorf("PrometheusRule labels %v lack the Composition's release=prometheus", pr.Labels)
		}
	})

	t.Run("OwnedByTheAgentDeployment", func(t *testing.T) {
		for resource, names := range got {
			for _, n := range names {
				owner, err := jsonPath(ctx, `{.metadata.ownerReferences[?(@.controller==true)].uid}`, resource, n, "-n", ns)
				if err != nil {
					t.Fatal(err)
				}
				if owner != x.Metadata.UID {
					t.Errorf("%s/%s is controlled by %q, want the AgentDeployment %s", resource, n, owner, x.Metadata.UID)
				}
			}
		}
	})

	// Ready and Synced are part of running(3) above.
	t.Run("Status", func(t *testing.T) {
		if x.Status.Model != example.Spec.Model {
			t.Errorf("status.model of %s is %q, want the spec's %q\n%s", name, x.Status.Model, example.Spec.Model, x.Status.summary())
		}
	})
}

// Scenario 2: with the only node cordoned the pods cannot start: Pending.
// Uncordoned, kwok makes them Ready: Running, and kubectl get shows it.
func testPendingThenRunning(t *testing.T) {
	ctx := context.Background()
	ns, name := namespace(t, "lifecycle"), "lifecycle-agent"
	if _, err := env.k.Run(ctx, "", "cordon", controlplane.NodeName); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = env.k.Run(context.Background(), "", "uncordon", controlplane.NodeName) })

	spec := baseSpec()
	spec["replicas"] = 2
	apply(t, agent(ns, name, spec))
	x := waitXR(t, ns, name, "Pending", func(x *xr) error {
		if err := phase("Pending")(x); err != nil {
			return err
		}
		if x.Status.ReadyReplicas != 0 || x.Status.Replicas != 2 {
			return errors.New("want 2 replicas desired, none ready")
		}
		return nil
	})
	if c := x.Status.condition("Ready"); c.Status == "True" {
		t.Errorf("Pending AgentDeployment is Ready: %s", x.Status.summary())
	}
	printed(t, ns, name, map[string]string{"MODEL": "claude-3-sonnet", "REPLICAS": "2", "READY-REPLICAS": "0", "PHASE": "Pending"})

	if _, err := env.k.Run(ctx, "", "uncordon", controlplane.NodeName); err != nil {
		t.Fatal(err)
	}
	// running(2) also requires Ready=True.
	waitXR(t, ns, name, "Running", running(2))
	printed(t, ns, name, map[string]string{"MODEL": "claude-3-sonnet", "REPLICAS": "2", "READY-REPLICAS": "2", "PHASE": "Running"})
}

// printed checks the printer columns of `kubectl get ad`.
func printed(t *testing.T, ns, name string, want map[string]string) {
	t.Helper()
	out, err := env.k.Run(context.Background(), "", "get", "ad", name, "-n", ns)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("kubectl get ad %s printed:\n%s", name, out)
	}
	header, row := strings.Fields(lines[0]), strings.Fields(lines[1])
	got := map[string]string{}
	for i, h := range header {
		if _, ok := want[h]; ok && i < len(row) {
			got[h] = row[i]
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kubectl get ad %s (-want, +got):\n%s\n%s", name, diff, out)
	}
}

// Scenario 3: a replica that stops being ready makes the agent Degraded; a
// rollout that cannot progress past its deadline makes it Failed. Both
// recover once the cause goes.
func testDegradedAndFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := namespace(t, "degraded")

	t.Run("OneReplicaUnready", func(t *testing.T) {
		name := "flaky-agent"
		spec := baseSpec()
		spec["replicas"] = 2
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "Running", running(2))

		pods := podsOf(t, ns, name)
		// kwok's stages only make Pending pods ready: a Running pod marked
		// unready stays unready, like a failing readiness probe.
		patch := `{"status":{"conditions":[{"type":"Ready","status":"False","reason":"E2EReadinessProbeFailed"}]}}`
		if _, err := env.k.Run(ctx, "", "patch", "pod", pods[0], "-n", ns, "--subresource=status", "--type=strategic", "-p", patch); err != nil {
			t.Fatal(err)
		}
		waitXR(t, ns, name, "Degraded with 1 of 2 ready", func(x *xr) error {
			if err := phase("Degraded")(x); err != nil {
				return err
			}
			if x.Status.ReadyReplicas != 1 {
				return fmt.Errorf("readyReplicas %d, want 1", x.Status.ReadyReplicas)
			}
			return nil
		})

		// The ReplicaSet replaces the deleted pod with a ready one.
		if _, err := env.k.Run(ctx, "", "delete", "pod", pods[0], "-n", ns); err != nil {
			t.Fatal(err)
		}
		waitXR(t, ns, name, "Running again", running(2))
	})

	t.Run("RolloutPastDeadline", func(t *testing.T) {
		name := "stuck-agent"
		// The platform team's Composition sets the rollout deadline; this one
		// allows 10 seconds, so the test need not wait the default 10 minutes.
		composition := fastDeadlineComposition(t, 10)
		spec := baseSpec()
		spec["crossplane"] = map[string]any{"compositionRef": map[string]any{"name": composition}}
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "Running", running(1))

		// 64 CPUs fit on no node: the new pod stays Pending, and the
		// Deployment controller gives up after the deadline.
		spec["resources"] = map[string]any{
			"requests": map[string]any{"cpu": "64"},
			"limits":   map[string]any{"cpu": "64"},
		}
		apply(t, agent(ns, name, spec))
		x := waitXR(t, ns, name, "Failed", phase("Failed"))
		reason, err := jsonPath(ctx, `{.status.conditions[?(@.type=="Progressing")].reason}`, "deployment", name, "-n", ns)
		if err != nil {
			t.Fatal(err)
		}
		if reason != "ProgressDeadlineExceeded" {
			t.Errorf("Deployment Progressing reason %q, want ProgressDeadlineExceeded; AgentDeployment: %s", reason, x.Status.summary())
		}
		if x.Status.ReadyReplicas != 1 {
			t.Errorf("the old replica should keep serving through the failed rollout: %s", x.Status.summary())
		}

		delete(spec, "resources")
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "Running after the rollback", running(1))
	})
}

// fastDeadlineComposition installs a copy of the installed Composition
// whose function input sets progressDeadlineSeconds, and returns its name.
func fastDeadlineComposition(t *testing.T, seconds int) string {
	t.Helper()
	var c map[string]any
	decode(t, &c, "composition", compositionName)
	name := compositionName + "-deadline-" + strconv.Itoa(seconds)
	c["metadata"] = map[string]any{"name": name}
	delete(c, "status")
	spec := c["spec"].(map[string]any)
	pipeline := spec["pipeline"].([]any)
	input := pipeline[0].(map[string]any)["input"].(map[string]any)
	input["progressDeadlineSeconds"] = seconds
	apply(t, c)
	t.Cleanup(func() { _, _ = env.k.Run(context.Background(), "", "delete", "composition", name, "--wait=false") })
	return name
}

// podsOf lists the names of an agent's pods that are not being deleted.
func podsOf(t *testing.T, ns, name string) []string {
	t.Helper()
	var list corev1.PodList
	decode(t, &list, "pods", "-n", ns, "-l", "app.kubernetes.io/instance="+name)
	var names []string
	for _, p := range list.Items {
		if p.DeletionTimestamp == nil {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		t.Fatalf("AgentDeployment %s/%s has no pods", ns, name)
	}
	return names
}

// Scenario 4: changes reach the composed objects; a config change rolls the
// pods through a new checksum, a replica change does not.
func testUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, name := namespace(t, "update"), "update-agent"
	spec := baseSpec()
	spec["config"] = map[string]any{"maxTokens": 1000, "systemPrompt": "You answer questions about the weather."}
	apply(t, agent(ns, name, spec))
	waitXR(t, ns, name, "Running", running(1))
	checksum := func() string {
		t.Helper()
		s, err := jsonPath(ctx, `{.spec.template.metadata.annotations.agentops\.io/config-checksum}`, "deployment", name, "-n", ns)
		if err != nil || s == "" {
			t.Fatalf("config checksum of Deployment %s: %q, %v", name, s, err)
		}
		return s
	}
	replicaSets := func() map[string]string {
		t.Helper()
		var list appsv1.ReplicaSetList
		decode(t, &list, "replicasets", "-n", ns, "-l", "app.kubernetes.io/instance="+name)
		out := map[string]string{}
		for _, rs := range list.Items {
			out[rs.Name] = rs.Spec.Template.Annotations["agentops.io/config-checksum"]
		}
		return out
	}
	first, rs1 := checksum(), replicaSets()

	t.Run("Replicas", func(t *testing.T) {
		spec["replicas"] = 3
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "Running with 3 replicas", running(3))
		if got := checksum(); got != first {
			t.Errorf("a replica change changed the config checksum: %s -> %s", first, got)
		}
		if diff := cmp.Diff(rs1, replicaSets()); diff != "" {
			t.Errorf("a replica change rolled the pods (-before, +after ReplicaSets):\n%s", diff)
		}
	})

	t.Run("Config", func(t *testing.T) {
		spec["config"] = map[string]any{"maxTokens": 2000, "temperature": 0.2, "systemPrompt": "You answer questions about the tides."}
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "Running after the config change", running(3))
		var cm corev1.ConfigMap
		decode(t, &cm, "configmap", name+"-config", "-n", ns)
		type view struct{ MaxTokens, Temperature, SystemPrompt string }
		if diff := cmp.Diff(view{"2000", "0.2", "You answer questions about the tides."},
			view{cm.Data["maxTokens"], cm.Data["temperature"], cm.Data["systemPrompt"]}); diff != "" {
			t.Errorf("ConfigMap after the change (-want, +got):\n%s", diff)
		}
		second := checksum()
		if second == first {
			t.Fatalf("the config changed but the checksum did not: %s", first)
		}
		// The rollout replaces every pod with one of the new template.
		rolledOut(t, ns, name, 3, second)
		if len(replicaSets()) != 2 {
			t.Errorf("want a second ReplicaSet for the new template, got %v", replicaSets())
		}
		waitXR(t, ns, name, "Running after the rollout", running(3))
	})

	t.Run("Model", func(t *testing.T) {
		m := model(t, "gpt-4o")
		spec["model"] = m.Name
		spec["secrets"] = map[string]any{"apiKeySecret": "openai-api-key"}
		apply(t, agent(ns, name, spec))
		waitXR(t, ns, name, "status.model "+m.Name, func(x *xr) error {
			if x.Status.Model != m.Name {
				return fmt.Errorf("status.model %q, want %s", x.Status.Model, m.Name)
			}
			return nil
		})
		rolledOut(t, ns, name, 3, "")
		x := waitXR(t, ns, name, "Running on the new model", running(3))
		var dep appsv1.Deployment
		decode(t, &dep, "deployment", name, "-n", ns)
		c := dep.Spec.Template.Spec.Containers[0]
		vars := map[string]string{}
		for _, e := range c.Env {
			vars[e.Name] = e.Value
		}
		type view struct{ Image, ModelName, Endpoint, Label string }
		want := view{m.Image, m.Name, m.Endpoint, m.Name}
		got := view{c.Image, vars["MODEL_NAME"], vars["API_ENDPOINT"], dep.Spec.Template.Labels["agentops.io/model"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Deployment after the model change (-want, +got):\n%s\n%s", diff, x.Status.summary())
		}
	})
}

// rolledOut waits for the Deployment's rollout to finish: the controller saw
// its latest spec, and exactly replicas pods, all of the latest template
// (with the config checksum, when one is given), are ready.
func rolledOut(t *testing.T, ns, name string, replicas int32, checksum string) {
	t.Helper()
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		var dep appsv1.Deployment
		if err := env.k.Get(ctx, &dep, "deployment", name, "-n", ns); err != nil {
			return err
		}
		s := dep.Status
		if s.ObservedGeneration != dep.Generation || s.Replicas != replicas || s.UpdatedReplicas != replicas || s.ReadyReplicas != replicas || s.AvailableReplicas != replicas {
			return fmt.Errorf("Deployment generation %d, status %+v", dep.Generation, s)
		}
		var pods corev1.PodList
		if err := env.k.Get(ctx, &pods, "pods", "-n", ns, "-l", "app.kubernetes.io/instance="+name); err != nil {
			return err
		}
		if int32(len(pods.Items)) != replicas {
			return fmt.Errorf("%d pods, want %d", len(pods.Items), replicas)
		}
		for _, p := range pods.Items {
			if got := p.Annotations["agentops.io/config-checksum"]; checksum != "" && got != checksum {
				return fmt.Errorf("pod %s has config checksum %s, want %s", p.Name, got, checksum)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("rollout of Deployment %s/%s: %v", ns, name, err)
	}
}

// Scenario 6: kubectl scale works through the scale subresource.
func testScale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, name := namespace(t, "scale"), "scaled-agent"
	apply(t, agent(ns, name, baseSpec()))
	waitXR(t, ns, name, "Running", running(1))

	for _, n := range []int32{4, 2} {
		if _, err := env.k.Run(ctx, "", "scale", "ad/"+name, "-n", ns, "--replicas="+strconv.Itoa(int(n))); err != nil {
			t.Fatal(err)
		}
		x := waitXR(t, ns, name, fmt.Sprintf("Running with %d replicas", n), running(n))
		if got := x.Spec["replicas"]; got != float64(n) {
			t.Errorf("kubectl scale --replicas=%d: spec.replicas %v", n, got)
		}
		replicas, err := jsonPath(ctx, "{.spec.replicas}", "deployment", name, "-n", ns)
		if err != nil || replicas != strconv.Itoa(int(n)) {
			t.Errorf("Deployment spec.replicas %q (%v), want %d", replicas, err, n)
		}
	}
	var scale struct {
		Status struct {
			Replicas int32  `json:"replicas"`
			Selector string `json:"selector"`
		} `json:"status"`
	}
	raw, err := env.k.Run(ctx, "", "get", "--raw", "/apis/agentops.io/v1alpha1/namespaces/"+ns+"/agentdeployments/"+name+"/scale")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(raw), &scale); err != nil {
		t.Fatal(err)
	}
	// The selector lets an HPA target the AgentDeployment itself.
	if scale.Status.Replicas != 2 || !strings.Contains(scale.Status.Selector, "app.kubernetes.io/instance="+name) {
		t.Errorf("scale subresource status %+v, want 2 replicas and a selector of the agent's pods", scale.Status)
	}
}

// Scenario 7: deleting the AgentDeployment removes everything it composed.
func testDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, name := namespace(t, "delete"), "doomed-agent"
	spec := baseSpec()
	spec["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 1, "maxReplicas": 3}
	apply(t, agent(ns, name, spec))
	waitXR(t, ns, name, "Running", running(1))
	before, err := composedOf(ctx, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposed(name, true), before); diff != "" {
		t.Fatalf("composed objects before the delete (-want, +got):\n%s", diff)
	}

	if _, err := env.k.Run(ctx, "", "delete", "ad", name, "-n", ns, "--timeout=2m"); err != nil {
		t.Fatal(err)
	}
	err = kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
		var left []string
		for resource, names := range before {
			for _, n := range names {
				ok, err := env.k.Exists(ctx, resource, n, "-n", ns)
				if err != nil {
					return err
				}
				if ok {
					left = append(left, resource+"/"+n)
				}
			}
		}
		for _, r := range []string{"replicasets", "pods"} {
			out, err := env.k.Run(ctx, "", "get", r, "-n", ns, "-l", "app.kubernetes.io/instance="+name, "-o", "name")
			if err != nil {
				return err
			}
			left = append(left, strings.Fields(out)...)
		}
		if len(left) > 0 {
			return fmt.Errorf("still there: %v", left)
		}
		return nil
	})
	if err != nil {
		t.Errorf("after kubectl delete ad %s: %v", name, err)
	}
}

// Scenario 9: with autoscaling on, the real HPA controller holds the
// Deployment at minReplicas and Crossplane leaves the count alone: no
// ReplicaSet scales up and down over more than a minute (four HPA syncs).
func testAutoscaling(t *testing.T) {
	t.Parallel()
	ns, name := namespace(t, "autoscaling"), "elastic-agent"
	spec := baseSpec()
	// spec.replicas is ignored with autoscaling on: the HPA's minimum wins.
	spec["replicas"] = 1
	spec["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 5}
	apply(t, agent(ns, name, spec))
	waitXR(t, ns, name, "Running at minReplicas", running(2))

	// Crossplane applies the Deployment with the count it has (the HPA's):
	// the count must not move while the HPA holds it.
	var dep appsv1.Deployment
	type sample struct {
		Generation  int64
		Replicas    int32
		ReplicaSets string
	}
	var first *sample
	deadline := time.Now().Add(70 * time.Second)
	for time.Now().Before(deadline) {
		var rs appsv1.ReplicaSetList
		decode(t, &dep, "deployment", name, "-n", ns)
		decode(t, &rs, "replicasets", "-n", ns, "-l", "app.kubernetes.io/instance="+name)
		sets := make([]string, 0, len(rs.Items))
		for _, r := range rs.Items {
			sets = append(sets, fmt.Sprintf("%s=%d", r.Name, *r.Spec.Replicas))
		}
		s := sample{Generation: dep.Generation, Replicas: *dep.Spec.Replicas, ReplicaSets: strings.Join(sets, ",")}
		if first == nil {
			first = &s
			if s.Replicas != 2 {
				t.Fatalf("Deployment at %d replicas, want the HPA's minimum 2", s.Replicas)
			}
		}
		if diff := cmp.Diff(*first, s); diff != "" {
			t.Fatalf("the replica count moved after %s (-first, +now):\n%s", time.Since(deadline.Add(-70*time.Second)).Round(time.Second), diff)
		}
		time.Sleep(2 * time.Second)
	}
	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(t, &hpa, "hpa", name, "-n", ns)
	// The Deployment starts at minReplicas (the function composes it), so
	// the HPA never rescales; without metrics it never computes a desired
	// count either and reports 0.
	if hpa.Status.CurrentReplicas != 2 || hpa.Status.DesiredReplicas > 2 {
		t.Errorf("HPA status current %d desired %d, want 2 and at most 2", hpa.Status.CurrentReplicas, hpa.Status.DesiredReplicas)
	}
	waitXR(t, ns, name, "still Running", running(2))
}
