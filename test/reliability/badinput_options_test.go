package reliability

// tool is an in-cluster tool in the agent's namespace, changed by edits.
func tool(edits ...func(map[string]any)) []any {
	t := map[string]any{"name": "search", "podSelector": map[string]any{"matchLabels": map[string]any{"app": "search"}}, "ports": []any{map[string]any{"port": 8080}}}
	for _, e := range edits {
		e(t)
	}
	return []any{t}
}

func envVar(v map[string]any) []any { return []any{v} }

// optionCases: what an agent sets beyond its model, wrong in one way, or
// outside the platform's policy (the shipped Composition's input: tools in
// support-tools and 198.51.100.0/24, labels under cost.example.com/,
// annotation sidecar.istio.io/inject, node pool agents-dedicated).
func optionCases() map[string]badCase {
	return map[string]badCase{
		"ToolPodsAndCIDR":         {reason: "A tool both in and outside the cluster.", xr: set("spec.tools", tool(set("cidr", "198.51.100.0/24"))), want: badWant{by: byBoth, field: "spec.tools[0]"}},
		"ToolNamespaceOnCIDR":     {reason: "A namespace on an external tool.", xr: set("spec.tools", tool(del("podSelector"), set("cidr", "198.51.100.0/24"), set("namespace", "support-tools"))), want: badWant{by: byBoth, field: "spec.tools[0].namespace"}},
		"ToolPortZero":            {reason: "Port 0.", xr: set("spec.tools", tool(set("ports", []any{map[string]any{"port": 0}}))), want: badWant{by: byBoth, field: "spec.tools[0].ports[0].port"}},
		"ToolNoPorts":             {reason: "A tool on no port.", xr: set("spec.tools", tool(del("ports"))), want: badWant{by: byBoth, field: "spec.tools[0].ports"}},
		"ToolNamespaceNotAllowed": {reason: "A tool in a namespace the platform does not list: only the function knows the policy.", xr: set("spec.tools", tool(set("namespace", "kube-system"))), want: badWant{by: byFunction, field: "spec.tools[0].namespace"}},
		"ToolCIDRNotAllowed":      {reason: "An external tool outside the platform's ranges: the metadata service.", xr: set("spec.tools", tool(del("podSelector"), set("cidr", "169.254.169.254/32"))), want: badWant{by: byFunction, field: "spec.tools[0].cidr"}},
		"ToolCIDRMalformed":       {reason: "A cidr that is a host name: NetworkPolicy cannot name hosts.", xr: set("spec.tools", tool(del("podSelector"), set("cidr", "api.example.com"))), want: badWant{by: byFunction, field: "spec.tools[0].cidr"}},
		"EnvReserved":             {reason: "API_KEY, which the contract reserves.", xr: set("spec.env", envVar(map[string]any{"name": "API_KEY", "value": "sk-x"})), want: badWant{by: byBoth, field: "spec.env[0].name"}},
		"EnvValueAndValueFrom":    {reason: "A value and a source.", xr: set("spec.env", envVar(map[string]any{"name": "A", "value": "x", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "s", "key": "k"}}})), want: badWant{by: byBoth, field: "spec.env[0]"}},
		"EnvBadName":              {reason: "A name starting with a digit.", xr: set("spec.env", envVar(map[string]any{"name": "1A", "value": "x"})), want: badWant{by: byBoth, field: "spec.env[0].name"}},
		"PodLabelOurs":            {reason: "Our selector label, which would move the agent's pods out of its Service and Deployment.", xr: set("spec.podMetadata.labels", map[string]any{"app.kubernetes.io/instance": "other"}), want: badWant{by: byBoth, field: "spec.podMetadata.labels"}},
		"PodLabelNotAllowed":      {reason: "A label under no prefix the platform allows.", xr: set("spec.podMetadata.labels", map[string]any{"team": "x"}), want: badWant{by: byFunction, field: "spec.podMetadata.labels"}},
		"PodAnnotationVault":      {reason: "A Vault injector annotation, which could mount a token into the agent.", xr: set("spec.podMetadata.annotations", map[string]any{"vault.hashicorp.com/agent-inject-token": "true"}), want: badWant{by: byBoth, field: "spec.podMetadata.annotations"}},
		"PullPolicyNever":         {reason: "Never, which the platform does not allow by default.", xr: set("spec.imagePullPolicy", "Never"), want: badWant{by: byFunction, field: "spec.imagePullPolicy"}},
		"PullPolicyBogus":         {reason: "A pull policy Kubernetes does not have.", xr: set("spec.imagePullPolicy", "Sometimes"), want: badWant{by: byBoth, field: "spec.imagePullPolicy"}},
		"NodePoolUnknown":         {reason: "A node pool the platform does not define.", xr: set("spec.nodePool", "gpu"), want: badWant{by: byFunction, field: "spec.nodePool"}},
		"MetricsIntervalTooShort": {reason: "A scrape interval shorter than the platform's timeout.", xr: set("spec.monitoring.interval", "1s"), want: badWant{by: byFunction, field: "spec.monitoring.interval"}},
		"MetricsPathRelative":     {reason: "A metrics path that is not a URL path.", xr: set("spec.monitoring.path", "metrics"), want: badWant{by: byBoth, field: "spec.monitoring.path"}},
		"BudgetBoth":              {reason: "Both bounds of a disruption budget.", xr: set("spec.disruptionBudget", map[string]any{"minAvailable": 1, "maxUnavailable": 1}), want: badWant{by: byBoth, field: "spec.disruptionBudget"}},
		"BudgetBlocksDrains":      {reason: "maxUnavailable 0, which blocks every node drain.", xr: set("spec.disruptionBudget.maxUnavailable", 0), want: badWant{by: byFunction, field: "spec.disruptionBudget.maxUnavailable"}},
		"MonitoringOffForbidden":  {reason: "Monitoring off where the platform monitors every agent.", xr: set("spec.monitoring.enabled", false), input: set("agentOverrides.monitoringOff", false), want: badWant{by: byFunction, field: "spec.monitoring.enabled"}},
		"PullSecretsForbidden":    {reason: "An agent's own pull secret where the platform sets them.", xr: set("spec.imagePullSecrets", []any{map[string]any{"name": "mine"}}), input: set("imagePull.agentSecrets", false), want: badWant{by: byFunction, field: "spec.imagePullSecrets"}},
		"InputToolCIDRMetadata":   {reason: "A platform range over the metadata service.", input: set("tools.cidrs", []any{"169.254.0.0/16"}), want: badWant{by: byFunction, field: "input.tools.cidrs[0]"}},
		"InputNodePoolEmpty":      {reason: "A node pool that selects nothing and tolerates nothing.", input: set("scheduling.nodePools", []any{map[string]any{"name": "any"}}), want: badWant{by: byFunction, field: "input.scheduling.nodePools[0]"}},
	}
}
