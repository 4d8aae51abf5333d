package controlplane

// Component is the running component named name (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok, crossplane, a function),
// or nil: benchmarks read its CPU time and memory by its PID.
func (cp *ControlPlane) Component(name string) *Process {
	for _, p := range cp.started {
		if p.Name == name {
			if exited, _ := p.Exited(); !exited {
				return p
			}
		}
	}
	return nil
}
