package compose

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// The agent's disk: its root filesystem is read-only, so it writes only to
// /tmp (an emptyDir) and its logs. The kubelet counts both against the
// container's ephemeral-storage limit and evicts the pod past it, or past
// the emptyDir's sizeLimit.
var (
	// tmpSize is /tmp's sizeLimit.
	tmpSize = resource.MustParse("1Gi")
	// logsSize covers the container's logs: the kubelet keeps 5 files of
	// 10Mi by default (containerLogMaxFiles, containerLogMaxSize).
	logsSize = resource.MustParse("128Mi")
)

// ephemeralStorageLimit is what the agent may write: a full /tmp and its
// logs.
func ephemeralStorageLimit() resource.Quantity {
	limit := tmpSize.DeepCopy()
	limit.Add(logsSize)
	return limit
}

// ephemeralStorageRequest is what the agent is scheduled with: a quarter of
// /tmp and its logs, so that a node's disk is not reserved for scratch
// space an agent rarely fills.
func ephemeralStorageRequest() resource.Quantity {
	request := *resource.NewQuantity(tmpSize.Value()/4, resource.BinarySI)
	request.Add(logsSize)
	return request
}

// withEphemeralStorage adds the agent's ephemeral storage to its CPU and
// memory, which the AgentDeployment sets (ephemeral storage it cannot).
func withEphemeralStorage(r corev1.ResourceRequirements) corev1.ResourceRequirements {
	out := *r.DeepCopy()
	if out.Requests == nil {
		out.Requests = corev1.ResourceList{}
	}
	if out.Limits == nil {
		out.Limits = corev1.ResourceList{}
	}
	out.Requests[corev1.ResourceEphemeralStorage] = ephemeralStorageRequest()
	out.Limits[corev1.ResourceEphemeralStorage] = ephemeralStorageLimit()
	return out
}

// tmpVolumeSource is /tmp: on the node's disk, at most tmpSize.
func tmpVolumeSource() corev1.VolumeSource {
	return corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: new(tmpSize.DeepCopy())}}
}
