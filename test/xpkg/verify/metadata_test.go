package verify

import (
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMetadata(t *testing.T) {
	svg := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`))
	complete := func() map[string]string {
		return map[string]string{
			AnnotationMaintainer:  "AgentOps <maintainers@agentops.io>",
			AnnotationSource:      "https://github.com/agentops-io/agentops",
			AnnotationLicense:     "Apache-2.0",
			AnnotationDescription: "Composes AI agent workloads.",
			AnnotationReadme:      "Install the Configuration.",
			AnnotationIconURI:     svg,
		}
	}
	with := func(key, value string) map[string]string {
		a := complete()
		a[key] = value
		return a
	}
	without := func(key string) map[string]string {
		a := complete()
		delete(a, key)
		return a
	}
	cases := map[string]struct {
		reason      string
		annotations map[string]string
		want        []error
	}{
		"Complete": {
			reason:      "Every annotation present and well formed passes.",
			annotations: complete(),
		},
		"IconAsHTTPSURL": {
			reason:      "An icon may be an https URL instead of data.",
			annotations: with(AnnotationIconURI, "https://example.com/icon.svg"),
		},
		"IconAsPNG": {
			reason:      "A PNG data URI whose content is a PNG passes.",
			annotations: with(AnnotationIconURI, "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nrest"))),
		},
		"NoMaintainer":  {reason: "The maintainer is required.", annotations: without(AnnotationMaintainer), want: []error{ErrMetadata}},
		"NoSource":      {reason: "The source is required.", annotations: without(AnnotationSource), want: []error{ErrMetadata}},
		"NoLicense":     {reason: "The license is required.", annotations: without(AnnotationLicense), want: []error{ErrMetadata}},
		"NoDescription": {reason: "The description is required.", annotations: without(AnnotationDescription), want: []error{ErrMetadata}},
		"NoReadme":      {reason: "The readme is required.", annotations: without(AnnotationReadme), want: []error{ErrMetadata}},
		"NoIcon":        {reason: "The icon is required.", annotations: without(AnnotationIconURI), want: []error{ErrMetadata}},
		"BlankReadme":   {reason: "Whitespace is no readme.", annotations: with(AnnotationReadme, " \n"), want: []error{ErrMetadata}},
		"SourceNotURL": {
			reason:      "The specification asks for the URL of the source; a bare path is not one.",
			annotations: with(AnnotationSource, "github.com/agentops-io/agentops"),
			want:        []error{ErrMetadata},
		},
		"SourceHTTP": {
			reason:      "A plain-http source invites a man in the middle.",
			annotations: with(AnnotationSource, "http://github.com/agentops-io/agentops"),
			want:        []error{ErrMetadata},
		},
		"LicenseFreeText": {
			reason:      "The license is an SPDX identifier, not prose.",
			annotations: with(AnnotationLicense, "Apache License 2.0"),
			want:        []error{ErrMetadata},
		},
		"IconRelativePath": {
			reason:      "A path has nothing to resolve against in a registry.",
			annotations: with(AnnotationIconURI, "docs/assets/icon.svg"),
			want:        []error{ErrMetadata},
		},
		"IconBadBase64": {
			reason:      "A data URI that does not decode shows nothing.",
			annotations: with(AnnotationIconURI, "data:image/svg+xml;base64,%%%"),
			want:        []error{ErrMetadata},
		},
		"IconNotSVG": {
			reason:      "Content that is not the SVG it claims is refused.",
			annotations: with(AnnotationIconURI, "data:image/svg+xml;base64,"+base64.StdEncoding.EncodeToString([]byte("<html></html>"))),
			want:        []error{ErrMetadata},
		},
		"IconPNGLies": {
			reason:      "Content that is not the PNG it claims is refused.",
			annotations: with(AnnotationIconURI, "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("GIF89a"))),
			want:        []error{ErrMetadata},
		},
		"IconOtherMediaType": {
			reason:      "Only SVG and PNG are accepted.",
			annotations: with(AnnotationIconURI, "data:text/plain;base64,aGk="),
			want:        []error{ErrMetadata},
		},
		"Empty": {
			reason:      "A package with no annotations lacks all six.",
			annotations: nil,
			want:        []error{ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := metadataProblems("function-agentops", tc.annotations)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nmetadataProblems(...): -want, +got:\n%s\ngot: %v", tc.reason, diff, got)
			}
		})
	}
}
