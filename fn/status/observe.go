package status

import (
	"sort"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	kedav1alpha1 "github.com/agentops-io/agentops/apis/keda/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/settings"
)

// The observed objects hold only the fields fn/health lists for their kind
// (health.ReadFields): a field read here must be listed there. An object is
// read as a typed kind only if it is of that kind (health.KindError).

// object is the observed object under key, or nil.
func object(observed map[compose.Key]*unstructured.Unstructured, key compose.Key) *unstructured.Unstructured {
	o := observed[key]
	if o == nil || len(o.Object) == 0 {
		return nil
	}
	return o
}

// agentDeployment is the agent's Deployment as observed.
type agentDeployment struct {
	// d is nil when the Deployment is not observed (or unreadable).
	d      *appsv1.Deployment
	health health.DeploymentResult
	// want is the replica count the agent should run now.
	want int32
	// held is set while the Deployment is not composed yet, and says what
	// it waits for.
	held *compose.Held
}

// observeDeployment judges the agent's Deployment against the agent's own
// replica count: spec.replicas, or at least autoscaling.minReplicas when an
// HPA owns the count (before it acts, the Deployment has the API server's
// default of one replica). unobserved are the composed objects pods can
// reference that Crossplane has not observed yet.
func observeDeployment(w *compose.Workload, u, hpa *unstructured.Unstructured, now time.Time, unobserved []health.Object) agentDeployment {
	opts := health.DeploymentOptions{Now: now, Unobserved: unobserved}
	if w.Autoscaled() {
		opts.MinReplicas = *w.Agent.Spec.Autoscaling.MinReplicas
	} else {
		opts.Replicas = new(*w.Agent.Spec.Replicas)
	}
	var dep agentDeployment
	dep.d, dep.health = health.ReadDeployment(u, opts)
	switch {
	case dep.d != nil:
		dep.want = health.DesiredReplicas(dep.d, opts)
	case opts.Replicas != nil:
		dep.want = *opts.Replicas
	default:
		dep.want = max(opts.MinReplicas, hpaDesired(hpa))
	}
	return dep
}

func hpaDesired(u *unstructured.Unstructured) int32 {
	if u == nil || health.KindError(u, health.KindHPA) != nil {
		return 0
	}
	n, _ := health.Int64(u, "status", "desiredReplicas")
	return int32(n)
}

// agentScaler is the agent's autoscaler as observed, if it is composed:
// the HPA, or KEDA's ScaledObject.
type agentScaler struct {
	enabled bool
	kind    string
	// h or so is set when the autoscaler is observed and readable.
	h      *autoscalingv2.HorizontalPodAutoscaler
	so     *kedav1alpha1.ScaledObject
	health health.Result
	// kindErr says what the object observed as the autoscaler is, if
	// another kind.
	kindErr error
}

func observeScaler(w *compose.Workload, observed map[compose.Key]*unstructured.Unstructured) agentScaler {
	kind, key := scalerKind(w)
	if !w.Autoscaled() {
		return agentScaler{kind: kind}
	}
	u := object(observed, key)
	a := agentScaler{enabled: true, kind: kind, health: health.Of(u)}
	if u == nil {
		return a
	}
	if w.Settings.Engine == settings.EngineKEDA {
		if a.kindErr = health.KindError(u, health.KindScaledObject); a.kindErr == nil {
			so := &kedav1alpha1.ScaledObject{}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, so); err == nil {
				a.so = so
			}
		}
		return a
	}
	if a.kindErr = health.KindError(u, health.KindHPA); a.kindErr != nil {
		return a
	}
	h := &autoscalingv2.HorizontalPodAutoscaler{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, h); err == nil {
		a.h = h
	}
	return a
}

// endpoint is the Service's in-cluster DNS name and port, once it has an
// address; before, there is nothing to call.
func endpoint(u *unstructured.Unstructured, r health.Result) string {
	if u == nil || !r.Ready() || health.KindError(u, health.KindService) != nil {
		return ""
	}
	svc := &corev1.Service{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, svc); err != nil || len(svc.Spec.Ports) == 0 {
		return ""
	}
	port := svc.Spec.Ports[0].Port
	for _, p := range svc.Spec.Ports {
		if p.Name == compose.HTTPPortName {
			port = p.Port
		}
	}
	return svc.Name + "." + svc.Namespace + ".svc.cluster.local:" + strconv.Itoa(int(port))
}

// notReadyResources lists, sorted, the desired resources other than the
// Deployment that are not ready, with why.
func notReadyResources(desired []compose.Composed, results map[compose.Key]health.Result, deployment compose.Key) []string {
	var out []string
	for _, d := range desired {
		if d.Key == deployment {
			continue
		}
		if r := results[d.Key]; !r.Ready() {
			out = append(out, string(d.Key)+": "+r.Message)
		}
	}
	sort.Strings(out)
	return out
}

// describe names one of the agent's objects for a message: kind ns/name.
func describe(w *compose.Workload, kind string) string {
	return kind + " " + w.Agent.Namespace + "/" + w.Names.Base
}

// podsHint tells a person where to look.
func podsHint(w *compose.Workload) string {
	return "kubectl -n " + w.Agent.Namespace + " get pods -l " + compose.LabelInstance + "=" + w.Names.Base
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
