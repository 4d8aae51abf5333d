package settings

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

// Images are the images an AgentDeployment's spec.image may name.
type Images struct {
	// Allowed repository prefixes, each ending at a path boundary.
	Allowed []string
	// RequireDigest refuses an image without a sha256 digest.
	RequireDigest bool
}

// Admits reports whether image's repository is one of the allowed prefixes
// or lies under one.
func (i Images) Admits(image string) bool {
	repo := Repository(image)
	return slices.ContainsFunc(i.Allowed, func(prefix string) bool {
		if strings.HasSuffix(prefix, "/") {
			return strings.HasPrefix(repo, prefix)
		}
		return repo == prefix || strings.HasPrefix(repo, prefix+"/")
	})
}

// Repository is an image reference's repository, registry included and
// normalized as a container runtime does: without a registry an image comes
// from docker.io, and a one-part name from docker.io/library.
func Repository(image string) string {
	repo, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	first, rest, found := strings.Cut(repo, "/")
	switch {
	case !found:
		return "docker.io/library/" + repo
	case isRegistry(first):
		if first == "index.docker.io" {
			return "docker.io/" + rest
		}
		return repo
	default:
		return "docker.io/" + repo
	}
}

// resolveImages sets the image policy; by default the repositories of the
// resolved catalog's images. It reads s.Models.
func resolveImages(s *Settings, in *v1beta1.Images, root *field.Path) field.ErrorList {
	if in == nil {
		in = &v1beta1.Images{}
	}
	p := root.Child("images")
	s.Images.RequireDigest = ptr.Deref(in.RequireDigest, false)
	if in.Allowed != nil {
		s.Images.Allowed = in.Allowed
		var errs field.ErrorList
		for i, a := range in.Allowed {
			if host, path, found := strings.Cut(a, "/"); !found || !isRegistry(host) || strings.ContainsAny(path, "@: ") {
				errs = append(errs, field.Invalid(p.Child("allowed").Index(i), a, "must be a registry followed by /, or a repository with its registry, such as registry.example.com/ or registry.example.com/team/agent"))
			}
		}
		if len(in.Allowed) == 0 {
			errs = append(errs, field.Required(p.Child("allowed"), "leave it out for the catalog's repositories; an empty list would refuse every spec.image"))
		}
		return errs
	}
	for _, name := range s.ModelNames {
		if r := Repository(s.Models[name].Image); !slices.Contains(s.Images.Allowed, r) {
			s.Images.Allowed = append(s.Images.Allowed, r)
		}
	}
	slices.Sort(s.Images.Allowed)
	return nil
}

// String lists the allowed prefixes, for messages.
func (i Images) String() string { return fmt.Sprintf("%q", i.Allowed) }

// isRegistry tells a registry host from the first part of a Docker Hub
// repository, as container runtimes do.
func isRegistry(host string) bool {
	return strings.ContainsAny(host, ".:") || host == "localhost"
}
