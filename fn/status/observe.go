package status

import (
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

// observedDeployment is the agent's Deployment as observed, if it was.
type observedDeployment struct {
	observed bool
	d        *appsv1.Deployment
	verdict  health.Verdict
}

func observeDeployment(o resource.ObservedComposed) observedDeployment {
	if o.Resource == nil || len(o.Resource.Object) == 0 {
		return observedDeployment{verdict: health.Of(nil)}
	}
	d, err := health.Deployment(&o.Resource.Unstructured)
	if err != nil {
		return observedDeployment{verdict: health.Verdict{Reason: health.ReasonMalformed, Message: err.Error()}}
	}
	v := health.Of(&o.Resource.Unstructured)
	return observedDeployment{observed: true, d: d, verdict: v}
}

// observedHPA is the agent's HPA as observed, if the agent is autoscaled and
// it was.
type observedHPA struct {
	enabled  bool
	observed bool
	h        *autoscalingv2.HorizontalPodAutoscaler
}

func observeHPA(w *compose.Workload, o resource.ObservedComposed) observedHPA {
	if !w.Autoscaled() {
		return observedHPA{}
	}
	if o.Resource == nil || len(o.Resource.Object) == 0 {
		return observedHPA{enabled: true}
	}
	h := &autoscalingv2.HorizontalPodAutoscaler{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Resource.Object, h); err != nil {
		return observedHPA{enabled: true}
	}
	return observedHPA{enabled: true, observed: true, h: h}
}

// desiredReplicas is spec.replicas, or what the autoscaler currently wants:
// its desired count, or the Deployment's replicas it set, or minReplicas
// before either reported.
func desiredReplicas(w *compose.Workload, dep observedDeployment, hpa observedHPA) int32 {
	if !hpa.enabled {
		return *w.Agent.Spec.Replicas
	}
	if hpa.observed && hpa.h.Status.DesiredReplicas > 0 {
		return hpa.h.Status.DesiredReplicas
	}
	if dep.observed && dep.d.Spec.Replicas != nil {
		return *dep.d.Spec.Replicas
	}
	return ptr.Deref(w.Agent.Spec.Autoscaling.MinReplicas, 1)
}

// notReadyResources lists, sorted, the desired resources other than the
// Deployment that are not ready, with why.
func notReadyResources(desired []compose.Composed, verdicts map[resource.Name]health.Verdict, deployment resource.Name) []string {
	var out []string
	for _, d := range desired {
		if d.Key == deployment {
			continue
		}
		if v := verdicts[d.Key]; !v.Ready {
			out = append(out, string(d.Key)+": "+v.Message)
		}
	}
	sort.Strings(out)
	return out
}

func selectorString(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + labels[k]
	}
	return strings.Join(parts, ",")
}
