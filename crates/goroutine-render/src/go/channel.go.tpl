// mochi_@M@_@B@_chan is a chan @TC@ behind a handle ID.
type mochi_@M@_@B@_chan struct {
	mochi_@M@_chanCore
	ch @CT@
}

// mochi_@M@_@B@_chanOf resolves a channel ID of this kind.
func mochi_@M@_@B@_chanOf(id C.uint64_t) (*mochi_@M@_@B@_chan, C.mochi_status) {
	v, ok := mochiResolveHandle(uint64(id))
	if !ok {
		return nil, C.MOCHI_UNKNOWN_HANDLE
	}
	c, ok := v.(*mochi_@M@_@B@_chan)
	if !ok {
		return nil, C.MOCHI_WRONG_KIND
	}
	return c, C.MOCHI_OK
}

// mochi_@M@_@B@_chan_new makes a channel and returns its ID in *out; a negative buffer means
// the default, @BUF@, and 0 an unbuffered channel.
//
//export mochi_@M@_@B@_chan_new
func mochi_@M@_@B@_chan_new(buffer C.int64_t, out *C.uint64_t) (st C.mochi_status) {
	defer mochi_@M@_guard(&st, nil)
	if out == nil || buffer > mochi_@M@_maxBuffer {
		return C.MOCHI_BAD_ARG
	}
	n := int(buffer)
	if n < 0 {
		n = @BUF@
	}
	id := mochiAcquireHandle(&mochi_@M@_@B@_chan{ch: make(@CT@, n)})
	if id == 0 {
		return C.MOCHI_EXHAUSTED
	}
	*out = C.uint64_t(id)
	return C.MOCHI_OK
}

// mochi_@M@_@B@_chan_send sends, waiting while the buffer is full. A send on a closed channel
// (also one that races a close) panics inside Go; the guard turns that into MOCHI_CLOSED.
//
//export mochi_@M@_@B@_chan_send
func mochi_@M@_@B@_chan_send(id C.uint64_t, @IN_PARAMS@) (st C.mochi_status) {
	@IN_CHECK@
	c, st := mochi_@M@_@B@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	defer c.guard(&st)
	@IN_CONV@
	c.ch <- x
	return C.MOCHI_OK
}

// mochi_@M@_@B@_chan_try_send sends if the buffer has room (MOCHI_FULL otherwise).
//
//export mochi_@M@_@B@_chan_try_send
func mochi_@M@_@B@_chan_try_send(id C.uint64_t, @IN_PARAMS@) (st C.mochi_status) {
	@IN_CHECK@
	c, st := mochi_@M@_@B@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	defer c.guard(&st)
	@IN_CONV@
	select {
	case c.ch <- x:
		return C.MOCHI_OK
	default:
		return C.MOCHI_FULL
	}
}

// mochi_@M@_@B@_chan_recv receives, waiting while the buffer is empty. A closed channel still
// delivers what it buffered; once drained it reports MOCHI_CLOSED and its ID is released.
// Nothing here can panic, so it needs no guard.
//
//export mochi_@M@_@B@_chan_recv
func mochi_@M@_@B@_chan_recv(id C.uint64_t, @OUT_PARAMS@) (st C.mochi_status) {
	if @OUT_NIL@ {
		return C.MOCHI_BAD_ARG
	}
	c, st := mochi_@M@_@B@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	x, ok := <-c.ch
	if !ok {
		mochiReleaseHandle(uint64(id))
		return C.MOCHI_CLOSED
	}
	@OUT_STORE@
	return C.MOCHI_OK
}

// mochi_@M@_@B@_chan_try_recv receives if a value is buffered (MOCHI_EMPTY otherwise).
//
//export mochi_@M@_@B@_chan_try_recv
func mochi_@M@_@B@_chan_try_recv(id C.uint64_t, @OUT_PARAMS@) (st C.mochi_status) {
	if @OUT_NIL@ {
		return C.MOCHI_BAD_ARG
	}
	c, st := mochi_@M@_@B@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	select {
	case x, ok := <-c.ch:
		if !ok {
			mochiReleaseHandle(uint64(id))
			return C.MOCHI_CLOSED
		}
		@OUT_STORE@
		return C.MOCHI_OK
	default:
		return C.MOCHI_EMPTY
	}
}

// mochi_@M@_@B@_chan_close closes the channel; buffered values can still be received.
//
//export mochi_@M@_@B@_chan_close
func mochi_@M@_@B@_chan_close(id C.uint64_t) (st C.mochi_status) {
	c, st := mochi_@M@_@B@_chanOf(id)
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

// mochi_@M@_@B@_chan_free closes the channel if it is open and releases its ID; buffered
// values are dropped.
//
//export mochi_@M@_@B@_chan_free
func mochi_@M@_@B@_chan_free(id C.uint64_t) C.mochi_status {
	c, st := mochi_@M@_@B@_chanOf(id)
	if st != C.MOCHI_OK {
		return st
	}
	return c.freeID(id)
}

// freeID closes the channel if it is open and releases id (mochi_@M@_@B@_chan_free, and
// mochi_@M@_release on a channel ID). Only the first free of the channel reports MOCHI_OK. A
// receiver that finds the channel closed and drained releases id too and may win that race;
// the ID was live when this free began, so the free still succeeded.
func (c *mochi_@M@_@B@_chan) freeID(id C.uint64_t) C.mochi_status {
	if !c.freed.CompareAndSwap(false, true) {
		return C.MOCHI_UNKNOWN_HANDLE
	}
	if c.closed.CompareAndSwap(false, true) {
		close(c.ch)
	}
	mochiReleaseHandle(uint64(id))
	return C.MOCHI_OK
}

func (c *mochi_@M@_@B@_chan) selectCase(op C.int32_t, p @UNSAFE@.Pointer) (@REFLECT@.SelectCase, C.mochi_status) {
	switch op {
	case C.MOCHI_SELECT_SEND:
		if c.closed.Load() {
			return @REFLECT@.SelectCase{}, C.MOCHI_CLOSED
		}
		@SEL_READ@
		return @REFLECT@.SelectCase{Dir: @REFLECT@.SelectSend, Chan: @REFLECT@.ValueOf(c.ch), Send: @REFLECT@.ValueOf(&x).Elem()}, C.MOCHI_OK
	case C.MOCHI_SELECT_RECV:
		return @REFLECT@.SelectCase{Dir: @REFLECT@.SelectRecv, Chan: @REFLECT@.ValueOf(c.ch)}, C.MOCHI_OK
	}
	return @REFLECT@.SelectCase{}, C.MOCHI_BAD_ARG
}

func (c *mochi_@M@_@B@_chan) selectStore(v @REFLECT@.Value, p @UNSAFE@.Pointer) C.mochi_status {
	var x @T@
	@REFLECT@.ValueOf(&x).Elem().Set(v)
	@SEL_STORE@
	return C.MOCHI_OK
}
