// Command plot draws the scale benchmark's results (make bench-scale
// writes one n<N>.json per fleet size) as one PNG: the control plane's
// CPU and memory at steady state against the fleet size, the cost per
// AgentDeployment, and the times to Running, rolled out and deleted.
// It lives in a module of its own so that gonum/plot stays out of the
// product's go.mod.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// result holds the fields of a run's JSON that the plot shows.
type result struct {
	N          int                  `json:"n"`
	Components map[string]component `json:"components"`
	ToRunning  spread               `json:"toRunningSeconds"`
	Wave       spread               `json:"waveSeconds"`
	Delete     float64              `json:"deleteSeconds"`
}

type component struct {
	Idle   usage `json:"idle"`
	Steady usage `json:"steady"`
}

type usage struct {
	CPU float64 `json:"cpuCores"`
	RSS float64 `json:"rssBytes"`
}

type spread struct {
	P50   float64 `json:"p50"`
	P99   float64 `json:"p99"`
	Batch float64 `json:"batch"`
}

// shown are the components the issue asks about, in the tables' order.
var shown = []string{"crossplane", "agentops-io-function-agentops", "kube-apiserver", "etcd"}

var labels = map[string]string{"agentops-io-function-agentops": "function"}

func main() {
	in := flag.String("in", "_output/bench-scale", "Folder with the runs' n<N>.json.")
	out := flag.String("out", "bench-scale.png", "PNG to write.")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	results, err := read(in)
	if err != nil {
		return err
	}
	const cols, rows = 2, 2
	img := vgimg.New(vg.Points(1000), vg.Points(760))
	dc := draw.New(img)
	plots := [][]*plot.Plot{
		{
			perComponent("CPU at steady state", "millicores", results, func(c component, _ int) float64 { return 1000 * c.Steady.CPU }),
			perComponent("RSS at steady state", "MiB", results, func(c component, _ int) float64 { return c.Steady.RSS / (1 << 20) }),
		},
		{
			perComponent("CPU per AgentDeployment, steady", "millicores per XR", results, func(c component, n int) float64 { return 1000 * c.Steady.CPU / float64(n) }),
			times(results),
		},
	}
	for _, row := range plots {
		for _, p := range row {
			if p == nil {
				return errors.New("cannot build a plot")
			}
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		for j := range plots[i] {
			plots[i][j].Draw(canvases[i][j])
		}
	}
	f, err := os.Create(out) //nolint:gosec // the file make names
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// read decodes every n<N>.json in dir, smallest fleet first.
func read(dir string) ([]result, error) {
	files, err := filepath.Glob(filepath.Join(dir, "n*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no n<N>.json in %s: run make bench-scale", dir)
	}
	results := make([]result, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // the benchmark's own results
		if err != nil {
			return nil, err
		}
		var r result
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		results = append(results, r)
	}
	slices.SortFunc(results, func(a, b result) int { return a.N - b.N })
	return results, nil
}

// perComponent plots value against N, a line per component.
func perComponent(title, unit string, results []result, value func(component, int) float64) *plot.Plot {
	p := newPlot(title, unit)
	for i, name := range shown {
		pts := make(plotter.XYs, 0, len(results))
		for _, r := range results {
			pts = append(pts, plotter.XY{X: float64(r.N), Y: value(r.Components[name], r.N)})
		}
		label := name
		if l, ok := labels[name]; ok {
			label = l
		}
		if !addLine(p, label, pts, i) {
			return nil
		}
	}
	return p
}

// times plots the times to Running, to the update wave's end and to an
// empty cluster against N.
func times(results []result) *plot.Plot {
	p := newPlot("Times", "seconds")
	series := []struct {
		label string
		value func(result) float64
	}{
		{"apply to Running, p50 per XR", func(r result) float64 { return r.ToRunning.P50 }},
		{"apply to Running, p99 per XR", func(r result) float64 { return r.ToRunning.P99 }},
		{"apply to all Running", func(r result) float64 { return r.ToRunning.Batch }},
		{"update wave, all rolled", func(r result) float64 { return r.Wave.Batch }},
		{"delete all, all gone", func(r result) float64 { return r.Delete }},
	}
	for i, s := range series {
		pts := make(plotter.XYs, 0, len(results))
		for _, r := range results {
			pts = append(pts, plotter.XY{X: float64(r.N), Y: s.value(r)})
		}
		if !addLine(p, s.label, pts, i) {
			return nil
		}
	}
	return p
}

func newPlot(title, unit string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "AgentDeployments"
	p.Y.Label.Text = unit
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// palette tells the lines apart in print as on screen.
var palette = []color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
}

func addLine(p *plot.Plot, label string, pts plotter.XYs, i int) bool {
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "plot:", label, err)
		return false
	}
	c := palette[i%len(palette)]
	line.Color, points.Color = c, c
	line.Width = vg.Points(1.5)
	points.Shape = draw.CircleGlyph{}
	p.Add(line, points)
	p.Legend.Add(label, line, points)
	return true
}
