// Package signing signs pushed packages with a cosign key and verifies them
// the way Crossplane's package manager does when an ImageConfig requires a
// signature (crossplane-runtime pkg/xpkg/signature: cosign's
// VerifyImageSignatures with the simple-signing claim check, tag-based
// signatures). Its tests prove, on the local registry, that every package a
// release pushes verifies once signed and that a tampered one is refused.
//
// A release signs keyless (GitHub OIDC, Fulcio, Rekor: hack/release.sh);
// those services are on the internet, so here a generated key stands in
// for the identity and the transparency log is not consulted.
package signing

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/sigstore/cosign/v3/pkg/cosign"
	"github.com/sigstore/cosign/v3/pkg/oci"
	"github.com/sigstore/cosign/v3/pkg/oci/mutate"
	ociremote "github.com/sigstore/cosign/v3/pkg/oci/remote"
	"github.com/sigstore/cosign/v3/pkg/oci/static"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/payload"
)

// Key is a cosign key pair as `cosign generate-key-pair` writes it: an
// encrypted private key and the PEM public key a cluster is given.
type Key struct {
	signer    signature.SignerVerifier
	PublicPEM []byte
}

// GenerateKey makes a new ECDSA P-256 cosign key pair.
func GenerateKey(password []byte) (Key, error) {
	pass := func(bool) ([]byte, error) { return password, nil }
	kb, err := cosign.GenerateKeyPair(pass)
	if err != nil {
		return Key{}, fmt.Errorf("cannot generate key pair: %w", err)
	}
	sv, err := cosign.LoadPrivateKey(kb.PrivateBytes, password, nil)
	if err != nil {
		return Key{}, fmt.Errorf("cannot load the generated private key: %w", err)
	}
	return Key{signer: sv, PublicPEM: kb.PublicBytes}, nil
}

// Payload is the simple-signing document cosign signs for a digest: it
// names the digest it vouches for.
func Payload(d name.Digest) ([]byte, error) {
	return (&payload.Cosign{Image: d}).MarshalJSON()
}

// SignPayload signs p with k and returns the signature as cosign stores it.
func (k Key) SignPayload(p []byte) (oci.Signature, error) {
	sig, err := k.signer.SignMessage(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("cannot sign: %w", err)
	}
	return static.NewSignature(p, base64.StdEncoding.EncodeToString(sig))
}

// Sign signs the manifest at digest d and attaches the signature where
// cosign and Crossplane look for it: the tag sha256-<hex>.sig of d's
// repository.
func (k Key) Sign(d name.Digest, opts ...ociremote.Option) error {
	p, err := Payload(d)
	if err != nil {
		return err
	}
	sig, err := k.SignPayload(p)
	if err != nil {
		return err
	}
	return Attach(d, sig, opts...)
}

// Attach adds sig to the signatures of the manifest at d.
func Attach(d name.Digest, sig oci.Signature, opts ...ociremote.Option) error {
	se, err := ociremote.SignedEntity(d, opts...)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", d, err)
	}
	signed, err := mutate.AttachSignatureToEntity(se, sig)
	if err != nil {
		return err
	}
	if err := ociremote.WriteSignatures(d.Repository, signed, opts...); err != nil {
		return fmt.Errorf("cannot write the signature of %s: %w", d, err)
	}
	return nil
}

// Verify checks ref (a tag is resolved to its digest first, as Crossplane
// resolves a package) has a signature by the key publicPEM, with the checks
// Crossplane's key authority makes: the public key read from PEM, SHA-256,
// and a simple-signing payload that names the digest. It returns the
// verified signatures.
func Verify(ctx context.Context, ref name.Reference, publicPEM []byte, opts ...ociremote.Option) ([]oci.Signature, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(publicPEM)
	if err != nil {
		return nil, fmt.Errorf("invalid public key: %w", err)
	}
	verifier, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return nil, err
	}
	co := &cosign.CheckOpts{
		SigVerifier:        verifier,
		ClaimVerifier:      cosign.SimpleClaimVerifier,
		RegistryClientOpts: opts,
		// No transparency log here; a release's keyless signatures carry
		// a Rekor entry that the cluster checks.
		IgnoreTlog: true,
	}
	sigs, _, err := cosign.VerifyImageSignatures(ctx, ref, co)
	return sigs, err
}
