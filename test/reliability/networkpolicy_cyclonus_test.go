package reliability

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mattfenwick/cyclonus/pkg/matcher"
	networkingv1 "k8s.io/api/networking/v1"
)

// TestNetworkPolicyCyclonus asks a second oracle, written by someone else,
// about the same connections TestNetworkPolicy asks ours: cyclonus'
// NetworkPolicy engine (github.com/mattfenwick/cyclonus pkg/matcher, the
// model behind its conformance tool). Its answers must be the table's, and
// where they differ from our evaluator's one of the two misreads the API:
// TestNetworkPolicy's verdicts are not to be trusted until that is settled.
func TestNetworkPolicyCyclonus(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.Name, func(t *testing.T) {
			np, agent := composedPolicy(t, e)
			policy := matcher.BuildNetworkPolicies(false, []*networkingv1.NetworkPolicy{np})
			want, ours, theirs := map[string]bool{}, map[string]bool{}, map[string]bool{}
			for name, c := range connections(e, agent.namespace) {
				want[name] = c.want
				ours[name] = allows(np, agent.namespace, c.egress, c.probe)
				theirs[name] = cyclonusAllows(policy, agent, c)
			}
			if diff := cmp.Diff(ours, theirs); diff != "" {
				t.Errorf("the NetworkPolicy of %s (model %s): our evaluator and cyclonus disagree: -ours, +cyclonus:\n%s", e.Name, modelOf(e), diff)
			}
			if diff := cmp.Diff(want, theirs); diff != "" {
				t.Errorf("the NetworkPolicy of %s (model %s), as cyclonus reads it: -want, +cyclonus:\n%s", e.Name, modelOf(e), diff)
			}
		})
	}
}

// cyclonusAllows asks cyclonus whether policy admits the connection, in its
// direction only: the peer's own policies are not the question (and the
// agent's policy selects none of them).
func cyclonusAllows(policy *matcher.Policy, agent endpoint, c connection) bool {
	traffic := &matcher.Traffic{ResolvedPort: int(c.probe.port), Protocol: c.probe.protocol}
	if c.egress {
		traffic.Source, traffic.Destination = trafficPeer(agent), trafficPeer(c.probe.peer)
	} else {
		traffic.Source, traffic.Destination = trafficPeer(c.probe.peer), trafficPeer(agent)
	}
	return policy.IsIngressOrEgressAllowed(traffic, !c.egress).IsAllowed()
}

// trafficPeer is an endpoint as cyclonus models it: a pod (with its
// address, which ipBlocks are asked about) or an address outside the
// cluster.
func trafficPeer(e endpoint) *matcher.TrafficPeer {
	p := &matcher.TrafficPeer{IP: e.ip}
	if e.pod != nil {
		p.Internal = &matcher.InternalPeer{PodLabels: e.pod, NamespaceLabels: e.nsLabels, Namespace: e.namespace}
	}
	return p
}
