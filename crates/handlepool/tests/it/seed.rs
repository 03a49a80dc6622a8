//! Parity with the seed's six `TestHandlePool*` tests and its round-trip integration test.

use handlepool::{DEFAULT_MAX_HANDLES, HandleId, HandlePool, PoolError};
use std::sync::Arc;
use std::sync::mpsc;

#[test]
fn handle_pool_acquire_resolve_release() {
    let pool = HandlePool::new();
    let id = pool.acquire(String::from("hello")).unwrap();
    assert_ne!(id.get(), 0);
    assert_eq!(pool.live(), 1);
    assert_eq!(
        pool.resolve(id).as_deref().map(String::as_str),
        Some("hello")
    );
    assert!(pool.release(id));
    assert_eq!(pool.live(), 0);
    assert!(pool.resolve(id).is_none());
}

#[test]
fn handle_pool_acquire_respects_max_handles() {
    let pool = HandlePool::with_max_handles(2);
    let a = pool.acquire(1).unwrap();
    let _b = pool.acquire(2).unwrap();
    assert_eq!(pool.acquire(3), Err(PoolError::Exhausted { max: 2 }));
    assert_eq!(pool.live(), 2);
    assert!(pool.release(a));
    assert!(pool.acquire(4).is_ok());
    assert_eq!(pool.acquire(5), Err(PoolError::Exhausted { max: 2 }));
    let msg = pool.acquire(6).unwrap_err().to_string();
    assert!(msg.contains('2'), "error names the cap: {msg}");
    // The default cap is the seed's 4096.
    let d: HandlePool<u8> = HandlePool::new();
    assert_eq!(d.max_handles(), Some(DEFAULT_MAX_HANDLES));
    assert_eq!(DEFAULT_MAX_HANDLES, 4096);
}

#[test]
fn handle_pool_acquire_unbounded_when_max_negative() {
    let n = crate::iters(DEFAULT_MAX_HANDLES + 100, 300);
    for pool in [HandlePool::from_max_setting(-1), HandlePool::unbounded()] {
        assert_eq!(pool.max_handles(), None);
        let ids: Vec<_> = (0..n).map(|i| pool.acquire(i).unwrap()).collect();
        assert_eq!(pool.live(), n);
        assert_eq!(*pool.resolve(ids[n - 1]).unwrap(), n - 1);
    }
    assert_eq!(
        HandlePool::<u8>::from_max_setting(0).max_handles(),
        Some(DEFAULT_MAX_HANDLES)
    );
    assert_eq!(HandlePool::<u8>::from_max_setting(7).max_handles(), Some(7));
}

#[test]
fn handle_pool_resolve_miss_returns_false() {
    let pool: HandlePool<u8> = HandlePool::new();
    for raw in [1, 2, 42, 1 << 32, (1 << 32) | 1, u64::MAX, (7 << 32) | 5000] {
        assert!(
            pool.resolve(HandleId::new(raw).unwrap()).is_none(),
            "{raw:#x}"
        );
    }
    assert!(HandleId::try_from(0).is_err());
}

#[test]
fn handle_pool_release_unknown_returns_false() {
    let pool: HandlePool<u8> = HandlePool::new();
    for raw in [1, 99, u64::MAX, (3 << 32) | 1] {
        assert!(!pool.release(HandleId::new(raw).unwrap()));
    }
    let id = pool.acquire(9).unwrap();
    assert!(pool.release(id));
    assert!(!pool.release(id), "double release");
    assert_eq!(pool.live(), 0);
}

#[test]
fn handle_pool_concurrent_acquire_release() {
    let pool = Arc::new(HandlePool::new());
    let per = crate::iters(5_000, 40);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                for i in 0..per {
                    let id = pool.acquire((t, i)).unwrap();
                    assert_eq!(*pool.resolve(id).unwrap(), (t, i));
                    assert!(pool.release(id));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(pool.live(), 0);
}

/// The seed's phase-14 round trip: a thread sends 42 on a channel whose handle it acquired,
/// a peer resolves the same ID and receives 42, and release brings `live()` to 0.
#[test]
fn handle_pool_round_trip_integration() {
    /// A channel as the bridge holds it: both ends behind one handle.
    type Chan = (mpsc::SyncSender<i64>, std::sync::Mutex<mpsc::Receiver<i64>>);
    let pool: Arc<HandlePool<Chan>> = Arc::new(HandlePool::new());
    let (id_tx, id_rx) = mpsc::channel::<u64>();
    let sender = {
        let pool = Arc::clone(&pool);
        std::thread::spawn(move || {
            let (tx, rx) = mpsc::sync_channel::<i64>(1);
            let id = pool.acquire((tx, std::sync::Mutex::new(rx))).unwrap();
            id_tx.send(id.get()).unwrap(); // the raw u64 is what crosses the boundary
            pool.resolve(id).unwrap().0.send(42).unwrap();
            id
        })
    };
    let receiver = {
        let pool = Arc::clone(&pool);
        std::thread::spawn(move || {
            let id = HandleId::try_from(id_rx.recv().unwrap()).unwrap();
            let chan = pool.resolve(id).expect("peer resolves the same ID");
            let got = chan.1.lock().unwrap().recv().unwrap();
            (id, got)
        })
    };
    let sent_id = sender.join().unwrap();
    let (recv_id, got) = receiver.join().unwrap();
    assert_eq!(got, 42);
    assert_eq!(sent_id, recv_id);
    assert_eq!(pool.live(), 1);
    assert!(pool.release(sent_id));
    assert_eq!(pool.live(), 0);
}
