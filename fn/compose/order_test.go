package compose

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestInOrder(t *testing.T) {
	w := workload(t, example(t, "production-claude-agent.yaml"), nil)
	all := All(w)
	keys := func(cs []Composed) []Key {
		out := make([]Key, 0, len(cs))
		for _, c := range cs {
			out = append(out, c.Key)
		}
		return out
	}
	set := func(ks ...Key) func(Key) bool {
		return func(k Key) bool { return slices.Contains(ks, k) }
	}
	everything := keys(all)
	type want struct {
		now    []Key
		held   []Key
		awaits []Key
	}
	cases := map[string]struct {
		reason string
		exists []Key
		ready  []Key
		want   want
	}{
		"NothingObserved": {
			reason: "The Deployment waits for the ServiceAccount it runs as and the ConfigMap it mounts; everything else is composed.",
			want: want{now: []Key{KeyServiceAccount, KeyConfigMap, KeyService, KeyHPA, KeyPDB, KeyNetworkPolicy, KeyServiceMonitor, KeyPrometheusRule},
				held: []Key{KeyDeployment}, awaits: []Key{KeyServiceAccount, KeyConfigMap}},
		},
		"ConfigMapNotReady": {
			reason: "Only what is not ready is awaited.",
			exists: []Key{KeyServiceAccount, KeyConfigMap},
			ready:  []Key{KeyServiceAccount},
			want: want{now: []Key{KeyServiceAccount, KeyConfigMap, KeyService, KeyHPA, KeyPDB, KeyNetworkPolicy, KeyServiceMonitor, KeyPrometheusRule},
				held: []Key{KeyDeployment}, awaits: []Key{KeyConfigMap}},
		},
		"DependenciesReady": {
			reason: "Both ready: everything is composed.",
			exists: []Key{KeyServiceAccount, KeyConfigMap},
			ready:  []Key{KeyServiceAccount, KeyConfigMap},
			want:   want{now: everything},
		},
		"DeploymentExists": {
			reason: "A Deployment that exists is never withdrawn, whatever it references.",
			exists: []Key{KeyDeployment},
			want:   want{now: everything},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			now, held := InOrder(all, set(tc.exists...), set(tc.ready...))
			got := want{now: keys(now)}
			for _, h := range held {
				got.held = append(got.held, h.Key)
				got.awaits = append(got.awaits, keys(h.Awaits)...)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nInOrder(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestInOrderReferences: every way a pod names a ServiceAccount, ConfigMap
// or Secret holds its Deployment back until that object is ready.
func TestInOrderReferences(t *testing.T) {
	cm := func(name string) Composed {
		return Composed{Key: Key("cm-" + name), Object: &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}}}
	}
	secret := func(name string) Composed {
		return Composed{Key: Key("secret-" + name), Object: &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name}}}
	}
	sa := Composed{Key: "sa", Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "sa"}}}
	container := corev1.Container{
		EnvFrom: []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "envfrom"}}}, {SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "envfrom"}}}},
		Env: []corev1.EnvVar{
			{Name: "A", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "env"}, Key: "a"}}},
			{Name: "B", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "env"}, Key: "b"}}},
			{Name: "C", Value: "plain"},
		},
	}
	dep := Composed{Key: "deployment", Object: &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		ServiceAccountName: "sa",
		ImagePullSecrets:   []corev1.LocalObjectReference{{Name: "pull"}},
		Volumes: []corev1.Volume{
			{Name: "v1", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "volume"}}}},
			{Name: "v2", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "volume"}}},
			{Name: "v3", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
				{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "projected"}}},
				{Secret: &corev1.SecretProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "projected"}}},
			}}}},
		},
		InitContainers: []corev1.Container{container},
	}}}}}
	referenced := []Composed{sa, secret("pull"), cm("volume"), secret("volume"), cm("projected"), secret("projected"), cm("envfrom"), secret("envfrom"), cm("env"), secret("env")}
	unreferenced := []Composed{cm("other"), secret("other"), {Key: "svc", Object: &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "sa"}}}}
	objs := append(append([]Composed{dep}, referenced...), unreferenced...)
	_, held := InOrder(objs, func(Key) bool { return false }, func(Key) bool { return false })
	if len(held) != 1 {
		t.Fatalf("InOrder(...): want the Deployment held, got %d held", len(held))
	}
	got := make([]Key, 0, len(held[0].Awaits))
	want := make([]Key, 0, len(referenced))
	for _, c := range held[0].Awaits {
		got = append(got, c.Key)
	}
	for _, c := range referenced {
		want = append(want, c.Key)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("InOrder(...): awaited: -want, +got:\n%s", diff)
	}
}
