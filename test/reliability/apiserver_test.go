package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xcrd"
	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
)

// An apiServer admits objects of one CRD as kube-apiserver does, with its
// own code: the CRD is the one Crossplane generates from our XRD (with
// Crossplane's own xcrd package), checked as the API server checks a CRD;
// an object is pruned and defaulted as the API server decodes it, then
// validated against the OpenAPI schema, its embedded metadata and its CEL
// rules (x-kubernetes-validations), as the custom resource strategy does.
type apiServer struct {
	kind       string
	namespaced bool
	structural *structuralschema.Structural
	schema     apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// Which CRD of an XRD to serve.
const (
	compositeCRD = "composite"
	claimCRD     = "claim"
)

// newAPIServer serves the composite or claim CRD of the XRD in file.
func newAPIServer(t testing.TB, file, which string) *apiServer {
	t.Helper()
	docs := documents(t, filepath.Join(root, file))
	xrd := &xpv1.CompositeResourceDefinition{}
	b, err := json.Marshal(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	// The v2 XRD's fields are v1's (Crossplane converts between them).
	if err := json.Unmarshal(b, xrd); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	xrd.SetUID("6a1c7a36-3f1e-4b43-9a57-2d8a0d6f4c10") // The API server gave the XRD one.
	gen := xcrd.ForCompositeResource
	if which == claimCRD {
		gen = xcrd.ForCompositeResourceClaim
	}
	crd, err := gen(xrd)
	if err != nil {
		t.Fatalf("xcrd: %s: %v", file, err)
	}
	return apiServerFor(t, crd, file)
}

// apiServerFor serves one CRD, which source names for messages.
func apiServerFor(t testing.TB, crd *extv1.CustomResourceDefinition, source string) *apiServer {
	t.Helper()
	// As the API server creates the CRD: defaults, then the stored version.
	extv1.SetObjectDefaults_CustomResourceDefinition(crd)
	for _, v := range crd.Spec.Versions {
		if v.Storage {
			crd.Status.StoredVersions = []string{v.Name}
		}
	}
	internal := &apiextensions.CustomResourceDefinition{}
	if err := extv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(crd, internal, nil); err != nil {
		t.Fatal(err)
	}
	// A CRD name must be plural.group; Crossplane names it so.
	internal.Name = internal.Spec.Names.Plural + "." + internal.Spec.Group
	if errs := crdvalidation.ValidateCustomResourceDefinition(context.Background(), internal); len(errs) > 0 {
		t.Fatalf("the API server would refuse the CRD of %s: %v", source, errs.ToAggregate())
	}
	// The internal version keeps a schema common to every version at the top.
	v := internal.Spec.Validation.OpenAPIV3Schema
	ss, err := structuralschema.NewStructural(v)
	if err != nil {
		t.Fatalf("%s: not a structural schema: %v", source, err)
	}
	sv, _, err := apiservervalidation.NewSchemaValidator(v)
	if err != nil {
		t.Fatal(err)
	}
	return &apiServer{
		kind:       internal.Spec.Names.Kind,
		namespaced: internal.Spec.Scope == apiextensions.NamespaceScoped,
		structural: ss,
		schema:     sv,
		cel:        cel.NewValidator(ss, true, celconfig.PerCallLimit),
	}
}

// admit creates obj: it returns the object as stored, and the API server's
// error, or "". Unknown fields are errors, as under kubectl's default strict
// field validation.
func (a *apiServer) admit(obj map[string]any) (map[string]any, string) {
	u := &unstructured.Unstructured{Object: deepCopy(obj)}
	unknown := structuralpruning.PruneWithOptions(u.Object, a.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	structuraldefaulting.Default(u.Object, a.structural)

	var errs field.ErrorList
	if u.GetKind() != a.kind {
		errs = append(errs, field.Invalid(field.NewPath("kind"), u.GetKind(), "must be "+a.kind))
	}
	errs = append(errs, metavalidation.ValidateObjectMetaAccessor(u, a.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, u.Object, a.schema)...)
	errs = append(errs, schemaobjectmeta.Validate(context.Background(), nil, u.Object, a.structural, false)...)
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, a.structural, u.Object)...)
	if !blocking(errs) {
		celErrs, _ := a.cel.Validate(context.Background(), nil, a.structural, u.Object, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}

	var msgs []string
	for _, f := range unknown {
		msgs = append(msgs, fmt.Sprintf("unknown field %q", f))
	}
	if len(errs) > 0 {
		msgs = append(msgs, errs.ToAggregate().Error())
	}
	return u.Object, strings.Join(msgs, "; ")
}

// blocking is the strategy's rule: CEL rules are not evaluated on an object
// with errors of these types.
func blocking(errs field.ErrorList) bool {
	for _, e := range errs {
		if slices.Contains([]field.ErrorType{field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid}, e.Type) {
			return true
		}
	}
	return false
}

// deepCopy copies JSON-like data as the API server decodes a request body:
// integral numbers become int64.
func deepCopy(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	out := map[string]any{}
	if err := utiljson.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// TestExamplesAdmitted: every example is admitted as it is, so that the
// bad-input table's refusals come from the cases' own faults.
func TestExamplesAdmitted(t *testing.T) {
	v2 := newAPIServer(t, "apis/definition.yaml", compositeCRD)
	legacyXR := newAPIServer(t, "apis/legacy/definition.yaml", compositeCRD)
	claim := newAPIServer(t, "apis/legacy/definition.yaml", claimCRD)
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			servers := []*apiServer{v2}
			if e.Legacy {
				servers = []*apiServer{legacyXR, claim}
			}
			for _, s := range servers {
				obj := e.XR
				if s == claim {
					obj = documents(t, filepath.Join(root, "examples/legacy/claim.yaml"))[0]
				}
				if _, err := s.admit(obj); err != "" {
					t.Errorf("%s: the API server refuses the example: %s", s.kind, err)
				}
			}
		})
	}
}
