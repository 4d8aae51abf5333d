package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// The package metadata annotations of the xpkg specification
// (crossplane/crossplane contributing/specifications/xpkg.md, "Object
// Annotations"), which registries and marketplaces show, and the icon they
// read from meta.crossplane.io/iconURI (a convention: neither Crossplane nor
// its CLI, v2.5.0, gives a package an icon any other way).
const (
	AnnotationMaintainer  = "meta.crossplane.io/maintainer"
	AnnotationSource      = "meta.crossplane.io/source"
	AnnotationLicense     = "meta.crossplane.io/license"
	AnnotationDescription = "meta.crossplane.io/description"
	AnnotationReadme      = "meta.crossplane.io/readme"
	AnnotationIconURI     = "meta.crossplane.io/iconURI"
)

// metaAnnotations are required on every package we ship, in report order.
var metaAnnotations = []string{
	AnnotationMaintainer, AnnotationSource, AnnotationLicense,
	AnnotationDescription, AnnotationReadme, AnnotationIconURI,
}

// spdxID is the shape of an SPDX license identifier (Apache-2.0,
// BSD-3-Clause, GPL-2.0+): no spaces, so no free text.
var spdxID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*\+?$`)

// metadataProblems checks each annotation is present and well formed.
func metadataProblems(name string, annotations map[string]string) []error {
	var errs []error
	for _, a := range metaAnnotations {
		v := annotations[a]
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("%w: %s has no %s annotation", ErrMetadata, name, a))
			continue
		}
		var err error
		switch a {
		case AnnotationSource:
			err = httpsURL(v)
		case AnnotationLicense:
			if !spdxID.MatchString(v) {
				err = fmt.Errorf("%q is not an SPDX license identifier such as Apache-2.0", v)
			}
		case AnnotationIconURI:
			err = icon(v)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s annotation %s: %w", ErrMetadata, name, a, err))
		}
	}
	return errs
}

func httpsURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return err
	}
	if u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https URL", v)
	}
	return nil
}

// icon accepts an https URL, or a base64 data URI of an SVG or PNG image
// whose content is one: a package that carries its icon needs nothing
// fetched to show it.
func icon(v string) error {
	if strings.HasPrefix(v, "https://") {
		return httpsURL(v)
	}
	media, data, ok := strings.Cut(strings.TrimPrefix(v, "data:"), ";base64,")
	if !strings.HasPrefix(v, "data:") || !ok {
		return fmt.Errorf("want an https URL or a data:image/svg+xml;base64 or data:image/png;base64 URI, got %.40q", v)
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return fmt.Errorf("data URI: %w", err)
	}
	switch media {
	case "image/svg+xml":
		return svgImage(b)
	case "image/png":
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			return errors.New("data URI says image/png, content is not a PNG")
		}
		return nil
	default:
		return fmt.Errorf("data URI media type %q, want image/svg+xml or image/png", media)
	}
}

// svgImage checks b is an XML document whose root element is svg in the
// SVG namespace.
func svgImage(b []byte) error {
	var root struct {
		XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	}
	if err := xml.Unmarshal(b, &root); err != nil {
		return fmt.Errorf("data URI says image/svg+xml, content is not an SVG document: %w", err)
	}
	return nil
}
