package runtimeimage

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

var epoch = time.Unix(1764000000, 0)

// file is what the image's flattened filesystem holds at one path.
type file struct {
	Type byte
	Mode int64
	UID  int
	GID  int
	Body string
}

func files(t *testing.T, img v1.Image) map[string]file {
	t.Helper()
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	out := map[string]file{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(epoch) {
			t.Errorf("%s: mtime %s, want SOURCE_DATE_EPOCH %s", h.Name, h.ModTime, epoch)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = file{Type: h.Typeflag, Mode: h.Mode, UID: h.Uid, GID: h.Gid, Body: string(body)}
	}
}

// throughTarball writes img as the image tarball crossplane xpkg build reads
// and reads it back.
func throughTarball(t *testing.T, img v1.Image) v1.Image {
	t.Helper()
	buf := &bytes.Buffer{}
	if err := tarball.Write(nil, img, buf); err != nil {
		t.Fatal(err)
	}
	out, err := tarball.Image(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf.Bytes())), nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBuildLayout(t *testing.T) {
	bin := "\x7fELF not really, but any bytes are copied verbatim"
	built, err := Build([]byte(bin), Options{Arch: "arm64", Created: epoch})
	if err != nil {
		t.Fatal(err)
	}
	img := throughTarball(t, built)
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}
	want := map[string]file{
		"etc":          {Type: tar.TypeDir, Mode: 0o755},
		"etc/group":    {Type: tar.TypeReg, Mode: 0o644, Body: group},
		"etc/passwd":   {Type: tar.TypeReg, Mode: 0o644, Body: passwd},
		"home":         {Type: tar.TypeDir, Mode: 0o755},
		"home/nonroot": {Type: tar.TypeDir, Mode: 0o700, UID: UID, GID: GID},
		"tmp":          {Type: tar.TypeDir, Mode: 0o1777},
		"function":     {Type: tar.TypeReg, Mode: 0o755, Body: bin},
	}
	if diff := cmp.Diff(want, files(t, img)); diff != "" {
		t.Errorf("Build(...) filesystem: -want, +got:\n%s", diff)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	wantCfg := v1.Config{
		Entrypoint:   []string{"/function"},
		User:         "65532:65532",
		WorkingDir:   "/",
		ExposedPorts: map[string]struct{}{"9443/tcp": {}},
		Env:          []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
	}
	if diff := cmp.Diff(wantCfg, cf.Config); diff != "" {
		t.Errorf("Build(...) config: -want, +got:\n%s", diff)
	}
	if cf.OS != "linux" || cf.Architecture != "arm64" || !cf.Created.Equal(epoch) {
		t.Errorf("Build(...): got %s/%s created %s, want linux/arm64 created %s", cf.OS, cf.Architecture, cf.Created.Time, epoch)
	}
	if n := len(cf.History); n != 2 {
		t.Errorf("Build(...): %d history entries, want one per layer (2)", n)
	}
}

func TestBuildReproducible(t *testing.T) {
	digest := func(bin string, o Options) v1.Hash {
		t.Helper()
		img, err := Build([]byte(bin), o)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := Options{Arch: "amd64", Created: epoch}
	cases := map[string]struct {
		reason string
		a, b   Options
		binB   string
		same   bool
	}{
		"SameInputs": {
			reason: "The same binary, architecture and time give the same digest.",
			a:      base, b: base, binB: "bin", same: true,
		},
		"SubSecondTime": {
			reason: "Times are kept to the second, as SOURCE_DATE_EPOCH is.",
			a:      base, b: Options{Arch: "amd64", Created: epoch.Add(300 * time.Millisecond)}, binB: "bin", same: true,
		},
		"OtherTime": {
			reason: "Another commit time is another image.",
			a:      base, b: Options{Arch: "amd64", Created: epoch.Add(time.Second)}, binB: "bin",
		},
		"OtherArch": {
			reason: "Another architecture is another image.",
			a:      base, b: Options{Arch: "arm64", Created: epoch}, binB: "bin",
		},
		"OtherBinary": {
			reason: "Another binary is another image.",
			a:      base, b: base, binB: "bin2",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := digest("bin", tc.a) == digest(tc.binB, tc.b); got != tc.same {
				t.Errorf("%s\nequal digests: got %t, want %t", tc.reason, got, tc.same)
			}
		})
	}
}

func TestBuildNeedsArch(t *testing.T) {
	if _, err := Build([]byte("bin"), Options{Created: epoch}); err == nil {
		t.Error("Build(...) without an architecture: got no error, want one: the package manager picks images by platform")
	}
}

// TestBuildAgentRuntime: the agent runtime's image puts its binary at its own
// entrypoint and exposes the contract's port (docs/agent-contract.md), with
// the same non-root user and writable /tmp.
func TestBuildAgentRuntime(t *testing.T) {
	bin := "agent runtime binary"
	img, err := Build([]byte(bin), Options{Arch: "amd64", Created: epoch, Entrypoint: "/agent-runtime", Port: "8080/tcp"})
	if err != nil {
		t.Fatal(err)
	}
	got := files(t, img)
	if f, ok := got["agent-runtime"]; !ok || f.Body != bin || f.Mode != 0o755 {
		t.Errorf("Build(...): want /agent-runtime holding the binary, got %+v", got)
	}
	if _, ok := got["function"]; ok {
		t.Errorf("Build(...): /function in the agent runtime's image")
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/agent-runtime"}, cf.Config.Entrypoint); diff != "" || cf.Config.User != "65532:65532" {
		t.Errorf("Build(...) config: entrypoint -want, +got:\n%s\nuser %s", diff, cf.Config.User)
	}
	if _, ok := cf.Config.ExposedPorts["8080/tcp"]; !ok || len(cf.Config.ExposedPorts) != 1 {
		t.Errorf("Build(...) config: ports %v, want 8080/tcp only", cf.Config.ExposedPorts)
	}
}
