package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// A metric of a result, in the unit the table shows it in.
type metric struct {
	name string
	of   func(result) float64
	// format of one value.
	format string
}

// Formats of the metrics.
const (
	whole     = "%.0f"
	millis    = "%.2f"
	mebibytes = "%.1f"
)

var metrics = []metric{
	{"calls/s", result.throughput, whole},
	{"p50 ms", func(r result) float64 { return ms(r.p(0.5)) }, millis},
	{"p90 ms", func(r result) float64 { return ms(r.p(0.9)) }, millis},
	{"p99 ms", func(r result) float64 { return ms(r.p(0.99)) }, millis},
	{"CPU µs/call", func(r result) float64 { return float64(r.cpuPerCall()) / float64(time.Microsecond) }, whole},
	{"peak RSS MiB", func(r result) float64 { return mib(r.after.Peak) }, mebibytes},
}

var flatness = []metric{
	{"p50 ms, first 10%", func(r result) float64 { f, _ := r.firstAndLastP50(); return ms(f) }, millis},
	{"p50 ms, last 10%", func(r result) float64 { _, l := r.firstAndLastP50(); return ms(l) }, millis},
	{"RSS MiB before", func(r result) float64 { return mib(r.before.RSS) }, mebibytes},
	{"RSS MiB after", func(r result) float64 { return mib(r.after.RSS) }, mebibytes},
	{"anon RSS MiB after", func(r result) float64 { return mib(r.after.Anon) }, mebibytes},
	{"peak RSS MiB", func(r result) float64 { return mib(r.after.Peak) }, mebibytes},
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// printTables prints, per scenario and concurrency, the median of each
// metric over the runs with its range, and agentops' ratio to the floor.
func printTables(w io.Writer, cfg config, all []result) {
	fmt.Fprintf(w, "\n%d runs of %d calls (after %d warm-up calls) per row, cycling through %d distinct XRs; median (min-max).\n\n",
		cfg.runs, cfg.requests, cfg.warmup, cfg.xrs)
	header(w, "scenario | concurrency | function", metrics)
	for _, sc := range cfg.scenarios {
		for _, c := range cfg.concurrency {
			floor, ours := pick(all, sc, c, "floor"), pick(all, sc, c, "agentops")
			row(w, fmt.Sprintf("%s | %d | floor", sc, c), metrics, floor)
			row(w, fmt.Sprintf("%s | %d | agentops", sc, c), metrics, ours)
			ratios(w, fmt.Sprintf("%s | %d | **agentops ÷ floor**", sc, c), floor, ours)
		}
	}
	fmt.Fprintf(w, "\nFlat over the run (no per-XR state): the first and last tenth of the calls, and memory before and after them.\n\n")
	header(w, "scenario | concurrency | function", flatness)
	for _, sc := range cfg.scenarios {
		for _, c := range cfg.concurrency {
			row(w, fmt.Sprintf("%s | %d | agentops", sc, c), flatness, pick(all, sc, c, "agentops"))
		}
	}
}

func header(w io.Writer, first string, ms []metric) {
	fmt.Fprintf(w, "| %s |", first)
	for _, m := range ms {
		fmt.Fprintf(w, " %s |", m.name)
	}
	fmt.Fprintf(w, "\n|%s", "---|---|---|")
	for range ms {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
}

func row(w io.Writer, first string, ms []metric, rs []result) {
	fmt.Fprintf(w, "| %s |", first)
	for _, m := range ms {
		v := values(rs, m)
		cell := fmt.Sprintf(m.format, median(v))
		if len(v) > 1 {
			cell += fmt.Sprintf(" ("+m.format+"-"+m.format+")", slices.Min(v), slices.Max(v))
		}
		fmt.Fprintf(w, " %s |", cell)
	}
	fmt.Fprintln(w)
}

// ratios of the medians; for throughput, the floor's over ours, so that
// every ratio reads "how many times the floor's cost".
func ratios(w io.Writer, first string, floor, ours []result) {
	fmt.Fprintf(w, "| %s |", first)
	for i, m := range metrics {
		f, o := median(values(floor, m)), median(values(ours, m))
		if i == 0 {
			f, o = o, f
		}
		fmt.Fprintf(w, " **%.2f×** |", o/f)
	}
	fmt.Fprintln(w)
}

func pick(all []result, sc string, c int, function string) []result {
	var out []result
	for _, r := range all {
		if r.scenario == sc && r.concurrency == c && r.function == function {
			out = append(out, r)
		}
	}
	return out
}

func values(rs []result, m metric) []float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = m.of(r)
	}
	return v
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
