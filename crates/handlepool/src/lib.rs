//! `handlepool`: the host-side twin of Go's `runtime/cgo.Handle`.
//!
//! Host values (closures, channels, objects) get an opaque, non-zero `u64` [`HandleId`] that
//! can cross an FFI boundary and come back; the ID resolves to the value until it is released.
//! A pool is concurrent (readers never block each other), bounded by an exact soft cap
//! ([`DEFAULT_MAX_HANDLES`] = 4096 by default), and generation-checked: a released ID never
//! resolves again, even after its slot is reused. Pools are independent of each other.
//!
//! It must never: hand out ID 0; resolve a released ID; let more than `max` handles be live;
//! drop a value while a [`Ref`] to it exists, twice, or while holding a lock; block a reader
//! on another reader; panic on any ID a foreign caller makes up.
//!
//! ```
//! use handlepool::{HandleId, HandlePool};
//! let pool = HandlePool::new();
//! let id = pool.acquire(String::from("chan #1")).unwrap();
//! let raw: u64 = id.get(); // hand this across the boundary; it comes back as `raw`
//! assert_eq!(*pool.resolve(HandleId::try_from(raw).unwrap()).unwrap(), "chan #1");
//! assert!(pool.release(id) && pool.resolve(id).is_none() && !pool.release(id));
//! ```
//!
//! # API at a glance
//!
//! * [`HandlePool::new`], [`with_max_handles`](HandlePool::with_max_handles),
//!   [`unbounded`](HandlePool::unbounded), and the seed's convention
//!   [`from_max_setting`](HandlePool::from_max_setting) (negative = unbounded).
//! * [`acquire`](HandlePool::acquire) → `Result<HandleId, PoolError>` (or
//!   [`try_acquire`](HandlePool::try_acquire), which hands the value back when full);
//!   [`resolve`](HandlePool::resolve) → `Option<Ref<'_, T>>`; [`release`](HandlePool::release)
//!   → `bool`; [`take`](HandlePool::take) / [`try_take`](HandlePool::try_take) → the value;
//!   [`live`](HandlePool::live).
//! * `HandlePool<T>` is `Send` when `T: Send` and `Sync` when `T: Send + Sync` (values move in
//!   and out on any thread, and `&T` is shared between threads); `Ref` is `Send`/`Sync` when
//!   `T: Send + Sync` (the last guard may drop the value on its thread):
//!
//! ```compile_fail
//! fn needs_sync<T: Sync>(_: &T) {}
//! let pool = handlepool::HandlePool::<std::rc::Rc<u8>>::new();
//! needs_sync(&pool); // Rc is neither Send nor Sync
//! ```
//! ```compile_fail
//! fn needs_sync<T: Sync>(_: &T) {}
//! let pool = handlepool::HandlePool::<std::cell::Cell<u8>>::new();
//! needs_sync(&pool); // Cell is Send but not Sync: `&Cell` must not reach two threads
//! ```
//! ```compile_fail
//! fn needs_send<T: Send>(_: T) {}
//! let pool = handlepool::HandlePool::<std::rc::Rc<u8>>::new();
//! needs_send(pool);
//! ```
//!
//! # Design
//!
//! * **Slots** live in lazily allocated chunks (chunk `k` holds `256 << k` slots), so a slot
//!   never moves and lookups never take a lock. Slots are minted in cache-line aligned groups
//!   of 8, so slots minted by different threads do not share a cache line.
//! * Each slot has one atomic **state word**: generation (32 bits) | `LIVE` (1 bit) | number of
//!   live [`Ref`] guards (31 bits). An ID is `generation << 32 | (slot index + 1)`; both halves
//!   are non-zero, so an ID is never 0.
//! * [`resolve`](HandlePool::resolve) loads the state and compares generation and `LIVE` (a
//!   stale or foreign ID costs two loads and no write), then increments the guard count with
//!   one compare-exchange. Dropping the [`Ref`] decrements it. Readers only touch the slot's
//!   word: they never wait for each other or for writers.
//! * [`release`](HandlePool::release) clears `LIVE` with one compare-exchange. If no guard is
//!   held, the releaser owns the slot: it moves the value out, bumps the generation, puts the
//!   slot on its thread's free list, and only then drops the value, with no lock held. If
//!   guards are held, the last guard to drop does the same (the value is dropped on that
//!   thread, outside any lock). [`take`](HandlePool::take) succeeds only when no guard is held.
//! * **Free lists** are sharded (8 shards, each on its own cache lines; a thread uses shard
//!   `thread number % 8`, where thread numbers are small, unique among live threads and
//!   recycled when a thread exits). A shard is a free list under a spin lock (one atomic
//!   exchange to lock, one plain store to unlock) plus a 64-entry ring that only the shard's
//!   *owner* (the thread whose number is the shard index) writes, without any lock or atomic
//!   read-modify-write; lock holders consume it. So an acquire costs one read-modify-write
//!   (the lock), and an owner's release one (the state compare-exchange): a pair is two.
//!   Other threads release under the lock. A thread whose shard is empty steals half of
//!   another shard's free slots (its ring included). In an **unbounded** pool there are no
//!   tickets to keep findable, so the owner also pops its ring without the lock (a private
//!   stack of at most 64 slots; more spill to the shared list): its pair costs one
//!   read-modify-write.
//! * **Exact cap via tickets**: a bounded pool has exactly `max` tickets. A free slot on a free
//!   list carries a ticket; the rest sit in a counter until they are minted into slots (8 at
//!   a time). Acquiring takes a ticket with the slot; releasing returns it with the slot. A
//!   slot released while guarded cannot be reused yet, so its ticket goes back to the counter
//!   at once and the slot later becomes a ticket-less *spare* that minting reuses. Live
//!   handles therefore never exceed `max`. An acquire fails only after a verdict taken with
//!   every shard locked (a consistent snapshot): no free slot, no ticket in the counter, none
//!   in transit between places. Releases still in progress count as live until they return.
//!
//! # Generation wrap
//!
//! Generations run from 1 to [`MAX_GENERATION`] (`u32::MAX`) per slot. When a slot's value
//! leaves it in its last generation, the slot is **retired**: it keeps generation
//! `u32::MAX`, is never marked live again and never goes back on a free list, and a bounded
//! pool gets its ticket back so the cap is unaffected. So no ID ever comes back to life, at the
//! cost of one slot (16 bytes + `size_of::<T>()`) per 4 294 967 295 reuses of that slot. The
//! 32-bit index space (up to [`MAX_SLOTS`] slots) is exhausted only after that many slots were
//! minted; then acquire reports [`PoolError::OutOfSlots`].
//!
//! # Memory ordering
//!
//! * `acquire` writes the value, then stores `LIVE` with `Release`. `resolve`, `release` and
//!   `take` change the state with `Acquire` read-modify-writes, which read from that store or
//!   a later read-modify-write in its release sequence, so they see the value initialised.
//! * A guard's decrement is `Release`; the thread that moves the value out (the releaser when
//!   it saw zero guards, via its `Acquire` compare-exchange, or the last guard, via an
//!   `Acquire` fence) therefore sees every guard's reads happen before the move. Guards and
//!   the move-out never overlap because a guard can only be created while `LIVE` is set and
//!   only one thread clears it.
//! * After the move-out the slot is handed on only through a free list or the spare list,
//!   both under a lock whose unlock (`Release`) / lock (`Acquire`) order the generation bump
//!   and the old value's removal before the next owner writes a new value.
//! * Chunks are published with an `AcqRel` compare-exchange and read with `Acquire`.
//! * The exhaustion verdict and the transit counter use `SeqCst` read-modify-writes (slow path
//!   only), so a ticket moving between places is never missed.
//!
//! These arguments are model-checked with [loom](https://docs.rs/loom): the pool's atomics and
//! cells come from a small `sync` shim that switches to loom's under `--cfg loom`:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p handlepool --release --lib loom
//! ```
//!
//! # Miri
//!
//! Miri is not installed in this project's toolchain (stable only, and the machine cannot
//! download the nightly `miri` component), so the suite has not been run under Miri. The tests
//! are written to be Miri-compatible: iteration counts drop under `cfg(miri)` (see
//! `tests/it/main.rs`), nothing calls FFI, and nothing depends on timing. Miri would not
//! run: the `compile_fail` doctests (nothing to run) and the benchmark. Its weak-memory
//! emulation is also less exhaustive than loom for the interleavings above.
//!
//! # Performance
//!
//! `cargo xtask bench pool` compares this pool with the seed's `Mutex<HashMap>`,
//! `sharded-slab`, `slotmap` under a mutex, and Go's `runtime/cgo.Handle`, and prints the
//! floor: a resolve hit costs two atomic read-modify-writes (guard up, guard down), an
//! acquire/release pair two (shard lock; state compare-exchange), a stale miss two dependent
//! loads. One read-modify-write costs about 5 ns on the 2-core AMD EPYC VM this was built on,
//! so ~10 ns is the floor of both a guarded resolve and an exact-cap pair there. Going lower
//! needs either no guard (values reclaimed by epochs or hazard pointers: a fence per read on
//! x86, which costs as much as the read-modify-write, unless the reclaimer uses asymmetric
//! fences such as Linux `membarrier`, which this crate's dependency budget does not allow) or
//! a non-exact cap (tickets cached per thread without a way for others to steal them).

#![warn(missing_docs)]

mod id;
mod pool;
mod spin;
mod sync;

#[cfg(all(test, loom))]
mod loom_tests;

pub use id::{HandleId, ZeroHandleId};
pub use pool::{
    DEFAULT_MAX_HANDLES, HandlePool, MAX_GENERATION, MAX_SLOTS, PoolError, Ref, TakeError,
};
