package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

// Kinds and labels of the AgentDeployment APIs.
const (
	Group      = "agentops.io"
	APIVersion = Group + "/v1alpha1"
	Kind       = "AgentDeployment"
	LegacyKind = "XAgentDeployment"

	LabelClaimName      = "crossplane.io/claim-name"
	LabelClaimNamespace = "crossplane.io/claim-namespace"
	LabelComposite      = "crossplane.io/composite"
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

// ClaimToXR returns the cluster-scoped XAgentDeployment Crossplane makes for
// an AgentDeployment claim of the legacy XRD: the claim's spec and a
// reference to it, and the labels that tell the function which claim (and so
// which namespace) it composes for. Crossplane names it after the claim with
// a random suffix, and the API server gives it a random UID; both are a
// hash here, so that renders are reproducible.
func ClaimToXR(claim Object) (Object, error) {
	name, ns := GetString(claim, "metadata", "name"), GetString(claim, "metadata", "namespace")
	switch {
	case GetString(claim, "apiVersion") != APIVersion || GetString(claim, "kind") != Kind:
		return nil, fmt.Errorf("want an %s claim (%s), got %s %s", Kind, APIVersion, GetString(claim, "apiVersion"), GetString(claim, "kind"))
	case name == "" || ns == "":
		return nil, errors.New("a claim needs metadata.name and metadata.namespace")
	}
	h := sha256.Sum256([]byte(ns + "/" + name))
	sum := hex.EncodeToString(h[:])
	xrName := name + "-" + sum[:5]
	// The API server gives every object a UID; the renders of both CLIs
	// put it in the composed resources' owner references.
	uid := sum[:8] + "-" + sum[8:12] + "-" + sum[12:16] + "-" + sum[16:20] + "-" + sum[20:32]

	spec := Object{}
	if s, ok := claim["spec"].(map[string]any); ok {
		maps.Copy(spec, s)
	}
	spec["claimRef"] = Object{"apiVersion": APIVersion, "kind": Kind, "name": name, "namespace": ns}
	return Object{
		"apiVersion": APIVersion,
		"kind":       LegacyKind,
		"metadata": Object{
			"name": xrName,
			"uid":  uid,
			"labels": Object{
				LabelClaimName:      name,
				LabelClaimNamespace: ns,
				LabelComposite:      xrName,
			},
		},
		"spec": spec,
	}, nil
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
