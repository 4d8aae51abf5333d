package release

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// metas are the package metadata files of the packages we ship.
var metas = []string{"package/crossplane.yaml", "configuration/crossplane.yaml", "configuration/legacy/crossplane.yaml", "configuration/remote/crossplane.yaml"}

// TestMetadataMatchesTheRepository fails when a package's icon is not the
// project's icon file (docs/assets/icon.svg, as a data URI), or its license
// annotation is not the license the repository ships.
func TestMetadataMatchesTheRepository(t *testing.T) {
	icon, err := os.ReadFile(filepath.Join(root, "docs/assets/icon.svg"))
	if err != nil {
		t.Fatal(err)
	}
	license, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(license), "Apache License") || !strings.Contains(string(license), "Version 2.0, January 2004") {
		t.Fatalf("LICENSE is not the Apache License 2.0 the packages declare")
	}
	want := map[string]string{
		"meta.crossplane.io/iconURI": "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(icon),
		"meta.crossplane.io/license": "Apache-2.0",
	}
	for _, file := range metas {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				t.Fatal(err)
			}
			var meta struct {
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal(b, &meta); err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if got := meta.Metadata.Annotations[k]; got != v {
					t.Errorf("%s: %s is %.60q..., want %.60q... (data:image/svg+xml;base64, followed by the output of base64 -w0 docs/assets/icon.svg)", file, k, got, v)
				}
			}
		})
	}
}
