package kube

// Event is the part of a core/v1 Event the tests judge.
type Event struct {
	Type               string `json:"type"`
	Reason             string `json:"reason"`
	Message            string `json:"message"`
	Count              int    `json:"count"`
	ReportingComponent string `json:"reportingComponent"`
	Source             struct {
		Component string `json:"component"`
	} `json:"source"`
	InvolvedObject struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"involvedObject"`
}

// ipRepairController is the kube-apiserver's Service IP repair loop, as it
// names itself on its events.
const ipRepairController = "ipallocator-repair-controller"

// IPRepairRace tells the kube-apiserver's ClusterIPNotAllocated Warning
// about a new Service, which no manifest can cause or avoid. The
// ipallocator-repair-controller (pkg/registry/core/service/ipallocator/
// controller/repairip.go, v1.35.4) checks each Service it hears of against
// the IPAddress objects of a second informer. The allocator writes the
// IPAddress before the Service, but under load that informer can lag the
// Service one: the controller then reports the IP not allocated within
// milliseconds of its allocation, and its repair finds the IPAddress there.
// kubernetes/kubernetes#135503 names the lag; a real cluster shows the
// same Warning under a burst of Services.
func (e Event) IPRepairRace() bool {
	return e.Type == "Warning" && e.Reason == "ClusterIPNotAllocated" && e.InvolvedObject.Kind == "Service" &&
		(e.ReportingComponent == ipRepairController || e.Source.Component == ipRepairController)
}
