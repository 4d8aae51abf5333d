package controlplane

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

// RenderChart renders templates of a Helm chart the way `helm template`
// does (Go templates with the sprig functions, include and toYaml), with
// the chart's own values.yaml, and returns the YAML documents of the kinds
// asked for. It is enough for the RBAC templates of Crossplane's chart, so
// the test grants Crossplane exactly what a Helm install of the same
// version grants, read from that version's source.
func RenderChart(chartDir, release, namespace, appVersion string, files []string, kinds ...string) (string, error) {
	values := map[string]any{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", err
	}
	chart := map[string]any{}
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &chart); err != nil {
		return "", err
	}
	data := map[string]any{
		"Values": values,
		// A released chart carries the release's version; the source tree
		// a placeholder.
		"Chart":   map[string]any{"Name": chart["name"], "Version": strings.TrimPrefix(appVersion, "v"), "AppVersion": strings.TrimPrefix(appVersion, "v")},
		"Release": map[string]any{"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true},
	}

	t, err := parseChart(chartDir, files)
	if err != nil {
		return "", err
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []string
	for _, f := range files {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, f, data); err != nil {
			return "", fmt.Errorf("render %s: %w", f, err)
		}
		for doc := range strings.SplitSeq(strings.ReplaceAll(b.String(), "<no value>", ""), "\n---") {
			var head struct {
				Kind string `json:"kind"`
			}
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				return "", fmt.Errorf("rendered %s is not YAML: %w\n%s", f, err, doc)
			}
			if want[head.Kind] {
				out = append(out, strings.TrimSpace(doc))
			}
		}
	}
	return strings.Join(out, "\n---\n") + "\n", nil
}

// parseChart parses the chart's helpers and files with Helm's functions.
func parseChart(chartDir string, files []string) (*template.Template, error) {
	t := template.New("chart").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	funcs["include"] = func(name string, data any) (string, error) {
		var b bytes.Buffer
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	funcs["toYaml"] = func(v any) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	funcs["required"] = func(msg string, v any) (any, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("required: %s", msg)
		}
		return v, nil
	}
	t.Funcs(funcs)
	for _, f := range append([]string{"_helpers.tpl"}, files...) {
		b, err := os.ReadFile(filepath.Join(chartDir, "templates", f)) //nolint:gosec // the chart of the pinned Crossplane module
		if err != nil {
			return nil, err
		}
		if _, err := t.New(f).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
	}
	return t, nil
}

func readYAML(path string, into any) error {
	b, err := os.ReadFile(path) //nolint:gosec // files of the pinned Crossplane module
	if err != nil {
		return err
	}
	return yaml.Unmarshal(b, into)
}
