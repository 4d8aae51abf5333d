// Package measure reads what the scale benchmark measures: Prometheus
// endpoints (counters, gauges, histograms and their quantiles) and the CPU
// time and memory of processes, sampled through a run.
package measure

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Metrics is one scrape of a Prometheus endpoint, by metric name.
type Metrics map[string]*dto.MetricFamily

// Scrape reads a Prometheus endpoint.
func Scrape(ctx context.Context, url string) (Metrics, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return Parse(resp.Body)
}

// Parse reads Prometheus' text format.
func Parse(r io.Reader) (Metrics, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	m, err := p.TextToMetricFamilies(r)
	return Metrics(m), err
}

// Match selects series by their labels; nil selects all.
type Match func(labels map[string]string) bool

func labelsOf(m *dto.Metric) map[string]string {
	l := make(map[string]string, len(m.GetLabel()))
	for _, p := range m.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

func value(s *dto.Metric) float64 {
	switch {
	case s.GetCounter() != nil:
		return s.GetCounter().GetValue()
	case s.GetGauge() != nil:
		return s.GetGauge().GetValue()
	default:
		return s.GetUntyped().GetValue()
	}
}

// Sum adds the values of the counters or gauges called name that match.
func (m Metrics) Sum(name string, match Match) float64 {
	total := 0.0
	for _, s := range m[name].GetMetric() {
		if match == nil || match(labelsOf(s)) {
			total += value(s)
		}
	}
	return total
}

// By adds the values of name that match per the values of labels, joined
// by spaces.
func (m Metrics) By(name string, match Match, labels ...string) map[string]float64 {
	out := map[string]float64{}
	for _, s := range m[name].GetMetric() {
		l := labelsOf(s)
		if match != nil && !match(l) {
			continue
		}
		key := make([]string, 0, len(labels))
		for _, n := range labels {
			key = append(key, l[n])
		}
		out[strings.Join(key, " ")] += value(s)
	}
	return out
}

// Histogram is a Prometheus histogram's cumulative buckets, summed over
// the series that match.
type Histogram struct {
	Count, Sum float64
	bounds     []float64
	counts     []float64
}

// Histogram sums the histograms called name that match.
func (m Metrics) Histogram(name string, match Match) Histogram {
	var h Histogram
	for _, s := range m[name].GetMetric() {
		if match != nil && !match(labelsOf(s)) {
			continue
		}
		hs := s.GetHistogram()
		h.Count += float64(hs.GetSampleCount())
		h.Sum += hs.GetSampleSum()
		for i, b := range hs.GetBucket() {
			if len(h.bounds) <= i {
				h.bounds = append(h.bounds, b.GetUpperBound())
				h.counts = append(h.counts, 0)
			}
			h.counts[i] += float64(b.GetCumulativeCount())
		}
	}
	return h
}

// Minus is the histogram of the observations made between before and h,
// two scrapes of the same series.
func (h Histogram) Minus(before Histogram) Histogram {
	out := Histogram{Count: h.Count - before.Count, Sum: h.Sum - before.Sum, bounds: h.bounds, counts: slices.Clone(h.counts)}
	for i := range out.counts {
		if i < len(before.counts) {
			out.counts[i] -= before.counts[i]
		}
	}
	return out
}

// Quantile estimates the q-quantile as Prometheus' histogram_quantile
// does, linearly within the bucket that holds it; 0 for no observations.
func (h Histogram) Quantile(q float64) float64 {
	if h.Count <= 0 {
		return 0
	}
	rank := q * h.Count
	lower, below := 0.0, 0.0
	for i, c := range h.counts {
		if c < rank {
			lower, below = h.bounds[i], c
			continue
		}
		if math.IsInf(h.bounds[i], 1) || c == below {
			// Past the last finite bound only the bound is known.
			return lower
		}
		return lower + (h.bounds[i]-lower)*(rank-below)/(c-below)
	}
	return lower
}
