package compose

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Service is the agent's in-cluster address.
func Service(w *Workload) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: w.meta(w.Names.Base),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: w.Selector(),
			Ports: []corev1.ServicePort{{
				Name:       HTTPPortName,
				Port:       HTTPPort,
				TargetPort: intstr.FromString(HTTPPortName),
				Protocol:   corev1.ProtocolTCP,
			}},
		},
	}
}
