// mochi_@M@_panicMsg holds the message of the last panic recovered in a shim of module @M@.
var mochi_@M@_panicMsg @ATOMIC@.Pointer[string]

// mochi_@M@_recovered records a recovered panic's message and returns MOCHI_PANIC.
func mochi_@M@_recovered(r any) C.mochi_status {
	msg := @FMT@.Sprint(r)
	mochi_@M@_panicMsg.Store(&msg)
	return C.MOCHI_PANIC
}

// mochi_@M@_guard, deferred, turns a panic in the shim into MOCHI_PANIC.
func mochi_@M@_guard(st *C.mochi_status) {
	if r := recover(); r != nil {
		*st = mochi_@M@_recovered(r)
	}
}

// mochi_@M@_goString copies n bytes at p into a Go string.
func mochi_@M@_goString(p *C.char, n C.size_t) (string, C.mochi_status) {
	if n == 0 {
		return "", C.MOCHI_OK
	}
	if p == nil || int(n) < 0 {
		return "", C.MOCHI_BAD_ARG
	}
	return string(@UNSAFE@.Slice((*byte)(@UNSAFE@.Pointer(p)), int(n))), C.MOCHI_OK
}

// mochi_@M@_cString copies s into NUL-terminated C memory; free it with mochi_@M@_free.
func mochi_@M@_cString(s string) *C.char {
	p := C.malloc(C.size_t(len(s)) + 1)
	b := @UNSAFE@.Slice((*byte)(p), len(s)+1)
	copy(b, s)
	b[len(s)] = 0
	return (*C.char)(p)
}

// mochi_@M@_fromHandle resolves a value ID to a T; ID 0 is T's zero value.
func mochi_@M@_fromHandle[T any](id C.uint64_t) (T, C.mochi_status) {
	var zero T
	if id == 0 {
		return zero, C.MOCHI_OK
	}
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return zero, C.MOCHI_UNKNOWN_HANDLE
	}
	x, ok := v.(T)
	if !ok {
		return zero, C.MOCHI_WRONG_KIND
	}
	return x, C.MOCHI_OK
}

// mochi_@M@_toHandle stores x and returns its new ID; a nil interface value is ID 0.
func mochi_@M@_toHandle[T any](x T) (C.uint64_t, C.mochi_status) {
	if any(x) == nil {
		return 0, C.MOCHI_OK
	}
	id := mochiAcquireHandle(x)
	if id == 0 {
		return 0, C.MOCHI_EXHAUSTED
	}
	return C.uint64_t(id), C.MOCHI_OK
}

// mochi_@M@_free frees memory returned by a shim of module @M@ (string bytes, panic messages).
//
//export mochi_@M@_free
func mochi_@M@_free(p @UNSAFE@.Pointer) {
	C.free(p)
}

// mochi_@M@_release releases a value ID returned by a shim of module @M@.
//
//export mochi_@M@_release
func mochi_@M@_release(id C.uint64_t) C.mochi_status {
	if !mochiReleaseHandle(uint64(id)) {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	return C.MOCHI_OK
}

// mochi_@M@_live reports how many handles of this package are live.
//
//export mochi_@M@_live
func mochi_@M@_live() C.int64_t {
	return C.int64_t(mochiHandles.live.Load())
}

// mochi_@M@_panic_message takes the message of the last recovered panic (MOCHI_EMPTY when there
// is none); free *out with mochi_@M@_free.
//
//export mochi_@M@_panic_message
func mochi_@M@_panic_message(out **C.char, outLen *C.size_t) C.mochi_status {
	if out == nil || outLen == nil {
		return C.MOCHI_BAD_ARG
	}
	msg := mochi_@M@_panicMsg.Swap(nil)
	if msg == nil {
		return C.MOCHI_EMPTY
	}
	*out = mochi_@M@_cString(*msg)
	*outLen = C.size_t(len(*msg))
	return C.MOCHI_OK
}
