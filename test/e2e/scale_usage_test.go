//go:build e2e && scale

package e2e

import (
	"context"
	"strings"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/measure"
)

// components whose CPU and memory the run samples: what the issue asks
// for first, then the rest of the control plane for context.
var components = []string{"crossplane", functionName, "kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kwok"}

// sampleEvery is the sampling interval of CPU, RSS and queue depth.
const sampleEvery = 5 * time.Second

// startSampler samples every component's CPU and RSS, and the depth of
// Crossplane's work queue for AgentDeployments.
func startSampler() *measure.Sampler {
	pids := func() map[string]int {
		out := map[string]int{}
		for _, name := range components {
			if p := env.cp.Component(name); p != nil {
				out[name] = p.PID()
			}
		}
		return out
	}
	queue := func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		m, err := measure.Scrape(ctx, env.xp.MetricsURL)
		if err != nil {
			return 0
		}
		return m.Sum("workqueue_depth", xrController("name"))
	}
	return measure.StartSampler(sampleEvery, pids, queue)
}

// scrapes is one scrape of every component with metrics.
type scrapes struct {
	crossplane, function, apiserver measure.Metrics
}

// apiServerMetrics reads the API server's metrics as an admin.
func apiServerMetrics(ctx context.Context) (measure.Metrics, error) {
	out, err := env.k.Run(ctx, "", "get", "--raw", "/metrics")
	if err != nil {
		return nil, err
	}
	return measure.Parse(strings.NewReader(out))
}

// xrController selects the series of Crossplane's controller of our XRD,
// whose name holds the XRD's.
func xrController(label string) measure.Match {
	return func(l map[string]string) bool { return strings.Contains(l[label], xrdName) }
}
