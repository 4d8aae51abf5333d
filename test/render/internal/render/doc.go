// Package render renders AgentDeployments the way a platform team does
// before installing a Composition: through the real crossplane CLI and the
// real Crossplane core binary (`crossplane composition render
// --crossplane-binary`), with the AgentOps function running locally with
// --insecure (the Development runtime). No Docker is involved.
//
// `make render` (cmd/render) and the golden tests share it.
package render
