package compose

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// The Vault Agent Injector writes each injected secret as a file under
// /vault/secrets in the pod.
const (
	vaultSecretsDir = "/vault/secrets"
	vaultSecretName = "api-key"

	// vaultTokenVolume holds the ServiceAccount token Vault's agent logs in
	// with. No container of ours mounts it: the injector finds it by the
	// annotation below and mounts it into its own containers only
	// (vault-k8s agent-inject/agent/agent.go, serviceaccount()).
	vaultTokenVolume = "vault-token"
	// vaultTokenLifetime is short: the kubelet renews the token at 80% of it.
	vaultTokenLifetime = 3600
)

// vaultTokenVolumeSource projects a token of the agent's ServiceAccount for
// Vault's agent alone; the pod mounts no token otherwise.
func vaultTokenVolumeSource() corev1.VolumeSource {
	return corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{{
		ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: new(int64(vaultTokenLifetime))},
	}}}}
}

// vaultAnnotations ask the Vault Agent Injector to log in with the agent's
// ServiceAccount (the token in vaultTokenVolume) under the given role and
// write the API key to a file. The
// template picks the key named spec.secrets.apiKeyKey out of a KV v2 secret.
func vaultAnnotations(w *Workload) map[string]string {
	sec := w.Agent.Spec.Secrets
	v := sec.Vault
	if !v.Enabled {
		return nil
	}
	return map[string]string{
		"vault.hashicorp.com/agent-inject":                             "true",
		"vault.hashicorp.com/role":                                     *v.Role,
		"vault.hashicorp.com/agent-inject-secret-" + vaultSecretName:   *v.SecretPath,
		"vault.hashicorp.com/agent-inject-template-" + vaultSecretName: fmt.Sprintf(`{{- with secret %q -}}{{ index .Data.data %q }}{{- end -}}`, *v.SecretPath, *sec.APIKeyKey),
		"vault.hashicorp.com/agent-run-as-same-user":                   "true",
		"vault.hashicorp.com/agent-inject-containers":                  containerName,
		"vault.hashicorp.com/agent-service-account-token-volume-name":  vaultTokenVolume,
	}
}
