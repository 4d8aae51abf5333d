package fn

import (
	"errors"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
)

// desiredProviderObject converts a provider-kubernetes Object into the Struct of a
// desired composed resource: the Object as desiredStruct converts any
// object, and its manifest the same way, with its kind and without a status.
func desiredProviderObject(e *structcodec.Encoder, o *compose.Object) (*structpb.Struct, error) {
	if o.Spec.ForProvider.Manifest == nil {
		return nil, errors.New("cannot convert Object " + o.Name + ": it has no manifest")
	}
	s, err := e.Object(o, "status")
	if err != nil {
		return nil, err
	}
	gv := compose.ObjectGroupVersion.String()
	s.Fields["apiVersion"] = e.Intern(gv)
	s.Fields["kind"] = e.Intern(compose.ObjectKind)
	manifest, err := desiredStruct(e, o.Spec.ForProvider.Manifest)
	if err != nil {
		return nil, err
	}
	forProvider := s.GetFields()["spec"].GetStructValue().GetFields()
	forProvider["forProvider"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"manifest": structpb.NewStructValue(manifest)}})
	return s, nil
}
