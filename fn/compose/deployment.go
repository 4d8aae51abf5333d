package compose

import (
	"maps"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Deployment runs the agent, with DeploymentReplicas replicas: the agent's
// count, or, when an HPA owns it, the count the HPA last chose.
func Deployment(w *Workload) *appsv1.Deployment {
	d := &appsv1.Deployment{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: appsv1.DeploymentSpec{
			Selector:                &metav1.LabelSelector{MatchLabels: w.Selector()},
			RevisionHistoryLimit:    ptr.To[int32](5),
			ProgressDeadlineSeconds: new(w.Settings.ProgressDeadlineSeconds),
			// Surge rather than take a serving replica away.
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: new(intstr.FromInt32(0)),
					MaxSurge:       new(intstr.FromString("25%")),
				},
			},
			Template: podTemplate(w),
		},
	}
	d.Spec.Replicas = new(w.DeploymentReplicas())
	return d
}

func podTemplate(w *Workload) corev1.PodTemplateSpec {
	annotations := map[string]string{
		AnnotationConfigChecksum:   w.ConfigChecksum,
		AnnotationDefaultContainer: containerName,
	}
	maps.Copy(annotations, vaultAnnotations(w))
	t := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: w.Labels(), Annotations: annotations},
		Spec: corev1.PodSpec{
			ServiceAccountName: w.Names.Base,
			// No container gets a token: Vault's agent gets its own through
			// a projected volume only its containers mount (vault.go).
			AutomountServiceAccountToken:  new(false),
			EnableServiceLinks:            new(false),
			TerminationGracePeriodSeconds: ptr.To[int64](30),
			SecurityContext:               podSecurityContext(),
			Containers:                    []corev1.Container{agentContainer(w)},
			Volumes:                       volumes(w),
			TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{
				MaxSkew:           1,
				TopologyKey:       corev1.LabelHostname,
				WhenUnsatisfiable: corev1.ScheduleAnyway,
				LabelSelector:     &metav1.LabelSelector{MatchLabels: w.Selector()},
			}},
		},
	}
	withPodOptions(w, &t)
	return t
}

func volumes(w *Workload) []corev1.Volume {
	v := []corev1.Volume{
		{Name: tmpVolume, VolumeSource: tmpVolumeSource()},
		{Name: configVolume, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: w.Names.Config},
		}}},
	}
	if w.Agent.Spec.Secrets.Vault.Enabled {
		v = append(v, corev1.Volume{Name: vaultTokenVolume, VolumeSource: vaultTokenVolumeSource()})
	}
	return v
}

// podSecurityContext meets Pod Security Standards "restricted".
func podSecurityContext() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   new(true),
		RunAsUser:      ptr.To[int64](nonRootUID),
		RunAsGroup:     ptr.To[int64](nonRootUID),
		FSGroup:        ptr.To[int64](nonRootUID),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}
