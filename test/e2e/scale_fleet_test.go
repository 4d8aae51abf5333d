//go:build e2e && scale

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// fleetExamples are the examples the fleet cycles through: two of five
// autoscaled (production, llama), three fixed; 1.8 pods per agent.
var fleetExamples = []string{
	"production-claude-agent.yaml",
	"minimal.yaml",
	"autoscaling-off.yaml",
	"self-hosted-llama.yaml",
	"vault.yaml",
}

// agentsPerNamespace spreads the fleet as teams would.
const agentsPerNamespace = 20

// fleetAgent is one AgentDeployment of the fleet.
type fleetAgent struct {
	namespace, name string
	manifest        map[string]any
	autoscaled      bool
	pods            int
}

func (a fleetAgent) key() string { return a.namespace + "/" + a.name }

// fleet is n AgentDeployments, the examples in turn, each under its own
// name, agentsPerNamespace to a namespace.
func fleet(n int) ([]fleetAgent, error) {
	examples := make([]map[string]any, 0, len(fleetExamples))
	for _, f := range fleetExamples {
		docs, err := fixtures.Maps(filepath.Join(env.repo, "examples", f))
		if err != nil {
			return nil, err
		}
		if len(docs) != 1 {
			return nil, fmt.Errorf("examples/%s: %d documents, want 1", f, len(docs))
		}
		examples = append(examples, docs[0])
	}
	agents := make([]fleetAgent, 0, n)
	for i := range n {
		ex := examples[i%len(examples)]
		md, _ := ex["metadata"].(map[string]any)
		spec, _ := ex["spec"].(map[string]any)
		name := fmt.Sprintf("%s-%04d", md["name"], i)
		ns := fmt.Sprintf("scale-%02d", i/agentsPerNamespace)
		autoscaling, _ := spec["autoscaling"].(map[string]any)
		a := fleetAgent{namespace: ns, name: name, manifest: agent(ns, name, deepCopy(spec)), pods: 1}
		if on, _ := autoscaling["enabled"].(bool); on {
			a.autoscaled = true
			if m, ok := autoscaling["minReplicas"].(float64); ok {
				a.pods = int(m)
			}
		} else if r, ok := spec["replicas"].(float64); ok {
			a.pods = int(r)
		}
		agents = append(agents, a)
	}
	return agents, nil
}

// deepCopy copies a decoded JSON value, so that agents never share a map.
func deepCopy(v map[string]any) map[string]any {
	var out map[string]any
	if err := json.Unmarshal([]byte(toJSON(v)), &out); err != nil {
		panic(err)
	}
	return out
}

// fleetList is one List manifest of the fleet: one kubectl apply, as a
// GitOps tool applies a folder.
func fleetList(agents []fleetAgent) string {
	items := make([]any, 0, len(agents))
	for _, a := range agents {
		items = append(items, a.manifest)
	}
	return toJSON(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
}

// waveTemperature is the config change of the update wave: no example
// uses it, so every agent's ConfigMap, checksum and pods change.
const waveTemperature = 0.55

// withWaveConfig changes every agent's config.
func withWaveConfig(agents []fleetAgent) {
	for _, a := range agents {
		spec, _ := a.manifest["spec"].(map[string]any)
		config, _ := spec["config"].(map[string]any)
		if config == nil {
			config = map[string]any{}
			spec["config"] = config
		}
		config["temperature"] = waveTemperature
	}
}

// prepareCluster creates the fleet's namespaces and enough fake nodes of
// 110 pods and 32 CPUs for the fleet and its rollouts (the e2e node is
// the first), and waits for them to be Ready.
func prepareCluster(ctx context.Context, agents []fleetAgent) (int, error) {
	namespaces := map[string]bool{}
	var docs []string
	pods := 0
	for _, a := range agents {
		pods += a.pods
		if !namespaces[a.namespace] {
			namespaces[a.namespace] = true
			docs = append(docs, toJSON(map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": a.namespace}}))
		}
	}
	// A quarter more pods during a rollout (maxSurge), on 100 of 110 slots,
	// and a node for the CPUs of the largest agents.
	nodes := (pods*5/4)/100 + 2
	for i := 1; i < nodes; i++ {
		docs = append(docs, controlplane.FakeNode(fmt.Sprintf("kwok-node-%d", i)))
	}
	if _, err := env.k.Apply(ctx, strings.Join(docs, "\n---\n")); err != nil {
		return 0, err
	}
	return nodes, kube.Eventually(ctx, 2*time.Minute, time.Second, func(ctx context.Context) error {
		out, err := env.k.Run(ctx, "", "get", "nodes", "-o", `jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}`)
		if err != nil {
			return err
		}
		if ready := strings.Count(out, "True"); ready < nodes {
			return fmt.Errorf("%d of %d nodes Ready", ready, nodes)
		}
		return nil
	})
}
