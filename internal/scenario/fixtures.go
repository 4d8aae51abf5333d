package scenario

import (
	"errors"
	"io/fs"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// readFixtures reads the observed objects in dir's YAML files, by their
// composition resource name. A missing dir means no fixtures.
func readFixtures(dir string) (map[string]map[string]any, error) {
	objs, err := fixtures.Objects(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]any, len(objs))
	for _, u := range objs {
		// Objects without the annotation, such as the XR, are not composed.
		if name := u.GetAnnotations()[AnnotationResourceName]; name != "" {
			out[name] = u.Object
		}
	}
	return out, nil
}
