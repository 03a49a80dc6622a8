impl ChanElem for @rust_elem_type@ {
    type Arg<'a> = @rust_elem_type@;

    fn raw_new(buffer: i64, out: &mut u64) -> RawStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { @chan_mod@::new(buffer, out) }
    }

    fn raw_send(id: u64, v: @rust_elem_type@, try_: bool) -> RawStatus {
        if try_ {
            @chan_mod@::try_send(id, v)
        } else {
            @chan_mod@::send(id, v)
        }
    }

    fn raw_recv(id: u64, out: &mut Option<@rust_elem_type@>, try_: bool) -> RawStatus {
        let mut v: @rust_elem_type@ = @rust_zero_value@;
        // SAFETY: `v` is a live, writable local of the element's C type.
        let st = unsafe {
            if try_ {
                @chan_mod@::try_recv(id, &mut v)
            } else {
                @chan_mod@::recv(id, &mut v)
            }
        };
        if st == OK {
            *out = Some(v);
        }
        st
    }

    fn raw_close(id: u64) -> RawStatus {
        @chan_mod@::close(id)
    }

    fn raw_free(id: u64) -> RawStatus {
        @chan_mod@::free(id)
    }

    fn sel_put(v: @rust_elem_type@, slot: &mut SelSlot) {
        slot.put(v);
    }

    fn sel_take(slot: &SelSlot) -> @rust_elem_type@ {
        slot.get()
    }
}
