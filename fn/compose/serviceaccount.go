package compose

import (
	corev1 "k8s.io/api/core/v1"
)

// ServiceAccount is the agent's identity. Its token is not mounted: the
// agent does not call the Kubernetes API.
func ServiceAccount(w *Workload) *corev1.ServiceAccount {
	return &corev1.ServiceAccount{
		ObjectMeta:                   w.meta(w.Names.Base),
		AutomountServiceAccountToken: new(false),
	}
}
