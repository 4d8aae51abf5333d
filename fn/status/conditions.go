package status

import (
	"fmt"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
)

func workloadAvailable(dep observedDeployment, desired int32) Condition {
	c := Condition{Type: TypeWorkloadAvailable}
	switch {
	case !dep.observed:
		c.Reason, c.Message = dep.verdict.Reason, "the agent's Deployment is "+dep.verdict.Message
	case desired == 0:
		c.Status, c.Reason, c.Message = true, "ScaledToZero", "no replicas desired"
	case dep.d.Status.AvailableReplicas >= desired && dep.d.Status.ReadyReplicas >= desired:
		c.Status, c.Reason, c.Message = true, "AllReplicasAvailable", fmt.Sprintf("%d of %d replicas ready and available", dep.d.Status.ReadyReplicas, desired)
	case dep.d.Status.ReadyReplicas > 0:
		c.Reason, c.Message = "ReplicasUnavailable", fmt.Sprintf("%d of %d replicas ready, %d available: see the agent's pods (kubectl get pods -l %s)", dep.d.Status.ReadyReplicas, desired, dep.d.Status.AvailableReplicas, compose.LabelInstance+"="+dep.d.Name)
	default:
		c.Reason, c.Message = "NoReplicasReady", fmt.Sprintf("0 of %d replicas ready: see the agent's pods (kubectl get pods -l %s)", desired, compose.LabelInstance+"="+dep.d.Name)
	}
	return c
}

func rolloutComplete(dep observedDeployment) Condition {
	c := Condition{Type: TypeRolloutComplete}
	v := dep.verdict
	switch {
	case !dep.observed:
		c.Reason, c.Message = v.Reason, "the agent's Deployment is "+v.Message
	case v.Failed:
		c.Reason, c.Message = v.Reason, v.Message
	case v.Reason == health.ReasonRollingOut || v.Reason == health.ReasonGenerationNotObserved:
		c.Reason, c.Message = "RolloutInProgress", v.Message
	default:
		c.Status, c.Reason, c.Message = true, "RolloutComplete", fmt.Sprintf("every replica runs the current pod template (%d updated)", dep.d.Status.UpdatedReplicas)
	}
	return c
}

// autoscalingActive reports the HPA's own view: whether it can scale and can
// read its metrics. It never holds the XR's readiness back.
func autoscalingActive(w *compose.Workload, hpa observedHPA) Condition {
	c := Condition{Type: TypeAutoscalingActive}
	switch {
	case !w.Agent.Spec.Autoscaling.Enabled:
		c.Reason, c.Message = "Disabled", "spec.autoscaling.enabled is false; the replica count is spec.replicas"
		return c
	case !hpa.enabled:
		c.Reason, c.Message = "NotComposed", "the platform's Composition does not compose HorizontalPodAutoscalers; the replica count is spec.replicas"
		return c
	case !hpa.observed:
		c.Reason, c.Message = health.ReasonNotObserved, "the HorizontalPodAutoscaler is not created yet"
		return c
	}
	var problems []string
	reason := ""
	for _, hc := range hpa.h.Status.Conditions {
		if (hc.Type == autoscalingv2.AbleToScale || hc.Type == autoscalingv2.ScalingActive) && hc.Status == corev1.ConditionFalse {
			problems = append(problems, fmt.Sprintf("%s: %s", hc.Reason, hc.Message))
			if reason == "" {
				reason = hc.Reason
			}
		}
	}
	if len(problems) > 0 {
		c.Reason, c.Message = reason, "the HorizontalPodAutoscaler cannot scale: "+strings.Join(problems, "; ")
		return c
	}
	c.Status, c.Reason = true, "ScalingActive"
	c.Message = fmt.Sprintf("scaling between %d and %d replicas; currently %d", *w.Agent.Spec.Autoscaling.MinReplicas, *w.Agent.Spec.Autoscaling.MaxReplicas, hpa.h.Status.CurrentReplicas)
	return c
}

func resourcesReady(notReady []string) Condition {
	if len(notReady) == 0 {
		return Condition{Type: TypeResourcesReady, Status: true, Reason: "AllReady", Message: "every composed resource besides the Deployment is ready"}
	}
	return Condition{Type: TypeResourcesReady, Reason: "NotReady", Message: strings.Join(notReady, "; ")}
}
