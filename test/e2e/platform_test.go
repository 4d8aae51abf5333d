//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// The platform example (examples/platform) and the functions its
// Compositions call, played by the test-only stand-in (templatefn).
const (
	platformXRD     = "agentplatforms.platform.example.org"
	platformKind    = "agentplatform"
	goTemplating    = "function-go-templating"
	autoReady       = "function-auto-ready"
	standinPkgTag   = "v0.0.1"
	platformExample = "examples/platform"
)

// Scenario 13: platform teams compose AgentDeployments into their own XR
// (docs/composability.md). The example's XRD and Compositions are applied
// as they are; function-go-templating and function-auto-ready, which the
// module proxy does not serve, are installed as packages of the stand-in.
func testPlatform(t *testing.T) {
	t.Parallel()
	installPlatform(t)
	t.Run("Lifecycle", testPlatformLifecycle)
	t.Run("InvalidAgent", testPlatformInvalidAgent)
	t.Run("LongestNames", testPlatformLongestNames)
	t.Run("PipelineCitizen", testPipelineCitizen)
}

// installPlatform installs the stand-in as both functions and the
// example's XRD and Compositions.
func installPlatform(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	bin := setting("E2E_TEMPLATEFN_BIN", filepath.Join(env.repo, "_output", "bin", "templatefn"))
	pkg := setting("E2E_TEMPLATEFN_XPKG", filepath.Join(env.repo, "_output", "e2e", "templatefn.xpkg"))
	for _, f := range []string{bin, pkg} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%v: run `make e2e-templatefn` (make e2e does)", err)
		}
	}
	for _, name := range []string{goTemplating, autoReady} {
		ref, err := env.reg.Push(ctx, pkg, "e2e/"+name, standinPkgTag)
		if err != nil {
			t.Fatal(err)
		}
		apply(t, map[string]any{
			"apiVersion": "pkg.crossplane.io/v1", "kind": "Function",
			"metadata": map[string]any{"name": name},
			"spec":     map[string]any{"package": ref},
		})
		if _, err := env.xp.RunFunction(ctx, name, bin); err != nil {
			t.Fatalf("run the stand-in as %s: %v", name, err)
		}
	}
	for _, name := range []string{goTemplating, autoReady} {
		if err := waitPackage(ctx, "function", name); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"definition.yaml", "composition.yaml", "pipeline.yaml"} {
		if _, err := env.k.Run(ctx, "", "apply", "-f", filepath.Join(env.repo, platformExample, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := waitXRD(ctx, platformXRD, "Established"); err != nil {
		t.Fatal(err)
	}
}

// platformXR is an AgentPlatform manifest.
func platformXR(ns, name string, agents ...map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": "platform.example.org/v1alpha1",
		"kind":       "AgentPlatform",
		"metadata":   map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{
			"apiKeySecret": "anthropic-api-key",
			"gateway":      map[string]any{"image": "registry.example.com/platform/agent-gateway:1.4.2", "replicas": 1},
			"agents":       agents,
		},
	}
}

// platformNamespace is namespace, with the platforms deleted before the
// AgentDeployments: a child deleted under a live parent comes back.
func platformNamespace(t *testing.T, name string) string {
	t.Helper()
	ns := namespace(t, name)
	t.Cleanup(func() {
		_, _ = env.k.Run(context.Background(), "", "delete", platformKind+"s", "--all", "-n", ns, "--wait=true", "--timeout=60s")
	})
	return ns
}

// platform is an AgentPlatform as kubectl shows it.
type platform struct {
	Metadata struct {
		Generation int64 `json:"generation"`
	} `json:"metadata"`
	Status struct {
		Agents        int               `json:"agents"`
		RunningAgents int               `json:"runningAgents"`
		Endpoints     map[string]string `json:"endpoints"`
		Conditions    []condition       `json:"conditions"`
	} `json:"status"`
}

func (p *platform) condition(t string) string {
	for _, c := range p.Status.Conditions {
		if c.Type == t {
			return c.Status
		}
	}
	return "Unknown"
}

// waitPlatform waits until the AgentPlatform has agents agents, running of
// them healthy, and Ready is ready ("True" or "False").
func waitPlatform(t *testing.T, ns, name, what string, agents, running int, ready string) {
	t.Helper()
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		var p platform
		if err := env.k.Get(ctx, &p, platformKind, name, "-n", ns); err != nil {
			return err
		}
		if p.Status.Agents != agents || p.Status.RunningAgents != running || p.condition("Ready") != ready || p.condition("Synced") != "True" {
			return fmt.Errorf("agents %d, running %d, Ready %s, Synced %s; want %d, %d, %s, True",
				p.Status.Agents, p.Status.RunningAgents, p.condition("Ready"), p.condition("Synced"), agents, running, ready)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("AgentPlatform %s/%s: waiting for %s: %v", ns, name, what, err)
	}
}

// composedByInstance lists, per kind, the objects of one agent, by its
// app.kubernetes.io/instance label: under a parent, Crossplane's
// crossplane.io/composite label names the root XR, not the agent.
func composedByInstance(ctx context.Context, ns, agentName string) (map[string][]string, error) {
	got := map[string][]string{}
	instance := compose.NamesFor(agentName).Base
	for _, k := range composedKinds {
		out, err := env.k.Run(ctx, "", "get", k.resource, "-n", ns, "-l", compose.LabelInstance+"="+instance, "-o", "name")
		if err != nil {
			return nil, err
		}
		for n := range strings.FieldsSeq(out) {
			got[k.resource] = append(got[k.resource], n[strings.Index(n, "/")+1:])
		}
	}
	return got, nil
}

// wantComposedOf is wantComposed for an agent of any name.
func wantComposedOf(agentName string, autoscaled bool) map[string][]string {
	return wantComposed(compose.NamesFor(agentName).Base, autoscaled)
}

// workloadUIDs maps ReplicaSets and pods of one agent to their UIDs: a
// rollout or a replaced pod changes the map.
func workloadUIDs(t *testing.T, ns, agentName string) map[string]string {
	t.Helper()
	out, err := env.k.Run(context.Background(), "", "get", "replicasets,pods", "-n", ns,
		"-l", compose.LabelInstance+"="+compose.NamesFor(agentName).Base,
		"-o", `jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{"\n"}{end}`)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for line := range strings.FieldsSeq(out) {
		k, v, _ := strings.Cut(line, "=")
		m[k] = v
	}
	return m
}

// The parent composes one AgentDeployment per agent; its readiness follows
// theirs; an edit rolls one agent only; kubectl scale and an HPA work on a
// child; removing an agent deletes it and its resources; deleting the
// parent collects everything.
func testPlatformLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := platformNamespace(t, "platform")
	const name = "team"
	agents := []map[string]any{
		{"name": "triage", "model": "claude-haiku-4-5"},
		{"name": "answers", "model": "claude-sonnet-4-5", "systemPrompt": "v1"},
		{"name": "escalations", "model": "claude-opus-4-1", "size": "large"},
	}
	apply(t, platformXR(ns, name, agents...))
	waitPlatform(t, ns, name, "Ready with three agents running", 3, 3, "True")

	// Each step starts from the state the one before leaves: the first
	// failure ends the scenario.
	ok := t.Run("ChildrenAndTheirResources", func(t *testing.T) {
		for _, a := range agents {
			child := name + "-" + a["name"].(string)
			large := a["size"] == "large"
			replicas := int32(1)
			if large {
				replicas = 2 // The HPA's minReplicas.
			}
			waitXR(t, ns, child, "Running", running(replicas))
			got, err := composedByInstance(ctx, ns, child)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantComposedOf(child, large), got); diff != "" {
				t.Errorf("composed objects of %s (-want, +got):\n%s", child, diff)
			}
		}
		// Every object of the tree carries the root's name.
		out, err := env.k.Run(ctx, "", "get", "deployments", "-n", ns, "-l", "crossplane.io/composite="+name, "-o", "name")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"deployment.apps/team-answers", "deployment.apps/team-escalations", "deployment.apps/team-gateway", "deployment.apps/team-triage"}
		if diff := cmp.Diff(want, strings.Fields(out)); diff != "" {
			t.Errorf("kubectl get deployments -l crossplane.io/composite=%s (-want, +got):\n%s", name, diff)
		}
		shown, _ := env.k.Run(ctx, "", "get", platformKind+",agentdeployments", "-n", ns)
		t.Logf("kubectl get agentplatform,agentdeployments -n %s:\n%s", ns, shown)
	})

	if !ok {
		return
	}
	ok = t.Run("ChildDegradedAndBack", func(t *testing.T) {
		// Two replicas (its HPA's minimum): one unready pod is Degraded.
		child := name + "-escalations"
		pod := podsOf(t, ns, child)[0]
		patch := `{"status":{"conditions":[{"type":"Ready","status":"False","reason":"E2EReadinessProbeFailed"}]}}`
		if _, err := env.k.Run(ctx, "", "patch", "pod", pod, "-n", ns, "--subresource=status", "--type=strategic", "-p", patch); err != nil {
			t.Fatal(err)
		}
		waitXR(t, ns, child, "Degraded", phase("Degraded"))
		waitPlatform(t, ns, name, "not Ready while escalations is Degraded", 3, 2, "False")
		if _, err := env.k.Run(ctx, "", "delete", "pod", pod, "-n", ns); err != nil {
			t.Fatal(err)
		}
		waitPlatform(t, ns, name, "Ready again", 3, 3, "True")
	})

	if !ok {
		return
	}
	ok = t.Run("EditRollsOnlyThatAgent", func(t *testing.T) {
		others := map[string]map[string]string{}
		for _, a := range []string{"triage", "escalations"} {
			others[a] = workloadUIDs(t, ns, name+"-"+a)
		}
		before := workloadUIDs(t, ns, name+"-answers")
		old, err := getXR(ctx, ns, name+"-answers")
		if err != nil {
			t.Fatal(err)
		}
		agents[1]["systemPrompt"] = "v2"
		apply(t, platformXR(ns, name, agents...))
		x := waitXR(t, ns, name+"-answers", "Running the new prompt", func(x *xr) error {
			if x.Metadata.Generation == old.Metadata.Generation {
				return errors.New("the parent's edit has not reached the child yet")
			}
			return running(1)(x)
		})
		t.Logf("answers rolled from generation %d to %d", old.Metadata.Generation, x.Metadata.Generation)
		if after := workloadUIDs(t, ns, name+"-answers"); maps.Equal(before, after) {
			t.Errorf("the edited agent did not roll: ReplicaSets and pods %v", after)
		}
		waitPlatform(t, ns, name, "Ready after the edit", 3, 3, "True")
		for a, uids := range others {
			if after := workloadUIDs(t, ns, name+"-"+a); !maps.Equal(uids, after) {
				t.Errorf("agent %s rolled though only answers changed:\nbefore %v\nafter  %v", a, uids, after)
			}
		}
	})

	if !ok {
		return
	}
	ok = t.Run("ScaleAndHPAUnderParent", func(t *testing.T) {
		child := name + "-triage"
		if _, err := env.k.Run(ctx, "", "scale", "agentdeployment/"+child, "-n", ns, "--replicas=2"); err != nil {
			t.Fatal(err)
		}
		waitXR(t, ns, child, "Running at 2 after kubectl scale", running(2))
		// The parent reconciles again and leaves the count alone: its
		// template sets replicas only for agents that pin them.
		if _, err := env.k.Run(ctx, "", "annotate", platformKind, name, "-n", ns, "--overwrite", "agentops.io/e2e-poke=scale"); err != nil {
			t.Fatal(err)
		}
		waitPlatform(t, ns, name, "Ready with triage scaled", 3, 3, "True")
		waitXR(t, ns, child, "still at 2 after the parent's reconcile", running(2))
		// The autoscaled agent's HPA holds its Deployment at minReplicas.
		var hpa struct {
			Spec struct {
				ScaleTargetRef struct{ Name string } `json:"scaleTargetRef"`
				MinReplicas    int32                 `json:"minReplicas"`
			} `json:"spec"`
		}
		decode(t, &hpa, "hpa", name+"-escalations", "-n", ns)
		if hpa.Spec.ScaleTargetRef.Name != name+"-escalations" || hpa.Spec.MinReplicas != 2 {
			t.Errorf("HPA of the large agent: target %q min %d, want %s-escalations and 2", hpa.Spec.ScaleTargetRef.Name, hpa.Spec.MinReplicas, name)
		}
	})

	if !ok {
		return
	}
	ok = t.Run("RemoveAgent", func(t *testing.T) {
		kept := map[string]map[string]string{}
		for _, a := range []string{"triage", "escalations"} {
			kept[a] = workloadUIDs(t, ns, name+"-"+a)
		}
		apply(t, platformXR(ns, name, agents[0], agents[2]))
		waitAgentGone(t, ns, name+"-answers")
		waitPlatform(t, ns, name, "Ready with two agents", 2, 2, "True")
		for a, uids := range kept {
			if after := workloadUIDs(t, ns, name+"-"+a); !maps.Equal(uids, after) {
				t.Errorf("agent %s changed when answers was removed:\nbefore %v\nafter  %v", a, uids, after)
			}
		}
	})

	if !ok {
		return
	}
	t.Run("DeleteParent", func(t *testing.T) {
		if _, err := env.k.Run(ctx, "", "delete", platformKind, name, "-n", ns, "--wait=true", "--timeout=2m"); err != nil {
			t.Fatal(err)
		}
		err := kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
			resources := make([]string, 0, 2+len(composedKinds))
			resources = append(resources, "agentdeployments", "replicasets.apps")
			for _, k := range composedKinds {
				resources = append(resources, k.resource)
			}
			out, err := env.k.Run(ctx, "", "get", strings.Join(resources, ","), "-n", ns, "-l", "crossplane.io/composite="+name, "-o", "name")
			if err != nil {
				return err
			}
			if left := strings.Fields(out); len(left) > 0 {
				return fmt.Errorf("still there: %v", left)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("deleting the parent left objects behind: %v", err)
		}
	})
}

// waitAgentGone waits until an AgentDeployment and every object composed for it
// are gone.
func waitAgentGone(t *testing.T, ns, agentName string) {
	t.Helper()
	err := kube.Eventually(context.Background(), patience, poll, func(ctx context.Context) error {
		if ok, err := env.k.Exists(ctx, "agentdeployment", agentName, "-n", ns); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("AgentDeployment %s still exists", agentName)
		}
		got, err := composedByInstance(ctx, ns, agentName)
		if err != nil {
			return err
		}
		if len(got) > 0 {
			return fmt.Errorf("composed objects left: %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("removing %s: %v", agentName, err)
	}
}

// An agent the function refuses: the child says Validated=False naming the
// field and keeps its resources; Crossplane keeps its old Ready=True (the
// pitfall), so the parent's rule (Ready, Synced, current generation) is
// what turns the parent not Ready.
func testPlatformInvalidAgent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := platformNamespace(t, "platform-invalid")
	const name, child = "checked", "checked-writer"
	writer := map[string]any{"name": "writer", "model": "claude-haiku-4-5"}
	apply(t, platformXR(ns, name, writer))
	waitPlatform(t, ns, name, "Ready", 1, 1, "True")
	waitXR(t, ns, child, "Running", running(1))
	composed, err := composedByInstance(ctx, ns, child)
	if err != nil {
		t.Fatal(err)
	}
	before, err := snapshot(ctx, ns, composed)
	if err != nil {
		t.Fatal(err)
	}

	// Beyond the model's 200,000-token window: valid for the schemas, refused by the function.
	writer["maxTokens"] = 500_000
	apply(t, platformXR(ns, name, writer))
	waitXR(t, ns, child, "Validated=False", func(x *xr) error {
		if c := x.Status.condition("Validated"); c.Status != "False" || !strings.Contains(c.Message, "spec.config.maxTokens") {
			return fmt.Errorf("Validated %s: %s", c.Status, c.Message)
		}
		return nil
	})
	waitPlatform(t, ns, name, "not Ready with an invalid agent", 1, 0, "False")
	x, err := getXR(ctx, ns, child)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the refused child: %s", x.Status.summary())
	if r, s := x.Status.condition("Ready").Status, x.Status.condition("Synced").Status; r != "True" || s != "False" {
		t.Errorf("the refused child has Ready=%s Synced=%s; Crossplane was expected to keep Ready=True beside Synced=False (the pitfall docs/composability.md designs around)", r, s)
	}
	after, err := snapshot(ctx, ns, composed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the refused agent's composed objects changed (-before, +after):\n%s", diff)
	}

	delete(writer, "maxTokens")
	apply(t, platformXR(ns, name, writer))
	waitPlatform(t, ns, name, "Ready once the agent is fixed", 1, 1, "True")
}

// The longest names the example's XRD admits: a child named with exactly
// 63 characters, whose composed objects all get valid names; one more
// character is refused by the XRD's rule when applied.
func testPlatformLongestNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := platformNamespace(t, "platform-names")
	parent := "platform-with-a-long-name"                           // 25
	agentName := strings.Repeat("a", 63-1-len(parent)-6) + "-agent" // child: 63
	child := parent + "-" + agentName
	if len(child) != 63 {
		t.Fatalf("child name %q has %d characters, want 63", child, len(child))
	}
	apply(t, platformXR(ns, parent, map[string]any{"name": agentName, "model": "claude-haiku-4-5"}))
	waitPlatform(t, ns, parent, "Ready", 1, 1, "True")
	got, err := composedByInstance(ctx, ns, child)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposedOf(child, false), got); diff != "" {
		t.Errorf("composed objects of the 63-character %s (-want, +got):\n%s", child, diff)
	}
	t.Logf("%s (63) composes objects named %s (%d)", child, compose.NamesFor(child).Base, len(compose.NamesFor(child).Base))

	tooLong := platformXR(ns, parent+"x", map[string]any{"name": agentName, "model": "claude-haiku-4-5"})
	_, err = env.k.Apply(ctx, toJSON(tooLong))
	if err == nil || !strings.Contains(err.Error(), "must be at most 63 characters") {
		t.Errorf("an AgentPlatform whose child would be named with 64 characters: want refused by the XRD's rule, got %v", err)
	}
}

// Our step between two others (examples/platform/pipeline.yaml): the step
// before keeps its resource, the step after reads the context key.
func testPipelineCitizen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := namespace(t, "pipeline")
	b, err := os.ReadFile(filepath.Join(env.repo, platformExample, "agent-with-route.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var x map[string]any
	if err := yaml.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	x["metadata"].(map[string]any)["namespace"] = ns
	name := x["metadata"].(map[string]any)["name"].(string)
	apply(t, x)
	got := waitXR(t, ns, name, "Running", running(1))
	if got.Status.ServiceAccountName != name {
		t.Errorf("status.serviceAccountName %q, want %q", got.Status.ServiceAccountName, name)
	}
	composed, err := composedByInstance(ctx, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposedOf(name, false), composed); diff != "" {
		t.Errorf("composed objects (-want, +got):\n%s", diff)
	}

	var card struct{ Data map[string]string }
	decode(t, &card, "configmap", name+"-card", "-n", ns)
	if diff := cmp.Diff(map[string]string{"model": "claude-sonnet-4-5", "team": "support"}, card.Data); diff != "" {
		t.Errorf("the earlier step's ConfigMap (-want, +got):\n%s", diff)
	}
	want := map[string]string{
		"upstream":           name + ":8080",
		"endpoint":           name + "." + ns + ".svc.cluster.local:8080",
		"serviceAccountName": name,
		"podSelector":        `{"app.kubernetes.io/instance":"` + name + `","app.kubernetes.io/name":"agentops-agent"}`,
		"phase":              "Running",
	}
	err = kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
		var route struct{ Data map[string]string }
		if err := env.k.Get(ctx, &route, "configmap", name+"-route", "-n", ns); err != nil {
			return err
		}
		if diff := cmp.Diff(want, route.Data); diff != "" {
			return fmt.Errorf("-want, +got:\n%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Errorf("the later step's route, from the context key %s: %v", "agentops.io/agent", err)
	}
}
