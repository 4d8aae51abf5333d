package health

// A State sums up one composed resource, after kstatus's statuses: fn/status
// decides on the state, and shows a Result's Reason and Message to people.
type State string

// States of a composed resource.
const (
	// Current: it does what its spec asks, as its controller reports.
	Current State = "Current"
	// InProgress: its controller is still working towards its spec.
	InProgress State = "InProgress"
	// Failed: it will not become Current without a change, such as a
	// rollout past its progress deadline.
	Failed State = "Failed"
	// Terminating: it is being deleted.
	Terminating State = "Terminating"
	// NotFound: Crossplane has not observed it (yet).
	NotFound State = "NotFound"
	// Unknown: what was observed cannot be judged: it is malformed, or of
	// another kind than expected.
	Unknown State = "Unknown"
)

// A Result of judging one composed resource.
type Result struct {
	State State
	// Reason is a CamelCase word for a condition; Message says what is
	// wrong, for a person to act on. Neither is for deciding on: State is.
	Reason  string
	Message string
}

// Ready is true when the resource does what it should.
func (r Result) Ready() bool { return r.State == Current }
