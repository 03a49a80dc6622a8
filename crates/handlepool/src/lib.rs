//! `handlepool`: the host-side twin of Go's `runtime/cgo.Handle`.
//!
//! Host values (closures, channels, objects) get an opaque, non-zero `u64` [`HandleId`] that
//! can cross an FFI boundary and come back; the ID resolves to the value until it is released.
//! A pool is concurrent (readers never block each other), bounded by an exact soft cap
//! ([`DEFAULT_MAX_HANDLES`] = 4096 by default), and generation-checked: a released ID never
//! resolves again, even after its slot is reused. Pools are independent of each other.
//!
//! It must never: hand out ID 0; resolve a released ID; let more than `max` handles be live;
//! drop a value while a [`Ref`] to it exists or a [`with`](HandlePool::with) closure reads it,
//! twice, or while holding a lock; block a reader on another reader; panic on any ID a foreign
//! caller makes up.
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
//!   [`resolve`](HandlePool::resolve) → `Option<Ref<'_, T>>`, or the cheaper closure-scoped
//!   read [`with`](HandlePool::with)`(id, |v| …)` → `Option<R>`;
//!   [`release`](HandlePool::release) → `bool`; [`take`](HandlePool::take) /
//!   [`try_take`](HandlePool::try_take) → the value; [`live`](HandlePool::live).
//! * Which read: `resolve` when the borrow must outlive a call or be handed around (a [`Ref`]
//!   guard; two atomic read-modify-writes per read, and a released value is dropped the moment
//!   its last guard goes); `with` for a look, a copy or a clone (one read-modify-write; a value
//!   released while a `with` on another thread reads it is dropped after that closure, by that
//!   thread or a later release in the pool — see [`with`](HandlePool::with)).
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
//! * Each slot has one atomic **state word**: generation (32 bits) | `LIVE` | `FREE` | `IDLE`
//!   | `TAKING` (1 bit each) | number of live [`Ref`] guards (28 bits). An ID is
//!   `generation << 32 | (slot index + 1)`; both halves are non-zero, so an ID is never 0.
//!   `FREE`: no value, reusable, and in a bounded pool it carries a ticket (below); whoever
//!   clears it with a compare-exchange (a *claim*) owns the slot. `IDLE`: no value and no
//!   ticket (a spare, or retired). `TAKING` (with `LIVE`): a take is checking for `with`
//!   readers. No flag and no guard: owned by one thread mid-operation.
//! * [`resolve`](HandlePool::resolve) loads the state and compares generation and `LIVE` (a
//!   stale or foreign ID costs two loads and no write), then increments the guard count with
//!   one compare-exchange. Dropping the [`Ref`] decrements it. Readers only touch the slot's
//!   word: they never wait for each other or for writers.
//! * [`release`](HandlePool::release) clears `LIVE` with one compare-exchange. If no guard is
//!   held, the releaser owns the slot: it moves the value out, bumps the generation, marks the
//!   slot `FREE`, puts it in its thread's cache, and only then drops the value, with no lock
//!   held. If guards are held, the last guard to drop moves the value out and drops it (on its
//!   thread, outside any lock). [`take`](HandlePool::take) succeeds only when no guard is held.
//! * **`with` readers** ([`with`](HandlePool::with)) announce themselves in a hazard word of
//!   their thread's cache instead of the slot: name the slot (one read-modify-write), check the
//!   handle, run the closure, clear the word (a plain store). Once a thread has used `with` on a
//!   pool, a release there (after clearing `LIVE`), and a last guard, read the hazard words of
//!   such threads; a value one of them names is not dropped but **deferred**: the slot keeps
//!   one guard (so it is neither reused nor counted free; its ticket goes back at once) and goes
//!   on a shared list, which the reader empties on its way out and every later release, failing
//!   acquire and the pool's drop empty too. A take first marks the slot `TAKING` (the handle
//!   stays live), then reads the hazard words: a reader there makes it fail with `InUse`; a
//!   reader that sees `TAKING` reads through a guard instead, which the take's final
//!   compare-exchange sees. Pools nobody calls `with` on pay one load per release for this.
//! * **Per-thread caches.** Each thread has a small number (unique among live threads,
//!   recycled when a thread exits); thread `n` uses cache `n` of each pool it touches,
//!   allocated on first use and owned by the pool (so a thread's exit loses nothing: the next
//!   thread given that number inherits the cache, and others can take from it meanwhile). A
//!   cache is a 64-entry stack of free slot indices plus the thread's share of the live count,
//!   written only by its owner with plain stores. A full cache moves its older half to a
//!   shared, spin-locked list; threads without a cache (numbered past 128, or tearing down
//!   their thread-locals) use that list directly.
//! * **Bounded pools**: a cache entry is only a hint; the slot's `FREE` bit is the truth. The
//!   owner pops an entry and claims the slot (one compare-exchange; an entry whose slot someone
//!   else claimed meanwhile is skipped), so an acquire/release pair costs two read-modify-writes
//!   (claim, clear `LIVE`) and touches only the thread's cache line and the slot's. A thread
//!   whose cache is empty claims a slot named on the shared list, else takes tickets and mints
//!   slots of its own (so threads' hot slots do not share cache lines), else claims a slot
//!   named in another thread's cache (live or exited), else runs the exhaustion check (below).
//! * **Unbounded pools** have no tickets to keep findable, so a cache is private to its owner:
//!   it pops without a claim, and a pair costs one read-modify-write (clear `LIVE`). Freed
//!   slots beyond 64 per thread go to the shared list, where other threads reuse them.
//! * **Exact cap via tickets**: a bounded pool has exactly `max` tickets: on `FREE` slots, on
//!   live slots, in a counter (not yet minted into slots; minting takes up to 8 at a time and
//!   the thread keeps the extra slots `FREE` in its cache), or in a minting thread's hands
//!   (counted by a `minting` counter). A slot released while guarded cannot be reused yet, so
//!   its ticket goes back to the counter at once and the slot later becomes an `IDLE` spare that
//!   minting reuses; a retired slot's ticket goes back too. Live handles therefore never exceed
//!   `max`. An acquire fails only after a **double collect**: read every minted slot's state
//!   and then the two counters, twice, with read-modify-writes (each reads the latest value).
//!   A `FREE` slot seen on the way is claimed; a slot mid-operation means "look again". If both
//!   passes agree, no slot changed in between (states never repeat: the generation moves on
//!   whenever a slot is freed; guard counts are left out), so at the instant the first pass
//!   read the counters no ticket was free: `max` handles were live (a release still in
//!   progress counts until it returns). This costs time proportional to the pool's size, on the
//!   failing path only.
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
//! * After the move-out the releaser marks the slot `FREE` with a `Release` store; the next
//!   owner claims it with an `Acquire` compare-exchange (or, in an unbounded pool, is the same
//!   thread, or took it from the shared list under its lock), so the old value's removal
//!   happens before the new value is written. Cache entries are published with `Release` length
//!   stores and read with `Acquire`, but they are only hints: ownership is the claim.
//! * Chunks and caches are published with an `AcqRel` compare-exchange and read with `Acquire`.
//! * The exhaustion check reads with `SeqCst` read-modify-writes (failing path only), and the
//!   ticket and minting counters change with `SeqCst` read-modify-writes, so nothing is read
//!   stale.
//! * `with`'s handshake is store buffering made safe by `SeqCst`: the reader names the slot
//!   (`SeqCst` swap) and then loads the state (`SeqCst`); the releaser clears `LIVE` (or the
//!   taker sets `TAKING`) with a `SeqCst` compare-exchange and then loads the reader count and
//!   hazard words (`SeqCst`). In the single total order of `SeqCst` operations one side's load
//!   comes after the other side's write, so either the reader sees the handle gone and reads
//!   nothing, or the releaser sees the hazard (or its clear, a `Release` store its load
//!   acquires, so the reads happen before the drop). The reader count is raised (`SeqCst`
//!   `fetch_max`) before a thread's first hazard, by the same argument.
//!
//! These arguments are model-checked with [loom](https://docs.rs/loom): the pool's atomics and
//! cells come from a small `sync` shim that switches to loom's under `--cfg loom` (where the
//! pool has 3 caches of 2 entries, so models reach the spill and steal paths):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p handlepool --release --lib loom
//! ```
//!
//! Two deviations. Loom models `SeqCst` loads and read-modify-writes as `AcqRel` (but `SeqCst`
//! fences exactly), which is too weak for `with`'s handshake; under loom both halves add a
//! `SeqCst` fence between their write and their load (`fence(SeqCst)` after a locked
//! instruction would cost a second barrier per release on x86, so the real build relies on the
//! `SeqCst` operations alone, which C++20 orders; removing the fence makes the `with` models
//! fail). And under loom, stores to a slot's state word are swaps. Loom 0.7 let the owner's
//! load after its own plain store return the value of another thread's `fetch_add(0)` (the
//! exhaustion check's read) that came before that store, which C++ coherence rules out; with
//! a swap (the same as a store in the memory model) the models run as intended.
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
//! `sharded-slab`, `slotmap` under a mutex, and Go's `runtime/cgo.Handle`, measures one atomic
//! read-modify-write in the same run (on one thread, on two at once, and on each row's own
//! threads just before its loop: the CPUs of a shared virtual machine differ), and prints each
//! of our rows' distance from its floor: an acquire/release pair needs two read-modify-writes in
//! a bounded pool (claim, clear `LIVE`) and one in an unbounded pool; a resolve hit two (guard
//! up, guard down); a `with` hit one (name the slot; the clear is a plain store); a stale miss
//! two dependent loads. Both threads of a 2-thread run work on their own cache and slots, so
//! they share no written cache line. A guard ([`Ref`]) cannot be cheaper: a reader that keeps
//! the value alive beyond a closure, without the releaser waiting for it or a deferred drop,
//! must announce itself in the slot's word and withdraw from it, two read-modify-writes;
//! `with` trades the prompt drop (a released value a reader holds waits on the deferred list)
//! for one of them.

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
