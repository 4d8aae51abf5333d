// Package runtimeimage builds a Crossplane function's runtime image from a
// static binary without a container engine or a registry: two small layers
// and a config, reproducible from the binary and a timestamp alone.
package runtimeimage

import (
	"errors"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// The runtime contract Crossplane's package manager relies on: it starts the
// image's entrypoint and calls it over gRPC on port 9443.
const (
	Entrypoint = "/function"
	UID        = 65532
	GID        = 65532
	Port       = "9443/tcp"
)

// User is the config's user: numeric, so that Kubernetes can enforce
// runAsNonRoot without resolving names.
var User = fmt.Sprintf("%d:%d", UID, GID)

// Options of a runtime image.
type Options struct {
	// Arch is the GOARCH the binary was built for (amd64, arm64).
	Arch string
	// Created is the image's creation time and every file's modification
	// time: SOURCE_DATE_EPOCH, so two builds of one commit are identical.
	Created time.Time
	// Entrypoint and Port default to the function's (Entrypoint, Port); the
	// agent runtime's image sets its own (docs/agent-contract.md).
	Entrypoint string
	Port       string
}

// Build returns the runtime image of bin. It uses Docker schema 2 media
// types, like the package layers crossplane xpkg build appends and the
// manifest crossplane xpkg push writes, so a package has one kind throughout.
func Build(bin []byte, o Options) (v1.Image, error) {
	if o.Arch == "" {
		return nil, errors.New("no architecture given")
	}
	if o.Entrypoint == "" {
		o.Entrypoint = Entrypoint
	}
	if o.Port == "" {
		o.Port = Port
	}
	created := o.Created.UTC().Truncate(time.Second)
	base, err := layer(baseEntries(), created)
	if err != nil {
		return nil, err
	}
	fn, err := layer(binaryEntries(bin, o.Entrypoint), created)
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(empty.Image,
		mutate.Addendum{Layer: base, History: history(created, "accounts and /tmp for a static binary")},
		mutate.Addendum{Layer: fn, History: history(created, "the binary")},
	)
	if err != nil {
		return nil, fmt.Errorf("cannot add layers: %w", err)
	}
	return withConfig(img, o, created)
}

func history(created time.Time, what string) v1.History {
	return v1.History{Created: v1.Time{Time: created}, CreatedBy: "agentops runtime-image", Comment: what}
}

// withConfig sets what a runtime needs to start the function as non-root.
func withConfig(img v1.Image, o Options, created time.Time) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("cannot read image config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS = "linux"
	cf.Architecture = o.Arch
	cf.Created = v1.Time{Time: created}
	cf.Config = v1.Config{
		Entrypoint:   []string{o.Entrypoint},
		User:         User,
		WorkingDir:   "/",
		ExposedPorts: map[string]struct{}{o.Port: {}},
		Env:          []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("cannot set image config: %w", err)
	}
	return img, nil
}
