package validate

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/fn/settings"
)

// imagePolicy refuses an image from outside the platform's allowed
// repositories, and one without a digest when the platform pins them: an
// image runs with the agent's network reach and its API key.
func imagePolicy(img string, allowed settings.Images) field.ErrorList {
	p := specPath.Child("image")
	var errs field.ErrorList
	if !allowed.Admits(img) {
		errs = append(errs, field.Forbidden(p, fmt.Sprintf("image %q (repository %s) is not allowed: the platform admits images from %s", img, settings.Repository(img), strings.Join(allowed.Allowed, ", "))))
	}
	if allowed.RequireDigest && !strings.Contains(img, "@sha256:") {
		errs = append(errs, field.Invalid(p, img, "must be pinned by digest (image@sha256:<64 hex digits>): the platform requires digests"))
	}
	return errs
}
