// Package compose builds the typed Kubernetes objects of one agent: one file
// per kind. Builders are pure: the same Workload always gives the same
// objects, so the desired state is stable across reconciles.
package compose

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/fn/agent"
	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/fn/settings"
)

// HTTPPort is the agent's one port: its API, probes and metrics.
const (
	HTTPPort     = 8080
	HTTPPortName = "http"
)

// A Workload is everything the builders need, worked out once per request.
type Workload struct {
	Agent     *agent.Agent
	Settings  *settings.Settings
	Model     catalog.Entry
	Image     string
	Names     Names
	Resources corev1.ResourceRequirements
	// Config is the ConfigMap's data; ConfigChecksum its hash, put on the pod
	// template so that a config change rolls the pods.
	Config         map[string]string
	ConfigChecksum string
	// ObservedReplicas is the Deployment's spec.replicas as observed, nil
	// before it exists (ObserveReplicas).
	ObservedReplicas *int32
	// Installed are the optional kinds whose CRDs the cluster serves.
	Installed crds.Installed
}

// NewWorkload works out the workload of a valid agent.
func NewWorkload(a *agent.Agent, s *settings.Settings) *Workload {
	m := s.Models[string(a.Spec.Model)]
	w := &Workload{
		Agent:     a,
		Settings:  s,
		Model:     m,
		Image:     ptr.Deref(a.Spec.Image, m.Image),
		Names:     NamesFor(a.Name),
		Resources: s.ContainerResources(&a.Spec),
	}
	c := a.Spec.Config
	w.Config = map[string]string{
		"maxTokens":    strconv.FormatInt(int64(*c.MaxTokens), 10),
		"temperature":  strconv.FormatFloat(*c.Temperature, 'g', -1, 64),
		"systemPrompt": *c.SystemPrompt,
	}
	w.ConfigChecksum = checksum(w.Config)
	return w
}

// Autoscaled reports whether an autoscaler the function composes owns the
// replica count: the HPA, or with the KEDA engine the ScaledObject, where
// its CRD is installed. The compose.horizontalPodAutoscaler toggle turns
// either off.
func (w *Workload) Autoscaled() bool {
	if !w.Agent.Spec.Autoscaling.Enabled || !w.Settings.Compose.HorizontalPodAutoscaler {
		return false
	}
	return w.Settings.Engine != settings.EngineKEDA || w.Installed.Has(crds.ScaledObject)
}

// ServiceMonitored reports whether the function composes the
// ServiceMonitor: the input asks for it, the agent does not turn monitoring
// off, and its CRD is installed.
func (w *Workload) ServiceMonitored() bool {
	return w.Settings.Compose.ServiceMonitor && w.Monitored() && w.Installed.Has(crds.ServiceMonitor)
}

// Alerted reports whether the function composes the PrometheusRule: the
// input asks for it, its CRD is installed, and the ServiceMonitor is
// composed too, for the rules select the labels its scrape adds.
func (w *Workload) Alerted() bool {
	return w.Settings.Compose.PrometheusRule && w.Installed.Has(crds.PrometheusRule) && w.ServiceMonitored()
}

// GuaranteedReplicas is the fewest replicas the agent is meant to run.
func (w *Workload) GuaranteedReplicas() int32 {
	if w.Autoscaled() {
		return *w.Agent.Spec.Autoscaling.MinReplicas
	}
	return *w.Agent.Spec.Replicas
}

// A Key is a composition resource name: what a composed resource goes
// under in the desired and observed state.
type Key string

// A Composed object and the composition resource name it goes under.
type Composed struct {
	Key    Key
	Object runtime.Object
}

// Composition resource names, before the input's prefix.
const (
	KeyServiceAccount = "serviceaccount"
	KeyConfigMap      = "configmap"
	KeyDeployment     = "deployment"
	KeyService        = "service"
	KeyHPA            = "horizontalpodautoscaler"
	KeyPDB            = "poddisruptionbudget"
	KeyNetworkPolicy  = "networkpolicy"
	KeyServiceMonitor = "servicemonitor"
	KeyPrometheusRule = "prometheusrule"
	KeyScaledObject   = "scaledobject"
)

// Key is the composition resource name of a kind's object.
func (w *Workload) Key(kind string) Key {
	return Key(w.Settings.ResourceNamePrefix + kind)
}

// All builds every object the agent needs, in a stable order.
func All(w *Workload) []Composed {
	out := []Composed{
		{w.Key(KeyServiceAccount), ServiceAccount(w)},
		{w.Key(KeyConfigMap), ConfigMap(w)},
		{w.Key(KeyDeployment), Deployment(w)},
		{w.Key(KeyService), Service(w)},
	}
	c := w.Settings.Compose
	switch {
	case !w.Autoscaled():
	case w.Settings.Engine == settings.EngineKEDA:
		out = append(out, Composed{w.Key(KeyScaledObject), ScaledObject(w)})
	default:
		out = append(out, Composed{w.Key(KeyHPA), HorizontalPodAutoscaler(w)})
	}
	if c.PodDisruptionBudget {
		out = append(out, Composed{w.Key(KeyPDB), PodDisruptionBudget(w)})
	}
	if c.NetworkPolicy {
		out = append(out, Composed{w.Key(KeyNetworkPolicy), NetworkPolicy(w)})
	}
	if w.ServiceMonitored() {
		out = append(out, Composed{w.Key(KeyServiceMonitor), ServiceMonitor(w)})
	}
	if w.Alerted() {
		out = append(out, Composed{w.Key(KeyPrometheusRule), PrometheusRule(w)})
	}
	return out
}

// checksum hashes a map independently of its iteration order.
func checksum(data map[string]string) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		// Length-prefix both so that no two maps hash alike.
		h.Write([]byte(strconv.Itoa(len(k)) + ":" + k + strconv.Itoa(len(data[k])) + ":" + data[k]))
	}
	return hex.EncodeToString(h.Sum(nil))
}
