package compose

import (
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// withPodOptions adds to the pod template what the platform sets for every
// agent and what this agent asks for within the platform's policy: extra
// labels and annotations (ours win, though validation refuses clashes),
// pull secrets, scheduling. An agent that asks for nothing, under an input
// that sets nothing, gets its pod template unchanged.
func withPodOptions(w *Workload, t *corev1.PodTemplateSpec) {
	spec := &w.Agent.Spec
	if pm := spec.PodMetadata; pm != nil {
		t.Labels = merged(pm.Labels, t.Labels)
		t.Annotations = merged(pm.Annotations, t.Annotations)
	}
	t.Spec.ImagePullSecrets = pullSecrets(w)
	sch := w.Settings.Policy.Scheduling
	nodeSelector := maps.Clone(sch.NodeSelector)
	tolerations := slices.Clone(sch.Tolerations)
	if spec.NodePool != nil {
		pool := sch.NodePools[*spec.NodePool]
		if len(pool.NodeSelector) > 0 && nodeSelector == nil {
			nodeSelector = map[string]string{}
		}
		maps.Copy(nodeSelector, pool.NodeSelector)
		tolerations = append(tolerations, pool.Tolerations...)
	}
	t.Spec.NodeSelector = nodeSelector
	for _, tol := range tolerations {
		t.Spec.Tolerations = append(t.Spec.Tolerations, *tol.DeepCopy())
	}
	t.Spec.Affinity = sch.Affinity.DeepCopy()
	t.Spec.PriorityClassName = sch.PriorityClassName
	for _, c := range sch.TopologySpreadConstraints {
		c := *c.DeepCopy()
		if c.LabelSelector == nil {
			c.LabelSelector = &metav1.LabelSelector{MatchLabels: w.Selector()}
		}
		t.Spec.TopologySpreadConstraints = append(t.Spec.TopologySpreadConstraints, c)
	}
}

// merged is extra with ours over it; nil when both are empty.
func merged(extra, ours map[string]string) map[string]string {
	if len(extra) == 0 {
		return ours
	}
	out := maps.Clone(extra)
	maps.Copy(out, ours)
	return out
}

// pullSecrets are the platform's, then the agent's, each once.
func pullSecrets(w *Workload) []corev1.LocalObjectReference {
	var out []corev1.LocalObjectReference
	add := func(name string) {
		if !slices.ContainsFunc(out, func(r corev1.LocalObjectReference) bool { return r.Name == name }) {
			out = append(out, corev1.LocalObjectReference{Name: name})
		}
	}
	for _, name := range w.Settings.Policy.PullSecrets {
		add(name)
	}
	for _, r := range w.Agent.Spec.ImagePullSecrets {
		add(r.Name)
	}
	return out
}

// pullPolicy is the agent's, or the platform's default.
func (w *Workload) pullPolicy() corev1.PullPolicy {
	if p := w.Agent.Spec.ImagePullPolicy; p != nil {
		return corev1.PullPolicy(*p)
	}
	return w.Settings.Policy.PullPolicy
}

// extraEnv is the agent's own environment (spec.env), after the contract's
// variables; validation refused the names those use.
func extraEnv(w *Workload) []corev1.EnvVar {
	vars := make([]corev1.EnvVar, 0, len(w.Agent.Spec.Env))
	for _, v := range w.Agent.Spec.Env {
		e := corev1.EnvVar{Name: v.Name, Value: ptr.Deref(v.Value, "")}
		if from := v.ValueFrom; from != nil {
			switch {
			case from.SecretKeyRef != nil:
				e.ValueFrom = &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: from.SecretKeyRef.Name}, Key: from.SecretKeyRef.Key,
				}}
			case from.ConfigMapKeyRef != nil:
				e.ValueFrom = &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: from.ConfigMapKeyRef.Name}, Key: from.ConfigMapKeyRef.Key,
				}}
			}
		}
		vars = append(vars, e)
	}
	return vars
}
