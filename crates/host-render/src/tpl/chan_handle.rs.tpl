/// A Go `@go_elem_type@` behind a handle ID, owned by the host (the element of channel `@base@`); dropping
/// it releases the ID once.
#[derive(Debug)]
pub struct @rust_elem_type@(GoValue);

impl @rust_elem_type@ {
    /// Go's `nil`.
    pub const fn nil() -> Self {
        Self(GoValue::nil())
    }

    /// True for `nil`.
    pub fn is_nil(&self) -> bool {
        self.0.is_nil()
    }
}

impl GoHandle for @rust_elem_type@ {
    fn handle_id(&self) -> u64 {
        self.0.id
    }
}

impl ChanElem for @rust_elem_type@ {
    type Arg<'a> = &'a Self;

    fn raw_new(buffer: i64, out: &mut u64) -> RawStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { @chan_mod@::new(buffer, out) }
    }

    fn raw_send(id: u64, v: &Self, try_: bool) -> RawStatus {
        if try_ {
            @chan_mod@::try_send(id, v.0.id)
        } else {
            @chan_mod@::send(id, v.0.id)
        }
    }

    fn raw_recv(id: u64, out: &mut Option<Self>, try_: bool) -> RawStatus {
        let mut v: u64 = 0;
        // SAFETY: `v` is a live, writable u64.
        let st = unsafe {
            if try_ {
                @chan_mod@::try_recv(id, &mut v)
            } else {
                @chan_mod@::recv(id, &mut v)
            }
        };
        if st == OK {
            *out = Some(Self(GoValue::from_owned_id(v)));
        }
        st
    }

    fn raw_close(id: u64) -> RawStatus {
        @chan_mod@::close(id)
    }

    fn raw_free(id: u64) -> RawStatus {
        @chan_mod@::free(id)
    }

    fn sel_put(v: &Self, slot: &mut SelSlot) {
        slot.put(v.0.id);
    }

    fn sel_take(slot: &SelSlot) -> Self {
        Self(GoValue::from_owned_id(slot.get()))
    }
}
