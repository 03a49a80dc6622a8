impl ChanElem for String {
    type Arg<'a> = &'a str;

    fn raw_new(buffer: i64, out: &mut u64) -> RawStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { @chan_mod@::new(buffer, out) }
    }

    fn raw_send(id: u64, v: &str, try_: bool) -> RawStatus {
        // SAFETY: `v` points to `v.len()` readable bytes; Go copies them during the call.
        unsafe {
            if try_ {
                @chan_mod@::try_send(id, v.as_ptr(), v.len())
            } else {
                @chan_mod@::send(id, v.as_ptr(), v.len())
            }
        }
    }

    fn raw_recv(id: u64, out: &mut Option<String>, try_: bool) -> RawStatus {
        let mut p: *mut u8 = std::ptr::null_mut();
        let mut n: usize = 0;
        // SAFETY: `p` and `n` are live, writable locals.
        let st = unsafe {
            if try_ {
                @chan_mod@::try_recv(id, &mut p, &mut n)
            } else {
                @chan_mod@::recv(id, &mut p, &mut n)
            }
        };
        if st == OK {
            *out = Some(take_string(p, n));
        }
        st
    }

    fn raw_close(id: u64) -> RawStatus {
        @chan_mod@::close(id)
    }

    fn raw_free(id: u64) -> RawStatus {
        @chan_mod@::free(id)
    }

    fn sel_put(v: &str, slot: &mut SelSlot) {
        slot.put(CBytes {
            data: v.as_ptr().cast_mut(),
            len: v.len(),
        });
    }

    fn sel_take(slot: &SelSlot) -> String {
        let b: CBytes = slot.get();
        take_string(b.data, b.len)
    }
}
