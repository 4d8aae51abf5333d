package server

import (
	"testing"
	"time"
)

// TestMetricsServerTimeouts: every phase of a scrape is bounded, so that
// stalled clients cannot pile up connections on the metrics listener.
func TestMetricsServerTimeouts(t *testing.T) {
	hs := metricsServer(nil)
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": hs.ReadHeaderTimeout,
		"ReadTimeout":       hs.ReadTimeout,
		"WriteTimeout":      hs.WriteTimeout,
		"IdleTimeout":       hs.IdleTimeout,
	} {
		if d <= 0 || d > time.Minute {
			t.Errorf("metricsServer(): %s: want between 0 and 1m, got %s", name, d)
		}
	}
	if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 64<<10 {
		t.Errorf("metricsServer(): MaxHeaderBytes: want at most 64 KiB, got %d", hs.MaxHeaderBytes)
	}
}
