// Command runtime-image writes a function's runtime image as an image tarball
// that crossplane xpkg build --embed-runtime-image-tarball accepts: no
// container engine, no registry, no base image to pull.
//
//	runtime-image -binary _output/xpkg/bin/linux_amd64/function -arch amd64 -o runtime-amd64.tar
//
// The creation time comes from SOURCE_DATE_EPOCH (seconds; 0 when unset), so
// the tarball is a function of the binary and the commit alone.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/agentops-io/agentops/tools/runtime-image/runtimeimage"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "runtime-image:", err)
		os.Exit(1)
	}
}

func run() error {
	bin := flag.String("binary", "", "the static function binary to run as "+runtimeimage.Entrypoint)
	arch := flag.String("arch", "", "the binary's GOARCH: amd64 or arm64")
	out := flag.String("o", "", "the image tarball to write")
	tag := flag.String("tag", "function-agentops:latest", "the name recorded in the tarball's manifest")
	entrypoint := flag.String("entrypoint", runtimeimage.Entrypoint, "where the binary goes in the image, and its entrypoint")
	port := flag.String("port", runtimeimage.Port, "the port the image exposes")
	flag.Parse()
	if *bin == "" || *arch == "" || *out == "" {
		flag.Usage()
		return errors.New("-binary, -arch and -o are required")
	}
	created, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(*bin)
	if err != nil {
		return err
	}
	img, err := runtimeimage.Build(data, runtimeimage.Options{Arch: *arch, Created: created, Entrypoint: *entrypoint, Port: *port})
	if err != nil {
		return err
	}
	ref, err := name.NewTag(*tag)
	if err != nil {
		return err
	}
	return tarball.WriteToFile(*out, ref, img)
}

func sourceDateEpoch() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Unix(0, 0), nil
	}
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds: %w", v, err)
	}
	return time.Unix(s, 0), nil
}
