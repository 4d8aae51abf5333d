package runtimeimage

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// entry is one file or directory of a layer. Every entry of a layer gets the
// same modification time so that the layer depends only on its contents and
// the build's SOURCE_DATE_EPOCH.
type entry struct {
	name string
	mode int64
	uid  int
	gid  int
	body []byte
	dir  bool
}

// The same accounts as distroless' static image, so the Dockerfile and this
// writer produce images that run the same way.
const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\n" +
		"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group = "root:x:0:\nnonroot:x:65532:\n"
)

// baseEntries are what a static Go binary needs of an OS: who it runs as
// (user name lookups, and tools that print it) and a writable /tmp.
func baseEntries() []entry {
	return []entry{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/group", mode: 0o644, body: []byte(group)},
		{name: "etc/passwd", mode: 0o644, body: []byte(passwd)},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, uid: UID, gid: GID, dir: true},
		{name: "tmp/", mode: 0o1777, dir: true},
	}
}

// binaryEntries holds the binary at entrypoint, owned by root so the
// non-root user that runs it cannot replace it.
func binaryEntries(bin []byte, entrypoint string) []entry {
	return []entry{{name: strings.TrimPrefix(entrypoint, "/"), mode: 0o755, body: bin}}
}

// layer writes the entries as an uncompressed tar and wraps it as a gzipped
// layer; gzip without a header time keeps the digest reproducible.
func layer(entries []entry, mtime time.Time) (v1.Layer, error) {
	buf := &bytes.Buffer{}
	tw := tar.NewWriter(buf)
	for _, e := range entries {
		if err := writeEntry(tw, e, mtime); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("cannot close layer tar: %w", err)
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
}

func writeEntry(tw *tar.Writer, e entry, mtime time.Time) error {
	hdr := &tar.Header{
		Name:     e.name,
		Mode:     e.mode,
		Uid:      e.uid,
		Gid:      e.gid,
		ModTime:  mtime,
		Typeflag: tar.TypeReg,
		Size:     int64(len(e.body)),
		Format:   tar.FormatUSTAR,
	}
	if e.dir {
		hdr.Typeflag = tar.TypeDir
		hdr.Size = 0
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("cannot write tar header of %s: %w", e.name, err)
	}
	if _, err := tw.Write(e.body); err != nil {
		return fmt.Errorf("cannot write %s: %w", e.name, err)
	}
	return nil
}
