impl ChanElem for @R@ {
    type Arg<'a> = @R@;

    fn raw_new(buffer: i64, out: &mut u64) -> MochiStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { @CM@::new(buffer, out) }
    }

    fn raw_send(id: u64, v: @R@, try_: bool) -> MochiStatus {
        if try_ {
            @CM@::try_send(id, v)
        } else {
            @CM@::send(id, v)
        }
    }

    fn raw_recv(id: u64, out: &mut Option<@R@>, try_: bool) -> MochiStatus {
        let mut v: @R@ = @ZERO@;
        // SAFETY: `v` is a live, writable local of the element's C type.
        let st = unsafe {
            if try_ {
                @CM@::try_recv(id, &mut v)
            } else {
                @CM@::recv(id, &mut v)
            }
        };
        if st == OK {
            *out = Some(v);
        }
        st
    }

    fn raw_close(id: u64) -> MochiStatus {
        @CM@::close(id)
    }

    fn raw_free(id: u64) -> MochiStatus {
        @CM@::free(id)
    }

    fn sel_put(v: @R@, slot: &mut SelSlot) {
        slot.put(v);
    }

    fn sel_take(slot: &SelSlot) -> @R@ {
        slot.get()
    }
}
