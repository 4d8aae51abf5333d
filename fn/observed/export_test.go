package observed

// The unexported readers and field lists, for the tests of package
// observed_test, which call the function (package fn imports this one).
var (
	ReadComposed      = readComposed
	ReadFields        = readFields
	GroupKindOf       = groupKindOf
	ComposedFields    = composedFields
	CompositeWireRead = compositeWireRead
	SpecFields        = specFields
	RequestObserved   = requestObserved
	StateResources    = stateResources
	ResourceObject    = resourceObject
)
