//go:build e2e && scale

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// One line per version of an AgentDeployment and of a composed
// Deployment, in columns: a watch costs the API server far less than
// listing a thousand objects every second. Custom columns, not a JSONPath
// template: kubectl prints the list a watch starts with through the same
// printer, and only the columns printer prints it an item a line (a
// template sees the whole List, so a watch started again would lose every
// object's state).
var (
	xrColumns = columns(
		".metadata.namespace", ".metadata.name", ".metadata.generation", ".status.observedGeneration", ".status.phase",
		`.status.conditions[?(@.type=="Ready")].status`, `.status.conditions[?(@.type=="Responsive")].status`)
	deploymentColumns = columns(
		".metadata.namespace", `.metadata.labels.crossplane\.io/composite`, ".metadata.generation", ".status.observedGeneration",
		".spec.replicas", ".status.replicas", ".status.updatedReplicas", ".status.readyReplicas", ".status.availableReplicas")
)

// columns is kubectl's custom-columns output of the given fields.
func columns(fields ...string) string {
	cs := make([]string, len(fields))
	for i, f := range fields {
		cs[i] = fmt.Sprintf("C%d:%s", i, f)
	}
	return "custom-columns=" + strings.Join(cs, ",")
}

// fieldsOf splits a columns line into its n fields, an absent value ("<none>")
// as empty, or returns nil for any other line.
func fieldsOf(line string, n int) []string {
	f := strings.Fields(line)
	if len(f) != n {
		return nil
	}
	for i := range f {
		if f[i] == "<none>" {
			f[i] = ""
		}
	}
	return f
}

// xrState is the latest version of an AgentDeployment the watch saw.
type xrState struct {
	firstSeen  time.Time
	generation int64
	// runningSince is when it last became Running at its generation,
	// Ready; zero while it is not.
	runningSince time.Time
	// firstRunning is when it was first Running.
	firstRunning time.Time
	// unresponsive is how often Crossplane's circuit breaker was seen
	// open for it (Responsive=False).
	unresponsive int
	responsive   bool
}

// deploymentState is the latest version of an agent's Deployment.
type deploymentState struct {
	generation int64
	// rolledSince is when every replica last came to run the current
	// pod template, ready, with no old replica left; zero while not.
	rolledSince time.Time
}

// tracker follows every AgentDeployment and composed Deployment of the
// run through two watches.
type tracker struct {
	xrs, deployments *kube.Watch
	xrRead, depRead  int
	xr               map[string]*xrState
	deployment       map[string]*deploymentState
}

func newTracker() (*tracker, error) {
	xrs, err := watchXRs()
	if err != nil {
		return nil, err
	}
	deps, err := watchDeployments()
	if err != nil {
		xrs.Stop()
		return nil, err
	}
	return &tracker{xrs: xrs, deployments: deps, xr: map[string]*xrState{}, deployment: map[string]*deploymentState{}}, nil
}

func watchXRs() (*kube.Watch, error) {
	return env.k.Watch("agentdeployments", "-A", "--no-headers", "-o", xrColumns)
}

func watchDeployments() (*kube.Watch, error) {
	return env.k.Watch("deployments", "-A", "-l", "crossplane.io/composite", "--no-headers", "-o", deploymentColumns)
}

// rewatch starts a watch again once kubectl has exited, after reading its
// last lines: the new one lists every object first, so no state is lost,
// though a change seen only in the list is timed when the list arrives.
func rewatch(w *kube.Watch, read *int, start func() (*kube.Watch, error)) *kube.Watch {
	if !w.Ended() || len(w.Since(*read)) > 0 {
		return w
	}
	next, err := start()
	if err != nil {
		return w // The next update tries again.
	}
	w.Stop()
	*read = 0
	return next
}

func (tr *tracker) stop() {
	tr.xrs.Stop()
	tr.deployments.Stop()
}

// update reads the lines that arrived since the last call, and restarts a
// watch that ended.
func (tr *tracker) update() {
	tr.xrs = rewatch(tr.xrs, &tr.xrRead, watchXRs)
	tr.deployments = rewatch(tr.deployments, &tr.depRead, watchDeployments)
	lines := tr.xrs.Since(tr.xrRead)
	tr.xrRead += len(lines)
	for _, l := range lines {
		tr.xrVersion(l)
	}
	lines = tr.deployments.Since(tr.depRead)
	tr.depRead += len(lines)
	for _, l := range lines {
		tr.deploymentVersion(l)
	}
}

func (tr *tracker) xrVersion(l kube.Line) {
	f := fieldsOf(l.Text, 7)
	if f == nil {
		return
	}
	key := f[0] + "/" + f[1]
	f = f[1:]
	s := tr.xr[key]
	if s == nil {
		s = &xrState{firstSeen: l.At, responsive: true}
		tr.xr[key] = s
	}
	s.generation = atoi(f[1])
	running := f[3] == "Running" && atoi(f[2]) == s.generation && f[4] == "True"
	switch {
	case !running:
		s.runningSince = time.Time{}
	case s.runningSince.IsZero():
		s.runningSince = l.At
		if s.firstRunning.IsZero() {
			s.firstRunning = l.At
		}
	}
	responsive := f[5] != "False"
	if s.responsive && !responsive {
		s.unresponsive++
	}
	s.responsive = responsive
}

func (tr *tracker) deploymentVersion(l kube.Line) {
	f := fieldsOf(l.Text, 9)
	if f == nil {
		return
	}
	key := f[0] + "/" + f[1]
	f = f[1:]
	s := tr.deployment[key]
	if s == nil {
		s = &deploymentState{}
		tr.deployment[key] = s
	}
	s.generation = atoi(f[1])
	want := f[3]
	rolled := atoi(f[2]) == s.generation && f[4] == want && f[5] == want && f[6] == want && f[7] == want
	switch {
	case !rolled:
		s.rolledSince = time.Time{}
	case s.rolledSince.IsZero():
		s.rolledSince = l.At
	}
}

// running is how many of agents are Running now.
func (tr *tracker) running(agents []fleetAgent) int {
	n := 0
	for _, a := range agents {
		if s := tr.xr[a.key()]; s != nil && !s.runningSince.IsZero() {
			n++
		}
	}
	return n
}

// generations records each agent's and Deployment's generation, before a
// change.
func (tr *tracker) generations() (map[string]int64, map[string]int64) {
	xr, deployment := map[string]int64{}, map[string]int64{}
	for k, s := range tr.xr {
		xr[k] = s.generation
	}
	for k, s := range tr.deployment {
		deployment[k] = s.generation
	}
	return xr, deployment
}

// rolled reports when an agent changed since the given generations was
// rolled out and Running again: its Deployment at a newer generation with
// every replica on the new template, and the agent Running at its newer
// generation; the later of the two.
func (tr *tracker) rolled(key string, xrGen, depGen map[string]int64) (time.Time, bool) {
	x, d := tr.xr[key], tr.deployment[key]
	if x == nil || d == nil || x.generation <= xrGen[key] || d.generation <= depGen[key] || x.runningSince.IsZero() || d.rolledSince.IsZero() {
		return time.Time{}, false
	}
	if d.rolledSince.After(x.runningSince) {
		return d.rolledSince, true
	}
	return x.runningSince, true
}

// circuitOpenings is how often any XR was seen Responsive=False.
func (tr *tracker) circuitOpenings() int {
	n := 0
	for _, s := range tr.xr {
		n += s.unresponsive
	}
	return n
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
