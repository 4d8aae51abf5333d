package settings_test

import (
	"encoding/json"
	"testing"

	"github.com/agentops-io/agentops/fn/settings"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// FuzzResolve resolves arbitrary function inputs. Nothing may panic; a
// refusal names a field under input; accepted settings are complete. The
// seeds run in every `go test`; `make fuzz` runs it for minutes.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"apiVersion":"agentops.fn.crossplane.io/v1beta1","kind":"Input","gateway":{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"agent-gateway"}}},"monitoring":{"labels":{"release":"prometheus"},"scrapeInterval":"30s","scrapeTimeout":"10s"},"alerts":{"errorRatePercent":5,"errorRateFor":"5m","costPerHourUSD":100,"costFor":"15m"}}`,
		`{"models":[{"name":"my-model","provider":"self-hosted","image":"r.example.com/a:v1","endpoint":"http://m.svc:8000/v1","contextWindow":4096},{"name":"gpt-4o","endpoint":"https://proxy.example.com/v1"}]}`,
		`{"defaultResources":{"requests":{"cpu":"2Gx","memory":"-1"},"limits":{"cpu":"0"}},"progressDeadlineSeconds":5,"resourceNamePrefix":"Agent_","ttl":{"converging":"100ms","stable":"-1h"}}`,
		`{"monitoring":{"scrapeInterval":"1y2w3d4h5m6s7ms","scrapeTimeout":"99999999999999999999h"},"gateway":{"podSelector":{"matchExpressions":[{"key":"a","operator":"In"}]},"namespaceSelector":{"matchLabels":{"bad key!":"x"}}}}`,
		`{"compose":{"horizontalPodAutoscaler":false,"podDisruptionBudget":false,"networkPolicy":false,"serviceMonitor":false,"prometheusRule":false},"models":[{"name":"","provider":"acme","endpoint":"::"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &v1beta1.Input{}
		if json.Unmarshal(data, in) != nil {
			return
		}
		s, errs := settings.Resolve(in)
		if len(errs) > 0 {
			for _, e := range errs {
				if len(e.Field) < len("input") || e.Field[:len("input")] != "input" {
					t.Fatalf("Resolve(...): an error outside input: %v", e)
				}
			}
			return
		}
		if s == nil || len(s.Models) == 0 || len(s.ModelNames) != len(s.Models) || s.TTLConverging <= 0 || s.TTLStable <= 0 ||
			s.ScrapeInterval == "" || s.ScrapeTimeout == "" || s.ErrorRateFor == "" || s.CostFor == "" {
			t.Fatalf("Resolve(...): incomplete settings: %+v", s)
		}
	})
}
