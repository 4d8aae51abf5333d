package settings

import (
	"slices"
	"sync"
	"sync/atomic"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/fn/internal/structcodec"
)

// Bounds of a Function's input cache. A cluster has a few Compositions that
// call the function, each with its own input; 16 covers them with room to
// spare. An input of the size bound resolves in well under a millisecond, so
// bigger ones, which no real Composition has, are not worth the memory.
const (
	DefaultCacheSize    = 16
	maxCachedInputBytes = 64 << 10
)

// A Cache keeps what the last few distinct function inputs resolved
// to: settings, or the errors that name what is wrong with the input.
// Crossplane sends a Composition's input unchanged on every call, and the
// outcome depends on the input alone, so decoding and resolving it again on
// every call would be waste.
//
// Lookups take no lock: they read a list of entries that is never changed,
// only replaced whole by an insert, under a mutex that only inserts take.
// Nothing is kept per XR, and the list holds at most limit entries of at most
// maxCachedInputBytes each, so memory stays bounded however many Compositions
// call the function.
type Cache struct {
	limit   int
	resolve func(*structpb.Struct) (*Settings, field.ErrorList)

	inserting sync.Mutex
	entries   atomic.Pointer[[]*cachedInput]
}

// A cachedInput is one input and what it resolved to. Only used changes once
// the entry is in the cache.
type cachedInput struct {
	// input is a private copy: the request's belongs to the request.
	input    *structpb.Struct
	hash     uint64
	settings *Settings
	errs     field.ErrorList
	// used says the input came again since an eviction last passed the
	// entry over.
	used atomic.Bool
}

// NewCache returns a cache of at most limit inputs, which Read resolves.
func NewCache(limit int) *Cache {
	return &Cache{limit: limit, resolve: Read}
}

// For returns the settings that in resolves to, or its errors. Every
// call with an equal input shares them: callers must not modify either.
func (c *Cache) For(in *structpb.Struct) (*Settings, field.ErrorList) {
	hash, size := structcodec.Fingerprint(in)
	if e := find(c.entries.Load(), in, hash); e != nil {
		// Load first: most hits find the flag set, and a store on every hit
		// would have the cores fight over the entry's cache line.
		if !e.used.Load() {
			e.used.Store(true)
		}
		return e.settings, e.errs
	}
	s, errs := c.resolve(in)
	// A caller's append must allocate a new array, not write into the
	// cached one.
	errs = slices.Clip(errs)
	if c.limit > 0 && size <= maxCachedInputBytes {
		c.add(&cachedInput{input: proto.CloneOf(in), hash: hash, settings: s, errs: errs})
	}
	return s, errs
}

// find returns the entry of an input equal to in, or nil.
func find(entries *[]*cachedInput, in *structpb.Struct, hash uint64) *cachedInput {
	if entries == nil {
		return nil
	}
	for _, e := range *entries {
		if e.hash == hash && structcodec.Equal(e.input, in) {
			return e
		}
	}
	return nil
}

// add puts e first in a new list of entries, evicting one when the cache is
// full.
func (c *Cache) add(e *cachedInput) {
	c.inserting.Lock()
	defer c.inserting.Unlock()
	old := c.entries.Load()
	if find(old, e.input, e.hash) != nil {
		// A concurrent call with the same input got here first.
		return
	}
	var entries []*cachedInput
	if old != nil {
		entries = *old
	}
	evict := -1
	if len(entries) >= c.limit {
		evict = victim(entries)
	}
	next := make([]*cachedInput, 0, min(len(entries)+1, c.limit))
	next = append(next, e)
	for i, o := range entries {
		if i != evict {
			next = append(next, o)
		}
	}
	c.entries.Store(&next)
}

// victim picks the entry to evict: the oldest one not used since an eviction
// last passed it over (the CLOCK algorithm's second chance). The inputs of
// the Compositions in use stay; one-off inputs, such as those of a
// Composition being edited, go first.
func victim(entries []*cachedInput) int {
	for i, e := range slices.Backward(entries) {
		if !e.used.Swap(false) {
			return i
		}
	}
	return len(entries) - 1
}
