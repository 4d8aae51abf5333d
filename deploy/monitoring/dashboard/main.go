// Command dashboard writes the AgentOps Grafana dashboard, built as code
// with the Grafana Foundation SDK, as a ConfigMap for Grafana's dashboard
// sidecar (label grafana_dashboard: "1"): deploy/monitoring/grafana-dashboard.yaml.
// `make generate` runs it; check-generate fails when the file drifts.
//
// Every query selects the agents by the labels the function's ServiceMonitor
// scrape puts on the runtime's series (namespace, service: the agent's
// Service, named as the agent) and the runtime's own (model, status, type),
// and kube-state-metrics' Deployment metrics for the replicas; runtime/chain's
// TestDashboard parses each and evaluates it against the runtime's metrics.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// UID of the dashboard: stable, so links to it survive regeneration.
const UID = "agentops-agents"

// byAgent is the legend of a series per agent (its Service's name).
const byAgent = "{{service}}"

// unitRatio is Grafana's unit of a 0..1 ratio, shown as a percentage.
const unitRatio = "percentunit"

// prometheusType is the Prometheus data source's plugin type.
const prometheusType = "prometheus"

// selector picks the chosen agents' series.
const selector = `namespace=~"$namespace",service=~"$agent",model=~"$model"`

// A panel: its title, unit and queries (each a legend and an expression).
type panel struct {
	title, unit string
	queries     [][2]string
}

// panels of the dashboard, in order.
var panels = []panel{
	{"Requests per second", "reqps", [][2]string{{"{{service}} {{status}}", `sum by (service, status) (rate(llm_requests_total{` + selector + `}[$__rate_interval]))`}}},
	{"Error rate", unitRatio, [][2]string{{byAgent, `sum by (service) (rate(llm_requests_total{` + selector + `,status="error"}[$__rate_interval])) / sum by (service) (rate(llm_requests_total{` + selector + `}[$__rate_interval]))`}}},
	{"Latency", "s", [][2]string{
		{"p50 {{service}}", `histogram_quantile(0.5, sum by (le, service) (rate(llm_request_duration_seconds_bucket{` + selector + `}[$__rate_interval])))`},
		{"p95 {{service}}", `histogram_quantile(0.95, sum by (le, service) (rate(llm_request_duration_seconds_bucket{` + selector + `}[$__rate_interval])))`},
		{"p99 {{service}}", `histogram_quantile(0.99, sum by (le, service) (rate(llm_request_duration_seconds_bucket{` + selector + `}[$__rate_interval])))`},
	}},
	{"Tokens per second by type", "short", [][2]string{{"{{service}} {{type}}", `sum by (service, type) (rate(llm_tokens_total{` + selector + `}[$__rate_interval]))`}}},
	{"Cost", "currencyUSD", [][2]string{
		{"per hour {{service}}", `sum by (service) (increase(llm_cost_usd_total{` + selector + `}[1h]))`},
		{"per day {{service}}", `sum by (service) (increase(llm_cost_usd_total{` + selector + `}[1d]))`},
	}},
	{"Context window utilization", unitRatio, [][2]string{{byAgent, `max by (service) (llm_context_window_utilization{` + selector + `})`}}},
	{"Prompt cache hit rate", unitRatio, [][2]string{{byAgent, `avg by (service) (llm_cache_hit_rate{` + selector + `})`}}},
	{"Replicas", "short", [][2]string{
		{"desired {{deployment}}", `sum by (deployment) (kube_deployment_spec_replicas{namespace=~"$namespace",deployment=~"$agent"})`},
		{"ready {{deployment}}", `sum by (deployment) (kube_deployment_status_replicas_ready{namespace=~"$namespace",deployment=~"$agent"})`},
	}},
}

// variable is a multi-valued query variable over a label of the runtime's
// requests counter.
func variable(name, label, query string) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(dashboard.StringOrMap{String: new(query)}).
		Datasource(datasource).
		Multi(true).
		IncludeAll(true).
		AllValue(".*").
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc)
}

var datasource = common.DataSourceRef{Type: new(prometheusType), Uid: new("$datasource")}

// Dashboard builds the dashboard, in the classic JSON model: Grafana's
// dashboard sidecar provisions it from a file, where the v2 schema
// (dashboardv2) needs Grafana 12's v2 API.
func Dashboard() (dashboard.Dashboard, error) { //nolint:staticcheck // See above: the classic model is what the sidecar provisions.
	b := dashboard.NewDashboardBuilder("AgentOps agents"). //nolint:staticcheck // As above.
								Uid(UID).
								Tags([]string{"agentops", "llm"}).
								Refresh("1m").
								Time("now-6h", "now").
								Timezone(common.TimeZoneBrowser).
								WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").Label("Prometheus").Type(prometheusType)).
								WithVariable(variable("namespace", "Namespace", `label_values(llm_requests_total, namespace)`)).
								WithVariable(variable("agent", "Agent", `label_values(llm_requests_total{namespace=~"$namespace"}, service)`)).
								WithVariable(variable("model", "Model", `label_values(llm_requests_total{namespace=~"$namespace",service=~"$agent"}, model)`))
	for _, p := range panels {
		ts := timeseries.NewPanelBuilder().Title(p.title).Unit(p.unit).Datasource(datasource).Span(12).Height(8)
		for i, q := range p.queries {
			ts.WithTarget(prometheus.NewDataqueryBuilder().RefId(string(rune('A' + i))).Expr(q[1]).LegendFormat(q[0]))
		}
		b.WithPanel(ts)
	}
	return b.Build()
}

// configMap wraps the dashboard's JSON for Grafana's sidecar.
func configMap(d dashboard.Dashboard) (*corev1.ConfigMap, error) { //nolint:staticcheck // As Dashboard.
	j, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{
			Name:      "agentops-dashboard",
			Namespace: "monitoring",
			Labels:    map[string]string{"grafana_dashboard": "1", "app.kubernetes.io/part-of": "agentops"},
		},
		Data: map[string]string{"agentops.json": string(j) + "\n"},
	}, nil
}

func main() {
	out := flag.String("out", "", "file to write the ConfigMap to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "dashboard:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	d, err := Dashboard()
	if err != nil {
		return err
	}
	cm, err := configMap(d)
	if err != nil {
		return err
	}
	y, err := yaml.Marshal(cm)
	if err != nil {
		return err
	}
	header := "# Generated by make generate (deploy/monitoring/dashboard, the Grafana Foundation SDK); do not edit.\n"
	return os.WriteFile(out, append([]byte(header), y...), 0o644) //nolint:gosec // A manifest to commit, read by all.
}
