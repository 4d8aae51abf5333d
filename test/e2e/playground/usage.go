package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// printUsage tells a person how to reach the playground: the lines README's
// "Try it" shows.
func printUsage(c config, st *state) {
	kubectl := filepath.Join(c.toolsBin, "kubectl")
	fmt.Fprintf(os.Stdout, `
playground: up in %s: Kubernetes at %s, Crossplane with AgentOps, packages from %s
Try it (from %s):
  export KUBECONFIG=%s
  alias kubectl=%s   # the pinned kubectl, if you have none
  kubectl create namespace agents
  kubectl create secret generic openai-api-key -n agents --from-literal=api-key=not-a-real-key
  kubectl apply -f examples/minimal.yaml
  kubectl get ad -A -w                      # Pending, then Running a few seconds later
  kubectl get deploy,svc,hpa,pdb,networkpolicy -n agents
Logs: %s   make status: what runs   make down: stop it all
`, st.UpIn.Round(100*time.Millisecond), st.Server, st.Registry, c.repo, st.Kubeconfig, kubectl, st.LogDir)
}
