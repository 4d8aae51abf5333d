package compose

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	containerName = "agent"
	tmpVolume     = "tmp"
	configVolume  = "config"
	configDir     = "/etc/agentops/config"
	nonRootUID    = 65532
)

// agentContainer runs the agent runtime: read-only root filesystem, no
// privileges, writable /tmp only.
func agentContainer(w *Workload) corev1.Container {
	return corev1.Container{
		Name:            containerName,
		Image:           w.Image,
		ImagePullPolicy: w.pullPolicy(),
		Ports:           []corev1.ContainerPort{{Name: HTTPPortName, ContainerPort: HTTPPort, Protocol: corev1.ProtocolTCP}},
		Env:             env(w),
		Resources:       withEphemeralStorage(w.Resources),
		ReadinessProbe:  probe("/readyz", 5, 10, 3),
		LivenessProbe:   probe("/healthz", 15, 20, 3),
		VolumeMounts: []corev1.VolumeMount{
			{Name: tmpVolume, MountPath: "/tmp"},
			{Name: configVolume, MountPath: configDir, ReadOnly: true},
		},
		// The user is set here too, not only on the pod: the Vault Agent
		// Injector runs its sidecar as container 0's runAsUser and refuses a
		// pod whose container 0 has none (vault-k8s runAsSameID).
		SecurityContext: &corev1.SecurityContext{
			AllowPrivilegeEscalation: new(false),
			ReadOnlyRootFilesystem:   new(true),
			RunAsNonRoot:             new(true),
			RunAsUser:                new(int64(nonRootUID)),
			RunAsGroup:               new(int64(nonRootUID)),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
}

func probe(path string, initialDelay, period, failures int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString(HTTPPortName)}},
		InitialDelaySeconds: initialDelay,
		PeriodSeconds:       period,
		TimeoutSeconds:      2,
		FailureThreshold:    failures,
	}
}

// env tells the agent its model and where its configuration and API key are.
// The key's value never passes through here: only a reference to it.
func env(w *Workload) []corev1.EnvVar {
	fromConfig := func(name, key string) corev1.EnvVar {
		return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: w.Names.Config}, Key: key,
		}}}
	}
	vars := []corev1.EnvVar{
		{Name: "MODEL_NAME", Value: w.Model.Name},
		{Name: "MODEL_PROVIDER", Value: string(w.Model.Provider)},
		{Name: "MODEL_CONTEXT_WINDOW", Value: strconv.Itoa(int(w.Model.ContextWindow))},
		{Name: "API_ENDPOINT", Value: w.Model.Endpoint},
		fromConfig("MAX_TOKENS", "maxTokens"),
		fromConfig("TEMPERATURE", "temperature"),
		{Name: "SYSTEM_PROMPT_FILE", Value: configDir + "/systemPrompt"},
		{Name: "PORT", Value: strconv.Itoa(HTTPPort)},
	}
	sec := w.Agent.Spec.Secrets
	switch {
	case sec.Vault.Enabled:
		vars = append(vars, corev1.EnvVar{Name: "API_KEY_FILE", Value: vaultSecretsDir + "/" + vaultSecretName})
	case sec.APIKeySecret != nil:
		vars = append(vars, corev1.EnvVar{Name: "API_KEY", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: *sec.APIKeySecret},
			Key:                  *sec.APIKeyKey,
		}}})
	}
	return append(vars, extraEnv(w)...)
}
