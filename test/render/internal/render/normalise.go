package render

import (
	"bytes"
	"regexp"
	"slices"

	"sigs.k8s.io/yaml"
)

// Kind of the documents --include-function-results adds.
const (
	ResultAPIVersion = "render.crossplane.io/v1beta1"
	ResultKind       = "Result"
)

// Elapsed is what Normalise writes for an elapsed time.
const Elapsed = "<elapsed>"

// elapsed matches a Go duration with minutes and seconds, such as 17h58m34s:
// the form of the function's "for how long" messages, which it measures
// against the wall clock. Constant durations of the function's input are
// written as 5m or 30s and do not match.
var elapsed = regexp.MustCompile(`\b(\d+h)?\d+m\d+(\.\d+)?s\b`)

// Normalise makes the CLI's output reproducible. The CLI already sorts the
// composed resources and pins condition timestamps. Two things remain: the
// core emits its per-resource "not yet ready" Results in map order, so the
// Result documents are sorted; and the function says how long a Deployment
// has lacked replicas, measured to now, so such durations become Elapsed.
// Every other byte is the CLI's.
func Normalise(out []byte) ([]byte, error) {
	var keep, results [][]byte
	for _, doc := range splitYAML(out) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		doc, err := normaliseElapsed(doc)
		if err != nil {
			return nil, err
		}
		var tm struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			return nil, err
		}
		if tm.APIVersion == ResultAPIVersion && tm.Kind == ResultKind {
			results = append(results, doc)
			continue
		}
		keep = append(keep, doc)
	}
	slices.SortStableFunc(results, bytes.Compare)
	var buf bytes.Buffer
	for _, doc := range append(keep, results...) {
		buf.WriteString("---\n")
		buf.Write(doc)
	}
	return buf.Bytes(), nil
}

// normaliseElapsed replaces elapsed durations in the strings of doc. The
// document is decoded and encoded again, because YAML folds long strings
// where their length says; the CLI encodes the same way (JSON, then YAML),
// so nothing else changes.
func normaliseElapsed(doc []byte) ([]byte, error) {
	if !elapsed.Match(doc) {
		return doc, nil
	}
	var o any
	if err := yaml.Unmarshal(doc, &o); err != nil {
		return nil, err
	}
	return yaml.Marshal(replaceStrings(o))
}

func replaceStrings(v any) any {
	switch t := v.(type) {
	case string:
		return elapsed.ReplaceAllString(t, Elapsed)
	case map[string]any:
		for k, e := range t {
			t[k] = replaceStrings(e)
		}
	case []any:
		for i, e := range t {
			t[i] = replaceStrings(e)
		}
	}
	return v
}
