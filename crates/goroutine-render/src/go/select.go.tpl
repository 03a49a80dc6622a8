// @prefix@_maxBuffer is the largest buffer a channel of module @module@ is created with.
const @prefix@_maxBuffer = 1 << 20

// @prefix@_maxSelectCases is the most cases one @prefix@_select call takes, in both forms:
// reflect.Select takes at most 65536 cases and the non-blocking form adds a default case.
const @prefix@_maxSelectCases = 1<<16 - 1

// @prefix@_chanCore is the state every channel of module @module@ has.
type @prefix@_chanCore struct {
	closed @atomic_pkg@.Bool
	freed  @atomic_pkg@.Bool
}

func (c *@prefix@_chanCore) isClosed() bool {
	return c.closed.Load()
}

// guard, deferred, turns a panic into MOCHI_CLOSED when the channel is closed (a send that
// raced a close) and into MOCHI_PANIC otherwise (an internal failure: channel shims run no user
// code and have no message slot).
func (c *@prefix@_chanCore) guard(st *C.mochi_status) {
	if r := recover(); r != nil {
		if c.closed.Load() {
			*st = C.MOCHI_CLOSED
			return
		}
		*st = C.MOCHI_PANIC
	}
}

// @prefix@_selectable is a channel of module @module@ that @prefix@_select can wait on.
type @prefix@_selectable interface {
	isClosed() bool
	selectCase(op C.int32_t, p @unsafe_pkg@.Pointer) (@reflect_pkg@.SelectCase, C.mochi_status)
	selectStore(v @reflect_pkg@.Value, p @unsafe_pkg@.Pointer) C.mochi_status
}

// @prefix@_select waits until one of n cases (channels of module @module@) proceeds, or returns
// MOCHI_WOULD_BLOCK at once when nonblocking is set and none can. *chosen is the index of the
// case the status is about (-1 when none).
//
//export @prefix@_select
func @prefix@_select(cases *C.mochi_select_case, n C.int32_t, nonblocking C.bool, chosen *C.int32_t) (st C.mochi_status) {
	if chosen == nil || n < 0 || n > @prefix@_maxSelectCases || (n > 0 && cases == nil) || (n == 0 && !bool(nonblocking)) {
		return C.MOCHI_BAD_ARG
	}
	*chosen = -1
	cs := @unsafe_pkg@.Slice(cases, int(n))
	chans := make([]@prefix@_selectable, len(cs))
	defer func() {
		if r := recover(); r != nil {
			for i, c := range chans {
				if c != nil && cs[i].op == C.MOCHI_SELECT_SEND && c.isClosed() {
					*chosen = C.int32_t(i)
					st = C.MOCHI_CLOSED
					return
				}
			}
			st = C.MOCHI_PANIC
		}
	}()
	// Arguments first: every case's op and value pointer, then the IDs.
	for i := range cs {
		if cs[i].value == nil || (cs[i].op != C.MOCHI_SELECT_SEND && cs[i].op != C.MOCHI_SELECT_RECV) {
			*chosen = C.int32_t(i)
			return C.MOCHI_BAD_ARG
		}
	}
	sel := make([]@reflect_pkg@.SelectCase, len(cs), len(cs)+1)
	for i := range cs {
		*chosen = C.int32_t(i)
		v, ok := mochiResolveHandle(uint64(cs[i].id))
		if !ok {
			return C.MOCHI_UNKNOWN_HANDLE
		}
		c, ok := v.(@prefix@_selectable)
		if !ok {
			return C.MOCHI_WRONG_KIND
		}
		chans[i] = c
		if sel[i], st = c.selectCase(cs[i].op, cs[i].value); st != C.MOCHI_OK {
			return st
		}
	}
	*chosen = -1
	if bool(nonblocking) {
		sel = append(sel, @reflect_pkg@.SelectCase{Dir: @reflect_pkg@.SelectDefault})
	}
	i, v, ok := @reflect_pkg@.Select(sel)
	if i == len(cs) {
		return C.MOCHI_WOULD_BLOCK
	}
	*chosen = C.int32_t(i)
	if cs[i].op == C.MOCHI_SELECT_SEND {
		return C.MOCHI_OK
	}
	if !ok {
		mochiReleaseHandle(uint64(cs[i].id))
		return C.MOCHI_CLOSED
	}
	return chans[i].selectStore(v, cs[i].value)
}
