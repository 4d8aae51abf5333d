package compose

import "fmt"

// The Vault Agent Injector writes each injected secret as a file under
// /vault/secrets in the pod.
const (
	vaultSecretsDir = "/vault/secrets"
	vaultSecretName = "api-key"
)

// vaultAnnotations ask the Vault Agent Injector to log in with the agent's
// ServiceAccount under the given role and write the API key to a file. The
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
	}
}
