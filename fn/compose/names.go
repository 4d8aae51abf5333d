package compose

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// maxBaseLength leaves room for the longest suffix ("-config") within a
// 63-character DNS label: a Service name must be one.
const maxBaseLength = 63 - len("-config")

// Names of the composed objects.
type Names struct {
	// Base names the Deployment, Service, ServiceAccount, HPA, PDB,
	// NetworkPolicy, ServiceMonitor and PrometheusRule.
	Base string
	// Config names the ConfigMap.
	Config string
}

// NamesFor derives stable, valid names from an AgentDeployment's name. A
// name that is already a short DNS-1035 label is used as it is; any other is
// cleaned, cut and given a hash of the original, so two names never meet.
func NamesFor(name string) Names {
	base := name
	if len(name) > maxBaseLength || len(validation.IsDNS1035Label(name)) > 0 {
		base = hashed(name)
	}
	return Names{Base: base, Config: base + "-config"}
}

func hashed(name string) string {
	sum := sha256.Sum256([]byte(name))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteRune('-')
		}
	}
	clean := b.String()
	if clean == "" || clean[0] < 'a' || clean[0] > 'z' {
		clean = "agent-" + clean
	}
	if limit := maxBaseLength - len(suffix); len(clean) > limit {
		clean = clean[:limit]
	}
	return strings.TrimRight(clean, "-") + suffix
}
