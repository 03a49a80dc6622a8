package cgohandle

import (
	"runtime/cgo"
	"testing"
)

// workingSet is how many live handles each goroutine keeps (as in the Rust benchmark).
const workingSet = 32

func newSet(base int) []cgo.Handle {
	set := make([]cgo.Handle, workingSet)
	for i := range set {
		set[i] = cgo.NewHandle(base + i)
	}
	return set
}

func deleteSet(set []cgo.Handle) {
	for _, h := range set {
		h.Delete()
	}
}

// BenchmarkPair: NewHandle + Delete.
func BenchmarkPair(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			h := cgo.NewHandle(i)
			h.Delete()
			i++
		}
	})
}

// BenchmarkResolveHit: Value of a live handle.
func BenchmarkResolveHit(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		set := newSet(1000)
		defer deleteSet(set)
		sum, i := 0, 0
		for pb.Next() {
			sum += set[i%workingSet].Value().(int)
			i++
		}
		if sum < 0 {
			b.Fatal("unreachable")
		}
	})
}

// BenchmarkMixed: one handle's life among live neighbours: NewHandle, four Values, Delete.
func BenchmarkMixed(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		set := newSet(2000)
		defer deleteSet(set)
		sum, i := 0, 0
		for pb.Next() {
			h := cgo.NewHandle(i)
			sum += h.Value().(int)
			sum += set[i%workingSet].Value().(int)
			sum += set[(i+7)%workingSet].Value().(int)
			sum += h.Value().(int)
			h.Delete()
			i++
		}
		if sum < 0 {
			b.Fatal("unreachable")
		}
	})
}

// TestValueOfDeletedHandlePanics documents why there is no stale-resolve benchmark: Go's
// Handle.Value panics on a deleted handle instead of reporting a miss.
func TestValueOfDeletedHandlePanics(t *testing.T) {
	h := cgo.NewHandle(1)
	h.Delete()
	defer func() {
		if recover() == nil {
			t.Fatal("Value of a deleted handle did not panic")
		}
	}()
	_ = h.Value()
}
