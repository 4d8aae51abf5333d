//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
)

// poolLabel is the node label of the shipped Composition's node pool
// agents-dedicated.
const poolLabel = "example.com/node-pool"

// Scenario: the customer-support example, as a user applies it under the
// shipped Composition's policy. Its pods run on the node pool's node (the
// scheduler honours the composed node selector), and the composed objects
// carry its tools, environment, pod metadata, pull settings and switches:
// no ServiceMonitor or PrometheusRule, its own disruption budget. A tool
// outside the platform's bounds is then refused, naming the field, and
// nothing composed changes.
func testCustomerSupportExample(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	manifest := readExample(t, "customer-support-agent.yaml")
	ns, name := namespace(t, "support"), manifest["metadata"].(map[string]any)["name"].(string)
	manifest["metadata"].(map[string]any)["namespace"] = ns
	if _, err := env.k.Run(ctx, "", "label", "node", controlplane.NodeName, poolLabel+"=agents", "--overwrite"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = env.k.Run(context.Background(), "", "label", "node", controlplane.NodeName, poolLabel+"-")
	})
	apply(t, manifest)
	waitXR(t, ns, name, "Running with 2 replicas on the node pool", running(2))

	got, err := composedOf(ctx, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	want := wantComposed(name, false)
	delete(want, "servicemonitors.monitoring.coreos.com")
	delete(want, "prometheusrules.monitoring.coreos.com")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("composed objects of %s/%s, monitoring off (-want, +got):\n%s", ns, name, diff)
	}

	var dep appsv1.Deployment
	decode(t, &dep, "deployment", name, "-n", ns)
	checkSupportPod(t, dep.Spec.Template)

	var np networkingv1.NetworkPolicy
	decode(t, &np, "networkpolicy", name, "-n", ns)
	if n := len(np.Spec.Egress); n != 5 {
		t.Fatalf("NetworkPolicy %s/%s has %d egress rules, want DNS, the model API and three tools", ns, name, n)
	}
	tcp := corev1.ProtocolTCP
	wantTools := []networkingv1.NetworkPolicyEgressRule{
		{To: []networkingv1.NetworkPolicyPeer{{PodSelector: labelSelector("app.kubernetes.io/name", "knowledge-base")}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: &tcp, Port: new(intstr.FromInt32(8080))}}},
		{To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: labelSelector("kubernetes.io/metadata.name", "support-tools"), PodSelector: labelSelector("app.kubernetes.io/name", "orders-db")}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: &tcp, Port: new(intstr.FromInt32(5432))}}},
		{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "198.51.100.0/24"}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: &tcp, Port: new(intstr.FromInt32(8443))}}},
	}
	if diff := cmp.Diff(wantTools, np.Spec.Egress[2:]); diff != "" {
		t.Errorf("NetworkPolicy %s/%s tool egress (-want, +got):\n%s", ns, name, diff)
	}

	var pdb policyv1.PodDisruptionBudget
	decode(t, &pdb, "pdb", name, "-n", ns)
	if pdb.Spec.MaxUnavailable == nil || *pdb.Spec.MaxUnavailable != intstr.FromInt32(1) || pdb.Spec.MinAvailable != nil {
		t.Errorf("PodDisruptionBudget %s/%s: want maxUnavailable 1 only, got min %v max %v", ns, name, pdb.Spec.MinAvailable, pdb.Spec.MaxUnavailable)
	}

	// Outside the platform's bounds: refused, naming the field; nothing changes.
	before, err := snapshot(ctx, ns, got)
	if err != nil {
		t.Fatal(err)
	}
	manifest["spec"].(map[string]any)["tools"].([]any)[2].(map[string]any)["cidr"] = "203.0.113.0/24"
	apply(t, manifest)
	waitXR(t, ns, name, "Validated=False naming spec.tools[2].cidr", func(x *xr) error {
		if c := x.Status.condition("Validated"); c.Status != "False" || !strings.Contains(c.Message, "spec.tools[2].cidr") || !strings.Contains(c.Message, "input tools.cidrs") {
			return fmt.Errorf("condition Validated %s: %s", c.Status, c.Message)
		}
		return nil
	})
	after, err := snapshot(ctx, ns, got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused spec changed composed objects (-before, +after):\n%s", diff)
	}
}

// checkSupportPod checks what the example asks of its pods.
func checkSupportPod(t *testing.T, pod corev1.PodTemplateSpec) {
	t.Helper()
	c := pod.Spec.Containers[0]
	vars := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		vars[e.Name] = e
	}
	type view struct {
		LogLevel            string
		Token, KnowledgeURL string
		TeamLabel, Inject   string
		PullSecrets         []corev1.LocalObjectReference
		PullPolicy          corev1.PullPolicy
		NodeSelector        map[string]string
		Tolerations         []corev1.Toleration
	}
	want := view{
		LogLevel: "info", Token: "ticketing-api/token", KnowledgeURL: "support-tools/knowledge-base-url",
		TeamLabel: "support", Inject: "false",
		PullSecrets: []corev1.LocalObjectReference{{Name: "team-registry"}}, PullPolicy: corev1.PullAlways,
		NodeSelector: map[string]string{poolLabel: "agents"},
		Tolerations:  []corev1.Toleration{{Key: poolLabel, Operator: corev1.TolerationOpEqual, Value: "agents", Effect: corev1.TaintEffectNoSchedule}},
	}
	got := view{
		LogLevel: vars["LOG_LEVEL"].Value, TeamLabel: pod.Labels["cost.example.com/team"], Inject: pod.Annotations["sidecar.istio.io/inject"],
		PullSecrets: pod.Spec.ImagePullSecrets, PullPolicy: c.ImagePullPolicy, NodeSelector: pod.Spec.NodeSelector, Tolerations: pod.Spec.Tolerations,
	}
	if v := vars["TICKETING_API_TOKEN"].ValueFrom; v != nil && v.SecretKeyRef != nil {
		got.Token = v.SecretKeyRef.Name + "/" + v.SecretKeyRef.Key
	}
	if v := vars["KNOWLEDGE_BASE_URL"].ValueFrom; v != nil && v.ConfigMapKeyRef != nil {
		got.KnowledgeURL = v.ConfigMapKeyRef.Name + "/" + v.ConfigMapKeyRef.Key
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the Deployment's pod template (-want, +got):\n%s", diff)
	}
}

func labelSelector(k, v string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{k: v}}
}

// readExample reads one of examples/ as an object.
func readExample(t *testing.T, file string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env.repo, "examples", file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
