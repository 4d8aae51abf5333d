//go:build generate

// The input CRD is generated from the Go types into package/input/ by
// `make generate`, which runs:
//
//go:generate controller-gen paths=./v1beta1 object crd:crdVersions=v1,allowDangerousTypes=true output:artifacts:config=../package/input

package input
