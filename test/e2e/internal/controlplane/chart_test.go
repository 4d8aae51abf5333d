package controlplane

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// TestRenderChart renders the RBAC templates of the Crossplane chart the
// crossplane-core tool is built from, and checks they grant what a Helm
// install grants: Crossplane's ServiceAccount bound to its aggregated role.
func TestRenderChart(t *testing.T) {
	tools := filepath.Join(fixtures.Root(), "tools", "crossplane-core")
	dir, err := ModuleDir(context.Background(), tools, "github.com/crossplane/crossplane/v2")
	if err != nil {
		t.Skipf("Crossplane's module is not available: %v", err)
	}
	out, err := RenderChart(filepath.Join(dir, "cluster", "charts", "crossplane"), "crossplane", "crossplane-system", "v2.3.4",
		chartRBAC, "ServiceAccount", "ClusterRole", "ClusterRoleBinding")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Kind     string
		Metadata struct {
			Name, Namespace string
			Labels          map[string]string
		}
		AggregationRule *struct {
			ClusterRoleSelectors []struct{ MatchLabels map[string]string }
		}
		RoleRef  struct{ Kind, Name string }
		Subjects []struct{ Kind, Name, Namespace string }
	}
	got := map[string]object{}
	for doc := range strings.SplitSeq(out, "\n---\n") {
		var o object
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		got[o.Kind+"/"+o.Metadata.Name] = o
	}

	type view struct {
		ServiceAccountNamespace string
		BindingRole             string
		BindingSubjects         string
		Aggregates              map[string]string
		SystemRoleLabel         string
		ChartLabel              string
	}
	binding := got["ClusterRoleBinding/crossplane"]
	subjects := make([]string, 0, len(binding.Subjects))
	for _, s := range binding.Subjects {
		subjects = append(subjects, s.Kind+":"+s.Namespace+"/"+s.Name)
	}
	v := view{
		ServiceAccountNamespace: got["ServiceAccount/crossplane"].Metadata.Namespace,
		BindingRole:             binding.RoleRef.Kind + "/" + binding.RoleRef.Name,
		BindingSubjects:         strings.Join(subjects, ","),
		SystemRoleLabel:         got["ClusterRole/crossplane:system:aggregate-to-crossplane"].Metadata.Labels["rbac.crossplane.io/aggregate-to-crossplane"],
		ChartLabel:              got["ClusterRole/crossplane"].Metadata.Labels["helm.sh/chart"],
	}
	if ar := got["ClusterRole/crossplane"].AggregationRule; ar != nil && len(ar.ClusterRoleSelectors) == 1 {
		v.Aggregates = ar.ClusterRoleSelectors[0].MatchLabels
	}
	want := view{
		ServiceAccountNamespace: "crossplane-system",
		BindingRole:             "ClusterRole/crossplane",
		BindingSubjects:         "ServiceAccount:crossplane-system/crossplane",
		Aggregates:              map[string]string{"rbac.crossplane.io/aggregate-to-crossplane": "true"},
		SystemRoleLabel:         "true",
		ChartLabel:              "crossplane-2.3.4",
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("rendered chart (-want, +got):\n%s\n%s", diff, out)
	}
	if strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
		t.Errorf("rendered chart has template leftovers:\n%s", out)
	}
}
