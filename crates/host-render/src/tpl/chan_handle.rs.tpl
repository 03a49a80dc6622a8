/// A Go `@GO@` behind a handle ID, owned by the host (the element of channel `@B@`); dropping
/// it releases the ID once.
#[derive(Debug)]
pub struct @R@(GoValue);

impl @R@ {
    /// Go's `nil`.
    pub const fn nil() -> @R@ {
        @R@(GoValue::nil())
    }

    /// True for `nil`.
    pub fn is_nil(&self) -> bool {
        self.0.is_nil()
    }
}

impl GoHandle for @R@ {
    fn handle_id(&self) -> u64 {
        self.0.id
    }
}

impl ChanElem for @R@ {
    type Arg<'a> = &'a @R@;

    fn raw_new(buffer: i64, out: &mut u64) -> MochiStatus {
        // SAFETY: `out` is a live, writable u64.
        unsafe { @CM@::new(buffer, out) }
    }

    fn raw_send(id: u64, v: &@R@, try_: bool) -> MochiStatus {
        if try_ {
            @CM@::try_send(id, v.0.id)
        } else {
            @CM@::send(id, v.0.id)
        }
    }

    fn raw_recv(id: u64, out: &mut Option<@R@>, try_: bool) -> MochiStatus {
        let mut v: u64 = 0;
        // SAFETY: `v` is a live, writable u64.
        let st = unsafe {
            if try_ {
                @CM@::try_recv(id, &mut v)
            } else {
                @CM@::recv(id, &mut v)
            }
        };
        if st == OK {
            *out = Some(@R@(GoValue::from_owned_id(v)));
        }
        st
    }

    fn raw_close(id: u64) -> MochiStatus {
        @CM@::close(id)
    }

    fn raw_free(id: u64) -> MochiStatus {
        @CM@::free(id)
    }

    fn sel_put(v: &@R@, slot: &mut SelSlot) {
        slot.put(v.0.id);
    }

    fn sel_take(slot: &SelSlot) -> @R@ {
        @R@(GoValue::from_owned_id(slot.get()))
    }
}
