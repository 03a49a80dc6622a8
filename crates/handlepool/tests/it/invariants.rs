//! Single-threaded invariants: IDs, staleness, independence, drops, auto traits.

use handlepool::{HandleId, HandlePool, PoolError, Ref, TakeError};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub struct Counted(pub Arc<AtomicUsize>);
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Relaxed);
    }
}

#[test]
fn ids_are_never_zero_and_unique_among_live() {
    let pool = HandlePool::unbounded();
    let n = crate::iters(3_000, 100);
    let mut seen = std::collections::HashSet::new();
    let mut live = Vec::new();
    for i in 0..n {
        let id = pool.acquire(i).unwrap();
        assert_ne!(id.get(), 0);
        assert_ne!(id.generation(), 0);
        assert!(seen.insert(id.get()), "an ID is never handed out twice");
        live.push(id);
        if i % 3 == 0 {
            let old = live.swap_remove(i % live.len());
            assert!(pool.release(old));
        }
    }
}

#[test]
fn released_id_never_resolves_even_after_slot_reuse() {
    let pool = HandlePool::with_max_handles(4);
    let mut dead: Vec<HandleId> = Vec::new();
    for round in 0..crate::iters(1_000, 50) {
        let id = pool.acquire(round).unwrap();
        for d in &dead {
            assert!(pool.resolve(*d).is_none());
            assert!(!pool.release(*d));
            assert_eq!(pool.try_take(*d), Err(TakeError::Unknown));
        }
        assert_eq!(*pool.resolve(id).unwrap(), round);
        assert!(pool.release(id));
        if dead.len() < 64 {
            dead.push(id);
        }
    }
    let reused = dead.iter().filter(|d| d.slot() == dead[0].slot()).count();
    assert!(reused > 1, "the test must actually reuse slots");
}

#[test]
fn pools_are_independent() {
    let a = HandlePool::with_max_handles(1);
    let b = HandlePool::with_max_handles(1);
    let ia = a.acquire("a").unwrap();
    let ib = b.acquire("b").unwrap();
    assert_eq!(ia, ib, "same first slot and generation in both pools");
    assert_eq!(a.acquire("a2"), Err(PoolError::Exhausted { max: 1 }));
    assert!(a.release(ia));
    // Releasing in `a` does not touch `b`.
    assert_eq!(*b.resolve(ib).unwrap(), "b");
    assert_eq!((a.live(), b.live()), (0, 1));
    let ia2 = a.acquire("a3").unwrap();
    assert!(
        b.resolve(ia2).is_none(),
        "b's slot is at an older generation"
    );
    assert_eq!(*a.resolve(ia2).unwrap(), "a3");
}

#[test]
fn release_while_guarded_drops_after_last_guard() {
    let drops = Arc::new(AtomicUsize::new(0));
    let pool = HandlePool::new();
    let id = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
    let g1 = pool.resolve(id).unwrap();
    let g2 = pool.resolve(id).unwrap();
    assert!(pool.release(id));
    assert_eq!(pool.live(), 0);
    assert!(pool.resolve(id).is_none(), "released: no new guards");
    assert!(!pool.release(id));
    drop(g1);
    assert_eq!(drops.load(Relaxed), 0);
    assert_eq!(Arc::strong_count(&g2.0), 2, "value still readable");
    drop(g2);
    assert_eq!(drops.load(Relaxed), 1);
}

#[test]
fn every_value_dropped_exactly_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    let n = crate::iters(1_000, 60);
    {
        let pool = HandlePool::unbounded();
        let ids: Vec<_> = (0..n)
            .map(|_| pool.acquire(Counted(Arc::clone(&drops))).unwrap())
            .collect();
        let mut taken = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match i % 4 {
                0 => assert!(pool.release(*id)),
                1 => taken.push(pool.take(*id).unwrap()),
                2 => {
                    let g = pool.resolve(*id).unwrap();
                    assert!(pool.release(*id));
                    drop(g);
                }
                _ => {} // left in the pool: dropped with it
            }
        }
        assert_eq!(drops.load(Relaxed), n / 2);
        drop(taken);
    }
    assert_eq!(drops.load(Relaxed), n);
}

#[test]
fn exhausted_drops_the_rejected_value() {
    let drops = Arc::new(AtomicUsize::new(0));
    let pool = HandlePool::with_max_handles(1);
    let _a = pool.acquire(Counted(Arc::clone(&drops))).unwrap();
    assert!(pool.acquire(Counted(Arc::clone(&drops))).is_err());
    assert_eq!(drops.load(Relaxed), 1);
}

#[test]
fn send_and_sync_exactly_when_sound() {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    send::<HandlePool<String>>();
    sync::<HandlePool<String>>();
    send::<Ref<'static, String>>();
    sync::<Ref<'static, String>>();
    send::<HandleId>();
    sync::<HandleId>();
    // `HandlePool<Rc<_>>: !Send + !Sync` and `HandlePool<Cell<_>>: !Sync` are checked by the
    // `compile_fail` doctests on the crate root. Single-threaded use still works:
    let pool = HandlePool::new();
    let id = pool.acquire(Rc::new(5)).unwrap();
    assert_eq!(**pool.resolve(id).unwrap(), 5);
}

#[test]
fn try_acquire_hands_the_value_back_when_full() {
    let pool = HandlePool::with_max_handles(1);
    let a = pool.try_acquire(String::from("a")).unwrap();
    let (err, back) = pool.try_acquire(String::from("b")).unwrap_err();
    assert_eq!(err, PoolError::Exhausted { max: 1 });
    assert_eq!(back, "b");
    assert!(pool.release(a));
    let b = pool.try_acquire(back).unwrap();
    assert_eq!(*pool.resolve(b).unwrap(), "b");
}
