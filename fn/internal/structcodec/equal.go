package structcodec

import (
	"hash/maphash"
	"math"

	"google.golang.org/protobuf/types/known/structpb"
)

// The input cache finds a Composition's input among the cached ones by a
// fingerprint, then confirms with an exact comparison. Both walk the Struct
// by a type switch, without allocating: proto.Equal walks it by reflection,
// at several times the cost (BenchmarkEqual).
//
// The comparison is exact, and stricter than proto.Equal: numbers compare by
// their bits (so -0 differs from 0, and a NaN equals the same NaN), and a nil
// message differs from an empty one. Two inputs it calls equal therefore
// marshal to the same JSON, and resolve to the same settings or errors.

// structSeed seeds the fingerprints of one process.
var structSeed = maphash.MakeSeed()

// Each kind of Value starts its fingerprint differently, so that "1" and 1,
// or {} and [], do not hash alike.
const (
	kindNone uint64 = iota + 0x9e3779b97f4a7c15
	kindNull
	kindNumber
	kindString
	kindTrue
	kindFalse
	kindStruct
	kindList
)

// nodeBytes is roughly what a Value and its map entry or list slot take in
// memory, beyond the strings they hold.
const nodeBytes = 128

// Fingerprint returns the hash of s, and roughly how many bytes s takes in
// memory. Equal Structs hash alike, whatever order their maps iterate in.
func Fingerprint(s *structpb.Struct) (uint64, int) {
	var f fingerprinter
	return f.structHash(s), f.size
}

// A fingerprinter adds up the size of what it hashes.
type fingerprinter struct {
	size int
}

func (f *fingerprinter) structHash(s *structpb.Struct) uint64 {
	sum := kindStruct
	for k, v := range s.GetFields() {
		f.size += len(k)
		// A sum does not depend on the order of its terms, nor does a map's
		// content on the order it iterates in.
		sum += mix(maphash.String(structSeed, k) ^ f.valueHash(v))
	}
	return mix(sum)
}

func (f *fingerprinter) valueHash(v *structpb.Value) uint64 {
	f.size += nodeBytes
	switch k := v.GetKind().(type) {
	case *structpb.Value_NullValue:
		return mix(kindNull ^ uint64(k.NullValue))
	case *structpb.Value_NumberValue:
		return mix(kindNumber ^ math.Float64bits(k.NumberValue))
	case *structpb.Value_StringValue:
		f.size += len(k.StringValue)
		return mix(kindString ^ maphash.String(structSeed, k.StringValue))
	case *structpb.Value_BoolValue:
		if k.BoolValue {
			return kindTrue
		}
		return kindFalse
	case *structpb.Value_StructValue:
		return f.structHash(k.StructValue)
	case *structpb.Value_ListValue:
		h := kindList
		for _, e := range k.ListValue.GetValues() {
			h = mix(h ^ f.valueHash(e))
		}
		return h
	}
	return kindNone
}

// mix scrambles the bits of x (SplitMix64's finalizer), so that the sums and
// chains above spread over the whole range.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Equal reports whether a and b hold exactly the same content.
func Equal(a, b *structpb.Struct) bool {
	if (a == nil) != (b == nil) || len(a.GetFields()) != len(b.GetFields()) {
		return false
	}
	for k, va := range a.GetFields() {
		vb, ok := b.GetFields()[k]
		if !ok || !valuesEqual(va, vb) {
			return false
		}
	}
	return true
}

func valuesEqual(a, b *structpb.Value) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	switch x := a.GetKind().(type) {
	case nil:
		return b.GetKind() == nil
	case *structpb.Value_NullValue:
		y, ok := b.GetKind().(*structpb.Value_NullValue)
		return ok && x.NullValue == y.NullValue
	case *structpb.Value_NumberValue:
		y, ok := b.GetKind().(*structpb.Value_NumberValue)
		return ok && math.Float64bits(x.NumberValue) == math.Float64bits(y.NumberValue)
	case *structpb.Value_StringValue:
		y, ok := b.GetKind().(*structpb.Value_StringValue)
		return ok && x.StringValue == y.StringValue
	case *structpb.Value_BoolValue:
		y, ok := b.GetKind().(*structpb.Value_BoolValue)
		return ok && x.BoolValue == y.BoolValue
	case *structpb.Value_StructValue:
		y, ok := b.GetKind().(*structpb.Value_StructValue)
		return ok && Equal(x.StructValue, y.StructValue)
	case *structpb.Value_ListValue:
		y, ok := b.GetKind().(*structpb.Value_ListValue)
		return ok && listsEqual(x.ListValue, y.ListValue)
	}
	return false
}

func listsEqual(a, b *structpb.ListValue) bool {
	if (a == nil) != (b == nil) || len(a.GetValues()) != len(b.GetValues()) {
		return false
	}
	for i, va := range a.GetValues() {
		if !valuesEqual(va, b.GetValues()[i]) {
			return false
		}
	}
	return true
}
