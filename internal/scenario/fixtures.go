package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"sigs.k8s.io/yaml"
)

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// readFixtures reads the observed objects in dir's YAML files, by their
// composition resource name. A missing dir means no fixtures.
func readFixtures(dir string) (map[string]map[string]any, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for _, f := range files {
		raw, err := os.ReadFile(f) //nolint:gosec // The repository's own fixtures.
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, doc := range documentSeparator.Split(string(raw), -1) {
			var m map[string]any
			if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			// Objects without the annotation, such as the XR, are not composed.
			if name, _ := get(m, "metadata", "annotations", AnnotationResourceName).(string); name != "" {
				out[name] = m
			}
		}
	}
	return out, nil
}
