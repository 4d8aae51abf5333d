package compose

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// Crossplane applies the composed resources of one call in no particular
// order. A Deployment created before the ServiceAccount its pods run as gets
// a ReplicaSet that cannot create pods until it exists (the ServiceAccount
// admission plugin refuses them), and pods that mount a ConfigMap not there
// yet wait for it. So an object whose pods reference other objects the agent
// composes is composed only once those are ready.

// A Held object is left out of the desired state for now.
type Held struct {
	Composed
	// Awaits are the composed objects its pods reference that are not ready
	// yet, in the order of the objects given to InOrder.
	Awaits []Composed
}

// InOrder returns, of objs, those to compose now, and those held back with
// what each waits for. An object is held back while a composed object its
// pods reference is not ready, unless it exists already: withdrawn from
// the desired state, Crossplane would delete it.
func InOrder(objs []Composed, exists, ready func(Key) bool) ([]Composed, []Held) {
	now := make([]Composed, 0, len(objs))
	var held []Held
	for _, o := range objs {
		// What exists is composed whatever it needs: at steady state that
		// is everything, and nothing more is looked at.
		if exists(o.Key) {
			now = append(now, o)
			continue
		}
		if awaits := awaited(o, objs, ready); len(awaits) > 0 {
			held = append(held, Held{Composed: o, Awaits: awaits})
			continue
		}
		now = append(now, o)
	}
	return now, held
}

// awaited lists the objects of objs that o's pods reference and that are
// not ready.
func awaited(o Composed, objs []Composed, ready func(Key) bool) []Composed {
	d, ok := o.Object.(*appsv1.Deployment)
	if !ok {
		return nil
	}
	refs := podReferences(&d.Spec.Template.Spec)
	var out []Composed
	for _, c := range objs {
		if kind, name, ok := Referable(c); ok && refs[reference{kind, name}] && !ready(c.Key) {
			out = append(out, c)
		}
	}
	return out
}

// A reference from a pod to an object of its namespace.
type reference struct {
	kind, name string
}

// Referable returns the kind and name of c, and true, if pods can
// reference objects of its kind: ServiceAccounts, ConfigMaps and Secrets.
func Referable(c Composed) (string, string, bool) {
	switch o := c.Object.(type) {
	case *corev1.ServiceAccount:
		return "ServiceAccount", o.Name, true
	case *corev1.ConfigMap:
		return "ConfigMap", o.Name, true
	case *corev1.Secret:
		return "Secret", o.Name, true
	}
	return "", "", false
}

// podReferences are the ServiceAccount, ConfigMaps and Secrets a pod spec
// names, optional ones included: a pod that would start without one must
// not start without it only because Crossplane applied it second.
func podReferences(spec *corev1.PodSpec) map[reference]bool {
	refs := map[reference]bool{}
	add := func(kind, name string) {
		if name != "" {
			refs[reference{kind, name}] = true
		}
	}
	add("ServiceAccount", spec.ServiceAccountName)
	for _, s := range spec.ImagePullSecrets {
		add("Secret", s.Name)
	}
	for _, v := range spec.Volumes {
		volumeReferences(v.VolumeSource, add)
	}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		containerReferences(c, add)
	}
	return refs
}

func volumeReferences(v corev1.VolumeSource, add func(kind, name string)) {
	if v.ConfigMap != nil {
		add("ConfigMap", v.ConfigMap.Name)
	}
	if v.Secret != nil {
		add("Secret", v.Secret.SecretName)
	}
	if v.Projected == nil {
		return
	}
	for _, p := range v.Projected.Sources {
		if p.ConfigMap != nil {
			add("ConfigMap", p.ConfigMap.Name)
		}
		if p.Secret != nil {
			add("Secret", p.Secret.Name)
		}
	}
}

func containerReferences(c corev1.Container, add func(kind, name string)) {
	for _, e := range c.EnvFrom {
		if e.ConfigMapRef != nil {
			add("ConfigMap", e.ConfigMapRef.Name)
		}
		if e.SecretRef != nil {
			add("Secret", e.SecretRef.Name)
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			add("ConfigMap", r.Name)
		}
		if r := e.ValueFrom.SecretKeyRef; r != nil {
			add("Secret", r.Name)
		}
	}
}
