// Package v1alpha1 is the part of KEDA's keda.sh/v1alpha1 API that the
// function composes and reads: the ScaledObject, field for field as KEDA
// v2.21.0 defines it (github.com/kedacore/keda/v2/apis/keda/v1alpha1).
//
// KEDA's own package would bring client-go's informers, controller-runtime's
// webhooks and expr-lang into the function's binary for a handful of
// structs, so the function carries these instead. They are held to KEDA's
// CRD (test/fixtures/crds, copied from the same release by make generate)
// by the render suite's schema validation and by the API server in e2e.
//
// +kubebuilder:object:generate=true
// +groupName=keda.sh
// +versionName=v1alpha1
package v1alpha1
