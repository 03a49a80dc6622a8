//! The pool itself: lazily allocated slot chunks, per-slot state words, per-thread caches of
//! free slots and the ticket counter that makes the cap exact. See the crate docs for the design
//! argument.

use crate::id::HandleId;
use crate::spin::SpinMutex;
use crate::sync::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, UnsafeCell, fence};
use std::fmt;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ops::Deref;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

/// The soft cap of [`HandlePool::new`], matching the seed's `DefaultMaxHandles` and the
/// `goroutine-bridge.max-handles` setting.
pub const DEFAULT_MAX_HANDLES: usize = 4096;

/// How many generations one slot lives through before it is retired (never reused again).
pub const MAX_GENERATION: u32 = u32::MAX;

/// The most slots a pool can ever have (slot index + 1 must fit in 32 bits, and not be 0).
pub const MAX_SLOTS: usize = u32::MAX as usize - GROUP;

/// Why [`HandlePool::acquire`] could not hand out an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// `max` handles are live; release one first (the value passed in was dropped).
    #[error("handle pool exhausted: {max} handles are live, the configured maximum")]
    Exhausted {
        /// The pool's cap.
        max: usize,
    },
    /// The 32-bit slot index space is used up (only reachable with billions of live handles,
    /// or slots retired after 2^32 reuses each).
    #[error("handle pool has no slot index left (at most {MAX_SLOTS} slots per pool)")]
    OutOfSlots,
}

/// Why [`HandlePool::try_take`] could not move the value out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TakeError {
    /// The ID is not live in this pool (never acquired here, released, or taken).
    #[error("handle is not live in this pool")]
    Unknown,
    /// A [`Ref`] to the value is alive, so it cannot be moved out; the handle stays live.
    #[error("handle is in use by a resolved reference; it stays live")]
    InUse,
}

// ---- layout constants -------------------------------------------------------------------

/// Slots per group; a group is cache-line aligned and is the unit of fresh allocation, so
/// slots minted by different threads never share a cache line.
const GROUP: usize = 8;
/// Groups in chunk 0 (256 slots); chunk `k` holds `FIRST_GROUPS << k` groups.
const FIRST_GROUPS: usize = 32;
/// Slots in chunk 0: their lookup skips the bit scan.
const FIRST_SLOTS: usize = FIRST_GROUPS * GROUP;
/// Enough chunks to cover every 32-bit slot index (`index / GROUP + FIRST_GROUPS < 2^30`).
const CHUNKS: usize = 30 - FIRST_GROUPS.trailing_zeros() as usize;
/// Per-thread caches per pool: thread number `n` uses cache `n`; threads numbered at or above
/// this (more live threads than that) use the shared list instead.
#[cfg(not(loom))]
const CACHES: usize = 128;
#[cfg(loom)]
const CACHES: usize = 3;
/// Free slots one cache holds; a full cache moves its older half to the shared list.
#[cfg(not(loom))]
const CACHE_SLOTS: usize = 64;
#[cfg(loom)]
const CACHE_SLOTS: usize = 2;

// ---- slot state word --------------------------------------------------------------------
//
// bits 63..32  generation (0 only for a slot that was never minted)
// bit  31      LIVE: holds the value of an acquired handle, not yet released or taken
// bit  30      FREE: holds no value; reusable, and in a bounded pool it carries a ticket.
//              Whoever clears it with a compare-exchange owns the slot (and the ticket).
// bit  29      IDLE: holds no value and no ticket: a spare for minting, or retired
// bit  28      TAKING: with LIVE: a `take` is checking for `with` readers before it moves the
//              value out (the handle is live until it succeeds; a release clears the bit)
// bits 27..0   number of live `Ref` guards; a released value whose drop waits for `with`
//              readers keeps one (the deferred list holds it)
//
// No flag and no guard: the slot is owned by one thread in the middle of an operation
// (acquire between claim and publish, release/take between clearing LIVE and recycling,
// the last guard recycling, minting). Nobody else writes such a state.

const LIVE: u64 = 1 << 31;
const FREE: u64 = 1 << 30;
const IDLE: u64 = 1 << 29;
const TAKING: u64 = 1 << 28;
const REFS: u64 = TAKING - 1;
const FLAGS: u64 = LIVE | FREE | IDLE | TAKING | REFS;

#[inline]
fn gen_of(state: u64) -> u32 {
    (state >> 32) as u32
}

/// Owned by a thread mid-operation (see the layout above).
#[inline]
fn is_transient(state: u64) -> bool {
    state & FLAGS == 0
}

/// One slot: its state word and storage for one value.
struct Slot<T> {
    state: AtomicU64,
    value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Slot<T> {
    /// Stores a new state. Only the slot's owner (or a thread holding the list it is on)
    /// stores; everyone else changes the state with read-modify-writes.
    #[inline(always)]
    fn set_state(&self, state: u64, order: std::sync::atomic::Ordering) {
        // Under loom the store is a swap (the same as a store in the memory model): loom 0.7
        // can let the owner's next load return the value of another thread's `fetch_add(0)`
        // (the exhaustion check's read) that came before the owner's plain store, as if the
        // store were lost, which C++ coherence rules out.
        #[cfg(loom)]
        self.state.swap(state, order);
        #[cfg(not(loom))]
        self.state.store(state, order);
    }
}

/// A run of slots aligned to a pair of cache lines (x86 fetches lines in aligned pairs, so two
/// groups never share a prefetched pair).
#[repr(align(128))]
struct Group<T> {
    slots: [Slot<T>; GROUP],
}

impl<T> Group<T> {
    fn new() -> Self {
        Self {
            slots: std::array::from_fn(|_| Slot {
                state: AtomicU64::new(0),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            }),
        }
    }
}

#[inline]
fn chunk_len(k: usize) -> usize {
    FIRST_GROUPS << k
}

/// Slot index → (chunk, group within chunk, slot within group).
#[inline(always)]
fn locate(index: u32) -> (usize, usize, usize) {
    if (index as usize) < FIRST_SLOTS {
        // The common case (small pools, the default cap's hot slots): no bit scan.
        return (0, index as usize / GROUP, index as usize % GROUP);
    }
    let g = (index as usize / GROUP) + FIRST_GROUPS;
    let log = (usize::BITS - 1 - g.leading_zeros()) as usize;
    let k = log - FIRST_GROUPS.trailing_zeros() as usize;
    (k, g - chunk_len(k), index as usize % GROUP)
}

/// Takes a FREE slot: clears FREE with a compare-exchange and returns the new (owned,
/// transient) state, or `None` if the slot is not FREE (someone else took it).
#[inline]
fn claim<T>(slot: &Slot<T>) -> Option<u64> {
    claim_from(slot, slot.state.load(Relaxed))
}

/// [`claim`] starting from a state already read (a compare-exchange failure reads the latest).
#[inline]
fn claim_from<T>(slot: &Slot<T>, mut s: u64) -> Option<u64> {
    while s & FREE != 0 {
        // Acquire: pairs with the Release store that set FREE, after the previous value
        // was moved out, so our write of the new value comes after it.
        match slot
            .state
            .compare_exchange_weak(s, s & !FREE, Acquire, Relaxed)
        {
            Ok(_) => return Some(s & !FREE),
            Err(now) => s = now,
        }
    }
    None
}

/// One thread's cache of free slots in one pool, plus its share of the live count. Only the
/// owner (the live thread whose number is this cache's index) writes it; in a bounded pool
/// other threads read the entries and take the slots they name by [`claim`], so an entry is
/// only a hint (it may name a slot somebody else took since), while the slot's FREE bit is
/// the truth. In an unbounded pool nobody else reads it: it is a private stack.
#[repr(align(128))]
struct Cache {
    /// Entries in `buf`.
    len: AtomicUsize,
    /// Handles this cache's owners acquired (wrapping; owner-written).
    acquired: AtomicUsize,
    /// Handles this cache's owners released or took (wrapping; owner-written).
    released: AtomicUsize,
    /// Owner-only: this cache is counted in [`HandlePool::readers`] (its owners use `with`).
    reader: AtomicBool,
    /// This cache's number (the index of its thread number in the cache table).
    number: usize,
    buf: [AtomicU32; CACHE_SLOTS],
    /// The slot (index + 1) this cache's owner is reading inside [`HandlePool::with`], else
    /// 0. Owner-written; releasers read it. On a cache line of its own.
    hazard: Hazard,
}

/// A hazard word on its own cache line (so releasers scanning it do not pull the owner's hot
/// cache fields away from it).
#[repr(align(128))]
struct Hazard(AtomicU64);

impl Cache {
    fn new(number: usize) -> Self {
        Self {
            len: AtomicUsize::new(0),
            acquired: AtomicUsize::new(0),
            released: AtomicUsize::new(0),
            reader: AtomicBool::new(false),
            number,
            buf: std::array::from_fn(|_| AtomicU32::new(0)),
            hazard: Hazard(AtomicU64::new(0)),
        }
    }

    /// Owner only: one more on a single-writer counter (a load and a store, no RMW).
    #[inline]
    fn bump(counter: &AtomicUsize) {
        counter.store(counter.load(Relaxed).wrapping_add(1), Release);
    }
}

/// The pool's shared, slow-path state, on cache lines of its own (the hot paths only read the
/// chunk and cache tables, never these).
#[repr(align(128))]
struct Shared {
    /// Free slots of threads without a cache, and the older halves of full caches. Like cache
    /// entries, in a bounded pool these are hints checked by [`claim`].
    overflow: SpinMutex<Vec<u32>>,
    /// Minted slots that hold no ticket (IDLE): a slot released while guarded got its ticket
    /// refunded; when its last guard goes it lands here for the next mint to reuse.
    spare: SpinMutex<Vec<u32>>,
    /// Next never-used group number.
    next_group: AtomicUsize,
    /// Tickets not held by any slot (bounded pools).
    tickets: AtomicUsize,
    /// Threads between taking tickets from `tickets` and putting them on slots.
    minting: AtomicUsize,
    /// Net acquires minus releases by threads without a cache (wrapping).
    live: AtomicUsize,
    /// Released slots whose value waits for `with` readers (each keeps one guard, so the slot
    /// is not reused); whoever pops an entry owns it.
    deferred: SpinMutex<Vec<u32>>,
    /// `deferred.len()`, readable without the lock (a hint).
    deferred_len: AtomicUsize,
}

/// A concurrent, bounded, generation-checked pool of opaque non-zero `u64` handles.
///
/// See the [crate documentation](crate) for the guarantees and the design.
pub struct HandlePool<T> {
    /// `chunks[k]` points to `chunk_len(k)` groups, or is null until first needed.
    chunks: [AtomicPtr<Group<T>>; CHUNKS],
    /// `caches[n]`: thread number `n`'s cache, allocated on its first use of this pool.
    caches: [AtomicPtr<Cache>; CACHES],
    max: Option<usize>,
    /// Caches `0..readers` may hold a hazard (their owners used `with`); 0 while nobody has,
    /// so releases skip the hazard scan. Only grows.
    readers: AtomicUsize,
    shared: Shared,
    /// The pool owns `T`s; `*const ()` opts out of the auto traits (implemented below).
    _owns: PhantomData<(T, *const ())>,
}

// SAFETY: moving the pool to another thread moves the `T`s it owns (they are later dropped or
// taken there), which needs `T: Send`. The slot and cache memory itself is plain heap memory.
unsafe impl<T: Send> Send for HandlePool<T> {}
// SAFETY: through `&HandlePool` any thread can acquire (move a `T` in), take (move it out) or
// release (drop it) — needs `T: Send` — and resolve concurrently with other threads, handing out
// `&T` to several threads at once — needs `T: Sync`. All shared state is atomics or spin locks.
unsafe impl<T: Send + Sync> Sync for HandlePool<T> {}

impl<T> Default for HandlePool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for HandlePool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlePool")
            .field("live", &self.live())
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

/// The outcome of an exhaustion check.
enum Verdict {
    /// A FREE slot turned up and is now ours: (index, owned state).
    Claimed((u32, u64)),
    /// Something moved (or is mid-move): look again.
    Busy,
    /// `max` handles were live at one instant during the check.
    Exhausted,
}

impl<T> HandlePool<T> {
    /// A pool capped at [`DEFAULT_MAX_HANDLES`] live handles.
    pub fn new() -> Self {
        Self::build(Some(DEFAULT_MAX_HANDLES))
    }

    /// A pool capped at `max` live handles (0 makes every acquire fail).
    pub fn with_max_handles(max: usize) -> Self {
        Self::build(Some(max.min(MAX_SLOTS)))
    }

    /// A pool without a cap (still limited to [`MAX_SLOTS`] slots).
    pub fn unbounded() -> Self {
        Self::build(None)
    }

    /// The seed's constructor convention (`NewHandlePool(max int)`, the `max-handles`
    /// setting): negative means unbounded, 0 means [`DEFAULT_MAX_HANDLES`], else the cap.
    pub fn from_max_setting(max: i64) -> Self {
        match max {
            m if m < 0 => Self::unbounded(),
            0 => Self::new(),
            m => Self::with_max_handles(usize::try_from(m).unwrap_or(usize::MAX)),
        }
    }

    fn build(max: Option<usize>) -> Self {
        Self {
            chunks: std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())),
            caches: std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())),
            max,
            readers: AtomicUsize::new(0),
            shared: Shared {
                overflow: SpinMutex::new(Vec::new()),
                spare: SpinMutex::new(Vec::new()),
                next_group: AtomicUsize::new(0),
                tickets: AtomicUsize::new(max.unwrap_or(0)),
                minting: AtomicUsize::new(0),
                live: AtomicUsize::new(0),
                deferred: SpinMutex::new(Vec::new()),
                deferred_len: AtomicUsize::new(0),
            },
            _owns: PhantomData,
        }
    }

    /// The cap, or `None` for an unbounded pool.
    pub fn max_handles(&self) -> Option<usize> {
        self.max
    }

    /// Stores `value` and returns its new ID.
    ///
    /// Fails with [`PoolError::Exhausted`] when `max` handles are live (the value is dropped).
    /// The cap is exact under concurrency: never more than `max` handles are live, and an
    /// acquire fails only if, at one instant during the call, `max` handles were live (a
    /// release still in progress counts until it returns). A failing acquire checks every
    /// minted slot twice, so it costs time proportional to the pool's size.
    #[inline]
    pub fn acquire(&self, value: T) -> Result<HandleId, PoolError> {
        self.try_acquire(value).map_err(|(e, _)| e)
    }

    /// Like [`acquire`](Self::acquire), but hands the value back when the pool is full.
    #[inline]
    pub fn try_acquire(&self, value: T) -> Result<HandleId, (PoolError, T)> {
        self.acquire_in(self.my_cache(), value)
    }

    #[inline]
    fn acquire_in(&self, cache: Option<&Cache>, value: T) -> Result<HandleId, (PoolError, T)> {
        let got = match cache {
            Some(c) => self.pop_cached(c),
            None => None,
        };
        let (index, state) = match got {
            Some(g) => g,
            None => match self.acquire_slow(cache) {
                Ok(g) => g,
                Err(e) => return Err((e, value)),
            },
        };
        let slot = self.slot_of_minted(index);
        // We own the slot (its state is transient and ours): nothing else writes its state or
        // touches its value until we publish it.
        debug_assert!(is_transient(state) && gen_of(state) != 0);
        slot.value.with_mut(|p| {
            // SAFETY: exclusive ownership of the slot (above); the previous value was moved
            // out before the slot was freed, so nothing is overwritten without a drop.
            unsafe { (*p).write(value) };
        });
        // Publish: the Release pairs with the Acquire of `resolve`/`release`/`take`.
        slot.set_state(state | LIVE, Release);
        match cache {
            Some(c) => Cache::bump(&c.acquired),
            None => {
                self.shared.live.fetch_add(1, Relaxed);
            }
        }
        Ok(HandleId::from_parts(gen_of(state), index))
    }

    /// Borrows the value behind `id`. The returned guard keeps the value alive (a concurrent
    /// [`release`](Self::release) defers the drop until the last guard goes). Readers never
    /// block each other or writers. `None` for IDs that are unknown, released, or from
    /// another pool's slot that is not live here.
    #[inline]
    pub fn resolve(&self, id: HandleId) -> Option<Ref<'_, T>> {
        let (slot, generation, index) = self.lookup(id)?;
        let s = slot.state.load(Relaxed);
        if gen_of(s) != generation || s & LIVE == 0 {
            return None;
        }
        // Acquire pairs with the Release store in `acquire`: the value is initialised.
        if s & REFS != REFS
            && slot
                .state
                .compare_exchange(s, s + 1, Acquire, Relaxed)
                .is_ok()
        {
            return Some(Ref {
                pool: self,
                slot,
                index,
            });
        }
        self.resolve_contended(slot, generation, index)
    }

    /// `resolve` after a lost race on the state word (another guard came or went).
    #[cold]
    #[inline(never)]
    fn resolve_contended<'a>(
        &'a self,
        slot: &'a Slot<T>,
        generation: u32,
        index: u32,
    ) -> Option<Ref<'a, T>> {
        let mut s = slot.state.load(Relaxed);
        loop {
            if gen_of(s) != generation || s & LIVE == 0 {
                return None;
            }
            if s & REFS == REFS {
                guard_overflow();
            }
            match slot.state.compare_exchange_weak(s, s + 1, Acquire, Relaxed) {
                Ok(_) => {
                    return Some(Ref {
                        pool: self,
                        slot,
                        index,
                    });
                }
                Err(now) => s = now,
            }
        }
    }

    /// Releases `id`: it never resolves again, and its value is dropped now, or when the last
    /// [`Ref`] to it goes (never while the pool holds a lock). `false` for unknown, zero,
    /// stale or already released IDs.
    #[inline]
    pub fn release(&self, id: HandleId) -> bool {
        self.release_in(id, || self.my_cache())
    }

    #[inline]
    fn release_in<'a>(&'a self, id: HandleId, cache: impl FnOnce() -> Option<&'a Cache>) -> bool {
        let Some((slot, generation, index)) = self.lookup(id) else {
            return false;
        };
        let mut s = slot.state.load(Relaxed);
        loop {
            if gen_of(s) != generation || s & LIVE == 0 {
                return false;
            }
            // Acquire: when no guard is left, synchronise with every guard's Release decrement
            // (and with `acquire`'s Release store) before moving the value out below. SeqCst:
            // the releasing half of `with`'s handshake (see `hazarded`). A pending take's
            // TAKING goes too: this release wins.
            match slot
                .state
                .compare_exchange_weak(s, s & !(LIVE | TAKING), SeqCst, Relaxed)
            {
                Ok(_) => break,
                Err(now) => s = now,
            }
        }
        let cache = cache();
        let readers = self.readers();
        let unguarded = s & REFS == 0;
        if unguarded && !self.hazarded(readers, index) {
            // SAFETY: we cleared LIVE while no guard existed, so no guard can appear (resolve
            // needs LIVE) and no release/take can win, and no `with` reader names the slot:
            // the slot and its value are ours.
            let value = unsafe { self.move_out(slot) };
            self.free_unguarded(cache, slot, generation, index);
            drop(value);
        } else {
            // Guards remain (the last one finishes the slot, see `Ref::drop`), or a `with`
            // reader may be reading the value (it is deferred): the value stays for now. The
            // handle is no longer live, so its ticket goes back now.
            self.count_release(cache);
            self.refund();
            if unguarded {
                self.defer(slot, generation, index);
            }
        }
        if readers != 0 {
            // Deferred values whose readers are gone (this one's, or earlier ones) go now.
            self.reclaim_if_pending();
        }
        true
    }

    /// Releases `id` and hands its value back, if no [`Ref`] to it is alive. `None` when the
    /// ID is not live here or a guard is alive (then the handle stays live). See
    /// [`try_take`](Self::try_take) to tell the two apart.
    pub fn take(&self, id: HandleId) -> Option<T> {
        self.try_take(id).ok()
    }

    /// Like [`take`](Self::take), saying why it failed.
    ///
    /// Costs two read-modify-writes: the take is announced on the slot (the handle stays live
    /// meanwhile) and, unless a [`with`](Self::with) reader or a [`Ref`] turned up, completed.
    /// A concurrent take of the same handle waits for the announced one's outcome.
    pub fn try_take(&self, id: HandleId) -> Result<T, TakeError> {
        let Some((slot, generation, index)) = self.lookup(id) else {
            return Err(TakeError::Unknown);
        };
        let mut s = announce_take(slot, generation)?;
        if self.hazarded(self.readers(), index) {
            abandon_take(slot, generation);
            return Err(TakeError::InUse);
        }
        loop {
            // Acquire: as in `release`.
            match slot
                .state
                .compare_exchange(s, s & !(LIVE | TAKING), Acquire, Relaxed)
            {
                Ok(_) => break,
                // A release won (it cleared LIVE and TAKING): the handle is gone.
                Err(now) if gen_of(now) != generation || now & LIVE == 0 => {
                    return Err(TakeError::Unknown);
                }
                Err(now) if now & REFS != 0 => {
                    abandon_take(slot, generation);
                    return Err(TakeError::InUse);
                }
                Err(now) => s = now,
            }
        }
        // SAFETY: as in `release`: LIVE cleared with no guard and no `with` reader, the slot is
        // ours.
        let value = unsafe { self.move_out(slot) };
        self.free_unguarded(self.my_cache(), slot, generation, index);
        Ok(value)
    }

    /// Runs `f` on the value behind `id` and returns its result; `None` (without calling `f`)
    /// for IDs that are unknown, released, or from another pool.
    ///
    /// The cheaper read: one read-modify-write and a few loads, against [`resolve`]'s two
    /// (its guard goes up and down). The value is borrowed only for the closure. Use `resolve`
    /// to keep a borrow across other work or hand it around, `with` for a quick look or clone
    /// (`pool.with(id, T::clone)`).
    ///
    /// How: the thread names the slot in a hazard word of its own before it checks the handle,
    /// and clears it after `f`; a release (or take) that finds its slot named leaves the value
    /// in place. So a value released while a `with` on another thread reads it is dropped after
    /// that `f` returns: normally by that thread on its way out or by the releaser, and in a
    /// narrow race (both finish at the same instant) by whatever comes next in the pool — a
    /// release, the end of a `with`, a failing acquire, or the pool's drop. A release inside
    /// `f` of the handle being read drops the value right after `f` returns. A take that finds
    /// a reader fails with [`TakeError::InUse`]. Once a thread has used `with` on a pool, every
    /// release in that pool also reads one word per such thread.
    ///
    /// A `with` inside `f` on the same pool, and calls from a thread without a cache (more live
    /// threads than 128), fall back to a guarded read (`resolve`), with the same result.
    ///
    /// ```
    /// let pool = handlepool::HandlePool::new();
    /// let id = pool.acquire(vec![1, 2, 3]).unwrap();
    /// assert_eq!(pool.with(id, |v| v.len()), Some(3));
    /// let copy: Option<Vec<i32>> = pool.with(id, Vec::clone);
    /// assert!(pool.release(id) && pool.with(id, |v| v.len()).is_none() && copy.is_some());
    /// ```
    ///
    /// [`resolve`]: Self::resolve
    #[inline]
    pub fn with<R>(&self, id: HandleId, f: impl FnOnce(&T) -> R) -> Option<R> {
        let (slot, generation, index) = self.lookup(id)?;
        let s = slot.state.load(Relaxed);
        if gen_of(s) != generation || s & LIVE == 0 {
            return None; // stale or foreign: two loads, no write
        }
        let Some(cache) = self.my_cache() else {
            return self.with_guard(id, f);
        };
        let hazard = &cache.hazard.0;
        if hazard.load(Relaxed) != 0 {
            return self.with_guard(id, f); // nested: the hazard word is in use
        }
        if !cache.reader.load(Relaxed) {
            self.register_reader(cache);
        }
        // The reading half of the handshake: name the slot, then check the handle. SeqCst
        // read-modify-write and load against the releaser's SeqCst read-modify-write and load
        // (store buffering: at least one side sees the other's write).
        hazard.swap(u64::from(index) + 1, SeqCst);
        #[cfg(loom)]
        fence(SeqCst);
        let s = slot.state.load(SeqCst);
        if gen_of(s) != generation || s & (LIVE | TAKING) != LIVE {
            hazard.store(0, Release);
            // TAKING: a take is checking for readers and may have missed this hazard; a
            // guard is what it checks after that.
            let taking = gen_of(s) == generation && s & LIVE != 0;
            return if taking { self.with_guard(id, f) } else { None };
        }
        let _scope = ReadScope { pool: self, hazard };
        Some(slot.value.with(|p| {
            // SAFETY: the handle was LIVE with our hazard already published, so its releaser
            // (or taker) sees the hazard and leaves the value alone until `_scope` clears it;
            // the value was initialised before LIVE was stored (our SeqCst load acquires).
            f(unsafe { (*p).assume_init_ref() })
        }))
    }

    /// `with` through a guard (nested `with`, thread without a cache, take in progress).
    #[cold]
    #[inline(never)]
    fn with_guard<R>(&self, id: HandleId, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.resolve(id).map(|r| f(&r))
    }

    /// How many handles are live (acquired and not yet released or taken). Exact whenever no
    /// acquire, release or take runs concurrently; one that does may or may not be counted
    /// yet. It never stops other threads (it reads one counter pair per thread cache).
    pub fn live(&self) -> usize {
        let mut n = self.shared.live.load(Acquire);
        for c in self.caches() {
            n = n
                .wrapping_add(c.acquired.load(Acquire))
                .wrapping_sub(c.released.load(Acquire));
        }
        // Mid-flight a release may be counted before its acquire (on another thread).
        if (n as isize) < 0 { 0 } else { n }
    }

    // ---- internals -----------------------------------------------------------------------

    /// This thread's cache in this pool (allocated on first use), or `None` for a thread
    /// without one (numbered past the cache table, or tearing down its thread-locals).
    #[inline]
    fn my_cache(&self) -> Option<&Cache> {
        let me = crate::sync::thread_number();
        let p = self.caches.get(me)?.load(Acquire);
        if p.is_null() {
            return self.new_cache(me);
        }
        // SAFETY: a non-null cache pointer came from `Box::into_raw` in `new_cache` (the
        // Acquire load pairs with its publishing exchange) and is freed only when the pool is
        // dropped.
        Some(unsafe { &*p })
    }

    #[cold]
    #[inline(never)]
    fn new_cache(&self, me: usize) -> Option<&Cache> {
        let fresh = Box::into_raw(Box::new(Cache::new(me)));
        // AcqRel: Release publishes the initialised cache to other threads' Acquire loads.
        match self.caches[me].compare_exchange(std::ptr::null_mut(), fresh, AcqRel, Acquire) {
            // SAFETY: published just now; freed only when the pool is dropped.
            Ok(_) => Some(unsafe { &*fresh }),
            Err(existing) => {
                // SAFETY: `fresh` came from `Box::into_raw` above and was never shared.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: as in `my_cache`.
                Some(unsafe { &*existing })
            }
        }
    }

    /// Every allocated cache.
    fn caches(&self) -> impl Iterator<Item = &Cache> {
        self.caches.iter().filter_map(|p| {
            let p = p.load(Acquire);
            // SAFETY: as in `my_cache`.
            (!p.is_null()).then(|| unsafe { &*p })
        })
    }

    /// Owner only: takes a slot from its cache. Bounded pools claim it (somebody may have
    /// taken it meanwhile; such stale entries are skipped); in an unbounded pool the cache is
    /// private, so its slots are ours already.
    #[inline]
    fn pop_cached(&self, c: &Cache) -> Option<(u32, u64)> {
        let mut n = c.len.load(Relaxed);
        while n > 0 {
            n -= 1;
            c.len.store(n, Relaxed);
            let index = c.buf[n].load(Relaxed);
            let slot = self.slot_of_minted(index);
            if self.max.is_none() {
                // We pushed it after making it FREE on this thread (or a thread that had our
                // number before us, ordered by the number's hand-over).
                return Some((index, slot.state.load(Relaxed) & !FREE));
            }
            if let Some(s) = claim(slot) {
                return Some((index, s));
            }
        }
        None
    }

    /// Owner only: adds a FREE slot to its cache; a full cache first moves its older half to
    /// the shared list (where it stays findable).
    #[inline]
    fn push_cached(&self, c: &Cache, index: u32) {
        let mut n = c.len.load(Relaxed);
        if n == CACHE_SLOTS {
            n = self.spill(c);
        }
        c.buf[n].store(index, Relaxed);
        // Release: the entry is written before a reader that sees the new length reads it.
        c.len.store(n + 1, Release);
    }

    /// Moves the older half of a full cache to the shared list; returns the new length.
    #[cold]
    #[inline(never)]
    fn spill(&self, c: &Cache) -> usize {
        const HALF: usize = CACHE_SLOTS / 2;
        self.shared.overflow.lock().with(|v| {
            v.extend(c.buf[..HALF].iter().map(|e| e.load(Relaxed)));
        });
        for j in 0..CACHE_SLOTS - HALF {
            c.buf[j].store(c.buf[j + HALF].load(Relaxed), Relaxed);
        }
        let n = CACHE_SLOTS - HALF;
        c.len.store(n, Release);
        n
    }

    /// Whether the pool has a cap (and so tickets).
    #[inline]
    fn bounded(&self) -> bool {
        self.max.is_some()
    }

    /// The slot an ID points at, with the ID's generation and slot index, if that slot exists.
    #[inline(always)]
    fn lookup(&self, id: HandleId) -> Option<(&Slot<T>, u32, u32)> {
        let index = id.slot()?;
        Some((self.slot_at(index)?, id.generation(), index))
    }

    /// The slot with this index, if its chunk exists.
    #[inline(always)]
    fn slot_at(&self, index: u32) -> Option<&Slot<T>> {
        let (k, g, s) = locate(index);
        let chunk = self.chunks.get(k)?.load(Acquire);
        if chunk.is_null() {
            return None;
        }
        // SAFETY: a non-null `chunks[k]` points to `chunk_len(k)` initialised groups (the
        // Acquire load pairs with the publishing compare-exchange) that live until the pool is
        // dropped; `locate` returns `g < chunk_len(k)` and `s < GROUP`.
        Some(unsafe { &(*chunk.add(g)).slots[s] })
    }

    /// The slot for an index this pool has minted (its chunk exists).
    #[inline]
    fn slot_of_minted(&self, index: u32) -> &Slot<T> {
        match self.slot_at(index) {
            Some(s) => s,
            None => minted_without_chunk(),
        }
    }

    /// Moves the value out of `slot`.
    ///
    /// # Safety
    /// The caller must own the slot: LIVE was just cleared by the caller with no guard left
    /// (or the last guard of a released slot is the caller), and the value is initialised.
    #[inline]
    unsafe fn move_out(&self, slot: &Slot<T>) -> T {
        slot.value.with_mut(|p| {
            // SAFETY: guaranteed by the caller; the slot is marked not LIVE, so the value is
            // never read or dropped again through the slot.
            unsafe { (*p).assume_init_read() }
        })
    }

    /// One handle fewer in the live count.
    #[inline]
    fn count_release(&self, cache: Option<&Cache>) {
        match cache {
            Some(c) => Cache::bump(&c.released),
            None => {
                self.shared.live.fetch_sub(1, Relaxed);
            }
        }
    }

    /// After the value left an unguarded slot we own: FREE it (it keeps its ticket) into our
    /// cache, or retire it and refund the ticket.
    #[inline]
    fn free_unguarded(&self, cache: Option<&Cache>, slot: &Slot<T>, generation: u32, index: u32) {
        if generation == MAX_GENERATION {
            self.retire(cache, slot);
            return;
        }
        // Release: the value's move-out happens before the next owner's claim (Acquire).
        slot.set_state((u64::from(generation + 1) << 32) | FREE, Release);
        match cache {
            Some(c) => {
                self.push_cached(c, index);
                Cache::bump(&c.released);
            }
            None => {
                self.shared.overflow.lock().with(|v| v.push(index));
                self.shared.live.fetch_sub(1, Relaxed);
            }
        }
    }

    /// The slot's last generation ended: it stays dead (IDLE, generation `MAX_GENERATION`,
    /// on no list) and its ticket goes back to the counter.
    #[cold]
    fn retire(&self, cache: Option<&Cache>, slot: &Slot<T>) {
        slot.set_state((u64::from(MAX_GENERATION) << 32) | IDLE, Release);
        self.count_release(cache);
        self.refund();
    }

    /// A ticket whose slot cannot carry it goes back to the counter.
    #[cold]
    fn refund(&self) {
        if self.bounded() {
            self.shared.tickets.fetch_add(1, SeqCst);
        }
    }

    /// Takes up to `want` tickets.
    fn take_tickets(&self, want: usize) -> usize {
        let tickets = &self.shared.tickets;
        let mut have = tickets.load(Relaxed);
        if have == 0 {
            // Slow path: make sure with a read-modify-write, which reads the latest value (a
            // plain load may be older, which under loom it can stay forever).
            have = tickets.fetch_add(0, SeqCst);
        }
        loop {
            if have == 0 {
                return 0;
            }
            let n = have.min(want);
            match tickets.compare_exchange_weak(have, have - n, SeqCst, Relaxed) {
                Ok(_) => return n,
                Err(now) => have = now,
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn acquire_slow(&self, cache: Option<&Cache>) -> Result<(u32, u64), PoolError> {
        // Deferred slots whose readers are gone become spares again.
        self.reclaim_if_pending();
        let Some(max) = self.max else {
            // Unbounded: the shared list holds slots nobody else can take (no claims), else
            // mint a group.
            if let Some(i) = self.shared.overflow.lock().with(|v| v.pop()) {
                // The lock ordered the pusher's FREE store before this load.
                let s = self.slot_of_minted(i).state.load(Relaxed);
                return Ok((i, s & !FREE));
            }
            return self.mint_batch(cache, GROUP);
        };
        let mut step = 0u32;
        loop {
            // Slots that spilled out of caches first, then fresh tickets (a group of slots of
            // our own: no cache line shared with another thread's hot slots), and only then
            // slots sitting in other threads' caches.
            if let Some(got) = self.claim_listed() {
                return Ok(got);
            }
            // `minting` covers tickets between the counter and their slots, for the verdict.
            let minting = &self.shared.minting;
            minting.fetch_add(1, SeqCst);
            let n = self.take_tickets(GROUP);
            if n > 0 {
                let got = self.mint_batch(cache, n);
                if got.is_err() {
                    self.shared.tickets.fetch_add(n, SeqCst);
                }
                minting.fetch_sub(1, SeqCst);
                return got;
            }
            minting.fetch_sub(1, SeqCst);
            if let Some(got) = self.claim_cached(cache) {
                return Ok(got);
            }
            match self.verdict() {
                Verdict::Claimed(got) => return Ok(got),
                Verdict::Exhausted => return Err(PoolError::Exhausted { max }),
                Verdict::Busy => crate::sync::spin_wait(&mut step),
            }
        }
    }

    /// Bounded pools: claims a FREE slot named on the shared list.
    fn claim_listed(&self) -> Option<(u32, u64)> {
        self.shared.overflow.lock().with(|v| {
            while let Some(i) = v.pop() {
                // An entry whose slot is not FREE is stale (the slot was taken, and when it is
                // FREE again it will be pushed again): drop it.
                if let Some(s) = claim(self.slot_of_minted(i)) {
                    return Some((i, s));
                }
            }
            None
        })
    }

    /// Bounded pools: claims a FREE slot named in another thread's cache (dead threads'
    /// caches included).
    fn claim_cached(&self, cache: Option<&Cache>) -> Option<(u32, u64)> {
        for c in self.caches() {
            if cache.is_some_and(|mine| std::ptr::eq(mine, c)) {
                continue;
            }
            // Acquire: entries below a published length were written before it.
            let n = c.len.load(Acquire).min(CACHE_SLOTS);
            for e in &c.buf[..n] {
                let i = e.load(Relaxed);
                if let Some(s) = self.slot_at(i).and_then(claim) {
                    return Some((i, s));
                }
            }
        }
        None
    }

    /// Mints `n` slots (holding `n` tickets in a bounded pool): keeps one (returned, owned),
    /// FREEs the rest into this thread's cache (or the shared list).
    fn mint_batch(&self, cache: Option<&Cache>, n: usize) -> Result<(u32, u64), PoolError> {
        let mut batch = self.mint(n)?;
        let first = batch.pop().unwrap_or_else(|| minted_without_chunk());
        for (i, s) in batch {
            // Release: as in `free_unguarded`.
            self.slot_of_minted(i).set_state(s | FREE, Release);
            match cache {
                Some(c) => self.push_cached(c, i),
                None => self.shared.overflow.lock().with(|v| v.push(i)),
            }
        }
        Ok(first)
    }

    /// Produces `n` (1..=GROUP) owned slots (index, transient state): spares first, then a
    /// fresh group. Leftover fresh slots of the group become spares.
    fn mint(&self, n: usize) -> Result<Vec<(u32, u64)>, PoolError> {
        let mut out: Vec<(u32, u64)> = self.shared.spare.lock().with(|sp| {
            let keep = sp.len().saturating_sub(n);
            sp.split_off(keep)
                .into_iter()
                .map(|i| {
                    // Ours under the lock (the pusher's IDLE store is ordered before it).
                    let slot = self.slot_of_minted(i);
                    let s = slot.state.load(Relaxed) & !IDLE;
                    slot.set_state(s, Relaxed);
                    (i, s)
                })
                .collect()
        });
        if out.len() == n {
            return Ok(out);
        }
        let group = self.shared.next_group.fetch_add(1, SeqCst);
        let base = group.checked_mul(GROUP).filter(|b| *b < MAX_SLOTS);
        let Some(base) = base else {
            self.shared.spare.lock().with(|sp| {
                for (i, s) in out {
                    self.slot_of_minted(i).set_state(s | IDLE, Relaxed);
                    sp.push(i);
                }
            });
            return Err(PoolError::OutOfSlots);
        };
        let (k, _, _) = locate(base as u32);
        self.ensure_chunk(k);
        let mut extra = Vec::new();
        for i in 0..GROUP {
            let index = (base + i) as u32;
            let slot = self.slot_of_minted(index);
            // A never-used slot (state 0) gets generation 1. Nobody else can change it: it
            // is on no list and not LIVE or FREE, so others only read it.
            let s = 1 << 32;
            if out.len() < n {
                slot.set_state(s, Relaxed);
                out.push((index, s));
            } else {
                slot.set_state(s | IDLE, Relaxed);
                extra.push(index);
            }
        }
        if !extra.is_empty() {
            self.shared.spare.lock().with(|sp| sp.append(&mut extra));
        }
        Ok(out)
    }

    /// Makes sure chunk `k` is allocated.
    fn ensure_chunk(&self, k: usize) {
        if !self.chunks[k].load(Acquire).is_null() {
            return;
        }
        let groups: Box<[Group<T>]> = (0..chunk_len(k)).map(|_| Group::new()).collect();
        let fresh = Box::into_raw(groups) as *mut Group<T>;
        // AcqRel: Release publishes the initialised groups to `lookup`'s Acquire load.
        if self.chunks[k]
            .compare_exchange(std::ptr::null_mut(), fresh, AcqRel, Acquire)
            .is_err()
        {
            // SAFETY: `fresh` came from `Box::into_raw` of a slice of `chunk_len(k)` groups
            // just above and was never shared (the exchange failed).
            drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(fresh, chunk_len(k))) });
        }
    }

    /// The exhaustion check of a bounded pool, on a snapshot taken by double collect: read
    /// every minted slot's state (with read-modify-writes, so each read is the latest value),
    /// then the ticket and minting counters, and do it again. If nothing changed, every
    /// state held still between the two passes, and at the instant the first pass read the
    /// counters no ticket was free: no slot FREE or mid-operation, none in the counter, none
    /// being minted. States never repeat (a slot's generation moves on whenever it is freed;
    /// guard counts are masked out), so "the same value twice" means "untouched in between".
    /// A FREE slot seen on the way is claimed; a slot mid-operation means "look again".
    fn verdict(&self) -> Verdict {
        let first = match self.collect() {
            Ok(s) => s,
            Err(v) => return v,
        };
        let second = match self.collect() {
            Ok(s) => s,
            Err(v) => return v,
        };
        if first == second && first.ends_with(&[0, 0]) {
            Verdict::Exhausted
        } else {
            Verdict::Busy
        }
    }

    fn collect(&self) -> Result<Vec<u64>, Verdict> {
        let groups = self.shared.next_group.fetch_add(0, SeqCst);
        let slots = groups.saturating_mul(GROUP).min(MAX_SLOTS);
        let mut seen = Vec::with_capacity(slots + 3);
        seen.push(groups as u64);
        for i in 0..slots as u32 {
            let Some(slot) = self.slot_at(i) else {
                return Err(Verdict::Busy); // its chunk is being published
            };
            let s = slot.state.fetch_add(0, SeqCst);
            if s & FREE != 0 {
                // From `s`, the latest value: a plain load may be older (under loom, forever).
                return Err(match claim_from(slot, s) {
                    Some(st) => Verdict::Claimed((i, st)),
                    None => Verdict::Busy,
                });
            }
            if is_transient(s) {
                return Err(Verdict::Busy);
            }
            // A pending take leaves the handle live: TAKING does not count as a change.
            seen.push(s & !(REFS | TAKING));
        }
        seen.push(self.shared.tickets.fetch_add(0, SeqCst) as u64);
        seen.push(self.shared.minting.fetch_add(0, SeqCst) as u64);
        Ok(seen)
    }

    /// Called by the last guard of a released slot (which now owns it).
    #[cold]
    fn finish_guarded(&self, slot: &Slot<T>, generation: u32, index: u32) {
        if self.finish_released(slot, generation, index) {
            // Deferred for a `with` reader, which may have finished (and looked at the list)
            // meanwhile: one more look.
            self.reclaim();
        }
    }

    /// Drops the value of a released slot that we own, no guard left and its ticket already
    /// refunded, and makes the slot a spare (or leaves it retired) — unless a `with` reader
    /// may still be reading it: then the slot is deferred instead. Whether it was deferred.
    fn finish_released(&self, slot: &Slot<T>, generation: u32, index: u32) -> bool {
        if self.hazarded(self.readers(), index) {
            self.defer(slot, generation, index);
            return true;
        }
        // SAFETY: the slot is not LIVE and no guard or `with` reader is left, so nobody else
        // can reach the value (resolve, with, release and take need LIVE).
        let value = unsafe { self.move_out(slot) };
        if generation == MAX_GENERATION {
            // Retired: its ticket was refunded at release time.
            slot.set_state((u64::from(MAX_GENERATION) << 32) | IDLE, Release);
        } else {
            // Its ticket was refunded at release time: it rejoins as a spare.
            slot.set_state((u64::from(generation + 1) << 32) | IDLE, Release);
            self.shared.spare.lock().with(|sp| sp.push(index));
        }
        drop(value);
        false
    }

    // ---- `with` readers: hazard words and deferred drops ------------------------------------

    /// How many caches may hold a hazard (their owners used `with` on this pool): caches
    /// `0..n`, 0 while nobody has. Called after the read-modify-write that took LIVE away or
    /// announced TAKING, for [`hazarded`](Self::hazarded).
    #[inline(always)]
    fn readers(&self) -> usize {
        // Loom models SeqCst accesses as AcqRel, but SeqCst fences exactly; the fence here and
        // the one in `with` give the handshake loom's model of it.
        #[cfg(loom)]
        fence(SeqCst);
        self.readers.load(SeqCst).min(CACHES)
    }

    /// Whether a `with` reader may be reading slot `index`: the hazard of one of the first
    /// `readers` caches names it. The releasing half of the handshake: the caller took LIVE
    /// away (or announced TAKING) with a SeqCst read-modify-write first, then loaded `readers`;
    /// a reader names the slot with a SeqCst read-modify-write and then loads the state with
    /// SeqCst. In the single order of SeqCst operations one of the two loads comes after the
    /// other side's write: either the reader sees the handle gone, or this scan sees the hazard
    /// (or the reader's later clear, a Release store that our SeqCst load acquires, so its
    /// reads happen before whatever we do with the value next).
    #[inline(always)]
    fn hazarded(&self, readers: usize, index: u32) -> bool {
        readers != 0 && self.scan_hazards(readers, index)
    }

    #[cold]
    #[inline(never)]
    fn scan_hazards(&self, readers: usize, index: u32) -> bool {
        let tag = u64::from(index) + 1;
        self.caches[..readers].iter().any(|p| {
            let p = p.load(Acquire);
            // SAFETY: as in `my_cache`.
            !p.is_null() && unsafe { &*p }.hazard.0.load(SeqCst) == tag
        })
    }

    /// First `with` of this cache's owners on this pool: releases scan its hazard from now on.
    #[cold]
    #[inline(never)]
    fn register_reader(&self, cache: &Cache) {
        // SeqCst, before the first hazard is named: a releaser that loads `readers` after its
        // read-modify-write sees this (same argument as `hazarded`).
        self.readers.fetch_max(cache.number + 1, SeqCst);
        cache.reader.store(true, Relaxed);
    }

    /// Parks a released slot we own whose value a `with` reader may be reading: it keeps one
    /// guard (so it is not reused or counted free, and the pool's drop drops the value) and
    /// goes on the deferred list. Its ticket was refunded.
    #[cold]
    fn defer(&self, slot: &Slot<T>, generation: u32, index: u32) {
        // Release: the list's next owner sees the state (the lock orders it too).
        slot.set_state((u64::from(generation) << 32) | 1, Release);
        self.shared.deferred.lock().with(|v| {
            v.push(index);
            self.shared.deferred_len.store(v.len(), Relaxed);
        });
    }

    #[inline]
    fn reclaim_if_pending(&self) {
        if self.shared.deferred_len.load(Relaxed) != 0 {
            self.reclaim();
        }
    }

    /// Drops the deferred values no hazard names any more (the others go back on the list).
    #[cold]
    #[inline(never)]
    fn reclaim(&self) {
        let pending = self.shared.deferred.lock().with(|v| {
            self.shared.deferred_len.store(0, Relaxed);
            std::mem::take(v)
        });
        for index in pending {
            // Ours: popped from the list, whose pusher stored the state before pushing.
            let slot = self.slot_of_minted(index);
            let generation = gen_of(slot.state.load(Relaxed));
            self.finish_released(slot, generation, index);
        }
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn force_generation(&self, id: HandleId, generation: u32) {
        let (slot, _, _) = self.lookup(id).expect("slot exists");
        let s = slot.state.load(Relaxed);
        slot.set_state((u64::from(generation) << 32) | (s & FLAGS), Relaxed);
    }
}

#[cold]
#[inline(never)]
fn minted_without_chunk() -> ! {
    panic!("handlepool: minted slot without a chunk")
}

#[cold]
#[inline(never)]
fn guard_overflow() -> ! {
    // 2^28 - 1 simultaneous guards on one handle can only come from leaked guards.
    std::process::abort()
}

/// Ends a `with` read (also when `f` panics): clears the hazard, then drops deferred values
/// (this reader may be the one they waited for).
struct ReadScope<'a, T> {
    pool: &'a HandlePool<T>,
    hazard: &'a AtomicU64,
}

impl<T> Drop for ReadScope<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Release: our reads of the value happen before a releaser or reclaimer that loads the
        // cleared hazard (SeqCst, so acquiring) and drops the value.
        self.hazard.store(0, Release);
        if !std::thread::panicking() {
            self.pool.reclaim_if_pending();
        }
    }
}

/// Marks a live, unguarded handle TAKING (one SeqCst read-modify-write: the take's half of
/// `with`'s handshake, see `HandlePool::hazarded`); returns the new state. The handle stays
/// live: resolve still guards it, and a release still wins over it.
fn announce_take<T>(slot: &Slot<T>, generation: u32) -> Result<u64, TakeError> {
    let mut s = slot.state.load(Relaxed);
    let mut step = 0u32;
    loop {
        if gen_of(s) != generation || s & LIVE == 0 {
            return Err(TakeError::Unknown);
        }
        if s & REFS != 0 {
            return Err(TakeError::InUse);
        }
        if s & TAKING != 0 {
            // Another take of this handle is checking for readers (a bounded wait: that check
            // never waits for anyone). A read-modify-write reads the latest state (a load may
            // stay stale under loom).
            crate::sync::spin_wait(&mut step);
            s = slot.state.fetch_add(0, Relaxed);
            continue;
        }
        match slot
            .state
            .compare_exchange_weak(s, s | TAKING, SeqCst, Relaxed)
        {
            Ok(_) => return Ok(s | TAKING),
            Err(now) => s = now,
        }
    }
}

/// Withdraws a take's TAKING (a reader or guard turned up); nothing to do if a release won.
fn abandon_take<T>(slot: &Slot<T>, generation: u32) {
    let mut s = slot.state.load(Relaxed);
    while gen_of(s) == generation && s & (LIVE | TAKING) == LIVE | TAKING {
        match slot
            .state
            .compare_exchange_weak(s, s & !TAKING, Release, Relaxed)
        {
            Ok(_) => return,
            Err(now) => s = now,
        }
    }
}

impl<T> Drop for HandlePool<T> {
    fn drop(&mut self) {
        for (k, chunk) in self.chunks.iter().enumerate() {
            let p = chunk.load(Acquire);
            if p.is_null() {
                continue;
            }
            // SAFETY: a non-null chunk came from `Box::into_raw` of `chunk_len(k)` groups in
            // `ensure_chunk` and is freed only here, once (`&mut self`).
            let groups =
                unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, chunk_len(k))) };
            for slot in groups.iter().flat_map(|g| g.slots.iter()) {
                let s = slot.state.load(Relaxed);
                // LIVE, or released with a leaked (forgotten) guard: the value is still in
                // the slot and no borrow of the pool can exist any more.
                if s & (LIVE | REFS) != 0 {
                    slot.value.with_mut(|v| {
                        // SAFETY: the value is initialised (state says so) and unreachable.
                        unsafe { (*v).assume_init_drop() }
                    });
                }
            }
            drop(groups);
        }
        for c in &self.caches {
            let p = c.load(Acquire);
            if !p.is_null() {
                // SAFETY: came from `Box::into_raw` in `new_cache`; freed only here, once.
                drop(unsafe { Box::from_raw(p) });
            }
        }
    }
}

/// A shared borrow of a pooled value, from [`HandlePool::resolve`]. While it lives the value
/// stays alive even if the handle is released; the last guard of a released handle drops it.
pub struct Ref<'a, T> {
    pool: &'a HandlePool<T>,
    slot: &'a Slot<T>,
    index: u32,
}

// SAFETY: a `Ref` hands out `&T` (needs `T: Sync` to be used from another thread) and may drop
// the `T` on whichever thread drops it last (needs `T: Send`).
unsafe impl<T: Send + Sync> Send for Ref<'_, T> {}
// SAFETY: sharing a `Ref` shares `&T` only.
unsafe impl<T: Send + Sync> Sync for Ref<'_, T> {}

impl<T> Deref for Ref<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        self.slot.value.with(|p| {
            // SAFETY: this guard counts in the slot's state, so the value is initialised and is
            // not moved out or dropped until the guard goes (release defers, take refuses).
            unsafe { (*p).assume_init_ref() }
        })
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T> Drop for Ref<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Release: our reads of the value happen before whoever drops it.
        let prev = self.slot.state.fetch_sub(1, Release);
        if prev & LIVE == 0 && prev & REFS == 1 {
            // Last guard of a released handle. Acquire: see every other guard's reads.
            fence(Acquire);
            self.pool
                .finish_guarded(self.slot, gen_of(prev), self.index);
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize as StdAtomicUsize;

    /// Counts drops of values through a shared counter.
    pub(super) struct Counted(pub(super) Arc<StdAtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Relaxed);
        }
    }

    #[test]
    fn locate_covers_indices_contiguously() {
        // Walk the chunk layout the slow way and compare.
        let mut expect = Vec::new();
        'outer: for k in 0..3 {
            for g in 0..chunk_len(k) {
                for s in 0..GROUP {
                    expect.push((k, g, s));
                    if expect.len() == 600 {
                        break 'outer;
                    }
                }
            }
        }
        for (i, want) in expect.iter().enumerate() {
            assert_eq!(locate(i as u32), *want, "index {i}");
        }
        // The largest index lands in the last chunk, inside it.
        let (k, g, _) = locate(u32::MAX - 1);
        assert!(k < CHUNKS && g < chunk_len(k));
    }

    #[test]
    fn reuse_bumps_generation_and_old_id_stays_dead() {
        let pool = HandlePool::with_max_handles(1);
        let a = pool.acquire("a").unwrap();
        assert!(pool.release(a));
        let b = pool.acquire("b").unwrap();
        assert_eq!(a.slot(), b.slot(), "cap 1 reuses the one slot");
        assert_eq!(b.generation(), a.generation() + 1);
        assert!(pool.resolve(a).is_none());
        assert!(!pool.release(a));
        assert_eq!(pool.take(a), None);
        assert_eq!(*pool.resolve(b).unwrap(), "b");
    }

    #[test]
    fn generation_wrap_retires_the_slot() {
        let pool = HandlePool::with_max_handles(1);
        let first = pool.acquire(1u32).unwrap();
        let index = first.slot().unwrap();
        pool.force_generation(first, MAX_GENERATION);
        let last = HandleId::from_parts(MAX_GENERATION, index);
        assert!(pool.resolve(first).is_none(), "generation moved on");
        assert_eq!(*pool.resolve(last).unwrap(), 1);
        assert!(pool.release(last));
        assert!(pool.resolve(last).is_none());
        // The cap-1 pool must still work: the ticket came back, and a new slot is used.
        let next = pool.acquire(2).unwrap();
        assert_ne!(next.slot(), Some(index), "retired slot is never reused");
        assert_eq!(next.generation(), 1);
        assert!(pool.resolve(last).is_none() && pool.resolve(first).is_none());
        // No generation of the retired slot resolves, including the would-be wrapped ones.
        for g in [1, 2, MAX_GENERATION - 1, MAX_GENERATION] {
            assert!(pool.resolve(HandleId::from_parts(g, index)).is_none());
        }
        assert_eq!(pool.live(), 1);
    }

    #[test]
    fn generation_wrap_while_guarded_retires_on_last_guard() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = HandlePool::with_max_handles(1);
        let id = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
        pool.force_generation(id, MAX_GENERATION);
        let id = HandleId::from_parts(MAX_GENERATION, id.slot().unwrap());
        let guard = pool.resolve(id).unwrap();
        assert!(pool.release(id));
        assert_eq!(drops.load(Relaxed), 0, "guard keeps it alive");
        // Cap 1, the released handle no longer counts: a new acquire must succeed.
        let other = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
        drop(guard);
        assert_eq!(drops.load(Relaxed), 1);
        assert!(pool.release(other));
        assert_eq!(drops.load(Relaxed), 2);
        let again = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
        assert_ne!(again.slot(), id.slot());
        drop(pool);
        assert_eq!(drops.load(Relaxed), 3);
    }

    #[test]
    fn guarded_release_spare_slot_is_reused_without_extra_tickets() {
        let pool = HandlePool::with_max_handles(2);
        let a = pool.acquire(1).unwrap();
        let g = pool.resolve(a).unwrap();
        assert!(pool.release(a));
        let b = pool.acquire(2).unwrap();
        let c = pool.acquire(3).unwrap();
        assert_eq!(pool.acquire(4), Err(PoolError::Exhausted { max: 2 }));
        drop(g); // slot of `a` becomes a spare, not an extra ticket
        assert_eq!(pool.acquire(5), Err(PoolError::Exhausted { max: 2 }));
        assert!(pool.release(b));
        let d = pool.acquire(6).unwrap();
        assert_eq!(pool.live(), 2);
        assert_eq!(*pool.resolve(c).unwrap(), 3);
        assert_eq!(*pool.resolve(d).unwrap(), 6);
    }

    #[test]
    fn take_refuses_while_guarded_and_keeps_handle() {
        let pool = HandlePool::new();
        let id = pool.acquire(String::from("x")).unwrap();
        let g = pool.resolve(id).unwrap();
        assert_eq!(pool.try_take(id), Err(TakeError::InUse));
        assert_eq!(&*g, "x");
        drop(g);
        assert_eq!(pool.try_take(id).as_deref(), Ok("x"));
        assert_eq!(pool.try_take(id), Err(TakeError::Unknown));
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn forgotten_guard_leaks_nothing_at_pool_drop() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = HandlePool::new();
        let a = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
        let _b = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
        std::mem::forget(pool.resolve(a).unwrap());
        assert!(pool.release(a));
        assert_eq!(drops.load(Relaxed), 0);
        drop(pool);
        assert_eq!(drops.load(Relaxed), 2);
    }

    #[test]
    fn chunk_growth_keeps_addresses_and_values() {
        let n = if cfg!(miri) { 80 } else { 5_000 };
        let pool = HandlePool::unbounded();
        let ids: Vec<_> = (0..n).map(|i| pool.acquire(i).unwrap()).collect();
        let first = pool.resolve(ids[0]).unwrap();
        let p: *const usize = &*first;
        let more: Vec<_> = (0..n).map(|i| pool.acquire(n + i).unwrap()).collect();
        assert_eq!(p, &*first as *const usize, "no reallocation moves values");
        drop(first);
        for (i, id) in ids.iter().chain(more.iter()).enumerate() {
            assert_eq!(*pool.resolve(*id).unwrap(), i);
        }
        assert_eq!(pool.live(), 2 * n);
    }

    #[test]
    fn max_zero_always_exhausted() {
        let pool = HandlePool::with_max_handles(0);
        assert_eq!(pool.acquire(()), Err(PoolError::Exhausted { max: 0 }));
        assert_eq!(pool.live(), 0);
    }
}

#[cfg(all(test, not(loom)))]
mod cache_tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    #[test]
    fn full_cache_spills_to_the_list_and_is_stolen_after_thread_exit() {
        let n = 3 * CACHE_SLOTS;
        let pool = Arc::new(HandlePool::with_max_handles(n));
        // One thread acquires and frees everything (its cache fills, half of it spills), then
        // exits with its cache still holding free slots and their tickets.
        let ids = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                let ids: Vec<_> = (0..n).map(|i| pool.acquire(i).unwrap()).collect();
                for id in &ids {
                    assert!(pool.release(*id));
                }
                ids
            })
            .join()
            .unwrap()
        };
        assert_eq!(pool.live(), 0);
        // Another thread must get all `n` tickets back out of that cache and the list.
        let again: Vec<_> = (0..n).map(|i| pool.acquire(i + n).unwrap()).collect();
        assert_eq!(pool.acquire(0), Err(PoolError::Exhausted { max: n }));
        assert_eq!(pool.live(), n);
        for id in ids {
            assert!(pool.resolve(id).is_none());
        }
        for (i, id) in again.iter().enumerate() {
            assert_eq!(*pool.resolve(*id).unwrap(), i + n);
        }
    }

    #[test]
    fn steals_from_a_live_idle_threads_cache() {
        // A thread fills its cache with free slots (all tickets) and stays alive doing nothing:
        // the other thread must still reach the cap, exactly.
        let max = CACHE_SLOTS / 2;
        let pool = Arc::new(HandlePool::with_max_handles(max));
        let parked = Arc::new(Barrier::new(2));
        let idle = {
            let (pool, parked) = (Arc::clone(&pool), Arc::clone(&parked));
            std::thread::spawn(move || {
                let ids: Vec<_> = (0..max).map(|i| pool.acquire(i).unwrap()).collect();
                for id in ids {
                    assert!(pool.release(id));
                }
                parked.wait(); // cache full of free slots
                parked.wait(); // main is done
            })
        };
        parked.wait();
        let mine: Vec<_> = (0..max)
            .map(|i| {
                pool.acquire(i)
                    .expect("free slots in an idle cache: no Exhausted")
            })
            .collect();
        assert_eq!(pool.acquire(0), Err(PoolError::Exhausted { max }));
        assert_eq!(pool.live(), max);
        parked.wait();
        idle.join().unwrap();
        for id in mine {
            assert!(pool.release(id));
        }
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn thread_without_cache_uses_the_shared_list_exactly() {
        // The path of threads numbered past the cache table (or tearing down): driven here
        // directly with `None`, mixed with cached operations on this thread.
        for max in [Some(3), None] {
            let pool = match max {
                Some(m) => HandlePool::with_max_handles(m),
                None => HandlePool::unbounded(),
            };
            let a = pool.acquire_in(None, 1).unwrap();
            let b = pool.acquire(2).unwrap();
            let c = pool.acquire_in(None, 3).unwrap();
            assert_eq!(pool.live(), 3);
            if max.is_some() {
                assert!(pool.acquire_in(None, 4).is_err());
                assert!(pool.acquire(4).is_err());
            }
            assert!(pool.release_in(a, || None));
            assert!(!pool.release_in(a, || None));
            assert!(pool.release(c));
            assert_eq!(pool.live(), 1);
            let d = pool.acquire_in(None, 5).unwrap();
            let e = pool.acquire(6).unwrap();
            assert_eq!(*pool.resolve(b).unwrap(), 2);
            assert_eq!(*pool.resolve(d).unwrap(), 5);
            assert_eq!(*pool.resolve(e).unwrap(), 6);
            assert!(pool.resolve(a).is_none() && pool.resolve(c).is_none());
            assert_eq!(pool.live(), 3);
            for id in [b, d, e] {
                assert!(pool.release_in(id, || None));
            }
            assert_eq!(pool.live(), 0);
        }
    }

    #[test]
    fn more_threads_than_cache_slots_stay_exact() {
        // More threads alive at once than the cache table has entries: some take the shared
        // path; counts and the cap stay exact.
        let threads = CACHES + 4;
        let per = if cfg!(miri) { 5 } else { 200 };
        let pool = Arc::new(HandlePool::with_max_handles(threads));
        let barrier = Arc::new(Barrier::new(threads));
        let hs: Vec<_> = (0..threads)
            .map(|t| {
                let (pool, barrier) = (Arc::clone(&pool), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    for i in 0..per {
                        let id = pool
                            .acquire(t * per + i)
                            .expect("one each: never exhausted");
                        assert_eq!(*pool.resolve(id).unwrap(), t * per + i);
                        assert!(pool.release(id));
                    }
                    barrier.wait();
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(pool.live(), 0);
        let all: Vec<_> = (0..threads).map(|i| pool.acquire(i).unwrap()).collect();
        assert_eq!(pool.live(), threads);
        assert!(pool.acquire(0).is_err());
        drop(all);
    }

    #[test]
    fn exhausted_verdict_sees_a_release_racing_with_claims() {
        // Cap 2: this thread holds one handle for good; two threads take turns with the other
        // ticket. An acquire may fail only while the other thread holds that ticket, so with
        // `holder` tracking it, a failure with `holder` empty would be spurious.
        use std::sync::atomic::{AtomicUsize as A, Ordering::SeqCst as S};
        let pool = Arc::new(HandlePool::with_max_handles(2));
        let pinned = pool.acquire(usize::MAX).unwrap();
        let holders = Arc::new(A::new(0));
        let rounds = if cfg!(miri) { 20 } else { 20_000 };
        let hs: Vec<_> = (0..2)
            .map(|t| {
                let (pool, holders) = (Arc::clone(&pool), Arc::clone(&holders));
                std::thread::spawn(move || {
                    let mut fails = 0;
                    for i in 0..rounds {
                        match pool.acquire(t * rounds + i) {
                            Ok(id) => {
                                assert_eq!(holders.fetch_add(1, S), 0, "cap 2 exceeded");
                                holders.fetch_sub(1, S);
                                assert!(pool.release(id));
                            }
                            Err(_) => fails += 1,
                        }
                    }
                    fails
                })
            })
            .collect();
        let fails: usize = hs.into_iter().map(|h| h.join().unwrap()).sum();
        assert!(fails < 2 * rounds, "somebody must have succeeded");
        assert_eq!(pool.live(), 1);
        assert!(pool.release(pinned));
        let again = [pool.acquire(0).unwrap(), pool.acquire(1).unwrap()];
        assert!(pool.acquire(2).is_err());
        assert_eq!(pool.live(), 2);
        for id in again {
            assert!(pool.release(id));
        }
    }
}

#[cfg(all(test, not(loom)))]
mod unbounded_tests {
    use super::*;
    use std::sync::{Arc, mpsc};

    #[test]
    fn private_cache_reuses_slots_and_counts_exactly() {
        let pool = HandlePool::unbounded();
        let first: Vec<_> = (0..10).map(|i| pool.acquire(i).unwrap()).collect();
        assert_eq!(pool.live(), 10);
        for (n, id) in first.iter().enumerate() {
            assert!(pool.release(*id));
            assert_eq!(pool.live(), 9 - n);
        }
        let second: Vec<_> = (0..10).map(|i| pool.acquire(i).unwrap()).collect();
        assert_eq!(pool.live(), 10);
        let mut a: Vec<_> = first.iter().map(|i| i.slot()).collect();
        let mut b: Vec<_> = second.iter().map(|i| i.slot()).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "freed slots are reused");
        for id in &first {
            assert!(pool.resolve(*id).is_none());
        }
        // Released on another thread: counts stay exact.
        let pool = Arc::new(pool);
        let p2 = Arc::clone(&pool);
        std::thread::spawn(move || {
            for id in second {
                assert!(p2.release(id));
            }
        })
        .join()
        .unwrap();
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn producer_consumer_memory_stays_bounded() {
        let pool = Arc::new(HandlePool::unbounded());
        let n = if cfg!(miri) { 200 } else { 20_000 };
        let (tx, rx) = mpsc::sync_channel::<HandleId>(8);
        let producer = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                let mut max_slot = 0;
                for i in 0..n {
                    let id = pool.acquire(i).unwrap();
                    max_slot = max_slot.max(id.slot().unwrap());
                    tx.send(id).unwrap();
                }
                max_slot
            })
        };
        let consumer = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                for (i, id) in rx.into_iter().enumerate() {
                    assert_eq!(pool.take(id), Some(i));
                }
            })
        };
        let max_slot = producer.join().unwrap();
        consumer.join().unwrap();
        assert_eq!(pool.live(), 0);
        // In flight: <= 8 queued + 2 in hand; hidden in the consumer's private cache: <= 64;
        // minting rounds up to groups of 8. Far below `n` if freed slots are found again.
        assert!(
            max_slot < 256,
            "slots are not being reused: max index {max_slot}"
        );
    }
}

#[cfg(all(test, not(loom)))]
mod with_tests {
    use super::tests::Counted;
    use super::*;
    use std::sync::atomic::AtomicUsize as StdAtomicUsize;
    use std::sync::{Arc, Barrier};

    fn counted(drops: &Arc<StdAtomicUsize>) -> Counted {
        Counted(Arc::clone(drops))
    }

    #[test]
    fn reads_live_handles_and_refuses_dead_ones() {
        for pool in [HandlePool::with_max_handles(4), HandlePool::unbounded()] {
            let a = pool.acquire(String::from("a")).unwrap();
            let b = pool.acquire(String::from("b")).unwrap();
            assert_eq!(pool.with(a, |v| v.clone()).as_deref(), Some("a"));
            assert_eq!(pool.with(b, String::len), Some(1));
            assert!(pool.release(a));
            assert_eq!(pool.with(a, |_| unreachable!("released")), None);
            let zero_gen = HandleId::from_parts(b.generation() + 1, b.slot().unwrap());
            assert_eq!(pool.with(zero_gen, |_| unreachable!("stale")), None);
            let far = HandleId::from_parts(1, 1 << 30);
            assert_eq!(pool.with(far, |_| unreachable!("no chunk")), None);
            // The hazard is cleared after each read: take works, and the next read too.
            assert_eq!(pool.take(b).as_deref(), Some("b"));
            assert_eq!(pool.live(), 0);
        }
    }

    #[test]
    fn release_inside_the_closure_drops_right_after_it() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = HandlePool::with_max_handles(1);
        let id = pool.acquire(counted(&drops)).unwrap();
        let seen = pool.with(id, |v| {
            assert!(pool.release(id));
            assert!(pool.resolve(id).is_none() && !pool.release(id));
            assert_eq!(pool.live(), 0);
            // The ticket is back (cap 1): a new handle fits while the old value is read.
            let other = pool.acquire(counted(&drops)).unwrap();
            assert!(pool.release(other));
            // `v` is still readable: not dropped yet.
            assert!(Arc::ptr_eq(&v.0, &drops));
            drops.load(Relaxed)
        });
        assert_eq!(seen, Some(1), "only `other` was dropped inside");
        assert_eq!(drops.load(Relaxed), 2, "dropped once `with` returned");
        drop(pool);
        assert_eq!(drops.load(Relaxed), 2, "and only once");
    }

    #[test]
    fn take_inside_the_closure_is_in_use_and_the_handle_stays_live() {
        let pool = HandlePool::new();
        let id = pool.acquire(7u32).unwrap();
        let r = pool.with(id, |v| {
            assert_eq!(pool.try_take(id), Err(TakeError::InUse));
            assert_eq!(pool.with(id, |w| *w + 1), Some(8), "nested read (guarded)");
            *v
        });
        assert_eq!(r, Some(7));
        assert_eq!(*pool.resolve(id).unwrap(), 7, "still live");
        assert_eq!(pool.try_take(id), Ok(7));
        assert_eq!(pool.try_take(id), Err(TakeError::Unknown));
    }

    #[test]
    fn a_panicking_closure_clears_its_hazard() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = HandlePool::new();
        let id = pool.acquire(counted(&drops)).unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.with(id, |_| panic!("reader fails"));
        }));
        assert!(caught.is_err());
        assert!(pool.release(id));
        assert_eq!(drops.load(Relaxed), 1, "no hazard left: dropped at release");
    }

    #[test]
    fn release_on_another_thread_waits_for_the_reader() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let id = pool.acquire(counted(&drops)).unwrap();
        let inside = Arc::new(Barrier::new(2));
        let reader = {
            let (pool, inside, drops) =
                (Arc::clone(&pool), Arc::clone(&inside), Arc::clone(&drops));
            std::thread::spawn(move || {
                pool.with(id, |v| {
                    inside.wait(); // reading
                    inside.wait(); // the main thread released meanwhile
                    assert_eq!(drops.load(Relaxed), 0, "dropped under a reader");
                    assert!(Arc::ptr_eq(&v.0, &drops));
                })
            })
        };
        inside.wait();
        assert!(pool.release(id));
        assert_eq!(drops.load(Relaxed), 0, "deferred: the reader is inside");
        assert!(pool.resolve(id).is_none());
        assert!(matches!(pool.try_take(id), Err(TakeError::Unknown)));
        // Cap 1 and the handle is released: a new one fits while the old value waits.
        let other = pool.acquire(counted(&drops)).unwrap();
        inside.wait();
        assert_eq!(reader.join().unwrap(), Some(()));
        assert_eq!(
            drops.load(Relaxed),
            1,
            "the reader dropped it on its way out"
        );
        assert!(pool.release(other));
        assert_eq!(drops.load(Relaxed), 2);
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn take_on_another_thread_fails_while_read_and_the_last_guard_defers() {
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = Arc::new(HandlePool::new());
        let id = pool.acquire(counted(&drops)).unwrap();
        let inside = Arc::new(Barrier::new(2));
        let reader = {
            let (pool, inside) = (Arc::clone(&pool), Arc::clone(&inside));
            std::thread::spawn(move || {
                pool.with(id, |_| {
                    inside.wait();
                    inside.wait();
                })
            })
        };
        inside.wait();
        assert!(matches!(pool.try_take(id), Err(TakeError::InUse)));
        // A guard as well: the release leaves the value to the last guard, which finds the
        // reader and defers it.
        let guard = pool.resolve(id).unwrap();
        assert!(pool.release(id));
        drop(guard);
        assert_eq!(drops.load(Relaxed), 0, "the reader is still inside");
        inside.wait();
        reader.join().unwrap();
        assert_eq!(drops.load(Relaxed), 1);
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn deferred_values_are_dropped_by_the_pool_at_the_latest() {
        // The reader clears its hazard but never runs a reclaim (its thread's view of the
        // list is forced empty by doing the release after the reader left): nothing leaks.
        let drops = Arc::new(StdAtomicUsize::new(0));
        let pool = HandlePool::unbounded();
        let id = pool.acquire(counted(&drops)).unwrap();
        let cache = pool.my_cache().unwrap();
        // Simulate a reader of this slot on this thread's hazard word, then a release.
        cache
            .hazard
            .0
            .store(u64::from(id.slot().unwrap()) + 1, SeqCst);
        pool.register_reader(cache);
        assert!(pool.release(id));
        assert_eq!(drops.load(Relaxed), 0);
        cache.hazard.0.store(0, SeqCst);
        drop(pool);
        assert_eq!(drops.load(Relaxed), 1);
    }
}
