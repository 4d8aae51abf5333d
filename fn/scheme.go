package fn

import (
	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/function-sdk-go/resource/composed"
)

// The SDK converts typed objects to composed resources through
// composed.Scheme: register every kind the function composes.
func init() { //nolint:gochecknoinits // composed.Scheme is the SDK's global; it must know our kinds before the first call.
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme,
		policyv1.AddToScheme, networkingv1.AddToScheme, monv1.AddToScheme,
	} {
		if err := add(composed.Scheme); err != nil {
			panic(err)
		}
	}
}
