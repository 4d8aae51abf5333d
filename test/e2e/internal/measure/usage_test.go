package measure

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOver(t *testing.T) {
	samples := []Sample{
		{At: 0, CPU: map[string]float64{"p": 0}, RSS: map[string]int64{"p": 10}},
		{At: 5, CPU: map[string]float64{"p": 1}, RSS: map[string]int64{"p": 30}},
		{At: 10, CPU: map[string]float64{"p": 6}, RSS: map[string]int64{"p": 20}},
		{At: 15, CPU: map[string]float64{"p": 7}, RSS: map[string]int64{"p": 20}},
	}
	cases := map[string]struct {
		reason   string
		from, to float64
		want     Usage
	}{
		"All": {
			reason: "Seven CPU seconds in fifteen; the busiest interval used a core; RSS is the last sample's, its peak the highest.",
			from:   0, to: 15,
			want: Usage{CPU: 7.0 / 15, PeakCPU: 1, RSS: 20, PeakRSS: 30},
		},
		"IntervalBeforeCounts": {
			reason: "A span starting at 10 s includes the interval that ends at 10 s, so it has a rate.",
			from:   10, to: 10,
			want: Usage{CPU: 1, PeakCPU: 1, RSS: 20, PeakRSS: 30},
		},
		"Nothing": {
			reason: "A span after the last sample has no usage.",
			from:   20, to: 30,
			want: Usage{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Over(samples, []string{"p"}, tc.from, tc.to)["p"]
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nOver(%v, %v): -want, +got:\n%s", tc.reason, tc.from, tc.to, diff)
			}
		})
	}
}

// TestSampler samples this test's own process, which is certainly running.
func TestSampler(t *testing.T) {
	s := StartSampler(10*time.Millisecond, func() map[string]int { return map[string]int{"self": os.Getpid()} }, func() float64 { return 4 })
	time.Sleep(50 * time.Millisecond)
	got := s.Stop()
	if len(got) < 2 {
		t.Fatalf("%d samples in 50ms at 10ms, want several", len(got))
	}
	if last := got[len(got)-1]; last.RSS["self"] <= 0 || last.Gauge != 4 {
		t.Errorf("last sample %+v: want this process's RSS and the gauge's 4", last)
	}
	if again := s.Stop(); len(again) != len(got) {
		t.Errorf("Stop again: %d samples, want the same %d", len(again), len(got))
	}
}
