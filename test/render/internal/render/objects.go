package render

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// Kinds of the AgentDeployment APIs (internal/fixtures).
const (
	Group      = "agentops.io"
	APIVersion = fixtures.APIVersion
	Kind       = fixtures.Kind
	LegacyKind = fixtures.LegacyKind
)

// Object is a Kubernetes object as YAML decodes it.
type Object = map[string]any

// ReadObjects reads every YAML document of path.
func ReadObjects(path string) ([]Object, error) {
	b, err := os.ReadFile(path) //nolint:gosec // Paths the user or the test chose.
	if err != nil {
		return nil, err
	}
	objs, err := SplitDocuments(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return objs, nil
}

// ReadObject reads the one object of path.
func ReadObject(path string) (Object, error) {
	objs, err := ReadObjects(path)
	if err != nil {
		return nil, err
	}
	if len(objs) != 1 {
		return nil, fmt.Errorf("%s: want one object, found %d", path, len(objs))
	}
	return objs[0], nil
}

// SplitDocuments decodes a multi-document YAML stream, skipping empty
// documents.
func SplitDocuments(b []byte) ([]Object, error) {
	var objs []Object
	for _, doc := range splitYAML(b) {
		var o Object
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, err
		}
		if len(o) > 0 {
			objs = append(objs, o)
		}
	}
	return objs, nil
}

// splitYAML splits a YAML stream on its "---" lines.
func splitYAML(b []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	for line := range bytes.Lines(b) {
		if strings.TrimRight(string(line), " \r\n") == "---" {
			docs = append(docs, bytes.Clone(cur.Bytes()))
			cur.Reset()
			continue
		}
		cur.Write(line)
	}
	return append(docs, cur.Bytes())
}

// WriteObjects writes objs to path as a YAML stream.
func WriteObjects(path string, objs ...Object) error {
	var buf bytes.Buffer
	for _, o := range objs {
		b, err := yaml.Marshal(o)
		if err != nil {
			return err
		}
		buf.WriteString("---\n")
		buf.Write(b)
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// GetString returns the string at path in o, or "".
func GetString(o Object, path ...string) string {
	v, _ := get(o, path...).(string)
	return v
}

func get(o Object, path ...string) any {
	var cur any = o
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// WriteFunctions copies the Function objects of src to dst with every
// function on the Development runtime at target: for the 1.x CLI, which has
// no flag for it.
func WriteFunctions(src, dst, target string) error {
	objs, err := ReadObjects(src)
	if err != nil {
		return err
	}
	for _, o := range objs {
		md, _ := o["metadata"].(map[string]any)
		if md == nil {
			md = Object{}
			o["metadata"] = md
		}
		ann, _ := md["annotations"].(map[string]any)
		if ann == nil {
			ann = Object{}
			md["annotations"] = ann
		}
		ann[AnnotationRuntime] = RuntimeDevelopment
		ann[AnnotationRuntimeTarget] = target
	}
	return WriteObjects(dst, objs...)
}
