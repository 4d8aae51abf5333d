package signing

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/cosign/v3/pkg/cosign"
	"github.com/sigstore/cosign/v3/pkg/oci/static"

	"github.com/agentops-io/agentops/test/xpkg/internal/artifacts"
	"github.com/agentops-io/agentops/test/xpkg/internal/registry"
)

// Outcomes of a verification.
const (
	verified    = "verified"
	unsigned    = "no signature"
	notMatching = "no matching signature"
)

// TestSignAndVerify pushes every package a release pushes to the local
// registry, signs every pushed digest (each tag's manifest and each platform
// manifest of the Function's index) with a generated key, and verifies them
// as Crossplane would; then tampers with packages and signatures and shows
// each refused.
func TestSignAndVerify(t *testing.T) {
	p := artifacts.Require(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	host := registry.Serve(t, p.Crane)
	version := p.Version(t)
	pushed := registry.Push(ctx, t, p, host, version)

	key, other := mustKey(t), mustKey(t)
	digests := pushedDigests(ctx, t, pushed)
	for _, d := range digests {
		if err := key.Sign(d); err != nil {
			t.Fatal(err)
		}
	}
	fn := registry.Ref(t, pushed.Function)
	cfg := registry.Ref(t, pushed.Configurations[p.Configuration()])
	legacy := registry.Ref(t, pushed.Configurations[p.LegacyConfiguration()])

	cases := map[string]struct {
		reason string
		// ref is what a cluster would install; it may tamper first.
		ref  func(t *testing.T) name.Reference
		key  []byte
		want string
	}{
		"FunctionIndex": {
			reason: "The Function's multi-arch tag resolves to its index digest, which Crossplane verifies.",
			ref:    func(*testing.T) name.Reference { return fn },
			key:    key.PublicPEM, want: verified,
		},
		"FunctionAmd64": {
			reason: "The linux/amd64 manifest of the index is signed too: a node pulls it by its own digest.",
			ref:    func(*testing.T) name.Reference { return digests["function-agentops linux/amd64"] },
			key:    key.PublicPEM, want: verified,
		},
		"FunctionArm64": {
			reason: "So is the linux/arm64 manifest.",
			ref:    func(*testing.T) name.Reference { return digests["function-agentops linux/arm64"] },
			key:    key.PublicPEM, want: verified,
		},
		"Configuration": {
			reason: "The v2 Configuration verifies by its tag.",
			ref:    func(*testing.T) name.Reference { return cfg },
			key:    key.PublicPEM, want: verified,
		},
		"LegacyConfiguration": {
			reason: "The legacy Configuration verifies by its tag.",
			ref:    func(*testing.T) name.Reference { return legacy },
			key:    key.PublicPEM, want: verified,
		},
		"OtherKey": {
			reason: "A signature by another key does not count, as for an ImageConfig naming another identity.",
			ref:    func(*testing.T) name.Reference { return cfg },
			key:    other.PublicPEM, want: notMatching,
		},
		"TagMovedToAnotherDigest": {
			reason: "A signed tag re-pointed at a modified package resolves to a digest nobody signed.",
			ref: func(t *testing.T) name.Reference {
				tag := copyTo(ctx, t, cfg, host+"/agentops-io/moved:"+version)
				if err := key.Sign(digestOf(ctx, t, tag)); err != nil {
					t.Fatal(err)
				}
				tamper(ctx, t, tag, tag.String())
				return tag
			},
			key: key.PublicPEM, want: unsigned,
		},
		"SignatureOfAnotherDigest": {
			reason: "A valid signature copied onto another digest names the digest it was made for.",
			ref: func(t *testing.T) name.Reference {
				d := digestOf(ctx, t, tamper(ctx, t, legacy, host+"/agentops-io/copied:"+version))
				sigs, err := Verify(ctx, legacy, key.PublicPEM)
				if err != nil || len(sigs) == 0 {
					t.Fatalf("the legacy Configuration's signature: %v", err)
				}
				if err := Attach(d, sigs[0]); err != nil {
					t.Fatal(err)
				}
				return d
			},
			key: key.PublicPEM, want: notMatching,
		},
		"ModifiedSignature": {
			reason: "A signature with one bit flipped does not verify.",
			ref: func(t *testing.T) name.Reference {
				d := digestOf(ctx, t, tamper(ctx, t, cfg, host+"/agentops-io/flipped:"+version))
				payload, raw := signed(t, key, d)
				raw[len(raw)/2] ^= 0x01
				attach(t, d, payload, raw)
				return d
			},
			key: key.PublicPEM, want: notMatching,
		},
		"ModifiedPayload": {
			reason: "A payload changed after signing (an annotation added) no longer matches its signature.",
			ref: func(t *testing.T) name.Reference {
				d := digestOf(ctx, t, tamper(ctx, t, cfg, host+"/agentops-io/edited:"+version))
				payload, raw := signed(t, key, d)
				edited := strings.Replace(string(payload), `"optional":null`, `"optional":{"approved":"yes"}`, 1)
				if edited == string(payload) {
					t.Fatalf("payload has no optional field to edit: %s", payload)
				}
				attach(t, d, []byte(edited), raw)
				return d
			},
			key: key.PublicPEM, want: notMatching,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ref := tc.ref(t)
			sigs, err := Verify(ctx, ref, tc.key)
			if got := outcome(err); got != tc.want {
				t.Errorf("%s\nVerify(%s): %s (%v), want %s", tc.reason, ref, got, err, tc.want)
			}
			if err == nil && len(sigs) == 0 {
				t.Errorf("%s\nVerify(%s): no error and no signature", tc.reason, ref)
			}
		})
	}
}

// outcome names what a verification error means.
func outcome(err error) string {
	var none *cosign.ErrNoSignaturesFound
	var mismatch *cosign.ErrNoMatchingSignatures
	switch {
	case err == nil:
		return verified
	case errors.As(err, &none):
		return unsigned
	case errors.As(err, &mismatch):
		return notMatching
	default:
		return "error: " + err.Error()
	}
}

// pushedDigests are the digests a release signs, by package (and platform).
func pushedDigests(ctx context.Context, t *testing.T, pushed registry.Pushed) map[string]name.Digest {
	t.Helper()
	out := map[string]name.Digest{}
	fn := registry.Ref(t, pushed.Function)
	idx, err := remote.Index(fn, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	out["function-agentops"] = digestOf(ctx, t, fn)
	for _, m := range im.Manifests {
		out["function-agentops "+m.Platform.String()] = fn.Context().Digest(m.Digest.String())
	}
	for _, ref := range pushed.Configurations {
		r := registry.Ref(t, ref)
		out[r.Context().RepositoryStr()] = digestOf(ctx, t, r)
	}
	if len(out) != 5 {
		t.Fatalf("want the index, two platform manifests and two Configurations, got %v", out)
	}
	return out
}

// copyTo copies the image at src to the tag dst, unchanged.
func copyTo(ctx context.Context, t *testing.T, src name.Reference, dst string) name.Reference {
	t.Helper()
	img, err := remote.Image(src, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	ref := registry.Ref(t, dst)
	if err := remote.Write(ref, img, remote.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	return ref
}

// tamper writes to dst the image at src with one config label added: the
// same package to a reader that skips the digest, another digest to one that
// does not.
func tamper(ctx context.Context, t *testing.T, src name.Reference, dst string) name.Reference {
	t.Helper()
	img, err := remote.Image(src, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg := *cf.Config.DeepCopy()
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	cfg.Labels["tampered"] = "true"
	changed, err := mutate.Config(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref := registry.Ref(t, dst)
	if err := remote.Write(ref, changed, remote.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	return ref
}

// signed is the payload naming d and its signature by key, not attached.
func signed(t *testing.T, key Key, d name.Digest) ([]byte, []byte) {
	t.Helper()
	payload, err := Payload(d)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := key.SignPayload(payload)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sig.Signature()
	if err != nil {
		t.Fatal(err)
	}
	return payload, raw
}

// attach stores a signature made of payload and raw signature bytes on d,
// with no check of either.
func attach(t *testing.T, d name.Digest, payload, raw []byte) {
	t.Helper()
	sig, err := static.NewSignature(payload, base64.StdEncoding.EncodeToString(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := Attach(d, sig); err != nil {
		t.Fatal(err)
	}
}

func digestOf(ctx context.Context, t *testing.T, ref name.Reference) name.Digest {
	t.Helper()
	desc, err := remote.Head(ref, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	return ref.Context().Digest(desc.Digest.String())
}

func mustKey(t *testing.T) Key {
	t.Helper()
	k, err := GenerateKey([]byte("test"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
