package settings

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestResolveDelivery(t *testing.T) {
	type want struct {
		d    Delivery
		errs []string
	}
	cases := map[string]struct {
		reason string
		in     *v1beta1.Delivery
		want   want
	}{
		"Default": {
			reason: "Without a delivery the agent is composed into this cluster, as before.",
			want:   want{d: Delivery{Mode: DeliveryLocal}},
		},
		"ObjectDefaults": {
			reason: "Object mode alone takes the provider's defaults: ClusterProviderConfig default, its management policies and readiness.",
			in:     &v1beta1.Delivery{Mode: "Object"},
			want:   want{d: Delivery{Mode: DeliveryObject, ProviderConfigKind: "ClusterProviderConfig", ProviderConfigName: "default"}},
		},
		"ObjectEverything": {
			reason: "Every field of Object mode reaches the settings.",
			in: &v1beta1.Delivery{
				Mode:              "Object",
				ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "ProviderConfig", Name: "workload-eu"},
				Namespace:         "agents-eu",
				Object: &v1beta1.ObjectOptions{
					ManagementPolicies: []string{"Observe", "Create", "Update", "Delete"},
					Readiness:          &v1beta1.ObjectReadiness{Policy: "DeriveFromCelQuery", CelQuery: "object.status.readyReplicas > 0"},
					Watch:              new(true),
				},
			},
			want: want{d: Delivery{
				Mode: DeliveryObject, ProviderConfigKind: "ProviderConfig", ProviderConfigName: "workload-eu", Namespace: "agents-eu",
				ManagementPolicies: []string{"Observe", "Create", "Update", "Delete"},
				ReadinessPolicy:    "DeriveFromCelQuery", CelQuery: "object.status.readyReplicas > 0", Watch: true,
			}},
		},
		"UnknownMode": {
			reason: "A mode other than Local and Object names the allowed values.",
			in:     &v1beta1.Delivery{Mode: "Remote"},
			want:   want{errs: []string{`input.delivery.mode: Unsupported value: "Remote": supported values: "Local", "Object"`}},
		},
		"ObjectFieldsInLocalMode": {
			reason: "Object mode's fields in Local mode would be ignored silently: each is refused by name.",
			in: &v1beta1.Delivery{
				ProviderConfigRef: &v1beta1.ProviderConfigReference{Name: "workload"},
				Namespace:         "agents",
				Object:            &v1beta1.ObjectOptions{Watch: new(true)},
			},
			want: want{errs: []string{
				`input.delivery.providerConfigRef: Forbidden: applies only when delivery.mode is Object`,
				`input.delivery.namespace: Forbidden: applies only when delivery.mode is Object`,
				`input.delivery.object: Forbidden: applies only when delivery.mode is Object`,
			}},
		},
		"BadProviderConfigRef": {
			reason: "The ProviderConfig's kind is one of the provider's two, its name a DNS subdomain.",
			in:     &v1beta1.Delivery{Mode: "Object", ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "Secret", Name: "Workload"}},
			want: want{errs: []string{
				`input.delivery.providerConfigRef.kind: Unsupported value: "Secret": supported values: "ProviderConfig", "ClusterProviderConfig"`,
				`input.delivery.providerConfigRef.name: Invalid value: "Workload": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
			}},
		},
		"BadNamespace": {
			reason: "The target namespace must be a namespace's name.",
			in:     &v1beta1.Delivery{Mode: "Object", Namespace: "Agents"},
			want: want{errs: []string{
				`input.delivery.namespace: Invalid value: "Agents": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
			}},
		},
		"BadManagementPolicies": {
			reason: "Each policy is one of the provider's, named by its index; a repeated one is refused.",
			in:     &v1beta1.Delivery{Mode: "Object", Object: &v1beta1.ObjectOptions{ManagementPolicies: []string{"Observe", "Destroy", "Observe"}}},
			want: want{errs: []string{
				`input.delivery.object.managementPolicies[1]: Unsupported value: "Destroy": supported values: "*", "Observe", "Create", "Update", "Delete", "LateInitialize"`,
				`input.delivery.object.managementPolicies[2]: Duplicate value: "Observe"`,
			}},
		},
		"ManagementPoliciesWithoutObserve": {
			reason: "Without Observe no remote object comes back, and the agent could never be judged.",
			in:     &v1beta1.Delivery{Mode: "Object", Object: &v1beta1.ObjectOptions{ManagementPolicies: []string{"Create", "Update"}}},
			want: want{errs: []string{
				`input.delivery.object.managementPolicies: Invalid value: ["Create","Update"]: must include Observe (or *): the function judges the agent from the remote objects the provider observes`,
			}},
		},
		"BadReadinessPolicy": {
			reason: "The readiness policy is one of the provider's four.",
			in:     &v1beta1.Delivery{Mode: "Object", Object: &v1beta1.ObjectOptions{Readiness: &v1beta1.ObjectReadiness{Policy: "Always"}}},
			want: want{errs: []string{
				`input.delivery.object.readiness.policy: Unsupported value: "Always": supported values: "SuccessfulCreate", "DeriveFromObject", "AllTrue", "DeriveFromCelQuery"`,
			}},
		},
		"CelQueryMissing": {
			reason: "DeriveFromCelQuery needs its query, as the Object's CRD requires.",
			in:     &v1beta1.Delivery{Mode: "Object", Object: &v1beta1.ObjectOptions{Readiness: &v1beta1.ObjectReadiness{Policy: "DeriveFromCelQuery"}}},
			want:   want{errs: []string{`input.delivery.object.readiness.celQuery: Required value: required when readiness.policy is DeriveFromCelQuery`}},
		},
		"CelQueryWithoutItsPolicy": {
			reason: "A query under another policy would be ignored silently.",
			in:     &v1beta1.Delivery{Mode: "Object", Object: &v1beta1.ObjectOptions{Readiness: &v1beta1.ObjectReadiness{Policy: "AllTrue", CelQuery: "true"}}},
			want:   want{errs: []string{`input.delivery.object.readiness.celQuery: Forbidden: applies only when readiness.policy is DeriveFromCelQuery`}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, errs := Resolve(&v1beta1.Input{Delivery: tc.in})
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tc.want.errs, msgs); diff != "" {
				t.Fatalf("%s\nResolve(...): -want errors, +got errors:\n%s", tc.reason, diff)
			}
			if s == nil {
				return
			}
			if diff := cmp.Diff(tc.want.d, s.Delivery); diff != "" {
				t.Errorf("%s\nResolve(...).Delivery: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
