// @prefix@_@base@_chan is a chan @elem_comment@ behind a handle ID.
type @prefix@_@base@_chan struct {
	@prefix@_chanCore
	ch @chan_type@
}

// @prefix@_@base@_chanOf resolves a channel ID of this kind.
func @prefix@_@base@_chanOf(id C.uint64_t) (*@prefix@_@base@_chan, C.mochi_status) {
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return nil, C.MOCHI_UNKNOWN_HANDLE
	}
	c, ok := v.(*@prefix@_@base@_chan)
	if !ok {
		return nil, C.MOCHI_WRONG_KIND
	}
	return c, C.MOCHI_OK
}

// @prefix@_@base@_chan_new makes a channel and returns its ID in *out; a negative buffer means
// the default, @default_buffer@, and 0 an unbuffered channel.
//
//export @prefix@_@base@_chan_new
func @prefix@_@base@_chan_new(buffer C.int64_t, out *C.uint64_t) (st C.mochi_status) {
	defer @prefix@_guard(&st, nil)
	if out == nil || buffer > @prefix@_maxBuffer {
		return C.MOCHI_BAD_ARG
	}
	n := int(buffer)
	if n < 0 {
		n = @default_buffer@
	}
	id := mochiAcquireHandle(&@prefix@_@base@_chan{ch: make(@chan_type@, n)})
	if id == 0 {
		return C.MOCHI_EXHAUSTED
	}
	*out = C.uint64_t(id)
	return C.MOCHI_OK
}

// @prefix@_@base@_chan_send sends, waiting while the buffer is full. A send on a closed channel
// (also one that races a close) panics inside Go; the guard turns that into MOCHI_CLOSED.
//
//export @prefix@_@base@_chan_send
func @prefix@_@base@_chan_send(id C.uint64_t, @in_params@) (st C.mochi_status) {
	@in_check@
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	defer c.guard(&st)
	@in_convert@
	c.ch <- x
	return C.MOCHI_OK
}

// @prefix@_@base@_chan_try_send sends if the buffer has room (MOCHI_FULL otherwise).
//
//export @prefix@_@base@_chan_try_send
func @prefix@_@base@_chan_try_send(id C.uint64_t, @in_params@) (st C.mochi_status) {
	@in_check@
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	defer c.guard(&st)
	@in_convert@
	select {
	case c.ch <- x:
		return C.MOCHI_OK
	default:
		return C.MOCHI_FULL
	}
}

// @prefix@_@base@_chan_recv receives, waiting while the buffer is empty. A closed channel still
// delivers what it buffered; once drained it reports MOCHI_CLOSED and its ID is released.
// Nothing here can panic, so it needs no guard.
//
//export @prefix@_@base@_chan_recv
func @prefix@_@base@_chan_recv(id C.uint64_t, @out_params@) (st C.mochi_status) {
	if @out_nil_check@ {
		return C.MOCHI_BAD_ARG
	}
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	x, ok := <-c.ch
	if !ok {
		mochiReleaseHandle(uint64(id))
		return C.MOCHI_CLOSED
	}
	@out_store@
	return C.MOCHI_OK
}

// @prefix@_@base@_chan_try_recv receives if a value is buffered (MOCHI_EMPTY otherwise).
//
//export @prefix@_@base@_chan_try_recv
func @prefix@_@base@_chan_try_recv(id C.uint64_t, @out_params@) (st C.mochi_status) {
	if @out_nil_check@ {
		return C.MOCHI_BAD_ARG
	}
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	select {
	case x, ok := <-c.ch:
		if !ok {
			mochiReleaseHandle(uint64(id))
			return C.MOCHI_CLOSED
		}
		@out_store@
		return C.MOCHI_OK
	default:
		return C.MOCHI_EMPTY
	}
}

// @prefix@_@base@_chan_close closes the channel; buffered values can still be received.
//
//export @prefix@_@base@_chan_close
func @prefix@_@base@_chan_close(id C.uint64_t) (st C.mochi_status) {
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	defer c.guard(&st)
	if !c.closed.CompareAndSwap(false, true) {
		return C.MOCHI_CLOSED
	}
	close(c.ch)
	return C.MOCHI_OK
}

// @prefix@_@base@_chan_free closes the channel if it is open and releases its ID; buffered
// values are dropped.
//
//export @prefix@_@base@_chan_free
func @prefix@_@base@_chan_free(id C.uint64_t) C.mochi_status {
	c, st := @prefix@_@base@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	return c.freeID(id)
}

// freeID closes the channel if it is open and releases id (@prefix@_@base@_chan_free, and
// @prefix@_release on a channel ID). Only the first free of the channel reports MOCHI_OK. A
// receiver that finds the channel closed and drained releases id too and may win that race;
// the ID was live when this free began, so the free still succeeded.
func (c *@prefix@_@base@_chan) freeID(id C.uint64_t) C.mochi_status {
	if !c.freed.CompareAndSwap(false, true) {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	if c.closed.CompareAndSwap(false, true) {
		close(c.ch)
	}
	mochiReleaseHandle(uint64(id))
	return C.MOCHI_OK
}

func (c *@prefix@_@base@_chan) selectCase(op C.int32_t, p @unsafe_pkg@.Pointer) (@reflect_pkg@.SelectCase, C.mochi_status) {
	switch op {
	case C.MOCHI_SELECT_SEND:
		if c.closed.Load() {
			return @reflect_pkg@.SelectCase{}, C.MOCHI_CLOSED
		}
		@select_read@
		return @reflect_pkg@.SelectCase{Dir: @reflect_pkg@.SelectSend, Chan: @reflect_pkg@.ValueOf(c.ch), Send: @reflect_pkg@.ValueOf(&x).Elem()}, C.MOCHI_OK
	case C.MOCHI_SELECT_RECV:
		return @reflect_pkg@.SelectCase{Dir: @reflect_pkg@.SelectRecv, Chan: @reflect_pkg@.ValueOf(c.ch)}, C.MOCHI_OK
	}
	return @reflect_pkg@.SelectCase{}, C.MOCHI_BAD_ARG
}

func (c *@prefix@_@base@_chan) selectStore(v @reflect_pkg@.Value, p @unsafe_pkg@.Pointer) C.mochi_status {
	var x @elem_type@
	@reflect_pkg@.ValueOf(&x).Elem().Set(v)
	@select_store@
	return C.MOCHI_OK
}
