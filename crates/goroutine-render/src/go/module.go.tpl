// @prefix@_setMsg writes a C copy of text to *msg (NUL-terminated, freed by the caller with
// @prefix@_free); a NULL msg means the caller wants no text.
func @prefix@_setMsg(msg *C.mochi_bytes, text string) {
	if msg != nil {
		msg.data = @prefix@_cString(text)
		msg.len = C.size_t(len(text))
	}
}

// @prefix@_guard, deferred first in a shim with a message slot (nil for one without), turns a
// panic into MOCHI_PANIC and writes the panic's text to *msg. On any other status it sets *msg
// to {NULL, 0}, except MOCHI_GO_ERROR, whose text the shim wrote with @prefix@_errorStatus.
func @prefix@_guard(st *C.mochi_status, msg *C.mochi_bytes) {
	if r := recover(); r != nil {
		*st = C.MOCHI_PANIC
		@prefix@_setMsg(msg, @prefix@_panicText(r))
		return
	}
	if msg != nil && *st != C.MOCHI_GO_ERROR {
		*msg = C.mochi_bytes{}
	}
}

// @prefix@_panicText is the text of a recovered panic value (a value whose String or Error
// method panics in turn gets a fixed text instead of crashing the process).
func @prefix@_panicText(r any) (text string) {
	defer func() {
		if recover() != nil {
			text = "panic with a value whose message panicked"
		}
	}()
	return @fmt_pkg@.Sprint(r)
}

// @prefix@_errorStatus reports a non-nil error a Go function returned: its Error() text goes
// to *msg and the status is MOCHI_GO_ERROR.
func @prefix@_errorStatus(err error, msg *C.mochi_bytes) C.mochi_status {
	@prefix@_setMsg(msg, err.Error())
	return C.MOCHI_GO_ERROR
}

// @prefix@_goString copies n bytes at p into a Go string.
func @prefix@_goString(p *C.char, n C.size_t) (string, C.mochi_status) {
	if n == 0 {
		return "", C.MOCHI_OK
	}
	if p == nil || int(n) < 0 {
		return "", C.MOCHI_BAD_ARG
	}
	return string(@unsafe_pkg@.Slice((*byte)(@unsafe_pkg@.Pointer(p)), int(n))), C.MOCHI_OK
}

// @prefix@_cString copies s into NUL-terminated C memory; free it with @prefix@_free.
func @prefix@_cString(s string) *C.char {
	p := C.malloc(C.size_t(len(s)) + 1)
	b := @unsafe_pkg@.Slice((*byte)(p), len(s)+1)
	copy(b, s)
	b[len(s)] = 0
	return (*C.char)(p)
}

// @prefix@_fromHandle resolves a value ID to a T; ID 0 is T's zero value.
func @prefix@_fromHandle[T any](id C.uint64_t) (T, C.mochi_status) {
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

// @prefix@_toHandle stores x and returns its new ID; a nil interface value is ID 0.
func @prefix@_toHandle[T any](x T) (C.uint64_t, C.mochi_status) {
	if any(x) == nil {
		return 0, C.MOCHI_OK
	}
	id := mochiAcquireHandle(x)
	if id == 0 {
		return 0, C.MOCHI_EXHAUSTED
	}
	return C.uint64_t(id), C.MOCHI_OK
}

// @prefix@_free frees memory returned by a shim of module @module@ (string bytes, messages).
//
//export @prefix@_free
func @prefix@_free(p @unsafe_pkg@.Pointer) {
	C.free(p)
}

// @prefix@_freer is a channel of this package: releasing its ID frees it.
type @prefix@_freer interface {
	freeID(id C.uint64_t) C.mochi_status
}

// @prefix@_release releases an ID returned by a shim of module @module@. A channel ID is freed as
// by its chan_free (closed, so parked receivers wake with MOCHI_CLOSED, then released).
//
//export @prefix@_release
func @prefix@_release(id C.uint64_t) C.mochi_status {
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	if c, ok := v.(@prefix@_freer); ok {
		return c.freeID(id)
	}
	if !mochiReleaseHandle(uint64(id)) {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	return C.MOCHI_OK
}

// @prefix@_live reports how many handles of this package are live.
//
//export @prefix@_live
func @prefix@_live() C.int64_t {
	return C.int64_t(mochiHandles.live.Load())
}
