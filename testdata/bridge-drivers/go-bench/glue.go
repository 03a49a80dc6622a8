//go:build mochi_wrap

// Glue of the goroutine-bridge benchmark's c-archive: a bare exported no-op (the baseline) and
// a constructor for the callback the benchmark calls.
package main

/*
#include <stdint.h>
*/
import "C"

func main() {}

//export bench_noop
func bench_noop() {}

//export bench_make_adder
func bench_make_adder(n C.int64_t) C.uint64_t {
	k := int64(n)
	return C.uint64_t(mochiAcquireHandle(func(x int64) int64 { return x + k }))
}

// benchRaw is a package-level chan int64 without any handle table or status: the floor a
// send+recv pair through cgo can reach with a Go channel.
var benchRaw = make(chan int64, 1)

//export bench_raw_send
func bench_raw_send(v C.int64_t) {
	benchRaw <- int64(v)
}

//export bench_raw_recv
func bench_raw_recv() C.int64_t {
	return C.int64_t(<-benchRaw)
}
