package kube

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIPRepairRace(t *testing.T) {
	event := func(typ, reason, kind, reporting, source string) Event {
		e := Event{Type: typ, Reason: reason, ReportingComponent: reporting}
		e.Source.Component = source
		e.InvolvedObject.Kind = kind
		return e
	}
	cases := map[string]struct {
		reason string
		event  Event
		want   bool
	}{
		"RepairControllerOnAService": {
			reason: "The API server's repair loop on a Service it allocated an IP to: its own race.",
			event:  event("Warning", "ClusterIPNotAllocated", "Service", ipRepairController, ""),
			want:   true,
		},
		"ReportedAsSource": {
			reason: "Either reporter field names the controller, depending on the event API that wrote it.",
			event:  event("Warning", "ClusterIPNotAllocated", "Service", "", ipRepairController),
			want:   true,
		},
		"OtherReason": {
			reason: "An IP outside every Service CIDR is a real fault, even from the same controller.",
			event:  event("Warning", "ClusterIPOutOfRange", "Service", ipRepairController, ""),
		},
		"OtherReporter": {
			reason: "The same reason from anyone else is not the API server's race.",
			event:  event("Warning", "ClusterIPNotAllocated", "Service", "crossplane", ""),
		},
		"OtherKind": {
			reason: "The repair loop only speaks of Services.",
			event:  event("Warning", "ClusterIPNotAllocated", "Deployment", ipRepairController, ""),
		},
		"Normal": {
			reason: "Only Warnings are judged.",
			event:  event("Normal", "ClusterIPNotAllocated", "Service", ipRepairController, ""),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.event.IPRepairRace()); diff != "" {
				t.Errorf("%s\nIPRepairRace(): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
