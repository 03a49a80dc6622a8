// @prefix@_goSlice copies n elements of C memory at p into a new Go slice (nil when n is 0).
func @prefix@_goSlice[E any](p unsafe.Pointer, n C.size_t) ([]E, C.mochi_status) {
	if n == 0 {
		return nil, C.MOCHI_OK
	}
	if p == nil || int(n) < 0 {
		return nil, C.MOCHI_BAD_ARG
	}
	s := make([]E, int(n))
	copy(s, unsafe.Slice((*E)(p), int(n)))
	return s, C.MOCHI_OK
}

// @prefix@_cSlice copies s into malloc'd C memory (NULL when empty); free it with
// @prefix@_free.
func @prefix@_cSlice[E any](s []E) (unsafe.Pointer, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	var e E
	p := C.malloc(C.size_t(len(s)) * C.size_t(unsafe.Sizeof(e)))
	copy(unsafe.Slice((*E)(p), len(s)), s)
	return p, C.size_t(len(s))
}

// @prefix@_goStrings copies n C strings (mochi_bytes) into a Go []string.
func @prefix@_goStrings(p *C.mochi_bytes, n C.size_t) ([]string, C.mochi_status) {
	if n == 0 {
		return nil, C.MOCHI_OK
	}
	if p == nil || int(n) < 0 {
		return nil, C.MOCHI_BAD_ARG
	}
	in := unsafe.Slice(p, int(n))
	out := make([]string, len(in))
	for i, b := range in {
		s, st := @prefix@_goString(b.data, b.len)
		if st != C.MOCHI_OK {
			return nil, st
		}
		out[i] = s
	}
	return out, C.MOCHI_OK
}

// @prefix@_cStrings copies s into a malloc'd array of malloc'd C strings; free each data,
// then the array, with @prefix@_free.
func @prefix@_cStrings(s []string) (*C.mochi_bytes, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	var b C.mochi_bytes
	p := (*C.mochi_bytes)(C.malloc(C.size_t(len(s)) * C.size_t(unsafe.Sizeof(b))))
	out := unsafe.Slice(p, len(s))
	for i, x := range s {
		out[i] = C.mochi_bytes{data: @prefix@_cString(x), len: C.size_t(len(x))}
	}
	return p, C.size_t(len(s))
}

// @prefix@_forward copies a receive-only channel into a channel the bridge can hold, and
// closes it when from is closed. It stops when the host frees the bridge channel.
func @prefix@_forward[E any](from <-chan E, to chan E) {
	defer func() { _ = recover() }()
	for v := range from {
		to <- v
	}
	close(to)
}

// @prefix@_forwardTo copies what the host sends on a bridge channel into a send-only
// channel, and closes it when the host closes the bridge channel.
func @prefix@_forwardTo[E any](from chan E, to chan<- E) {
	defer func() { _ = recover() }()
	for v := range from {
		to <- v
	}
	close(to)
}

// @prefix@_handlesOK checks the statuses of a wrapper's new result handles: on the first
// failure every acquired ID is released and that status returned.
func @prefix@_handlesOK(sts []C.mochi_status, ids []C.uint64_t) C.mochi_status {
	for _, st := range sts {
		if st != C.MOCHI_OK {
			for _, id := range ids {
				if id != 0 {
					mochiReleaseHandle(uint64(id))
				}
			}
			return st
		}
	}
	return C.MOCHI_OK
}

// @prefix@_bothHandle puts a channel behind a bridge channel handle (0 for nil); wrap
// builds the channel shim's value.
func @prefix@_bothHandle[E any](ch chan E, wrap func(chan E) any) (C.uint64_t, C.mochi_status) {
	if ch == nil {
		return 0, C.MOCHI_OK
	}
	id := mochiAcquireHandle(wrap(ch))
	if id == 0 {
		return 0, C.MOCHI_EXHAUSTED
	}
	return C.uint64_t(id), C.MOCHI_OK
}

// @prefix@_recvHandle gives a receive-only channel a bridge channel handle: a goroutine
// copies it into the bridge channel (started only when the handle was acquired).
func @prefix@_recvHandle[E any](from <-chan E, wrap func(chan E) any) (C.uint64_t, C.mochi_status) {
	if from == nil {
		return 0, C.MOCHI_OK
	}
	ch := make(chan E, cap(from))
	id, st := @prefix@_bothHandle(ch, wrap)
	if st == C.MOCHI_OK {
		go @prefix@_forward(from, ch)
	}
	return id, st
}

// @prefix@_sendHandle gives a send-only channel a bridge channel handle: a goroutine
// copies what the host sends into it.
func @prefix@_sendHandle[E any](to chan<- E, wrap func(chan E) any) (C.uint64_t, C.mochi_status) {
	if to == nil {
		return 0, C.MOCHI_OK
	}
	ch := make(chan E, cap(to))
	id, st := @prefix@_bothHandle(ch, wrap)
	if st == C.MOCHI_OK {
		go @prefix@_forwardTo(ch, to)
	}
	return id, st
}

// @prefix@_isNil reports whether the value behind a handle is a nil pointer, map, slice,
// func, chan or interface (ID 0 is nil).
//
//export @prefix@_is_nil
func @prefix@_is_nil(id C.uint64_t, out *C.bool) C.mochi_status {
	if out == nil {
		return C.MOCHI_BAD_ARG
	}
	if id == 0 {
		*out = true
		return C.MOCHI_OK
	}
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		*out = C.bool(rv.IsNil())
	default:
		*out = false
	}
	return C.MOCHI_OK
}

// @prefix@_storeHandle puts x back under the live id in place of its value, after a
// pointer-receiver method of a type held by value ran on a copy (ID 0, the zero value, has
// nowhere to keep it; a released ID reports MOCHI_UNKNOWN_HANDLE). It works on the handle
// table of mochi_rt.go (whose three helpers have no replace): the slot's entry is swapped for
// one of the same generation, lock-free; a release that wins the race drops x with the slot.
func @prefix@_storeHandle[T any](id C.uint64_t, x T) C.mochi_status {
	if id == 0 {
		return C.MOCHI_OK
	}
	idx := uint32(id) - 1
	dir := mochiHandles.chunks.Load()
	if dir == nil || uint64(idx/mochiChunkSize) >= uint64(len(*dir)) {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	slot := &(*dir)[idx/mochiChunkSize][idx%mochiChunkSize]
	for {
		e := slot.Load()
		if e == nil || e.gen != uint32(uint64(id)>>32) {
			return C.MOCHI_UNKNOWN_HANDLE
		}
		if slot.CompareAndSwap(e, &mochiEntry{gen: e.gen, val: x}) {
			return C.MOCHI_OK
		}
	}
}

// @prefix@_dup gives the value behind id a second, independent ID (the same Go value).
//
//export @prefix@_dup
func @prefix@_dup(id C.uint64_t, out *C.uint64_t) C.mochi_status {
	if out == nil {
		return C.MOCHI_BAD_ARG
	}
	if id == 0 {
		*out = 0
		return C.MOCHI_OK
	}
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	n := mochiAcquireHandle(v)
	if n == 0 {
		return C.MOCHI_EXHAUSTED
	}
	*out = C.uint64_t(n)
	return C.MOCHI_OK
}
