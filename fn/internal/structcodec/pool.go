package structcodec

import "sync"

// encoders are reused across calls: their stacks and the table of their
// strings, emptied, are all they keep.
var encoders = sync.Pool{New: func() any { return NewEncoder() }}

// GetEncoder returns an encoder for one response; PutEncoder returns it
// once the response is made.
func GetEncoder() *Encoder {
	return encoders.Get().(*Encoder) //nolint:forcetypeassert // The pool holds only encoders.
}

// PutEncoder forgets e's strings, so that the next response shares no
// Value with this one, and returns it to the pool.
func PutEncoder(e *Encoder) {
	e.Reset()
	encoders.Put(e)
}
