impl ChanElem for @R@ {
    type Arg<'a> = @R@;

    fn raw_new(buffer: i64, out: &mut u64) -> MochiStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { mochi_@M@_@B@_chan_new(buffer, out) }
    }

    fn raw_send(id: u64, v: @R@, try_: bool) -> MochiStatus {
        if try_ {
            mochi_@M@_@B@_chan_try_send(id, v)
        } else {
            mochi_@M@_@B@_chan_send(id, v)
        }
    }

    fn raw_recv(id: u64, out: &mut Option<@R@>, try_: bool) -> MochiStatus {
        let mut v: @R@ = @ZERO@;
        // SAFETY: `v` is a live, writable local of the element's C type.
        let st = unsafe {
            if try_ {
                mochi_@M@_@B@_chan_try_recv(id, &mut v)
            } else {
                mochi_@M@_@B@_chan_recv(id, &mut v)
            }
        };
        if st == OK {
            *out = Some(v);
        }
        st
    }

    fn raw_close(id: u64) -> MochiStatus {
        mochi_@M@_@B@_chan_close(id)
    }

    fn raw_free(id: u64) -> MochiStatus {
        mochi_@M@_@B@_chan_free(id)
    }

    fn sel_put(v: @R@, slot: &mut SelSlot) {
        slot.put(v);
    }

    fn sel_take(slot: &SelSlot) -> @R@ {
        slot.get()
    }
}
