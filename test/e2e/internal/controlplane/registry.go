package controlplane

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Registry is an in-memory OCI registry on 127.0.0.1 that Crossplane's
// package manager pulls our packages from, over plain HTTP (Crossplane and
// go-containerregistry use HTTP for 127.0.0.1).
type Registry struct {
	// Host is 127.0.0.1:port: a host with a dot, as package references
	// must have.
	Host string
	cp   *ControlPlane
}

// StartRegistry starts the registry.
func StartRegistry(ctx context.Context, cp *ControlPlane) (*Registry, error) {
	r := &Registry{cp: cp}
	_, err := cp.StartComponent(ctx, "registry", nil, 30*time.Second, func() ([]string, error) {
		port, err := cp.Ports.Free()
		if err != nil {
			return nil, err
		}
		r.Host = Addr(port)
		return []string{"-port=" + strconv.Itoa(port)}, nil
	}, func(ctx context.Context) error {
		return HTTPOK(ctx, "http://"+r.Host+"/v2/", "")
	})
	return r, err
}

// Push uploads a package file (an OCI image tarball, as `crossplane xpkg
// build` writes) as repo:tag and returns its reference.
func (r *Registry) Push(ctx context.Context, file, repo, tag string) (string, error) {
	ref := r.Host + "/" + repo + ":" + tag
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, r.cp.Bin("crane"), "push", "--insecure", file, ref).CombinedOutput() //nolint:gosec // the pinned crane
	if err != nil {
		return "", fmt.Errorf("crane push %s %s: %w: %s", file, ref, err, out)
	}
	return ref, nil
}

// Retag pushes the image at ref (host/repo:tag) again as tag, with one
// more config label: the same layers, so the same build, under a new
// digest. Crossplane names a package's revisions after its digest, so
// only a new digest makes it install a new revision.
func (r *Registry) Retag(ctx context.Context, ref, tag, label string) (string, error) {
	i := strings.LastIndex(ref, ":")
	if i < 0 {
		return "", fmt.Errorf("image %s has no tag", ref)
	}
	to := ref[:i+1] + tag
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, r.cp.Bin("crane"), "mutate", "--insecure", "--label", label, "-t", to, ref).CombinedOutput() //nolint:gosec // the pinned crane
	if err != nil {
		return "", fmt.Errorf("crane mutate %s -t %s: %w: %s", ref, to, err, out)
	}
	return to, nil
}
