//! Model-checked interleavings (run with `RUSTFLAGS="--cfg loom" cargo test -p handlepool
//! --release --lib loom`). Each test explores every interleaving of two or three threads up to
//! loom's preemption bound, over the real pool code with loom's atomics and cells.

use crate::{HandleId, HandlePool};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;

fn check(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.max_branches = 100_000;
    b.check(f);
}

struct Counted(Arc<AtomicUsize>);
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

#[test]
fn loom_cap_one_two_acquirers() {
    check(|| {
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let held = Arc::new(AtomicUsize::new(0));
        let wins = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..2)
            .map(|t| {
                let (pool, held, wins) = (pool.clone(), held.clone(), wins.clone());
                thread::spawn(move || {
                    if let Ok(id) = pool.acquire(t) {
                        assert_eq!(held.fetch_add(1, SeqCst), 0, "two handles under cap 1");
                        wins.fetch_add(1, SeqCst);
                        held.fetch_sub(1, SeqCst);
                        assert!(pool.release(id));
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert!(
            wins.load(SeqCst) >= 1,
            "both failed although one slot was free"
        );
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_release_races_resolve() {
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::new());
        let id = pool.acquire(Counted(drops.clone())).unwrap();
        let reader = {
            let (pool, drops) = (pool.clone(), drops.clone());
            thread::spawn(move || {
                if let Some(g) = pool.resolve(id) {
                    // While the guard lives the value is not dropped.
                    assert_eq!(drops.load(SeqCst), 0);
                    assert!(Arc::ptr_eq(&g.0, &drops));
                }
            })
        };
        let releaser = {
            let pool = pool.clone();
            thread::spawn(move || assert!(pool.release(id)))
        };
        reader.join().unwrap();
        releaser.join().unwrap();
        assert_eq!(drops.load(SeqCst), 1, "dropped exactly once");
        assert!(pool.resolve(id).is_none());
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_stale_id_never_sees_the_reused_slot() {
    check(|| {
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let old = pool.acquire(1u32).unwrap();
        let writer = {
            let pool = pool.clone();
            thread::spawn(move || {
                assert!(pool.release(old));
                pool.acquire(2).unwrap()
            })
        };
        let reader = {
            let pool = pool.clone();
            thread::spawn(move || pool.resolve(old).map(|g| *g))
        };
        let new: HandleId = writer.join().unwrap();
        let seen = reader.join().unwrap();
        assert!(
            seen.is_none() || seen == Some(1),
            "stale ID resolved to {seen:?}"
        );
        // (`new` may reuse `old`'s slot, or get a spare one when the reader's guard was still
        // alive at release time; either way it is a different ID.)
        assert_ne!(new, old);
        assert_eq!(*pool.resolve(new).unwrap(), 2);
    });
}

#[test]
fn loom_take_races_resolve() {
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::new());
        let id = pool.acquire(Counted(drops.clone())).unwrap();
        let taker = {
            let pool = pool.clone();
            thread::spawn(move || pool.take(id))
        };
        let reader = {
            let pool = pool.clone();
            thread::spawn(move || pool.resolve(id).is_some())
        };
        let taken = taker.join().unwrap();
        let _ = reader.join().unwrap();
        match taken {
            Some(v) => {
                assert_eq!(drops.load(SeqCst), 0);
                drop(v);
                assert_eq!(pool.live(), 0);
            }
            None => {
                // The reader held a guard at the time: the handle must still be live.
                assert_eq!(pool.live(), 1);
                assert!(pool.release(id));
            }
        }
        assert_eq!(drops.load(SeqCst), 1);
    });
}

#[test]
fn loom_last_guard_and_reacquire() {
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let id = pool.acquire(Counted(drops.clone())).unwrap();
        let guard_thread = {
            let pool = pool.clone();
            thread::spawn(move || {
                let g = pool.resolve(id);
                drop(g);
            })
        };
        let other = {
            let (pool, drops) = (pool.clone(), drops.clone());
            thread::spawn(move || {
                assert!(pool.release(id));
                // Cap 1 and the only handle was released: this must succeed.
                let next = pool.acquire(Counted(drops)).expect("no spurious Exhausted");
                assert!(pool.release(next));
            })
        };
        guard_thread.join().unwrap();
        other.join().unwrap();
        assert_eq!(drops.load(SeqCst), 2);
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_unbounded_cross_thread_release() {
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::unbounded());
        let a = pool.acquire(Counted(drops.clone())).unwrap();
        let t = {
            let (pool, drops) = (pool.clone(), drops.clone());
            thread::spawn(move || {
                let b = pool.acquire(Counted(drops)).unwrap();
                assert!(pool.release(a));
                b
            })
        };
        let g = pool.resolve(a);
        let b = t.join().unwrap();
        drop(g);
        assert!(pool.resolve(a).is_none());
        assert!(pool.release(b));
        // Reuse after cross-thread frees.
        let c = pool.acquire(Counted(drops.clone())).unwrap();
        assert_eq!(pool.live(), 1);
        assert!(pool.release(c));
        assert_eq!(drops.load(SeqCst), 3);
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_owner_pop_races_thief() {
    // Cap 2, both tickets on FREE slots in the main thread's cache. The main thread takes one
    // (its cache pop claims it) while another thread steals from that cache: both must
    // succeed (at most 2 live), on different slots, and every value is dropped once.
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::with_max_handles(2));
        let a = pool.acquire(Counted(drops.clone())).unwrap();
        let b = pool.acquire(Counted(drops.clone())).unwrap();
        assert!(pool.release(a) && pool.release(b));
        let thief = {
            let (pool, drops) = (pool.clone(), drops.clone());
            thread::spawn(move || {
                let id = pool
                    .acquire(Counted(drops))
                    .expect("at most 2 live: no Exhausted");
                assert!(pool.release(id));
                id
            })
        };
        let mine = pool
            .acquire(Counted(drops.clone()))
            .expect("at most 2 live: no Exhausted");
        let theirs = thief.join().unwrap();
        assert_ne!(mine, theirs);
        assert!(pool.resolve(theirs).is_none());
        assert!(pool.release(mine));
        assert_eq!(drops.load(SeqCst), 4);
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_exact_cap_with_cached_tickets() {
    // Cap 1. The main thread frees its slot into its cache, then two threads race for the one
    // ticket: exactly one may hold it at a time, and at least one gets it (no spurious
    // Exhausted: neither can fail unless the other holds the handle).
    check(|| {
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let id = pool.acquire(0usize).unwrap();
        assert!(pool.release(id));
        let held = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (1..=2)
            .map(|t| {
                let (pool, held) = (pool.clone(), held.clone());
                thread::spawn(move || match pool.acquire(t) {
                    Ok(id) => {
                        assert_eq!(held.fetch_add(1, SeqCst), 0, "two handles under cap 1");
                        held.fetch_sub(1, SeqCst);
                        assert!(pool.release(id));
                        true
                    }
                    Err(_) => false,
                })
            })
            .collect();
        let wins: Vec<bool> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(
            wins.iter().any(|w| *w),
            "both failed although the ticket was free"
        );
        assert_eq!(pool.live(), 0);
        let again = pool.acquire(3).expect("the ticket came back");
        assert!(pool.release(again));
    });
}

#[test]
fn loom_exiting_thread_keeps_no_ticket_and_pool_drop_drops_once() {
    // A thread acquires, releases into its cache and exits, while another acquires under cap
    // 1: the exited thread's cached ticket is found. The pool is then dropped with slots in
    // several caches and one handle live: every value dropped exactly once.
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let pool = Arc::new(HandlePool::with_max_handles(1));
        let t = {
            let (pool, drops) = (pool.clone(), drops.clone());
            thread::spawn(move || {
                if let Ok(id) = pool.acquire(Counted(drops)) {
                    assert!(pool.release(id));
                }
            })
        };
        let first = pool.acquire(Counted(drops.clone()));
        t.join().unwrap();
        let retried = first.is_err();
        let live = match first {
            Ok(id) => id,
            // Only while the other thread held the one handle; it has exited now.
            Err(_) => pool
                .acquire(Counted(drops.clone()))
                .expect("ticket left in a cache"),
        };
        assert!(pool.resolve(live).is_some());
        assert_eq!(pool.live(), 1);
        let created = 2 + usize::from(retried);
        assert_eq!(
            drops.load(SeqCst),
            created - 1,
            "only the live value remains"
        );
        drop(pool);
        assert_eq!(
            drops.load(SeqCst),
            created,
            "pool drop drops the live value once"
        );
    });
}

#[test]
fn loom_spilled_slots_are_claimed_from_the_shared_list() {
    // Cap 3 and 2-entry caches (under loom): freeing 3 slots on the main thread spills its
    // cache's older half to the shared list. Another thread claims from the list while the
    // main thread pops its cache: both succeed (at most 2 live) and the ticket count holds.
    check(|| {
        let pool = Arc::new(HandlePool::with_max_handles(3));
        let ids: Vec<_> = (0..3).map(|i| pool.acquire(i).unwrap()).collect();
        for id in &ids {
            assert!(pool.release(*id));
        }
        let other = {
            let pool = pool.clone();
            thread::spawn(move || pool.acquire(10).expect("3 free tickets: no Exhausted"))
        };
        let mine = pool.acquire(11).expect("3 free tickets: no Exhausted");
        let theirs = other.join().unwrap();
        assert_ne!(mine.slot(), theirs.slot());
        assert_eq!(pool.live(), 2);
        let third = pool.acquire(12).expect("one ticket left");
        assert!(pool.acquire(13).is_err(), "cap 3 reached");
        assert_eq!(*pool.resolve(theirs).unwrap(), 10);
        for id in [mine, theirs, third] {
            assert!(pool.release(id));
        }
        assert_eq!(pool.live(), 0);
    });
}

/// A pool capped at `max` holding one counted value: (drop counter, pool, the value's ID).
fn one_counted(max: usize) -> (Arc<AtomicUsize>, Arc<HandlePool<Counted>>, HandleId) {
    let drops = Arc::new(AtomicUsize::new(0));
    let pool = Arc::new(HandlePool::with_max_handles(max));
    let id = pool.acquire(Counted(drops.clone())).unwrap();
    (drops, pool, id)
}

/// A thread that reads `id` with `with`, asserting the value is not dropped meanwhile; joins
/// to whether it read.
fn spawn_with_reader(
    pool: &Arc<HandlePool<Counted>>,
    drops: &Arc<AtomicUsize>,
    id: HandleId,
) -> thread::JoinHandle<bool> {
    let (pool, drops) = (pool.clone(), drops.clone());
    thread::spawn(move || {
        pool.with(id, |v| {
            assert_eq!(drops.load(SeqCst), 0, "dropped under a reader");
            assert!(Arc::ptr_eq(&v.0, &drops));
        })
        .is_some()
    })
}

#[test]
fn loom_with_races_release() {
    // The hazard handshake: whatever the interleaving, a `with` reader never sees its value
    // dropped, the release always succeeds, and the value is dropped exactly once (by the
    // reader on its way out, the releaser, or at the latest the pool's drop).
    check(|| {
        let (drops, pool, id) = one_counted(4);
        let reader = spawn_with_reader(&pool, &drops, id);
        let releaser = {
            let pool = pool.clone();
            thread::spawn(move || assert!(pool.release(id)))
        };
        let _ = reader.join().unwrap();
        releaser.join().unwrap();
        assert!(drops.load(SeqCst) <= 1);
        assert!(pool.resolve(id).is_none());
        assert_eq!(pool.live(), 0);
        drop(pool);
        assert_eq!(drops.load(SeqCst), 1, "dropped exactly once");
    });
}

#[test]
fn loom_with_races_take() {
    // A take either moves the value out (and the reader got nothing or finished before the
    // take's check) or fails with InUse and leaves the handle live.
    check(|| {
        let (drops, pool, id) = one_counted(4);
        let reader = spawn_with_reader(&pool, &drops, id);
        let taker = {
            let pool = pool.clone();
            thread::spawn(move || pool.try_take(id).map(drop).is_ok())
        };
        let _ = reader.join().unwrap();
        if taker.join().unwrap() {
            assert_eq!(drops.load(SeqCst), 1);
            assert!(pool.resolve(id).is_none());
        } else {
            assert_eq!(drops.load(SeqCst), 0);
            assert!(pool.release(id), "a failed take leaves the handle live");
            assert_eq!(drops.load(SeqCst), 1);
        }
        assert_eq!(pool.live(), 0);
    });
}

#[test]
fn loom_with_races_the_last_guard() {
    // Release while a guard is held, then the guard goes: the last guard must also find a
    // `with` reader and leave the value to it.
    check(|| {
        let (drops, pool, id) = one_counted(1);
        let guard_holder = {
            let pool = pool.clone();
            thread::spawn(move || {
                let g = pool.resolve(id);
                assert!(pool.release(id));
                drop(g);
            })
        };
        let reader = spawn_with_reader(&pool, &drops, id);
        guard_holder.join().unwrap();
        let _ = reader.join().unwrap();
        assert!(drops.load(SeqCst) <= 1);
        // The cap is not held by the deferred value: the one ticket is free again.
        let again = pool.acquire(Counted(drops.clone())).unwrap();
        assert!(pool.release(again));
        drop(pool);
        assert_eq!(drops.load(SeqCst), 2, "each value dropped exactly once");
    });
}

#[test]
fn loom_deferred_value_does_not_hold_the_cap() {
    // Cap 1: a release whose value waits for a `with` reader gives its ticket back at once, so
    // an acquire right after it never fails, whatever the reader is doing.
    check(|| {
        let (drops, pool, id) = one_counted(1);
        let reader = spawn_with_reader(&pool, &drops, id);
        assert!(pool.release(id));
        let next = pool
            .acquire(Counted(drops.clone()))
            .expect("the released handle's ticket is free: no Exhausted");
        let _ = reader.join().unwrap();
        assert_eq!(pool.live(), 1);
        assert!(pool.release(next));
        drop(pool);
        assert_eq!(drops.load(SeqCst), 2, "each value dropped exactly once");
    });
}

#[test]
fn loom_two_with_readers_and_a_release() {
    // Two hazard words name the slot: the value waits for both readers, however they and the
    // release interleave, and is dropped exactly once.
    check(|| {
        let (drops, pool, id) = one_counted(2);
        let a = spawn_with_reader(&pool, &drops, id);
        let b = spawn_with_reader(&pool, &drops, id);
        assert!(pool.release(id));
        let _ = a.join().unwrap();
        let _ = b.join().unwrap();
        assert!(drops.load(SeqCst) <= 1);
        assert_eq!(pool.live(), 0);
        drop(pool);
        assert_eq!(drops.load(SeqCst), 1, "dropped exactly once");
    });
}
