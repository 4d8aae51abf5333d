package compose

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// In Object mode (input.delivery) every composed object goes to a workload
// cluster, wrapped in a provider-kubernetes Object: a namespaced managed
// resource of the control plane that applies its manifest through a
// ProviderConfig and reports the remote object back in
// status.atProvider.manifest. The fields below are those of provider-kubernetes
// v1.3.1's kubernetes.m.crossplane.io_objects CRD that the function sets.

// ObjectGroupVersion of provider-kubernetes' namespaced Object.
var ObjectGroupVersion = schema.GroupVersion{Group: "kubernetes.m.crossplane.io", Version: "v1alpha1"}

// ObjectKind is the Object's kind.
const ObjectKind = "Object"

// objectKeySuffix ends the composition resource name of an Object. No Local
// mode name ends with it (those end with a kind's name), so a Composition
// switched from one mode to the other never reuses a name for an object of
// another kind: Crossplane deletes the old objects and creates the new.
const objectKeySuffix = "-object"

// An Object wraps one manifest for provider-kubernetes.
type Object struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitzero"`

	Spec ObjectSpec `json:"spec"`
}

// ObjectSpec is what the function sets of an Object's spec.
type ObjectSpec struct {
	ProviderConfigRef  ProviderConfigReference `json:"providerConfigRef"`
	ManagementPolicies []string                `json:"managementPolicies,omitempty"`
	ForProvider        ObjectParameters        `json:"forProvider"`
	Readiness          *ObjectReadiness        `json:"readiness,omitempty"`
	Watch              bool                    `json:"watch,omitempty"`
}

// ProviderConfigReference names the config that reaches the workload cluster.
type ProviderConfigReference struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// ObjectParameters hold the manifest. The manifest is a typed object of the
// agent's; the function encodes it with its kind, without a status (it is
// excluded from JSON here so that nothing encodes it any other way).
type ObjectParameters struct {
	Manifest runtime.Object `json:"-"`
}

// ObjectReadiness is how the provider computes the Object's Ready condition.
type ObjectReadiness struct {
	Policy   string `json:"policy,omitempty"`
	CelQuery string `json:"celQuery,omitempty"`
}

// DeepCopyObject copies the Object, its manifest included.
func (o *Object) DeepCopyObject() runtime.Object {
	out := &Object{TypeMeta: o.TypeMeta, Spec: o.Spec}
	o.DeepCopyInto(&out.ObjectMeta)
	out.Spec.ManagementPolicies = append([]string(nil), o.Spec.ManagementPolicies...)
	if o.Spec.Readiness != nil {
		out.Spec.Readiness = new(*o.Spec.Readiness)
	}
	if o.Spec.ForProvider.Manifest != nil {
		out.Spec.ForProvider.Manifest = o.Spec.ForProvider.Manifest.DeepCopyObject()
	}
	return out
}

// AddObjectToScheme registers the Object's kind.
func AddObjectToScheme(s *runtime.Scheme) error {
	s.AddKnownTypeWithName(ObjectGroupVersion.WithKind(ObjectKind), &Object{})
	return nil
}

// ObjectKey is the composition resource name of the Object wrapping the
// object composed under k in Local mode.
func ObjectKey(k Key) Key { return k + objectKeySuffix }

// Wrap puts each of objs into an Object in namespace, the control plane's
// namespace of the XR (or claim), under its ObjectKey. The Objects are
// named after the agent and the kind they carry, so that two agents'
// Objects never share a name; owner references do not cross clusters, so
// deleting an Object is what deletes its remote object.
func Wrap(w *Workload, namespace string, objs []Composed) []Composed {
	d := w.Settings.Delivery
	out := make([]Composed, 0, len(objs))
	for _, c := range objs {
		o := &Object{
			ObjectMeta: metav1.ObjectMeta{
				Name:      w.Names.Base + "-" + string(c.Key[len(w.Settings.ResourceNamePrefix):]),
				Namespace: namespace,
				Labels:    w.Labels(),
			},
			Spec: ObjectSpec{
				ProviderConfigRef:  ProviderConfigReference{Kind: d.ProviderConfigKind, Name: d.ProviderConfigName},
				ManagementPolicies: d.ManagementPolicies,
				ForProvider:        ObjectParameters{Manifest: c.Object},
				Watch:              d.Watch,
			},
		}
		if d.ReadinessPolicy != "" {
			o.Spec.Readiness = &ObjectReadiness{Policy: d.ReadinessPolicy, CelQuery: d.CelQuery}
		}
		out = append(out, Composed{Key: ObjectKey(c.Key), Object: o})
	}
	return out
}

// LocalKey is the composition resource name that the Object under k wraps
// the object of, and true; false if k is not an Object's.
func LocalKey(k Key) (Key, bool) {
	local, ok := strings.CutSuffix(string(k), objectKeySuffix)
	return Key(local), ok
}
