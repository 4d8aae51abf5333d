// A stand-in for github.com/nebius/gosdk, which the Go module proxy does not
// serve. provider-kubernetes imports it only to mint Nebius IAM tokens; this
// build refuses Nebius credentials instead, and nothing of ours uses them.
module github.com/nebius/gosdk

go 1.26.0
