package scenario

import (
	"fmt"
	"hash/fnv"

	"k8s.io/apimachinery/pkg/runtime"
)

// models the variants cycle through: every provider of the catalog.
var models = []string{"claude-3-opus", "claude-sonnet-4-5", "gpt-4o", "gemini-2.5-pro", "mistral-large", "llama-3.3-70b"}

// A variant of the production example.
type variant struct {
	name, namespace, uid string
	spec                 map[string]any
	// replicas the agent runs in the steady state.
	replicas int64
}

// variant i is the production example itself for i == 0; any other i gets
// its own name, one of 100 namespaces, and its own model, replica counts,
// resources, config and secret.
func (b *Builder) variant(i int) variant {
	meta, _ := b.example["metadata"].(map[string]any)
	spec, _ := runtime.DeepCopyJSONValue(b.example["spec"]).(map[string]any)
	v := variant{name: fmt.Sprint(meta["name"]), namespace: fmt.Sprint(meta["namespace"]), spec: spec, replicas: 3}
	if i != 0 {
		v.name = fmt.Sprintf("agent-%05d", i)
		v.namespace = fmt.Sprintf("team-%02d", i%100)
		v.replicas = int64(2 + i%4)
		set(spec, models[i%len(models)], "model")
		set(spec, v.replicas, "replicas")
		set(spec, v.replicas, "autoscaling", "minReplicas")
		set(spec, v.replicas+8, "autoscaling", "maxReplicas")
		set(spec, fmt.Sprintf("%dm", 250+50*(i%8)), "resources", "requests", "cpu")
		set(spec, fmt.Sprintf("%dMi", 512*(1+i%4)), "resources", "requests", "memory")
		set(spec, int64(1024*(1+i%8)), "config", "maxTokens")
		set(spec, float64(i%10)/10, "config", "temperature")
		set(spec, fmt.Sprintf("You are agent %d of team %d. Answer from the knowledge base.\n", i, i%100), "config", "systemPrompt")
		set(spec, fmt.Sprintf("llm-key-%d", i%7), "secrets", "apiKeySecret")
	}
	v.uid = uid("AgentDeployment", v.namespace, v.name)
	return v
}

// set sets the value at path, making the maps on the way.
func set(m map[string]any, value any, path ...string) {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = value
}

// get returns the value at path, or nil.
func get(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// uid is a stable, distinct UID for an object.
func uid(kind, namespace, name string) string {
	f := fnv.New64a()
	_, _ = f.Write([]byte(kind + "/" + namespace + "/" + name))
	h := f.Sum64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", h>>32, h>>16&0xffff, h>>4&0xfff, h&0xfff, h*31&0xffffffffffff)
}
