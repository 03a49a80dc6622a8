//go:build mochi_wrap

// Hand-written glue of the goroutine-bridge gate's c-archive (package main). The rendered
// runtime and shim files sit next to it. It exports what a real wrapper's own functions would:
// constructors that put fixture values and funcs into the handle table (so C has IDs to pass to
// the shims), accessors to check them, and a bare no-op for the benchmark's baseline.
package main

/*
#include <stdint.h>
*/
import "C"

import (
	"strings"

	"example.com/bridgefixture"
)

func main() {}

func acquire(v any) C.uint64_t {
	return C.uint64_t(mochiAcquireHandle(v))
}

//export fixture_noop
func fixture_noop() {}

//export fixture_thing_new
func fixture_thing_new(n C.int64_t) C.uint64_t {
	return acquire(bridgefixture.NewThing(int64(n)))
}

// fixture_thing_n returns the N of the *Thing behind id, or -1 when id is not one.
//
//export fixture_thing_n
func fixture_thing_n(id C.uint64_t) C.int64_t {
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return -1
	}
	t, ok := v.(*bridgefixture.Thing)
	if !ok || t == nil {
		return -1
	}
	return C.int64_t(t.N)
}

// fixture_error_text returns 1 when id is an error whose text is not empty (used to check an
// error result that crossed as a handle).
//
//export fixture_is_error
func fixture_is_error(id C.uint64_t) C.int {
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return 0
	}
	if e, ok := v.(error); ok && e.Error() != "" {
		return 1
	}
	return 0
}

//export fixture_ints3
func fixture_ints3(a, b, c C.int64_t) C.uint64_t {
	return acquire([]int64{int64(a), int64(b), int64(c)})
}

//export fixture_make_adder
func fixture_make_adder(n C.int64_t) C.uint64_t {
	return acquire(bridgefixture.MakeAdder(int64(n)))
}

//export fixture_make_ticker
func fixture_make_ticker() C.uint64_t {
	return acquire(bridgefixture.MakeTicker())
}

//export fixture_ticks
func fixture_ticks() C.int64_t {
	return C.int64_t(bridgefixture.Ticks.Load())
}

//export fixture_make_describer
func fixture_make_describer() C.uint64_t {
	return acquire(bridgefixture.MakeDescriber())
}

//export fixture_make_summer
func fixture_make_summer() C.uint64_t {
	return acquire(bridgefixture.MakeSummer())
}

//export fixture_make_doubler
func fixture_make_doubler() C.uint64_t {
	return acquire(bridgefixture.MakeDoubler())
}

//export fixture_make_panicker
func fixture_make_panicker() C.uint64_t {
	return acquire(bridgefixture.MakePanicker())
}

// negative_go_string returns a Go string to C, which the C boundary contract forbids: under the
// default cgocheck the process aborts (SPEC defect 3). The gate runs it from
// c/negative.c and requires that abort, proving its drivers would see such a shim fail.
//
//export negative_go_string
func negative_go_string(n C.int) string {
	return strings.Repeat("x", int(n))
}
