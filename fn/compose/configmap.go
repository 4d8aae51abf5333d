package compose

import corev1 "k8s.io/api/core/v1"

// ConfigMap holds the agent's configuration: maxTokens, temperature and
// systemPrompt. Never a secret value.
func ConfigMap(w *Workload) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: w.meta(w.Names.Config),
		Data:       w.Config,
	}
}
