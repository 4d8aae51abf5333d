package verify

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// runtimeProblems checks what the kubelet needs to start a Function's
// runtime: the platform it was pulled for, a non-root user it can enforce,
// and an entrypoint that exists and runs there without a libc.
func runtimeProblems(img v1.Image, arch string) []error {
	cf, err := img.ConfigFile()
	if err != nil {
		return []error{fmt.Errorf("%w: cannot read config: %w", ErrPlatform, err)}
	}
	var errs []error
	if cf.OS != "linux" || cf.Architecture != arch {
		errs = append(errs, fmt.Errorf("%w: want linux/%s, got %s/%s", ErrPlatform, arch, cf.OS, cf.Architecture))
	}
	if err := nonRoot(cf.Config.User); err != nil {
		errs = append(errs, err)
	}
	bin, err := entrypoint(img, cf.Config.Entrypoint)
	if err != nil {
		return append(errs, err)
	}
	return append(errs, staticELF(bin, arch)...)
}

// nonRoot accepts only a numeric, non-zero uid: the kubelet refuses to start
// a runAsNonRoot pod whose image names its user, since it cannot resolve it.
func nonRoot(user string) error {
	uid, gid, hasGroup := strings.Cut(user, ":")
	n, err := strconv.ParseUint(uid, 10, 32)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %q is not a numeric uid", ErrRoot, user)
	case n == 0:
		return fmt.Errorf("%w: %q is root", ErrRoot, user)
	}
	if _, err := strconv.ParseUint(gid, 10, 32); hasGroup && err != nil {
		return fmt.Errorf("%w: %q has no numeric gid", ErrRoot, user)
	}
	return nil
}

// entrypoint returns the contents of the file the image starts, read from
// the flattened filesystem so that a later layer's replacement counts.
func entrypoint(img v1.Image, ep []string) ([]byte, error) {
	if len(ep) != 1 || !path.IsAbs(ep[0]) {
		return nil, fmt.Errorf("%w: want one absolute path, got %q", ErrEntrypoint, ep)
	}
	want := path.Clean(ep[0])
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %s is not in the image", ErrEntrypoint, want)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: cannot read the image filesystem: %w", ErrEntrypoint, err)
		}
		if path.Clean("/"+h.Name) != want {
			continue
		}
		if h.Typeflag != tar.TypeReg || h.Mode&0o111 == 0 {
			return nil, fmt.Errorf("%w: %s is not an executable regular file (type %q, mode %o)", ErrEntrypoint, want, h.Typeflag, h.Mode)
		}
		return io.ReadAll(tr)
	}
}
