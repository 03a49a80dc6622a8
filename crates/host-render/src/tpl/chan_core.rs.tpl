/// C form of one select case.
#[repr(C)]
#[derive(Debug)]
pub struct RawSelectCase {
    id: u64,
    op: i32,
    value: *mut c_void,
}

const SELECT_SEND: i32 = 1;
const SELECT_RECV: i32 = 2;

/// Storage for one select case's value in its C form (a scalar, `CBytes` or a handle ID).
#[doc(hidden)]
#[repr(C, align(8))]
pub struct SelSlot([u8; 16]);

impl SelSlot {
    fn put<R: Copy>(&mut self, v: R) {
        assert!(size_of::<R>() <= 16 && align_of::<R>() <= 8);
        // SAFETY: the slot is 16 bytes, 8-aligned, and R fits (checked above); R is a C scalar,
        // `CBytes` or `u64`, all plain data.
        unsafe { std::ptr::from_mut(self).cast::<R>().write(v) }
    }

    fn get<R: Copy>(&self) -> R {
        assert!(size_of::<R>() <= 16 && align_of::<R>() <= 8);
        // SAFETY: as in `put`; Go wrote a valid C value of R's type for the chosen receive case
        // (the slot starts zeroed, which is a valid value of every such R).
        unsafe { std::ptr::from_ref(self).cast::<R>().read() }
    }
}

/// An element type of a [`GoChan`]: implemented for each channel shim's element.
pub trait ChanElem: Sized + Send + 'static {
    /// What a send takes (`&str` for strings, a reference for handle values).
    type Arg<'a>;
    #[doc(hidden)]
    fn raw_new(buffer: i64, out: &mut u64) -> RawStatus;
    #[doc(hidden)]
    fn raw_send(id: u64, v: Self::Arg<'_>, try_: bool) -> RawStatus;
    #[doc(hidden)]
    fn raw_recv(id: u64, out: &mut Option<Self>, try_: bool) -> RawStatus;
    #[doc(hidden)]
    fn raw_close(id: u64) -> RawStatus;
    #[doc(hidden)]
    fn raw_free(id: u64) -> RawStatus;
    #[doc(hidden)]
    fn sel_put(v: Self::Arg<'_>, slot: &mut SelSlot);
    #[doc(hidden)]
    fn sel_take(slot: &SelSlot) -> Self;
}

/// A Go `chan T` owned by the host. Dropping it frees the channel's handle once (closing the
/// channel if it is open; buffered values are dropped). `Send`/`Sync` when `T` is: every shim
/// may be called from any thread.
pub struct GoChan<T: ChanElem> {
    id: u64,
    _elem: std::marker::PhantomData<T>,
}

impl<T: ChanElem> GoChan<T> {
    /// Makes a channel with room for `buffer` values (0: unbuffered; at most 1 << 20).
    pub fn new(buffer: usize) -> Result<GoChan<T>, GoError> {
        let buffer = i64::try_from(buffer).map_err(|_| GoError::TooLarge { op: "GoChan::new" })?;
        GoChan::make(buffer)
    }

    /// Makes a channel with the buffer the shim was rendered with.
    pub fn with_default_buffer() -> Result<GoChan<T>, GoError> {
        GoChan::make(-1)
    }

    fn make(buffer: i64) -> Result<GoChan<T>, GoError> {
        let mut id = 0;
        check("GoChan::new", T::raw_new(buffer, &mut id))?;
        Ok(GoChan {
            id,
            _elem: std::marker::PhantomData,
        })
    }

    /// Sends `v`, waiting while the buffer is full. On a closed channel: `Status::Closed`.
    pub fn send(&self, v: T::Arg<'_>) -> Result<(), GoError> {
        check(
            "GoChan::send",
            closed_if_gone(T::raw_send(self.id, v, false)),
        )
    }

    /// Sends `v` if the buffer has room (`Status::Full` otherwise).
    pub fn try_send(&self, v: T::Arg<'_>) -> Result<(), GoError> {
        check(
            "GoChan::try_send",
            closed_if_gone(T::raw_send(self.id, v, true)),
        )
    }

    /// Receives, waiting while the channel is empty: `Ok(Some(v))`, or `Ok(None)` once the
    /// channel is closed and drained.
    pub fn recv(&self) -> Result<Option<T>, GoError> {
        self.receive("GoChan::recv", false)
    }

    /// Receives if a value is buffered: `Ok(Some(v))`, `Ok(None)` when closed and drained,
    /// `Status::Empty` when nothing is buffered.
    pub fn try_recv(&self) -> Result<Option<T>, GoError> {
        self.receive("GoChan::try_recv", true)
    }

    fn receive(&self, op: &'static str, try_: bool) -> Result<Option<T>, GoError> {
        let mut out = None;
        let st = T::raw_recv(self.id, &mut out, try_);
        // Go releases the channel's ID when a receive finds it closed and drained; IDs are
        // generation-checked, so a later call reports an unknown handle, which means the same.
        if st == Status::Closed.raw() || st == Status::UnknownHandle.raw() {
            return Ok(None);
        }
        check(op, st)?;
        Ok(out)
    }

    /// Closes the channel; buffered values can still be received. Twice: `Status::Closed`.
    pub fn close(&self) -> Result<(), GoError> {
        check("GoChan::close", closed_if_gone(T::raw_close(self.id)))
    }
}

/// An unknown handle on a channel the host still owns means Go released it after it was closed
/// and drained.
fn closed_if_gone(st: RawStatus) -> RawStatus {
    if st == Status::UnknownHandle.raw() {
        Status::Closed.raw()
    } else {
        st
    }
}

impl<T: ChanElem> Drop for GoChan<T> {
    fn drop(&mut self) {
        // An unknown handle here means Go already released the drained channel.
        let _ = T::raw_free(self.id);
    }
}

impl<T: ChanElem> std::fmt::Debug for GoChan<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GoChan<{}>", std::any::type_name::<T>())
    }
}

impl<T: ChanElem> GoHandle for GoChan<T> {
    fn handle_id(&self) -> u64 {
        self.id
    }
}

/// Decodes a receive case's slot into the received value.
type TakeFn = fn(&SelSlot) -> Box<dyn std::any::Any + Send>;

/// A `select` over several channels of this module (each case a send or a receive).
pub struct Select<'a> {
    cases: Vec<RawSelectCase>,
    slots: Vec<SelSlot>,
    takes: Vec<Option<TakeFn>>,
    _borrow: std::marker::PhantomData<&'a ()>,
}

/// A receive case of a [`Select`]; [`RecvCase::take`] gets its value from the outcome.
#[derive(Debug)]
pub struct RecvCase<T> {
    index: usize,
    _elem: std::marker::PhantomData<fn() -> T>,
}

impl<T: ChanElem> RecvCase<T> {
    /// The case's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The received value, if this case was chosen and received one.
    pub fn take(&self, s: &mut Selected) -> Option<T> {
        if s.index != self.index {
            return None;
        }
        let v = s.value.take()?;
        v.downcast::<T>().ok().map(|b| *b)
    }
}

/// The case a [`Select`] chose.
#[derive(Debug)]
pub struct Selected {
    index: usize,
    closed: bool,
    value: Option<Box<dyn std::any::Any + Send>>,
}

impl Selected {
    /// The chosen case's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// True when the chosen case's channel is closed (a receive on a closed, drained channel, or
    /// a send on a closed channel).
    pub fn is_closed(&self) -> bool {
        self.closed
    }
}

impl Default for Select<'_> {
    fn default() -> Self {
        Select::new()
    }
}

impl<'a> Select<'a> {
    /// A select without cases.
    pub fn new() -> Select<'a> {
        Select {
            cases: Vec::new(),
            slots: Vec::new(),
            takes: Vec::new(),
            _borrow: std::marker::PhantomData,
        }
    }

    /// Adds a case sending `v` on `ch`; returns its index.
    pub fn send<T: ChanElem>(&mut self, ch: &'a GoChan<T>, v: T::Arg<'a>) -> usize {
        let mut slot = SelSlot([0; 16]);
        T::sel_put(v, &mut slot);
        self.push(ch.id, SELECT_SEND, slot, None)
    }

    /// Adds a case receiving from `ch`.
    pub fn recv<T: ChanElem>(&mut self, ch: &'a GoChan<T>) -> RecvCase<T> {
        let slot = SelSlot([0; 16]);
        let index = self.push(ch.id, SELECT_RECV, slot, Some(take_boxed::<T>));
        RecvCase {
            index,
            _elem: std::marker::PhantomData,
        }
    }

    fn push(&mut self, id: u64, op: i32, slot: SelSlot, take: Option<TakeFn>) -> usize {
        self.cases.push(RawSelectCase {
            id,
            op,
            value: std::ptr::null_mut(),
        });
        self.slots.push(slot);
        self.takes.push(take);
        self.cases.len() - 1
    }

    /// Waits until one case can proceed and performs it.
    pub fn wait(self) -> Result<Selected, GoError> {
        match self.run(false)? {
            Some(s) => Ok(s),
            None => Err(GoError::Status {
                op: "Select::wait",
                status: Status::WouldBlock,
            }),
        }
    }

    /// Performs a case that can proceed now, or returns `Ok(None)` when none can.
    pub fn try_wait(self) -> Result<Option<Selected>, GoError> {
        self.run(true)
    }

    fn run(mut self, nonblocking: bool) -> Result<Option<Selected>, GoError> {
        let op = if nonblocking {
            "Select::try_wait"
        } else {
            "Select::wait"
        };
        let n = i32::try_from(self.cases.len()).map_err(|_| GoError::TooLarge { op })?;
        for (c, s) in self.cases.iter_mut().zip(self.slots.iter_mut()) {
            c.value = std::ptr::from_mut::<SelSlot>(s).cast();
        }
        let mut chosen: i32 = -1;
        // SAFETY: `cases` holds `n` initialised cases whose `value` points to a live, 8-aligned
        // 16-byte slot of `slots` (not moved: nothing is pushed after the pointers are taken);
        // `chosen` is a live local. Send slots hold C values built from arguments that outlive
        // `'a`.
@select_call@        let index = usize::try_from(chosen).ok();
        match (Status::from_raw(st), index) {
            (Some(Status::WouldBlock), _) if nonblocking => Ok(None),
            (Some(Status::Ok), Some(i)) if i < self.cases.len() => {
                let value = self.takes[i].map(|take| take(&self.slots[i]));
                Ok(Some(Selected {
                    index: i,
                    closed: false,
                    value,
                }))
            }
            (Some(Status::Closed | Status::UnknownHandle), Some(i)) => Ok(Some(Selected {
                index: i,
                closed: true,
                value: None,
            })),
            _ => check(op, st).map(|()| None),
        }
    }
}

fn take_boxed<T: ChanElem>(slot: &SelSlot) -> Box<dyn std::any::Any + Send> {
    Box::new(T::sel_take(slot))
}
