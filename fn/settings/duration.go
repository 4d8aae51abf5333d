package settings

import (
	"errors"
	"regexp"
	"strconv"
	"time"
)

// promDuration is Prometheus' duration syntax, as the Prometheus Operator's
// CRDs validate it: units from years to milliseconds, largest first.
var promDuration = regexp.MustCompile(`^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$`)

var promUnits = []time.Duration{
	365 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second, time.Millisecond,
}

// parseDuration parses a Prometheus duration such as 1h30m or 15s.
func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	m := promDuration.FindStringSubmatch(s)
	if s == "" || m == nil {
		return 0, errors.New("not a Prometheus duration")
	}
	var d time.Duration
	for i, unit := range promUnits {
		if v := m[2*i+2]; v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, err
			}
			d += time.Duration(n) * unit
		}
	}
	return d, nil
}
