package measure

import (
	"slices"
	"sync"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// Sample is the CPU time so far and the RSS of named processes at one
// moment, and one gauge read with them.
type Sample struct {
	// At is seconds since the sampler started.
	At    float64            `json:"at"`
	CPU   map[string]float64 `json:"cpuSeconds"`
	RSS   map[string]int64   `json:"rssBytes"`
	Gauge float64            `json:"gauge"`
}

// Sampler samples processes every interval until stopped.
type Sampler struct {
	start   time.Time
	pids    func() map[string]int
	gauge   func() float64
	stopped chan struct{}
	done    chan struct{}

	mu      sync.Mutex
	samples []Sample
}

// StartSampler samples, every interval, the processes pids names (called
// each time, as processes may come and go) and gauge.
func StartSampler(interval time.Duration, pids func() map[string]int, gauge func() float64) *Sampler {
	s := &Sampler{start: time.Now(), pids: pids, gauge: gauge, stopped: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			s.sample()
			select {
			case <-s.stopped:
				return
			case <-time.After(interval):
			}
		}
	}()
	return s
}

func (s *Sampler) sample() {
	u := Sample{At: s.Since(time.Now()), CPU: map[string]float64{}, RSS: map[string]int64{}}
	for name, pid := range s.pids() {
		if cpu, err := proc.CPUTime(pid); err == nil {
			u.CPU[name] = cpu.Seconds()
		}
		if m, err := proc.MemoryOf(pid); err == nil {
			u.RSS[name] = m.RSS
		}
	}
	u.Gauge = s.gauge()
	s.mu.Lock()
	s.samples = append(s.samples, u)
	s.mu.Unlock()
}

// Stop stops sampling and returns every sample; it may be called again.
func (s *Sampler) Stop() []Sample {
	select {
	case <-s.stopped:
	default:
		close(s.stopped)
	}
	<-s.done
	return s.All()
}

// All is every sample so far.
func (s *Sampler) All() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.samples)
}

// Since is t in seconds since the sampler started.
func (s *Sampler) Since(t time.Time) float64 { return t.Sub(s.start).Seconds() }

// Usage of one process over a span of a run.
type Usage struct {
	// CPU is the average number of cores used; PeakCPU the highest
	// average over one sampling interval.
	CPU     float64 `json:"cpuCores"`
	PeakCPU float64 `json:"peakCpuCores"`
	// RSS is the resident memory at the span's end; PeakRSS the highest
	// sampled.
	RSS     int64 `json:"rssBytes"`
	PeakRSS int64 `json:"peakRssBytes"`
}

// Over is each process's usage from the samples taken between from and to
// (seconds since the sampler started), the interval that ends with the
// first of them included.
func Over(samples []Sample, names []string, from, to float64) map[string]Usage {
	span := within(samples, from, to)
	out := make(map[string]Usage, len(names))
	for _, name := range names {
		var u Usage
		for i, s := range span {
			u.PeakRSS = max(u.PeakRSS, s.RSS[name])
			if i > 0 && s.At > span[i-1].At {
				u.PeakCPU = max(u.PeakCPU, (s.CPU[name]-span[i-1].CPU[name])/(s.At-span[i-1].At))
			}
		}
		if n := len(span); n > 1 && span[n-1].At > span[0].At {
			u.CPU = (span[n-1].CPU[name] - span[0].CPU[name]) / (span[n-1].At - span[0].At)
			u.RSS = span[n-1].RSS[name]
		}
		out[name] = u
	}
	return out
}

// within is the samples taken between from and to, and the one before
// them, which starts their first interval.
func within(samples []Sample, from, to float64) []Sample {
	start, end := len(samples), len(samples)
	for i, s := range samples {
		if s.At >= from && start == len(samples) {
			start = max(i-1, 0)
		}
		if s.At > to {
			end = i
			break
		}
	}
	if start >= end {
		return nil
	}
	return samples[start:end]
}

// MaxGauge is the highest gauge sampled between from and to.
func MaxGauge(samples []Sample, from, to float64) float64 {
	m := 0.0
	for _, s := range samples {
		if s.At >= from && s.At <= to {
			m = max(m, s.Gauge)
		}
	}
	return m
}
