package settings

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/apis/catalog"
	"github.com/agentops-io/agentops/input/v1beta1"
)

var quantityEqual = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

// defaults are the settings of an empty input.
func defaults() *Settings {
	models := map[string]catalog.Entry{}
	for _, e := range catalog.Builtin() {
		models[e.Name] = e
	}
	return &Settings{
		Models:                  models,
		ModelNames:              catalog.Names(),
		DefaultResources:        defaultResources(),
		GatewayPods:             metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "agent-gateway"}},
		PrometheusPods:          metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "prometheus"}},
		PrometheusNamespaces:    metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "monitoring"}},
		ScrapeInterval:          "30s",
		ScrapeTimeout:           "10s",
		ErrorRatePercent:        5,
		ErrorRateFor:            "5m",
		CostPerHourUSD:          100,
		CostFor:                 "15m",
		ErrorRateSeverity:       "critical",
		CostSeverity:            "warning",
		Engine:                  EngineHPA,
		KEDAPrometheusAddress:   "http://prometheus-operated.monitoring.svc:9090",
		ProgressDeadlineSeconds: 600,
		Compose:                 Compose{HorizontalPodAutoscaler: true, PodDisruptionBudget: true, NetworkPolicy: true, ServiceMonitor: true, PrometheusRule: true},
		TTLConverging:           15 * time.Second,
		TTLStable:               5 * time.Minute,
		Network: Network{
			HostedExceptIPv4: []string{"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"},
			HostedExceptIPv6: []string{"::1/128", "fc00::/7", "fe80::/10"},
			ModelServers: map[string]Peer{
				"llama-2-13b":   {Namespaces: inNamespace("llm-serving")},
				"llama-2-70b":   {Namespaces: inNamespace("llm-serving")},
				"llama-3.1-8b":  {Namespaces: inNamespace("llm-serving")},
				"llama-3.3-70b": {Namespaces: inNamespace("llm-serving")},
				"mixtral-8x7b":  {Namespaces: inNamespace("llm-serving")},
				"qwen-2.5-72b":  {Namespaces: inNamespace("llm-serving")},
			},
			Vault: Peer{Namespaces: inNamespace("vault"), Pods: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "vault"}}},
		},
		Images: Images{Allowed: []string{"ghcr.io/agentops-io/agent-runtime"}},
		Policy: Policy{
			ToolsSameNamespace:  true,
			AgentPullSecrets:    true,
			PullPolicy:          corev1.PullIfNotPresent,
			AllowedPullPolicies: []string{"Always", "IfNotPresent"},
			Scheduling:          Scheduling{NodePools: map[string]v1beta1.NodePool{}},
			AllowMonitoringOff:  true, AllowMetrics: true, AllowDisruptionBudget: true,
		},
		Delivery: Delivery{Mode: DeliveryLocal},
	}
}

func inNamespace(ns string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns}}
}

// with returns the defaults changed by f.
func with(f func(s *Settings)) *Settings {
	s := defaults()
	f(s)
	return s
}

// compositionInput reads the function's input from a Composition's pipeline.
func compositionInput(t *testing.T, file string) *v1beta1.Input {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "compositions", file))
	if err != nil {
		t.Fatal(err)
	}
	var comp struct {
		Spec struct {
			Pipeline []struct {
				Step  string         `json:"step"`
				Input *v1beta1.Input `json:"input"`
			} `json:"pipeline"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &comp); err != nil {
		t.Fatal(err)
	}
	for _, p := range comp.Spec.Pipeline {
		if p.Step == "compose-agent" {
			return p.Input
		}
	}
	t.Fatalf("%s: no compose-agent step", file)
	return nil
}

func TestResolve(t *testing.T) {
	type want struct {
		s    *Settings
		errs []string
	}
	cases := map[string]struct {
		reason string
		in     *v1beta1.Input
		want   want
	}{
		"Nil": {
			reason: "A Composition need not configure the function.",
			in:     nil,
			want:   want{s: defaults()},
		},
		"Empty": {
			reason: "An empty input takes every default.",
			in:     &v1beta1.Input{},
			want:   want{s: defaults()},
		},
		"Composition": {
			reason: "The shipped Composition's input states the defaults, plus the monitoring label and the policy its customer-support example needs.",
			in:     compositionInput(t, "agentdeployment.yaml"),
			want: want{s: with(func(s *Settings) {
				s.MonitoringLabels = map[string]string{"release": "prometheus"}
				s.Policy.ToolNamespaces = []string{"support-tools"}
				s.Policy.ToolCIDRs = []string{"198.51.100.0/24"}
				s.Policy.LabelPrefixes, s.Policy.AnnotationPrefixes = []string{"cost.example.com/"}, []string{"sidecar.istio.io/inject"}
				pool := v1beta1.NodePool{
					Name:         "agents-dedicated",
					NodeSelector: map[string]string{"example.com/node-pool": "agents"},
					Tolerations:  []corev1.Toleration{{Key: "example.com/node-pool", Operator: corev1.TolerationOpEqual, Value: "agents", Effect: corev1.TaintEffectNoSchedule}},
				}
				s.Policy.Scheduling.NodePools = map[string]v1beta1.NodePool{pool.Name: pool}
				s.Policy.Scheduling.NodePoolNames = []string{pool.Name}
			})},
		},
		"Everything": {
			reason: "Every input field reaches the settings.",
			in: &v1beta1.Input{
				Models: []v1beta1.ModelOverride{
					{Name: "gpt-4o", Image: "registry.example.com/openai:v2"},
					{
						Name: "in-house", Provider: "self-hosted", Image: "registry.example.com/vllm:v1", Endpoint: "http://vllm.serving:9000/v1", ContextWindow: 8192,
						Server: &v1beta1.PeerSelector{NamespaceSelector: inNamespace("serving"), PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}}},
					},
				},
				DefaultResources: &v1beta1.Resources{
					Requests: &v1beta1.ResourceAmounts{CPU: "100m", Memory: "256Mi"},
					Limits:   &v1beta1.ResourceAmounts{CPU: "500m"},
				},
				Gateway: &v1beta1.Gateway{
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "gw"}},
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "gateway"}},
				},
				Monitoring: &v1beta1.Monitoring{
					PrometheusNamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "obs"}},
					PrometheusPodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "prom"}},
					Labels:                      map[string]string{"release": "kps"},
					ScrapeInterval:              "1m",
					ScrapeTimeout:               "1m",
				},
				Alerts:                  &v1beta1.Alerts{ErrorRatePercent: new(2.5), ErrorRateFor: "10m", CostPerHourUSD: new(0.0), CostFor: "1h30m"},
				Compose:                 &v1beta1.Compose{HorizontalPodAutoscaler: new(false), PodDisruptionBudget: new(false), NetworkPolicy: new(false), ServiceMonitor: new(false), PrometheusRule: new(false)},
				ResourceNamePrefix:      "agent-",
				ProgressDeadlineSeconds: ptr.To[int32](120),
				TTL:                     &v1beta1.TTL{Converging: &metav1.Duration{Duration: 5 * time.Second}, Stable: &metav1.Duration{Duration: time.Hour}},
				Network: &v1beta1.Network{
					ClusterCIDRs: []string{"10.96.0.0/12", "198.51.100.0/24", "fd00:10:96::/112", "2001:db8:42::/56"},
					Vault:        &v1beta1.PeerSelector{NamespaceSelector: inNamespace("secrets")},
				},
				Images: &v1beta1.Images{Allowed: []string{"registry.example.com/"}, RequireDigest: new(true)},
			},
			want: want{s: with(func(s *Settings) {
				e := s.Models["gpt-4o"]
				e.Image = "registry.example.com/openai:v2"
				s.Models["gpt-4o"] = e
				s.Models["in-house"] = catalog.Entry{Name: "in-house", Provider: catalog.SelfHosted, Image: "registry.example.com/vllm:v1", Endpoint: "http://vllm.serving:9000/v1", ContextWindow: 8192}
				s.ModelNames = insertSorted(catalog.Names(), "in-house")
				s.DefaultResources = corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("1Gi")},
				}
				s.GatewayPods = metav1.LabelSelector{MatchLabels: map[string]string{"app": "gw"}}
				s.GatewayNamespaces = &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "gateway"}}
				s.PrometheusPods = metav1.LabelSelector{MatchLabels: map[string]string{"app": "prom"}}
				s.PrometheusNamespaces = metav1.LabelSelector{MatchLabels: map[string]string{"team": "obs"}}
				s.MonitoringLabels = map[string]string{"release": "kps"}
				s.ScrapeInterval, s.ScrapeTimeout = "1m", "1m"
				s.ErrorRatePercent, s.ErrorRateFor, s.CostPerHourUSD, s.CostFor = 2.5, "10m", 0, "1h30m"
				s.Compose = Compose{}
				s.ResourceNamePrefix = "agent-"
				s.ProgressDeadlineSeconds = 120
				s.TTLConverging, s.TTLStable = 5*time.Second, time.Hour
				s.Network.ModelServers["in-house"] = Peer{Namespaces: inNamespace("serving"), Pods: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}}}
				s.Network.Vault = Peer{Namespaces: inNamespace("secrets")}
				// 10.96.0.0/12 and fd00:10:96::/112 lie in ranges excluded already.
				s.Network.HostedExceptIPv4 = append(s.Network.HostedExceptIPv4, "198.51.100.0/24")
				s.Network.HostedExceptIPv6 = append(s.Network.HostedExceptIPv6, "2001:db8:42::/56")
				s.Images = Images{Allowed: []string{"registry.example.com/"}, RequireDigest: true}
			})},
		},
		"OverrideProviderOfKnownModel": {
			reason: "A known model's provider may be overridden alone; the rest stays the catalog's.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "llama-2-70b", Endpoint: "https://llm.example.com:8443/v1", Provider: "openai"}}},
			want: want{s: with(func(s *Settings) {
				e := s.Models["llama-2-70b"]
				e.Endpoint, e.Provider = "https://llm.example.com:8443/v1", catalog.OpenAI
				s.Models["llama-2-70b"] = e
				delete(s.Network.ModelServers, "llama-2-70b")
			})},
		},
		"BadModels": {
			reason: "Each bad model override names its index and field, and what is allowed.",
			in: &v1beta1.Input{Models: []v1beta1.ModelOverride{
				{Name: "new-model"},
				{Name: "gpt-4o", Provider: "acme", Endpoint: "api.openai.com/v1", ContextWindow: -1},
				{Name: "gpt-4o"},
				{Name: "Not A Label!", Provider: "openai", Image: "i", Endpoint: "https://x"},
				{Name: "", Provider: "openai", Image: "i", Endpoint: "https://x"},
			}},
			want: want{errs: []string{
				`input.models[0].provider: Required value: model "new-model" is not in the built-in catalog, so its provider is required: one of anthropic, openai, google, mistral, self-hosted`,
				`input.models[0].image: Required value: model "new-model" is not in the built-in catalog, so its image is required`,
				`input.models[0].endpoint: Invalid value: "": must be an absolute http or https URL, such as https://api.example.com/v1`,
				`input.models[1].provider: Unsupported value: "acme": supported values: "anthropic", "openai", "google", "mistral", "self-hosted"`,
				`input.models[1].endpoint: Invalid value: "api.openai.com/v1": must be an absolute http or https URL, such as https://api.example.com/v1`,
				`input.models[1].contextWindow: Invalid value: -1: must be positive`,
				`input.models[2].name: Duplicate value: "gpt-4o"`,
				`input.models[3].name: Invalid value: "Not A Label!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
				`input.models[4].name: Required value: a model override needs the model's name`,
			}},
		},
		"HostedOverHTTP": {
			reason: "A hosted provider's API key must not cross the internet in clear.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "gpt-4o", Endpoint: "http://api.openai.com/v1"}}},
			want:   want{errs: []string{`input.models[0].endpoint: Invalid value: "http://api.openai.com/v1": must be an https URL: provider openai is reached over the internet with an API key`}},
		},
		"SelfHostedOverHTTP": {
			reason: "A self-hosted model server in the cluster may serve plain http.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "llama-2-70b", Endpoint: "http://llama.models.svc:8000/v1"}}},
			want: want{s: with(func(s *Settings) {
				e := s.Models["llama-2-70b"]
				e.Endpoint = "http://llama.models.svc:8000/v1"
				s.Models["llama-2-70b"] = e
				s.Network.ModelServers["llama-2-70b"] = Peer{Namespaces: inNamespace("models")}
			})},
		},
		"CredentialsInEndpoint": {
			reason: "Credentials in an endpoint URL are refused, for every provider, and never echoed.",
			in: &v1beta1.Input{Models: []v1beta1.ModelOverride{
				{Name: "gpt-4o", Endpoint: "https://sk-secret@api.openai.com/v1"},
				{Name: "llama-2-70b", Endpoint: "http://user:hunter2@llama.models.svc:8000/v1"},
			}},
			want: want{errs: []string{
				`input.models[0].endpoint: Invalid value: "https://api.openai.com/v1": must not hold credentials (a user:password@ part, left out here): put the API key in a Secret (spec.secrets)`,
				`input.models[1].endpoint: Invalid value: "http://llama.models.svc:8000/v1": must not hold credentials (a user:password@ part, left out here): put the API key in a Secret (spec.secrets)`,
			}},
		},
		"SelfHostedBareService": {
			reason: "A bare Service name is a Service in the agent's own namespace: any pod there.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "llama-2-70b", Endpoint: "http://vllm:8000/v1"}}},
			want: want{s: with(func(s *Settings) {
				e := s.Models["llama-2-70b"]
				e.Endpoint = "http://vllm:8000/v1"
				s.Models["llama-2-70b"] = e
				s.Network.ModelServers["llama-2-70b"] = Peer{Pods: &metav1.LabelSelector{}}
			})},
		},
		"SelfHostedPodSelectorOnly": {
			reason: "A pod selector alone narrows the Service address's namespace to the server's pods.",
			in: &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "llama-2-70b", Server: &v1beta1.PeerSelector{
				PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}},
			}}}},
			want: want{s: with(func(s *Settings) {
				s.Network.ModelServers["llama-2-70b"] = Peer{Namespaces: inNamespace("llm-serving"), Pods: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "vllm"}}}
			})},
		},
		"SelfHostedOutsideTheCluster": {
			reason: "A self-hosted endpoint that is no Service address needs the server's selectors: the function will not guess where it runs.",
			in: &v1beta1.Input{Models: []v1beta1.ModelOverride{
				{Name: "llama-2-70b", Endpoint: "http://10.1.2.3:8000/v1"},
				{Name: "mixtral-8x7b", Endpoint: "http://vllm.serving:8000/v1", Server: &v1beta1.PeerSelector{}},
			}},
			want: want{errs: []string{
				`input.models[0].server: Required value: model "llama-2-70b" is self-hosted and its endpoint "http://10.1.2.3:8000/v1" is not a Service address (<service>.<namespace>.svc... or a bare <service> in the agent's namespace): select its server pods, the only destination its agents may reach`,
				`input.models[1].server: Required value: set namespaceSelector, podSelector or both`,
			}},
		},
		"BadNetwork": {
			reason: "Each bad cluster CIDR and Vault selector names its field.",
			in: &v1beta1.Input{Network: &v1beta1.Network{
				ClusterCIDRs: []string{"10.96.0.1/12", "everything", "0.0.0.0/0"},
				Vault:        &v1beta1.PeerSelector{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "bad value"}}},
			}},
			want: want{errs: []string{
				`input.network.clusterCIDRs[0]: Invalid value: "10.96.0.1/12": must be a network address: 10.96.0.0/12`,
				`input.network.clusterCIDRs[1]: Invalid value: "everything": must be a CIDR such as 10.96.0.0/12 or fd00:10:96::/112`,
				`input.network.clusterCIDRs[2]: Invalid value: "0.0.0.0/0": must not be every address`,
				`input.network.vault.podSelector.matchLabels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			}},
		},
		"BadImages": {
			reason: "Each allowed prefix must start with a registry and end at a path boundary; an empty list would refuse everything.",
			in:     &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"registry.example.com", "team/agent", "registry.example.com/agent:v1"}}},
			want: want{errs: []string{
				`input.images.allowed[0]: Invalid value: "registry.example.com": must be a registry followed by /, or a repository with its registry, such as registry.example.com/ or registry.example.com/team/agent`,
				`input.images.allowed[1]: Invalid value: "team/agent": must be a registry followed by /, or a repository with its registry, such as registry.example.com/ or registry.example.com/team/agent`,
				`input.images.allowed[2]: Invalid value: "registry.example.com/agent:v1": must be a registry followed by /, or a repository with its registry, such as registry.example.com/ or registry.example.com/team/agent`,
			}},
		},
		"EmptyImages": {
			reason: "An empty allow-list is refused rather than refusing every spec.image.",
			in:     &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{}}},
			want:   want{errs: []string{`input.images.allowed: Required value: leave it out for the catalog's repositories; an empty list would refuse every spec.image`}},
		},
		"ImagesFollowModelOverrides": {
			reason: "By default the allowed repositories are those of the catalog's images, the input's overrides included.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "gpt-4o", Image: "registry.example.com/openai:v2"}}},
			want: want{s: with(func(s *Settings) {
				e := s.Models["gpt-4o"]
				e.Image = "registry.example.com/openai:v2"
				s.Models["gpt-4o"] = e
				s.Images.Allowed = []string{"ghcr.io/agentops-io/agent-runtime", "registry.example.com/openai"}
			})},
		},
		"BadEndpointScheme": {
			reason: "Only http and https endpoints are allowed.",
			in:     &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "gpt-4o", Endpoint: "ftp://api.openai.com"}}},
			want:   want{errs: []string{`input.models[0].endpoint: Invalid value: "ftp://api.openai.com": must be an absolute http or https URL, such as https://api.example.com/v1`}},
		},
		"BadDefaultResources": {
			reason: "Each bad default quantity is named; a request over its limit names the limit.",
			in: &v1beta1.Input{DefaultResources: &v1beta1.Resources{
				Requests: &v1beta1.ResourceAmounts{CPU: "lots", Memory: "2Gi"},
				Limits:   &v1beta1.ResourceAmounts{CPU: "-1", Memory: "1Gx"},
			}},
			want: want{errs: []string{
				`input.defaultResources.requests.cpu: Invalid value: "lots": must be a non-negative Kubernetes quantity such as 500m or 1Gi`,
				`input.defaultResources.limits.cpu: Invalid value: "-1": must be a non-negative Kubernetes quantity such as 500m or 1Gi`,
				`input.defaultResources.limits.memory: Invalid value: "1Gx": must be a non-negative Kubernetes quantity such as 500m or 1Gi`,
				`input.defaultResources.requests.memory: Invalid value: "2Gi": must not exceed the default limit (1Gi)`,
			}},
		},
		"BadSelectors": {
			reason: "Each bad selector names its field.",
			in: &v1beta1.Input{
				Gateway: &v1beta1.Gateway{
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "bad value"}},
					NamespaceSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "team", Operator: "Like"}}},
				},
				Monitoring: &v1beta1.Monitoring{
					PrometheusPodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"-bad": "x"}},
					PrometheusNamespaceSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "team", Operator: metav1.LabelSelectorOpIn}}},
					Labels:                      map[string]string{"release": "not valid"},
				},
			},
			want: want{errs: []string{
				`input.gateway.podSelector.matchLabels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
				`input.gateway.namespaceSelector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator`,
				`input.monitoring.prometheusPodSelector.matchLabels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`input.monitoring.prometheusNamespaceSelector.matchExpressions[0].values: Required value: must be specified when ` + "`operator`" + ` is 'In' or 'NotIn'`,
				`input.monitoring.labels: Invalid value: "not valid": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			}},
		},
		"BadDurations": {
			reason: "Each bad Prometheus duration names its field and gives examples.",
			in: &v1beta1.Input{
				Monitoring: &v1beta1.Monitoring{ScrapeInterval: "30", ScrapeTimeout: "10 s"},
				Alerts:     &v1beta1.Alerts{ErrorRateFor: "5min", CostFor: "m15"},
			},
			want: want{errs: []string{
				`input.monitoring.scrapeInterval: Invalid value: "30": must be a Prometheus duration such as 30s, 5m or 1h`,
				`input.monitoring.scrapeTimeout: Invalid value: "10 s": must be a Prometheus duration such as 30s, 5m or 1h`,
				`input.alerts.errorRateFor: Invalid value: "5min": must be a Prometheus duration such as 30s, 5m or 1h`,
				`input.alerts.costFor: Invalid value: "m15": must be a Prometheus duration such as 30s, 5m or 1h`,
			}},
		},
		"ShortScrapeInterval": {
			reason: "With a scrape interval under the default timeout and no timeout set, the timeout is the interval, as Prometheus does.",
			in:     &v1beta1.Input{Monitoring: &v1beta1.Monitoring{ScrapeInterval: "5s"}},
			want:   want{s: with(func(s *Settings) { s.ScrapeInterval, s.ScrapeTimeout = "5s", "5s" })},
		},
		"ScrapeTimeoutOverIntervalUnits": {
			reason: "Durations compare by value, not by text.",
			in:     &v1beta1.Input{Monitoring: &v1beta1.Monitoring{ScrapeInterval: "5s", ScrapeTimeout: "1m"}},
			want:   want{errs: []string{`input.monitoring.scrapeTimeout: Invalid value: "1m": must not be longer than scrapeInterval (5s)`}},
		},
		"BadThresholds": {
			reason: "Thresholds out of range name their field and the range.",
			in:     &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRatePercent: new(101.0), CostPerHourUSD: new(-1.0)}},
			want: want{errs: []string{
				`input.alerts.errorRatePercent: Invalid value: 101: must be between 0 and 100`,
				`input.alerts.costPerHourUSD: Invalid value: -1: must not be negative`,
			}},
		},
		"NegativeErrorRate": {
			reason: "A negative percentage is out of range.",
			in:     &v1beta1.Input{Alerts: &v1beta1.Alerts{ErrorRatePercent: new(-0.5)}},
			want:   want{errs: []string{`input.alerts.errorRatePercent: Invalid value: -0.5: must be between 0 and 100`}},
		},
		"ProgressDeadlineTooShort": {
			reason: "The progress deadline is bounded as the input's schema says.",
			in:     &v1beta1.Input{ProgressDeadlineSeconds: ptr.To[int32](5)},
			want:   want{errs: []string{`input.progressDeadlineSeconds: Invalid value: 5: must be between 10 and 86400 seconds`}},
		},
		"ProgressDeadlineTooLong": {
			reason: "The progress deadline is bounded as the input's schema says.",
			in:     &v1beta1.Input{ProgressDeadlineSeconds: ptr.To[int32](86401)},
			want:   want{errs: []string{`input.progressDeadlineSeconds: Invalid value: 86401: must be between 10 and 86400 seconds`}},
		},
		"BadPrefix": {
			reason: "The resource name prefix must be a DNS label, with an optional trailing dash.",
			in:     &v1beta1.Input{ResourceNamePrefix: "Agent_"},
			want:   want{errs: []string{`input.resourceNamePrefix: Invalid value: "Agent_": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`}},
		},
		"DoubleDashPrefix": {
			reason: "Only one trailing dash is allowed.",
			in:     &v1beta1.Input{ResourceNamePrefix: "agent--"},
			want:   want{errs: []string{`input.resourceNamePrefix: Invalid value: "agent--": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`}},
		},
		"PrefixWithoutDash": {
			reason: "A prefix need not end in a dash.",
			in:     &v1beta1.Input{ResourceNamePrefix: "agent"},
			want:   want{s: with(func(s *Settings) { s.ResourceNamePrefix = "agent" })},
		},
		"ShortTTL": {
			reason: "A TTL under a second would have Crossplane call the function in a loop.",
			in:     &v1beta1.Input{TTL: &v1beta1.TTL{Converging: &metav1.Duration{Duration: 500 * time.Millisecond}, Stable: &metav1.Duration{}}},
			want: want{errs: []string{
				`input.ttl.converging: Invalid value: "500ms": must be at least 1s`,
				`input.ttl.stable: Invalid value: "0s": must be at least 1s`,
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, errs := Resolve(tc.in)
			if diff := cmp.Diff(tc.want.s, got, quantityEqual); diff != "" {
				t.Errorf("%s\nResolve(...): -want settings, +got settings:\n%s", tc.reason, diff)
			}
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
				if !strings.HasPrefix(e.Error(), e.Field+":") || !strings.HasPrefix(e.Field, "input.") {
					t.Errorf("%s\nResolve(...): error %q does not start with its input field %q", tc.reason, e.Error(), e.Field)
				}
			}
			if diff := cmp.Diff(tc.want.errs, msgs); diff != "" {
				t.Errorf("%s\nResolve(...): -want errors, +got errors:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestResolveDoesNotShareDefaults checks that settings never alias the
// package's defaults: a composer changing its copy must not change the next
// request's.
func TestResolveDoesNotShareDefaults(t *testing.T) {
	a, _ := Resolve(nil)
	a.DefaultResources.Requests[corev1.ResourceCPU] = resource.MustParse("7")
	a.GatewayPods.MatchLabels["x"] = "y"
	a.Models["gpt-4o"] = catalog.Entry{}
	b, _ := Resolve(nil)
	if diff := cmp.Diff(defaults(), b, quantityEqual); diff != "" {
		t.Errorf("Resolve(nil) after changing an earlier result: -want, +got:\n%s", diff)
	}
}

func insertSorted(names []string, n string) []string {
	i, _ := slices.BinarySearch(names, n)
	return slices.Insert(names, i, n)
}
