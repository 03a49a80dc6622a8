//go:build mochi_wrap

// Hand-written glue of the host-bindings gate's c-archive (package main). The rendered runtime,
// shim file and host-callback file sit next to it. It exports what a real wrapper's own
// functions would, in the shim convention (a mochi_status result, results through out-pointers,
// then the call's own message slot `mochi_bytes *msg` that the deferred guard fills), so the Rust driver reaches them through the generated safe API: constructors, Go
// functions that take a host closure as a Go func (slices.IndexFunc, a call from another
// goroutine), a Go producer goroutine on a host-owned channel, and bench baselines.
package main

/*
#include "mochi_types.h"

static inline int64_t fixture_c_noop(int64_t x) { return x; }
*/
import "C"

import (
	"slices"
	"sync"

	"example.com/hostfixture"
)

func main() {}

// fixture_thing_new makes a *Thing and returns its handle.
//
//export fixture_thing_new
func fixture_thing_new(n C.int64_t, name *C.char, nameLen C.size_t, r0 *C.uint64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	s, st := mochi_fixture_goString(name, nameLen)
	if st != C.MOCHI_OK {
		return st
	}
	h, st := mochi_fixture_toHandle(hostfixture.NewThing(int64(n), s))
	if st != C.MOCHI_OK {
		return st
	}
	*r0 = h
	return C.MOCHI_OK
}

// fixture_thing_describe returns the Name and N of the *Thing behind t.
//
//export fixture_thing_describe
func fixture_thing_describe(t C.uint64_t, r0 **C.char, r0Len *C.size_t, r1 *C.int64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	x, st := mochi_fixture_fromHandle[*hostfixture.Thing](t)
	if st != C.MOCHI_OK {
		return st
	}
	if x == nil {
		return C.MOCHI_BAD_ARG
	}
	*r0 = mochi_fixture_cString(x.Name)
	*r0Len = C.size_t(len(x.Name))
	*r1 = C.int64_t(x.N)
	return C.MOCHI_OK
}

func predOf(id C.uint64_t) (func(int64) bool, C.mochi_status) {
	f, st := mochi_fixture_fromHandle[func(int64) bool](id)
	if st == C.MOCHI_OK && f == nil {
		return nil, C.MOCHI_BAD_ARG
	}
	return f, st
}

// fixture_index_func returns slices.IndexFunc([0, 10, ..., 10(n-1)], f).
//
//export fixture_index_func
func fixture_index_func(n C.int64_t, f C.uint64_t, r0 *C.int64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	pred, st := predOf(f)
	if st != C.MOCHI_OK {
		return st
	}
	if n < 0 || n > 1<<20 {
		return C.MOCHI_BAD_ARG
	}
	xs := make([]int64, int(n))
	for i := range xs {
		xs[i] = int64(i) * 10
	}
	*r0 = C.int64_t(slices.IndexFunc(xs, pred))
	return C.MOCHI_OK
}

// fixture_call_async calls f(x) on a new goroutine and waits for it; a panic there is carried
// back and re-raised here, where the guard reports it.
//
//export fixture_call_async
func fixture_call_async(f C.uint64_t, x C.int64_t, r0 *C.bool, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	pred, st := predOf(f)
	if st != C.MOCHI_OK {
		return st
	}
	var wg sync.WaitGroup
	var got bool
	var caught any
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { caught = recover() }()
		got = pred(int64(x))
	}()
	wg.Wait()
	if caught != nil {
		panic(caught)
	}
	*r0 = C.bool(got)
	return C.MOCHI_OK
}

// fixture_count_func calls f(0), ..., f(n-1) and returns how many were true.
//
//export fixture_count_func
func fixture_count_func(n C.int64_t, f C.uint64_t, r0 *C.int64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	pred, st := predOf(f)
	if st != C.MOCHI_OK {
		return st
	}
	var c int64
	for i := int64(0); i < int64(n); i++ {
		if pred(i) {
			c++
		}
	}
	*r0 = C.int64_t(c)
	return C.MOCHI_OK
}

// fixture_visit calls f(s, i) for i in [0, times).
//
//export fixture_visit
func fixture_visit(f C.uint64_t, s *C.char, sLen C.size_t, times C.int32_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	visit, st := mochi_fixture_fromHandle[func(string, int32)](f)
	if st != C.MOCHI_OK {
		return st
	}
	if visit == nil {
		return C.MOCHI_BAD_ARG
	}
	text, st := mochi_fixture_goString(s, sLen)
	if st != C.MOCHI_OK {
		return st
	}
	for i := int32(0); i < int32(times); i++ {
		visit(text, i)
	}
	return C.MOCHI_OK
}

var kept struct {
	sync.Mutex
	f func(int64) bool
}

// fixture_keep stores the Go func behind f, the way Go code may keep a func it was given.
//
//export fixture_keep
func fixture_keep(f C.uint64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	pred, st := predOf(f)
	if st != C.MOCHI_OK {
		return st
	}
	kept.Lock()
	kept.f = pred
	kept.Unlock()
	return C.MOCHI_OK
}

// fixture_call_kept calls the kept func (which may outlive its handle) and then forgets it.
//
//export fixture_call_kept
func fixture_call_kept(x C.int64_t, r0 *C.bool, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	kept.Lock()
	f := kept.f
	kept.f = nil
	kept.Unlock()
	if f == nil {
		return C.MOCHI_BAD_ARG
	}
	*r0 = C.bool(f(int64(x)))
	return C.MOCHI_OK
}

// fixture_fill starts a goroutine that sends 0, ..., n-1 on the host's chan int64 and closes
// it; the host receives.
//
//export fixture_fill
func fixture_fill(ch C.uint64_t, n C.int64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	c, st := mochi_fixture_i64_chanOf(ch)
	if st != C.MOCHI_OK {
		return st
	}
	go func() {
		defer func() { _ = recover() }() // the host may free the channel early
		for i := int64(0); i < int64(n); i++ {
			c.ch <- i
		}
		if c.closed.CompareAndSwap(false, true) {
			close(c.ch)
		}
	}()
	return C.MOCHI_OK
}

// fixture_noop does nothing (the bench's bare C→Go call).
//
//export fixture_noop
func fixture_noop(msg *C.mochi_bytes) C.mochi_status {
	if msg != nil {
		*msg = C.mochi_bytes{} // what the guard does, without the defer
	}
	return C.MOCHI_OK
}

// fixture_c_noop_n makes n bare Go→C calls (the bench's baseline for a Go→Rust callback).
//
//export fixture_c_noop_n
func fixture_c_noop_n(n C.int64_t, r0 *C.int64_t, msg *C.mochi_bytes) (st C.mochi_status) {
	defer mochi_fixture_guard(&st, msg)
	var s C.int64_t
	for i := C.int64_t(0); i < n; i++ {
		s += C.fixture_c_noop(i)
	}
	*r0 = s
	return C.MOCHI_OK
}
