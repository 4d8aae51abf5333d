package reliability

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
)

// toolConnections are the connections an example's tools (spec.tools)
// decide: each tool reachable on each of its ports, and not on another
// port, nor its lookalikes (the same labels in another namespace, a
// stranger in its namespace, an address just outside its CIDR). The ports
// returned are the tools', on which every risky destination must stay
// unreachable too. hostedPort is the port a hosted model's agent reaches
// on public addresses anyway (0 for a self-hosted model).
func toolConnections(e example, ns string, hostedPort int32) (map[string]connection, []int32) {
	conns := map[string]connection{}
	var ports []int32
	add := func(name string, p probe, want bool) { conns[name] = connection{true, p, want} }
	for _, tool := range toolsOf(e) {
		var target, lookalike, neighbour endpoint
		var hasNeighbour bool
		if tool.CIDR != nil {
			pr := netip.MustParsePrefix(*tool.CIDR)
			target = address(pr.Addr().Next().String())
			// The first address after the range.
			last := pr.Addr()
			for n := last.Next(); n.IsValid() && pr.Contains(n); n = n.Next() {
				last = n
			}
			lookalike = address(last.Next().String())
		} else {
			if len(tool.PodSelector.MatchExpressions) > 0 {
				panic(fmt.Sprintf("%s: tool %s: the connections build pods from matchLabels only", e.Name, tool.Name))
			}
			toolNS := ptr.Deref(tool.Namespace, ns)
			target = pod(toolNS, tool.PodSelector.MatchLabels)
			lookalike = pod("elsewhere", tool.PodSelector.MatchLabels)
			neighbour, hasNeighbour = pod(toolNS, stranger), len(tool.PodSelector.MatchLabels) > 0
		}
		toolPorts := make([]int32, 0, len(tool.Ports))
		for _, p := range tool.Ports {
			proto := corev1.Protocol(ptr.Deref(p.Protocol, "TCP"))
			name := fmt.Sprintf("EgressTool-%s-%d%s", tool.Name, p.Port, proto)
			add(name, probe{target, p.Port, proto}, true)
			add(name+"-Lookalike", probe{lookalike, p.Port, proto}, tool.CIDR != nil && p.Port == hostedPort && proto == corev1.ProtocolTCP)
			if hasNeighbour {
				add(name+"-Neighbour", probe{neighbour, p.Port, proto}, false)
			}
			toolPorts = append(toolPorts, p.Port)
			ports = append(ports, p.Port)
		}
		for _, other := range []int32{22, 6443} {
			if !slices.Contains(toolPorts, other) && other != hostedPort {
				add(fmt.Sprintf("EgressTool-%s-OtherPort%d", tool.Name, other), probe{target, other, corev1.ProtocolTCP}, false)
			}
		}
	}
	return conns, ports
}

// toolsOf reads an example's spec.tools; the examples are valid
// (TestExamplesAdmitted), so a spec.tools that does not decode is a bug of
// the table's.
func toolsOf(e example) []v1alpha1.Tool {
	spec, _ := e.XR["spec"].(map[string]any)
	b, err := json.Marshal(spec["tools"])
	if err != nil {
		panic(err)
	}
	var tools []v1alpha1.Tool
	if err := json.Unmarshal(b, &tools); err != nil {
		panic(fmt.Sprintf("%s: spec.tools: %v", e.Name, err))
	}
	return tools
}
