package compose

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Labels and annotations AgentOps sets.
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelComponent = "app.kubernetes.io/component"
	LabelModel     = "agentops.io/model"

	AnnotationConfigChecksum   = "agentops.io/config-checksum"
	AnnotationDefaultContainer = "kubectl.kubernetes.io/default-container"

	appName   = "agentops-agent"
	managedBy = "agentops"
	component = "agent"
)

// Selector labels pick the agent's pods. They never change across spec edits:
// a Deployment's selector is immutable.
func (w *Workload) Selector() map[string]string {
	return map[string]string{LabelName: appName, LabelInstance: w.Names.Base}
}

// Labels go on every composed object and on the pods.
func (w *Workload) Labels() map[string]string {
	l := w.Selector()
	l[LabelManagedBy] = managedBy
	l[LabelComponent] = component
	l[LabelModel] = string(w.Agent.Spec.Model)
	return l
}

// meta is the metadata of a composed object named name.
func (w *Workload) meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: w.Agent.Namespace, Labels: w.Labels()}
}
