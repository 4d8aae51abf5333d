package reliability

import (
	"maps"
	"strings"
)

// Who refuses a bad input.
const (
	// bySchema: the API server, with the XRD's OpenAPI schema and CEL rules
	// (or its metadata rules). The function never sees the object in a
	// cluster; where it does (crossplane render), it refuses it too or
	// composes it whole.
	bySchema = "schema"
	// byFunction: the API server admits it; the function refuses it with a
	// Fatal result, and changes nothing.
	byFunction = "function"
	// byBoth: the schema refuses it, and so would the function.
	byBoth = "schema+function"
	// reported: observed state the function cannot read is reported on the
	// XR's conditions; the desired state is complete all the same.
	reported = "reported"
)

// A badCase is an AgentDeployment, a function input or observed state that
// is wrong in one way.
type badCase struct {
	reason string
	// xr changes the valid base XR; input the valid Composition input.
	xr    func(map[string]any)
	input func(map[string]any)
	// observed composed resources, by composition resource name.
	observed map[string]map[string]any
	// legacy bases the case on the legacy XR of a claim.
	legacy bool
	// condition is the type of the condition that reports observed state.
	condition string
	want      badWant
	// gap, when set, is a known shortcoming of the function that the case
	// exposes: the case is skipped while the gap is there, and fails once
	// it is gone, so that the marker is removed.
	gap string
}

type badWant struct {
	by string
	// field every message names.
	field string
}

var (
	longName   = strings.Repeat("a", 300)
	name64     = strings.Repeat("b", 64)
	longImage  = "registry.example.com/" + strings.Repeat("x", 600) + ":v1"
	longSecret = strings.Repeat("s", 300)
	longPrompt = strings.Repeat("p", 70000)
)

// badCases are the table: at least 60 ways to get it wrong.
func badCases() map[string]badCase {
	cases := map[string]badCase{}
	for _, group := range []map[string]badCase{specCases(), resourceCases(), secretCases(), autoscalingCases(), metadataCases(), inputCases(), observedCases(), optionCases()} {
		maps.Copy(cases, group)
	}
	return cases
}

func specCases() map[string]badCase {
	return map[string]badCase{
		"MissingSpec":              {reason: "An XR without a spec.", xr: del("spec"), want: badWant{by: byBoth, field: "spec"}},
		"SpecNotAnObject":          {reason: "A spec that is a string.", xr: set("spec", "gpt-4o"), want: badWant{by: byBoth, field: "spec"}},
		"MissingModel":             {reason: "A spec without a model.", xr: del("spec.model"), want: badWant{by: byBoth, field: "spec.model"}},
		"UnknownModel":             {reason: "A model the catalog lacks.", xr: set("spec.model", "gpt-7"), want: badWant{by: byBoth, field: "spec.model"}},
		"EmptyModel":               {reason: "An empty model.", xr: set("spec.model", ""), want: badWant{by: byBoth, field: "spec.model"}},
		"ModelNotAString":          {reason: "A model that is a number.", xr: set("spec.model", 4), want: badWant{by: byBoth, field: "spec.model"}},
		"ReplicasNegative":         {reason: "Negative replicas.", xr: set("spec.replicas", -1), want: badWant{by: byBoth, field: "spec.replicas"}},
		"ReplicasAboveMaximum":     {reason: "More than 100 replicas.", xr: set("spec.replicas", 101), want: badWant{by: byBoth, field: "spec.replicas"}},
		"ReplicasString":           {reason: "Replicas as a string.", xr: set("spec.replicas", "3"), want: badWant{by: byBoth, field: "spec.replicas"}},
		"ReplicasFraction":         {reason: "A fraction of a replica.", xr: set("spec.replicas", 1.5), want: badWant{by: byBoth, field: "spec.replicas"}},
		"ReplicasOverflowInt32":    {reason: "Replicas beyond int32.", xr: set("spec.replicas", 1e12), want: badWant{by: byBoth, field: "spec.replicas"}},
		"ImageEmpty":               {reason: "An empty image.", xr: set("spec.image", ""), want: badWant{by: byBoth, field: "spec.image"}},
		"ImageUpperCase":           {reason: "An image with upper-case letters in its repository.", xr: set("spec.image", "Registry.example.com/Agent:v1"), want: badWant{by: byBoth, field: "spec.image"}},
		"ImageWithSpace":           {reason: "An image with a space.", xr: set("spec.image", "registry.example.com/agent v1"), want: badWant{by: byBoth, field: "spec.image"}},
		"ImageTooLong":             {reason: "An image longer than 512 characters.", xr: set("spec.image", longImage), want: badWant{by: byBoth, field: "spec.image"}},
		"ImageNotAString":          {reason: "An image that is a number.", xr: set("spec.image", 42), want: badWant{by: byBoth, field: "spec.image"}},
		"ImageNotAllowed":          {reason: "An image from a repository the platform does not allow: only the function knows the allow-list.", xr: set("spec.image", "docker.io/someone/agent:v1"), want: badWant{by: byFunction, field: "spec.image"}},
		"MaxTokensZero":            {reason: "No tokens at all.", xr: set("spec.config.maxTokens", 0), want: badWant{by: byBoth, field: "spec.config.maxTokens"}},
		"MaxTokensNegative":        {reason: "Negative tokens.", xr: set("spec.config.maxTokens", -5), want: badWant{by: byBoth, field: "spec.config.maxTokens"}},
		"MaxTokensAboveMaximum":    {reason: "More than a million tokens.", xr: set("spec.config.maxTokens", 2000000), want: badWant{by: byBoth, field: "spec.config.maxTokens"}},
		"MaxTokensAboveContext":    {reason: "More tokens than gpt-4's 8192-token context window: only the function knows the model's window.", xr: all(set("spec.model", "gpt-4"), set("spec.config.maxTokens", 10000)), want: badWant{by: byFunction, field: "spec.config.maxTokens"}},
		"MaxTokensString":          {reason: "maxTokens as a string.", xr: set("spec.config.maxTokens", "4096"), want: badWant{by: byBoth, field: "spec.config.maxTokens"}},
		"TemperatureNegative":      {reason: "A negative temperature.", xr: set("spec.config.temperature", -0.1), want: badWant{by: byBoth, field: "spec.config.temperature"}},
		"TemperatureAboveMaximum":  {reason: "A temperature above 2.", xr: set("spec.config.temperature", 2.5), want: badWant{by: byBoth, field: "spec.config.temperature"}},
		"TemperatureString":        {reason: "A temperature in words.", xr: set("spec.config.temperature", "hot"), want: badWant{by: byBoth, field: "spec.config.temperature"}},
		"SystemPromptTooLong":      {reason: "A system prompt over 64 KiB.", xr: set("spec.config.systemPrompt", longPrompt), want: badWant{by: byBoth, field: "spec.config.systemPrompt"}},
		"SystemPromptNotAString":   {reason: "A system prompt that is a number.", xr: set("spec.config.systemPrompt", 5), want: badWant{by: byBoth, field: "spec.config.systemPrompt"}},
		"ConfigNotAnObject":        {reason: "A config that is a list.", xr: set("spec.config", []any{"maxTokens"}), want: badWant{by: byBoth, field: "spec.config"}},
		"UnknownSpecField":         {reason: "A field the API does not define: the API server refuses it under strict field validation (kubectl's default) and prunes it otherwise.", xr: set("spec.replica", 3), want: badWant{by: bySchema, field: "spec.replica"}},
		"AutoscalingEnabledString": {reason: "autoscaling.enabled as a string.", xr: set("spec.autoscaling.enabled", "true"), want: badWant{by: byBoth, field: "spec.autoscaling.enabled"}},
	}
}

func resourceCases() map[string]badCase {
	return map[string]badCase{
		"CPUBadQuantity":              {reason: "A CPU quantity with a bad suffix.", xr: set("spec.resources.requests.cpu", "2Gx"), want: badWant{by: byBoth, field: "spec.resources.requests.cpu"}},
		"MemoryBadQuantity":           {reason: "Memory in words.", xr: set("spec.resources.limits.memory", "lots"), want: badWant{by: byBoth, field: "spec.resources.limits.memory"}},
		"CPUNegative":                 {reason: "A negative CPU request: the pattern admits a sign, the function does not.", xr: set("spec.resources.requests.cpu", "-1"), want: badWant{by: byFunction, field: "spec.resources.requests.cpu"}},
		"MemoryNegative":              {reason: "A negative memory limit.", xr: set("spec.resources.limits.memory", "-512Mi"), want: badWant{by: byFunction, field: "spec.resources.limits.memory"}},
		"CPUNegativeNumber":           {reason: "A negative CPU limit as a number.", xr: set("spec.resources.limits.cpu", -2), want: badWant{by: byFunction, field: "spec.resources.limits.cpu"}},
		"CPUHugeExponent":             {reason: "A CPU quantity the schema's pattern admits but that takes seconds to compare: fuzzing found it.", xr: set("spec.resources.limits.cpu", "1e10000000"), want: badWant{by: byFunction, field: "spec.resources.limits.cpu"}},
		"CPUBoolean":                  {reason: "A CPU quantity that is a boolean.", xr: set("spec.resources.requests.cpu", true), want: badWant{by: byBoth, field: "spec.resources.requests.cpu"}},
		"CPURequestAboveLimit":        {reason: "A CPU request above its limit.", xr: all(set("spec.resources.requests.cpu", "2"), set("spec.resources.limits.cpu", "1")), want: badWant{by: byFunction, field: "spec.resources.requests.cpu"}},
		"MemoryRequestAboveLimit":     {reason: "A memory request above its limit.", xr: all(set("spec.resources.requests.memory", "2Gi"), set("spec.resources.limits.memory", "1Gi")), want: badWant{by: byFunction, field: "spec.resources.requests.memory"}},
		"CPURequestAboveDefaultLimit": {reason: "A CPU request above the platform's default limit of 1.", xr: set("spec.resources.requests.cpu", "4"), want: badWant{by: byFunction, field: "spec.resources.requests.cpu"}},
		"MemoryLimitZero":             {reason: "A zero memory limit under a request.", xr: set("spec.resources.limits.memory", "0"), want: badWant{by: byFunction, field: "spec.resources"}},
		"ResourcesNotAnObject":        {reason: "Resources as a string.", xr: set("spec.resources", "big"), want: badWant{by: byBoth, field: "spec.resources"}},
		"RequestsList":                {reason: "Requests as a list.", xr: set("spec.resources.requests", []any{"1"}), want: badWant{by: byBoth, field: "spec.resources.requests"}},
	}
}

func secretCases() map[string]badCase {
	vault := func(changes ...func(map[string]any)) func(map[string]any) {
		return all(append([]func(map[string]any){
			del("spec.secrets.apiKeySecret"),
			set("spec.secrets.vault.enabled", true),
			set("spec.secrets.vault.role", "agents"),
			set("spec.secrets.vault.secretPath", "secret/data/agents/openai"),
		}, changes...)...)
	}
	return map[string]badCase{
		"HostedModelWithoutKey": {reason: "A hosted model with neither a Secret nor Vault.", xr: del("spec.secrets"), want: badWant{by: byBoth, field: "spec.secrets"}},
		"SecretNameEmpty":       {reason: "An empty Secret name.", xr: set("spec.secrets.apiKeySecret", ""), want: badWant{by: byBoth, field: "spec.secrets.apiKeySecret"}},
		"SecretNameInvalid":     {reason: "A Secret name that is no DNS subdomain.", xr: set("spec.secrets.apiKeySecret", "Open_AI Key"), want: badWant{by: byBoth, field: "spec.secrets.apiKeySecret"}},
		"SecretNameTooLong":     {reason: "A Secret name over 253 characters.", xr: set("spec.secrets.apiKeySecret", longSecret), want: badWant{by: byBoth, field: "spec.secrets.apiKeySecret"}},
		"SecretNameNotAString":  {reason: "A Secret name that is a number.", xr: set("spec.secrets.apiKeySecret", 1), want: badWant{by: byBoth, field: "spec.secrets.apiKeySecret"}},
		"SecretKeyInvalid":      {reason: "A key within the Secret with a space and a bang.", xr: set("spec.secrets.apiKeyKey", "api key!"), want: badWant{by: byBoth, field: "spec.secrets.apiKeyKey"}},
		"SecretKeyEmpty":        {reason: "An empty key within the Secret.", xr: set("spec.secrets.apiKeyKey", ""), want: badWant{by: byBoth, field: "spec.secrets.apiKeyKey"}},
		"VaultWithoutRole":      {reason: "Vault enabled without a role.", xr: vault(del("spec.secrets.vault.role")), want: badWant{by: byBoth, field: "spec.secrets.vault"}},
		"VaultEmptyRole":        {reason: "Vault enabled with an empty role.", xr: vault(set("spec.secrets.vault.role", "")), want: badWant{by: byBoth, field: "spec.secrets.vault"}},
		"VaultWithoutPath":      {reason: "Vault enabled without the secret's path.", xr: vault(del("spec.secrets.vault.secretPath")), want: badWant{by: byBoth, field: "spec.secrets.vault"}},
		"VaultRoleInvalid":      {reason: "A Vault role with a space.", xr: vault(set("spec.secrets.vault.role", "agents role")), want: badWant{by: byBoth, field: "spec.secrets.vault.role"}},
		"VaultRoleTooLong":      {reason: "A Vault role over 128 characters.", xr: vault(set("spec.secrets.vault.role", strings.Repeat("r", 200))), want: badWant{by: byBoth, field: "spec.secrets.vault.role"}},
		"VaultPathInvalid":      {reason: "A Vault path with a space.", xr: vault(set("spec.secrets.vault.secretPath", "secret/data/my agent")), want: badWant{by: byBoth, field: "spec.secrets.vault.secretPath"}},
		"VaultEnabledString":    {reason: "vault.enabled as a string.", xr: vault(set("spec.secrets.vault.enabled", "yes")), want: badWant{by: byBoth, field: "spec.secrets.vault.enabled"}},
		"VaultAndSecret":        {reason: "Both a Secret and Vault: which key would the agent use?", xr: vault(set("spec.secrets.apiKeySecret", "openai-api-key")), want: badWant{by: byFunction, field: "spec.secrets.apiKeySecret"}},
	}
}

func autoscalingCases() map[string]badCase {
	on := set("spec.autoscaling.enabled", true)
	return map[string]badCase{
		"MinAboveMax":               {reason: "minReplicas above maxReplicas.", xr: all(on, set("spec.autoscaling.minReplicas", 5), set("spec.autoscaling.maxReplicas", 2)), want: badWant{by: byBoth, field: "spec.autoscaling.minReplicas"}},
		"MinAboveDefaultMax":        {reason: "minReplicas above the default maxReplicas of 10: the API server defaults before CEL runs.", xr: all(on, set("spec.autoscaling.minReplicas", 20)), want: badWant{by: byBoth, field: "spec.autoscaling.minReplicas"}},
		"MinZero":                   {reason: "minReplicas of zero.", xr: all(on, set("spec.autoscaling.minReplicas", 0)), want: badWant{by: byBoth, field: "spec.autoscaling.minReplicas"}},
		"MaxAboveMaximum":           {reason: "maxReplicas above 100.", xr: all(on, set("spec.autoscaling.maxReplicas", 101)), want: badWant{by: byBoth, field: "spec.autoscaling.maxReplicas"}},
		"TargetCPUZero":             {reason: "A CPU target of 0%.", xr: all(on, set("spec.autoscaling.targetCPUUtilization", 0)), want: badWant{by: byBoth, field: "spec.autoscaling.targetCPUUtilization"}},
		"TargetCPUAbove100":         {reason: "A CPU target of 150%.", xr: all(on, set("spec.autoscaling.targetCPUUtilization", 150)), want: badWant{by: byBoth, field: "spec.autoscaling.targetCPUUtilization"}},
		"TargetMemoryNegative":      {reason: "A negative memory target.", xr: all(on, set("spec.autoscaling.targetMemoryUtilization", -1)), want: badWant{by: byBoth, field: "spec.autoscaling.targetMemoryUtilization"}},
		"RequestsPerSecondNegative": {reason: "Negative requests per second.", xr: all(on, set("spec.autoscaling.requestsPerSecond", -1)), want: badWant{by: byBoth, field: "spec.autoscaling.requestsPerSecond"}},
		"RequestsPerSecondTooMany":  {reason: "200,000 requests per second per pod.", xr: all(on, set("spec.autoscaling.requestsPerSecond", 200000)), want: badWant{by: byBoth, field: "spec.autoscaling.requestsPerSecond"}},
		"AutoscalingNotAnObject":    {reason: "autoscaling as a boolean.", xr: set("spec.autoscaling", true), want: badWant{by: byBoth, field: "spec.autoscaling"}},
	}
}

func metadataCases() map[string]badCase {
	labels := "metadata.labels"
	return map[string]badCase{
		"NameTooLong":                 {reason: "A 300-character name: the function would compose it under a short hashed name.", xr: set("metadata.name", longName), want: badWant{by: bySchema, field: "metadata.name"}},
		"Name64Characters":            {reason: "A 64-character name: Crossplane's CRD caps XR names at 63, the length of a label value.", xr: set("metadata.name", name64), want: badWant{by: bySchema, field: "metadata.name"}},
		"NameNotDNS":                  {reason: "A name with capitals and an underscore.", xr: set("metadata.name", "Support_Agent"), want: badWant{by: bySchema, field: "metadata.name"}},
		"NoNamespace":                 {reason: "A v2 XR without a namespace.", xr: del("metadata.namespace"), want: badWant{by: byBoth, field: "metadata.namespace"}},
		"WrongKind":                   {reason: "Another kind of the same group.", xr: set("kind", "Agent"), want: badWant{by: byBoth, field: "kind"}},
		"WrongGroup":                  {reason: "Another group.", xr: set("apiVersion", "agents.example.com/v1"), want: badWant{by: byFunction, field: "apiVersion"}},
		"LegacyWithoutClaimLabels":    {reason: "A legacy XR made directly, not for a claim: it has no namespace to compose into.", legacy: true, xr: del(labels), want: badWant{by: byFunction, field: "crossplane.io/claim-namespace"}},
		"LegacyWithoutClaimNamespace": {reason: "A legacy XR that names its claim but not the claim's namespace.", legacy: true, xr: dropLabel("crossplane.io/claim-namespace"), want: badWant{by: byFunction, field: "crossplane.io/claim-namespace"}},
	}
}

// dropLabel removes one label of the XR.
func dropLabel(key string) func(map[string]any) {
	return func(m map[string]any) {
		if l, ok := m["metadata"].(map[string]any)["labels"].(map[string]any); ok {
			delete(l, key)
		}
	}
}

func inputCases() map[string]badCase {
	return map[string]badCase{
		"InputUnknownField":          {reason: "A typo in the Composition's input: gatway for gateway.", input: set("gatway", map[string]any{}), want: badWant{by: byFunction, field: "input.gatway"}},
		"InputWrongType":             {reason: "compose.networkPolicy as a string.", input: set("compose.networkPolicy", "yes"), want: badWant{by: byFunction, field: "networkPolicy"}},
		"InputModelWithoutProvider":  {reason: "A model added to the catalog without its provider.", input: set("models", []any{map[string]any{"name": "my-model", "image": "registry.example.com/agent:v1", "endpoint": "https://llm.example.com/v1"}}), want: badWant{by: byFunction, field: "input.models[0].provider"}},
		"InputModelBadProvider":      {reason: "A model with an unknown provider.", input: set("models", []any{map[string]any{"name": "gpt-4o", "provider": "acme"}}), want: badWant{by: byFunction, field: "input.models[0].provider"}},
		"InputModelBadEndpoint":      {reason: "A model whose endpoint is no URL.", input: set("models", []any{map[string]any{"name": "gpt-4o", "endpoint": "api.openai.com"}}), want: badWant{by: byFunction, field: "input.models[0].endpoint"}},
		"InputHostedOverHTTP":        {reason: "A hosted provider's endpoint over plain http.", input: set("models", []any{map[string]any{"name": "gpt-4o", "endpoint": "http://api.openai.com/v1"}}), want: badWant{by: byFunction, field: "input.models[0].endpoint"}},
		"InputEndpointCredentials":   {reason: "An endpoint URL that carries credentials.", input: set("models", []any{map[string]any{"name": "llama-2-70b", "endpoint": "http://user:pw@llama.models.svc:8000/v1"}}), want: badWant{by: byFunction, field: "input.models[0].endpoint"}},
		"InputSelfHostedNoServer":    {reason: "A self-hosted endpoint that is no Service address, without the server's selectors.", input: set("models", []any{map[string]any{"name": "llama-2-70b", "endpoint": "http://10.1.2.3:8000/v1"}}), want: badWant{by: byFunction, field: "input.models[0].server"}},
		"InputBadClusterCIDR":        {reason: "A cluster CIDR that is a host address.", input: set("network.clusterCIDRs", []any{"10.96.0.1/12"}), want: badWant{by: byFunction, field: "input.network.clusterCIDRs[0]"}},
		"InputBadAllowedImages":      {reason: "An allowed image prefix without a registry.", input: set("images.allowed", []any{"team/agent"}), want: badWant{by: byFunction, field: "input.images.allowed[0]"}},
		"InputBadQuantity":           {reason: "A default CPU request with a bad suffix.", input: set("defaultResources.requests.cpu", "2Gx"), want: badWant{by: byFunction, field: "input.defaultResources.requests.cpu"}},
		"InputHugeExponent":          {reason: "A default memory limit of 1e10000000.", input: set("defaultResources.limits.memory", "1e10000000"), want: badWant{by: byFunction, field: "input.defaultResources.limits.memory"}},
		"InputRequestAboveLimit":     {reason: "A default memory request above the default limit.", input: set("defaultResources.requests.memory", "4Gi"), want: badWant{by: byFunction, field: "input.defaultResources.requests.memory"}},
		"InputBadScrapeInterval":     {reason: "A scrape interval in words.", input: set("monitoring.scrapeInterval", "30 seconds"), want: badWant{by: byFunction, field: "input.monitoring.scrapeInterval"}},
		"InputTimeoutAboveInterval":  {reason: "A scrape timeout longer than the interval.", input: set("monitoring.scrapeTimeout", "1m"), want: badWant{by: byFunction, field: "input.monitoring.scrapeTimeout"}},
		"InputErrorRateAbove100":     {reason: "An error rate of 150%.", input: set("alerts.errorRatePercent", 150), want: badWant{by: byFunction, field: "input.alerts.errorRatePercent"}},
		"InputNegativeCost":          {reason: "A negative cost threshold.", input: set("alerts.costPerHourUSD", -1), want: badWant{by: byFunction, field: "input.alerts.costPerHourUSD"}},
		"InputProgressDeadlineShort": {reason: "A 5-second progress deadline.", input: set("progressDeadlineSeconds", 5), want: badWant{by: byFunction, field: "input.progressDeadlineSeconds"}},
		"InputBadPrefix":             {reason: "A resource name prefix with capitals and an underscore.", input: set("resourceNamePrefix", "Agent_"), want: badWant{by: byFunction, field: "input.resourceNamePrefix"}},
		"InputTTLTooShort":           {reason: "A TTL under a second.", input: set("ttl.converging", "100ms"), want: badWant{by: byFunction, field: "input.ttl.converging"}},
		"InputBadSelector":           {reason: "A gateway selector with an invalid label key.", input: set("gateway.podSelector.matchLabels", map[string]any{"bad key!": "x"}), want: badWant{by: byFunction, field: "input.gateway.podSelector.matchLabels"}},
		"InputBadMonitoringLabel":    {reason: "A monitoring label with an invalid value.", input: set("monitoring.labels", map[string]any{"release": "bad value!"}), want: badWant{by: byFunction, field: "input.monitoring.labels"}},
	}
}

func observedCases() map[string]badCase {
	meta := map[string]any{"name": "support-agent", "namespace": "agents", "generation": 1}
	return map[string]badCase{
		"ObservedDeploymentMalformed": {
			reason:    "An observed Deployment whose status.replicas is a string.",
			observed:  map[string]map[string]any{"deployment": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "status": map[string]any{"replicas": "three"}}},
			condition: "WorkloadAvailable",
			want:      badWant{by: reported, field: "Deployment"},
		},
		"ObservedDeploymentOfWrongKind": {
			reason:    "A ConfigMap observed where the Deployment should be.",
			observed:  map[string]map[string]any{"deployment": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": map[string]any{"a": "b"}}},
			condition: "WorkloadAvailable",
			want:      badWant{by: reported, field: "ConfigMap"},
		},
		"ObservedDeploymentEmpty": {
			reason:    "An observed Deployment with no content at all.",
			observed:  map[string]map[string]any{"deployment": {}},
			condition: "WorkloadAvailable",
			want:      badWant{by: reported, field: "Deployment"},
		},
		"ObservedServiceMalformed": {
			reason:    "An observed Service whose clusterIP is a number.",
			observed:  map[string]map[string]any{"service": {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": map[string]any{"clusterIP": 42}}},
			condition: "ResourcesReady",
			want:      badWant{by: reported, field: "service"},
		},
		"ObservedPDBMalformed": {
			reason:    "An observed PodDisruptionBudget whose observedGeneration is a string.",
			observed:  map[string]map[string]any{"poddisruptionbudget": {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta, "status": map[string]any{"observedGeneration": "x"}}},
			condition: "ResourcesReady",
			want:      badWant{by: reported, field: "poddisruptionbudget"},
		},
		"ObservedHPAMalformed": {
			reason:    "An observed HorizontalPodAutoscaler whose desiredReplicas is a string.",
			xr:        set("spec.autoscaling.enabled", true),
			observed:  map[string]map[string]any{"horizontalpodautoscaler": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta, "status": map[string]any{"desiredReplicas": "x"}}},
			condition: "AutoscalingActive",
			want:      badWant{by: reported, field: "HorizontalPodAutoscaler"},
		},
	}
}
