package measure

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// exposition is what Crossplane's and the API server's endpoints serve,
// cut down to the kinds of series the benchmark reads.
const exposition = `# TYPE apiserver_request_total counter
apiserver_request_total{code="201",resource="deployments",subresource="",verb="POST"} 10
apiserver_request_total{code="200",resource="deployments",subresource="",verb="APPLY"} 30
apiserver_request_total{code="409",resource="deployments",subresource="",verb="APPLY"} 2
apiserver_request_total{code="200",resource="deployments",subresource="",verb="GET"} 99
# TYPE workqueue_depth gauge
workqueue_depth{name="composite/agentdeployments.agentops.io"} 7
workqueue_depth{name="other"} 3
# TYPE controller_runtime_reconcile_time_seconds histogram
controller_runtime_reconcile_time_seconds_bucket{controller="a",le="0.1"} 50
controller_runtime_reconcile_time_seconds_bucket{controller="a",le="1"} 90
controller_runtime_reconcile_time_seconds_bucket{controller="a",le="+Inf"} 100
controller_runtime_reconcile_time_seconds_sum{controller="a"} 20
controller_runtime_reconcile_time_seconds_count{controller="a"} 100
controller_runtime_reconcile_time_seconds_bucket{controller="b",le="0.1"} 0
controller_runtime_reconcile_time_seconds_bucket{controller="b",le="1"} 0
controller_runtime_reconcile_time_seconds_bucket{controller="b",le="+Inf"} 100
controller_runtime_reconcile_time_seconds_sum{controller="b"} 500
controller_runtime_reconcile_time_seconds_count{controller="b"} 100
`

func parsed(t *testing.T) Metrics {
	t.Helper()
	m, err := Parse(strings.NewReader(exposition))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func label(name, value string) Match {
	return func(l map[string]string) bool { return l[name] == value }
}

func TestSumAndBy(t *testing.T) {
	m := parsed(t)
	writes := func(l map[string]string) bool { return l["verb"] != "GET" }
	cases := map[string]struct {
		reason string
		got    any
		want   any
	}{
		"SumCounters": {
			reason: "Sum adds every matching counter, whatever its other labels.",
			got:    m.Sum("apiserver_request_total", writes),
			want:   42.0,
		},
		"SumGauge": {
			reason: "Sum reads gauges too.",
			got:    m.Sum("workqueue_depth", label("name", "composite/agentdeployments.agentops.io")),
			want:   7.0,
		},
		"SumAll": {
			reason: "A nil match selects every series.",
			got:    m.Sum("workqueue_depth", nil),
			want:   10.0,
		},
		"SumMissing": {
			reason: "A metric the endpoint does not serve sums to zero.",
			got:    m.Sum("no_such_metric", nil),
			want:   0.0,
		},
		"By": {
			reason: "By groups on the labels named, dropping the others (code here).",
			got:    m.By("apiserver_request_total", writes, "verb", "resource"),
			want:   map[string]float64{"POST deployments": 10, "APPLY deployments": 32},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("%s\n-want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	m := parsed(t)
	const name = "controller_runtime_reconcile_time_seconds"
	a := m.Histogram(name, label("controller", "a"))
	cases := map[string]struct {
		reason string
		h      Histogram
		q      float64
		want   float64
	}{
		"WithinFirstBucket": {
			reason: "The median of 100 observations, 50 of them up to 0.1 s, is 0.1 s.",
			h:      a, q: 0.5, want: 0.1,
		},
		"Interpolated": {
			reason: "The 70th of 100 lies halfway through the 40 between 0.1 and 1 s.",
			h:      a, q: 0.7, want: 0.55,
		},
		"PastLastFiniteBound": {
			reason: "Observations beyond the last finite bound are reported at that bound, as histogram_quantile does.",
			h:      a, q: 0.99, want: 1,
		},
		"Summed": {
			reason: "Series summed: 200 observations, the 100th is the last of the first bucket.",
			h:      m.Histogram(name, nil), q: 0.5, want: 1,
		},
		"Difference": {
			reason: "Minus leaves the observations between two scrapes: none of b's went below 1 s.",
			h:      m.Histogram(name, nil).Minus(a), q: 0.5, want: 1,
		},
		"Empty": {
			reason: "No observations give zero, not a division by zero.",
			h:      a.Minus(a), q: 0.5, want: 0,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.h.Quantile(tc.q), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("%s\nQuantile(%v): -want, +got:\n%s", tc.reason, tc.q, diff)
			}
		})
	}
}
