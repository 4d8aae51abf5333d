package controlplane

import (
	"context"
	"path/filepath"
	"time"
)

// UpOptions of a whole cluster: where the repository, the tools and the
// work folder are, and whether to install AgentOps.
type UpOptions struct {
	// Repo is the repository's root: tools/ pins the versions whose
	// third-party files (kwok's stages, Crossplane's chart and CRDs) are read.
	Repo     string
	ToolsBin string
	// Dir is the work folder: data, certificates, kubeconfigs, logs.
	Dir string
	// ControlPlaneOnly stops after Crossplane, without AgentOps.
	ControlPlaneOnly bool
	// AgentOps says where the packages are; its Repo is set from Repo.
	AgentOps AgentOpsOptions
	// TokenDuration is how long Crossplane's ServiceAccount token lasts.
	TokenDuration time.Duration
	// PackageRuntime is Crossplane's package runtime: RuntimeExternal
	// unless set.
	PackageRuntime string
	// AsInstalled runs Crossplane with a default install's settings
	// (CrossplaneOptions.AsInstalled).
	AsInstalled bool
	// CircuitBreakerDefaults keeps Crossplane's circuit breaker defaults
	// (CrossplaneOptions.CircuitBreakerDefaults).
	CircuitBreakerDefaults bool
	// KwokReadyDelay is how long after scheduling a pod turns Ready:
	// defaultKwokReadyDelay unless set.
	KwokReadyDelay time.Duration
}

// Cluster is a control plane with Crossplane and, unless ControlPlaneOnly,
// AgentOps: what the e2e suite tests and `make up` leaves running.
type Cluster struct {
	CP       *ControlPlane
	XP       *Crossplane
	AgentOps *AgentOps
}

// defaultKwokReadyDelay is about an agent's readiness probe's initial delay.
const defaultKwokReadyDelay = 3 * time.Second

// Up starts the control plane, Crossplane and AgentOps. On error it returns
// what it started, for the caller to read its logs and stop it; the RBAC
// manager's stand-in runs until ctx ends.
func Up(ctx context.Context, o UpOptions) (*Cluster, error) {
	c := &Cluster{}
	tools := filepath.Join(o.Repo, "tools")
	kwokDir, err := ModuleDir(ctx, filepath.Join(tools, "kwok"), "sigs.k8s.io/kwok")
	if err != nil {
		return c, err
	}
	stages := filepath.Join(o.Dir, "kwok.yaml")
	if o.KwokReadyDelay == 0 {
		o.KwokReadyDelay = defaultKwokReadyDelay
	}
	if err := KwokStages(kwokDir, stages, o.KwokReadyDelay); err != nil {
		return c, err
	}
	if c.CP, err = Start(ctx, Options{ToolsBin: o.ToolsBin, Dir: o.Dir, KwokStages: stages}); err != nil {
		return c, err
	}

	xpModule := "github.com/crossplane/crossplane/v2"
	xpDir, err := ModuleDir(ctx, filepath.Join(tools, "crossplane-core"), xpModule)
	if err != nil {
		return c, err
	}
	xpVersion, err := ModuleVersion(ctx, filepath.Join(tools, "crossplane-core"), xpModule)
	if err != nil {
		return c, err
	}
	xo := CrossplaneOptions{
		Version: xpVersion, Source: xpDir, TokenDuration: o.TokenDuration, PackageRuntime: o.PackageRuntime,
		AsInstalled: o.AsInstalled, CircuitBreakerDefaults: o.CircuitBreakerDefaults,
	}
	if c.XP, err = InstallCrossplane(ctx, c.CP, xo); err != nil {
		return c, err
	}
	if o.ControlPlaneOnly {
		return c, nil
	}
	ao := o.AgentOps
	ao.Repo = o.Repo
	c.AgentOps, err = InstallAgentOps(ctx, c.CP, c.XP, ao)
	return c, err
}

// Stop stops every component, newest first.
func (c *Cluster) Stop() {
	if c == nil {
		return
	}
	c.XP.Stop()
	if c.CP != nil {
		c.CP.Stop()
	}
}
