package catalog

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestBuiltinIsSortedAndComplete(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names(): not sorted: %v", names)
	}
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("Names(): duplicates in %v", names)
	}
	for _, seed := range []string{"claude-3-opus", "claude-3-sonnet", "gpt-4", "gpt-3.5-turbo", "llama-2-70b", "llama-2-13b", "mixtral-8x7b", "gemini-pro"} {
		if !slices.Contains(names, seed) {
			t.Errorf("Names(): the seed's model %q is missing", seed)
		}
	}
	for _, e := range Builtin() {
		if !slices.Contains(Providers, e.Provider) {
			t.Errorf("%s: unknown provider %q", e.Name, e.Provider)
		}
		u, err := url.Parse(e.Endpoint)
		if err != nil || u.Host == "" {
			t.Errorf("%s: endpoint %q is not an absolute URL: %v", e.Name, e.Endpoint, err)
		}
		if e.Provider.Hosted() && u.Scheme != "https" {
			t.Errorf("%s: a hosted provider's endpoint must be https, got %q", e.Name, e.Endpoint)
		}
		if e.Image == "" || e.ContextWindow <= 0 {
			t.Errorf("%s: image and context window are required: %+v", e.Name, e)
		}
	}
}

// TestRuntimeImageIsTheRelease: the catalog's image is tagged with the
// release the packages are installed at, so the function and the runtime it
// deploys move together.
func TestRuntimeImageIsTheRelease(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "function.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var release string
	for line := range strings.SplitSeq(string(b), "\n") {
		if pkg, ok := strings.CutPrefix(strings.TrimSpace(line), "package: "); ok {
			_, release, _ = strings.Cut(pkg, ":")
		}
	}
	if _, tag, _ := strings.Cut(RuntimeImage, ":"); release == "" || tag != release {
		t.Errorf("RuntimeImage %s: want the tag of deploy/function.yaml's package, %q", RuntimeImage, release)
	}
	for _, e := range Builtin() {
		if e.Image != RuntimeImage {
			t.Errorf("%s: image %s, want the one runtime image %s", e.Name, e.Image, RuntimeImage)
		}
	}
}

// TestEndpointsResolve: every catalog endpoint's host is a valid DNS name,
// and an in-cluster one names a Service that can exist (a DNS-1035 label):
// a model name with dots (llama-3.1-8b) gives no such Service.
func TestEndpointsResolve(t *testing.T) {
	for _, e := range Builtin() {
		t.Run(e.Name, func(t *testing.T) {
			u, err := url.Parse(e.Endpoint)
			if err != nil {
				t.Fatalf("endpoint %q: %v", e.Endpoint, err)
			}
			host := u.Hostname()
			if errs := validation.IsDNS1123Subdomain(host); len(errs) > 0 {
				t.Errorf("endpoint %q: host %q is not a DNS name: %v", e.Endpoint, host, errs)
			}
			service, inCluster := strings.CutSuffix(host, ".svc.cluster.local")
			if e.Provider.Hosted() == inCluster {
				t.Errorf("endpoint %q: a %s model must be served %s", e.Endpoint, e.Provider, map[bool]string{true: "from the internet", false: "in-cluster"}[e.Provider.Hosted()])
			}
			if !inCluster {
				return
			}
			name, namespace, ok := strings.Cut(service, ".")
			if !ok || strings.Contains(namespace, ".") {
				t.Fatalf("endpoint %q: want <service>.<namespace>.svc.cluster.local", e.Endpoint)
			}
			if errs := validation.IsDNS1035Label(name); len(errs) > 0 {
				t.Errorf("endpoint %q: no Service can be named %q: %v", e.Endpoint, name, errs)
			}
			if errs := validation.IsDNS1123Label(namespace); len(errs) > 0 {
				t.Errorf("endpoint %q: no namespace can be named %q: %v", e.Endpoint, namespace, errs)
			}
		})
	}
}

func TestServiceName(t *testing.T) {
	cases := map[string]struct {
		reason string
		model  string
		want   string
	}{
		"Dots":      {reason: "a version's dots become dashes", model: "llama-3.1-8b", want: "llama-3-1-8b"},
		"Unchanged": {reason: "a name that is already a DNS label stays", model: "mixtral-8x7b", want: "mixtral-8x7b"},
		"Upper":     {reason: "upper case is lowered", model: "Qwen-2.5-72B", want: "qwen-2-5-72b"},
	}
	for name, tc := range cases {
		if got := ServiceName(tc.model); got != tc.want {
			t.Errorf("%s: %s\nServiceName(%q): want %q, got %q", name, tc.reason, tc.model, tc.want, got)
		}
	}
}
