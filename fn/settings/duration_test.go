package settings

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDuration(t *testing.T) {
	type want struct {
		d   time.Duration
		err bool
	}
	cases := map[string]struct {
		reason string
		s      string
		want   want
	}{
		"Zero":       {reason: "0 alone needs no unit.", s: "0", want: want{d: 0}},
		"Seconds":    {reason: "A single unit.", s: "30s", want: want{d: 30 * time.Second}},
		"Compound":   {reason: "Units largest first add up.", s: "1h30m", want: want{d: 90 * time.Minute}},
		"Every":      {reason: "Every unit from years to milliseconds.", s: "1y1w1d1h1m1s1ms", want: want{d: 365*24*time.Hour + 7*24*time.Hour + 24*time.Hour + time.Hour + time.Minute + time.Second + time.Millisecond}},
		"Empty":      {reason: "An empty string is no duration.", s: "", want: want{err: true}},
		"NoUnit":     {reason: "A number needs a unit.", s: "30", want: want{err: true}},
		"WrongOrder": {reason: "Units go largest first, as Prometheus requires.", s: "30s1m", want: want{err: true}},
		"GoStyle":    {reason: "Go's fractional durations are not Prometheus'.", s: "1.5h", want: want{err: true}},
		"Overflow":   {reason: "A number too large for an int64 is an error, not a wrap.", s: "99999999999999999999s", want: want{err: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := parseDuration(tc.s)
			got := want{d: d, err: err != nil}
			if err != nil {
				got.d = 0
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nparseDuration(%q): -want, +got:\n%s", tc.reason, tc.s, diff)
			}
		})
	}
}
