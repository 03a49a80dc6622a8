//! Multi-threaded invariants: exact cap, no spurious exhaustion, and a randomized stress race.

use handlepool::{HandleId, HandlePool, PoolError, TakeError};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier, Mutex, mpsc};

/// xorshift64*, enough for picking operations.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn cap_is_exact_under_contention() {
    // Each round, 4 threads each try to acquire 3 handles while nobody releases (they hold
    // them until a barrier): exactly MAX of the 12 attempts must succeed, every round.
    const MAX: usize = 5;
    const THREADS: usize = 4;
    let pool = Arc::new(HandlePool::with_max_handles(MAX));
    let rounds = crate::iters(300, 3);
    let wins = Arc::new(AtomicUsize::new(0));
    let sync = Arc::new(Barrier::new(THREADS + 1));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (pool, wins, sync) = (Arc::clone(&pool), Arc::clone(&wins), Arc::clone(&sync));
            std::thread::spawn(move || {
                for _ in 0..rounds {
                    sync.wait(); // round starts
                    let mut mine = Vec::new();
                    for _ in 0..3 {
                        match pool.acquire(t) {
                            Ok(id) => mine.push(id),
                            Err(e) => assert_eq!(e, PoolError::Exhausted { max: MAX }),
                        }
                    }
                    wins.fetch_add(mine.len(), SeqCst);
                    sync.wait(); // everyone has tried; main checks
                    sync.wait(); // main is done looking
                    for id in mine {
                        assert!(pool.release(id));
                    }
                }
            })
        })
        .collect();
    for round in 0..rounds {
        sync.wait();
        sync.wait();
        assert_eq!(
            wins.swap(0, SeqCst),
            MAX,
            "round {round}: exactly the cap succeeds"
        );
        assert_eq!(pool.live(), MAX);
        sync.wait();
    }
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(pool.live(), 0);
}

#[test]
fn no_spurious_exhaustion_when_under_cap() {
    // Each of 4 threads holds at most 2 handles; the cap is 8, so no acquire may fail, however
    // the free slots wander between the threads' shards.
    const K: usize = 2;
    let threads = 4;
    let pool = Arc::new(HandlePool::with_max_handles(K * threads));
    let per = crate::iters(30_000, 60);
    let hs: Vec<_> = (0..threads)
        .map(|t| {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                let mut rng = Rng::new(100 + t as u64);
                let mut mine: Vec<HandleId> = Vec::new();
                for i in 0..per {
                    if mine.len() < K && rng.below(2) == 0 {
                        mine.push(pool.acquire(i).expect("fewer than max live: no Exhausted"));
                    } else if !mine.is_empty() {
                        let id = mine.swap_remove(rng.below(mine.len()));
                        assert!(pool.release(id));
                    }
                }
                for id in mine {
                    assert!(pool.release(id));
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(pool.live(), 0);
}

#[test]
fn no_spurious_exhaustion_across_threads_producer_consumer() {
    // Acquired on one thread, released on another: freed slots pile up on the consumer's
    // shard and the producer must find them. At most BUF + 2 handles are ever live.
    const BUF: usize = 4;
    let pool = Arc::new(HandlePool::with_max_handles(BUF + 2));
    let n = crate::iters(50_000, 80);
    let (tx, rx) = mpsc::sync_channel::<HandleId>(BUF);
    let producer = {
        let pool = Arc::clone(&pool);
        std::thread::spawn(move || {
            for i in 0..n {
                let id = pool.acquire(i).expect("at most BUF + 2 live: no Exhausted");
                tx.send(id).unwrap();
            }
        })
    };
    let consumer = {
        let pool = Arc::clone(&pool);
        std::thread::spawn(move || {
            let mut expect = 0;
            for id in rx {
                assert_eq!(pool.take(id), Some(expect));
                expect += 1;
            }
            expect
        })
    };
    producer.join().unwrap();
    assert_eq!(consumer.join().unwrap(), n);
    assert_eq!(pool.live(), 0);
}

/// A value that knows its serial number and flags its own drop (double drop = failure).
struct Tracked {
    serial: usize,
    dropped: Arc<Vec<AtomicU8>>,
}
impl Drop for Tracked {
    fn drop(&mut self) {
        let was = self.dropped[self.serial].swap(1, SeqCst);
        assert_eq!(was, 0, "value {} dropped twice", self.serial);
    }
}

#[test]
fn stress_race_acquire_resolve_release_take() {
    stress(HandlePool::with_max_handles(64), Some(64));
}

#[test]
fn stress_race_small_cap() {
    // Cap 4 with 4 threads: acquires hit exhaustion all the time, releases race `with` readers
    // (deferred drops) and takes on the same few handles.
    stress(HandlePool::with_max_handles(4), Some(4));
}

#[test]
fn stress_race_unbounded_pool() {
    stress(HandlePool::unbounded(), None);
}

fn stress(pool: HandlePool<Tracked>, max: Option<usize>) {
    let threads = 4;
    let per = crate::iters(40_000, 150);
    let total = threads * per;
    let dropped: Arc<Vec<AtomicU8>> = Arc::new((0..total).map(|_| AtomicU8::new(0)).collect());
    let pool = Arc::new(pool);
    // IDs in circulation, with the serial of the value they were minted for. Entries are
    // sometimes left in after release so other threads resolve stale IDs.
    let shared: Arc<Mutex<Vec<(HandleId, usize)>>> = Arc::new(Mutex::new(Vec::new()));
    let stale_seen = Arc::new(AtomicUsize::new(0));
    let created = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(threads));
    let hs: Vec<_> = (0..threads)
        .map(|t| {
            let (pool, shared, dropped, stale_seen, stop, start, created) = (
                Arc::clone(&pool),
                Arc::clone(&shared),
                Arc::clone(&dropped),
                Arc::clone(&stale_seen),
                Arc::clone(&stop),
                Arc::clone(&start),
                Arc::clone(&created),
            );
            std::thread::spawn(move || {
                let mut rng = Rng::new(7 + t as u64);
                start.wait();
                for i in 0..per {
                    let serial = t * per + i;
                    let pick = |rng: &mut Rng| {
                        let v = shared.lock().unwrap();
                        (!v.is_empty()).then(|| v[rng.below(v.len())])
                    };
                    match rng.below(8) {
                        0..=2 => {
                            let value = Tracked {
                                serial,
                                dropped: Arc::clone(&dropped),
                            };
                            created.fetch_add(1, SeqCst);
                            if let Ok(id) = pool.acquire(value) {
                                shared.lock().unwrap().push((id, serial));
                            }
                        }
                        5 => {
                            // The closure-scoped read: the value must stay alive (not dropped
                            // by a racing release or take) until the closure returns.
                            if let Some((id, s)) = pick(&mut rng) {
                                let read = pool.with(id, |v| {
                                    assert_eq!(v.serial, s, "stale with");
                                    for _ in 0..16 {
                                        assert_eq!(
                                            v.dropped[v.serial].load(SeqCst),
                                            0,
                                            "dropped while read"
                                        );
                                        std::hint::spin_loop();
                                    }
                                });
                                if read.is_none() {
                                    stale_seen.fetch_add(1, SeqCst);
                                }
                            }
                        }
                        3..=4 => {
                            if let Some((id, s)) = pick(&mut rng) {
                                match pool.resolve(id) {
                                    Some(g) => assert_eq!(g.serial, s, "stale resolve"),
                                    None => {
                                        stale_seen.fetch_add(1, SeqCst);
                                    }
                                }
                            }
                        }
                        6 => {
                            if let Some((id, _)) = pick(&mut rng) {
                                if pool.release(id) && rng.below(2) == 0 {
                                    shared.lock().unwrap().retain(|e| e.0 != id);
                                }
                            }
                        }
                        _ => {
                            if let Some((id, s)) = pick(&mut rng) {
                                match pool.try_take(id) {
                                    Ok(v) => assert_eq!(v.serial, s, "stale take"),
                                    Err(TakeError::Unknown | TakeError::InUse) => {}
                                    Err(e) => panic!("{e}"),
                                }
                            }
                        }
                    }
                    // Keep the shared list short so picks hit live IDs often.
                    let mut v = shared.lock().unwrap();
                    if v.len() > 256 {
                        v.drain(..128);
                    }
                }
                let _ = stop.load(SeqCst);
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    stop.store(true, SeqCst);
    let live_at_end = pool.live();
    assert!(live_at_end <= max.unwrap_or(usize::MAX));
    drop(Arc::try_unwrap(pool).expect("all threads joined"));
    // Every value that was created was dropped exactly once (rejected ones at acquire, the
    // rest on release/take/guard/pool drop): nothing leaked; double drops panic in `Drop`.
    let dropped_count = dropped.iter().filter(|f| f.load(SeqCst) == 1).count();
    assert_eq!(
        dropped_count,
        created.load(SeqCst),
        "leak: created but never dropped"
    );
    assert!(created.load(SeqCst) > 0);
    assert!(
        cfg!(miri) || stale_seen.load(SeqCst) > 0,
        "the stress must exercise stale IDs"
    );
}

#[test]
fn exiting_threads_leave_no_ticket_behind() {
    // Each round, short-lived threads acquire and release (their caches end up holding free
    // slots and so tickets) and exit, while this thread keeps some handles; then this thread
    // must reach exactly the cap: nothing stranded in a dead thread's cache, nothing extra.
    const MAX: usize = 24;
    let pool = Arc::new(HandlePool::with_max_handles(MAX));
    let rounds = crate::iters(60, 3);
    let mut mine: Vec<HandleId> = Vec::new();
    for round in 0..rounds {
        let hs: Vec<_> = (0..3)
            .map(|t| {
                let pool = Arc::clone(&pool);
                std::thread::spawn(move || {
                    let mut rng = Rng::new((round * 3 + t) as u64);
                    let mut held = Vec::new();
                    for i in 0..crate::iters(400, 20) {
                        if held.len() < 4 && rng.below(2) == 0 {
                            if let Ok(id) = pool.acquire(i) {
                                held.push(id);
                            }
                        } else if let Some(id) = held.pop() {
                            assert!(pool.release(id));
                        }
                    }
                    for id in held {
                        assert!(pool.release(id));
                    }
                })
            })
            .collect();
        // Meanwhile this thread churns a few handles of its own.
        for i in 0..crate::iters(200, 10) {
            if mine.len() < 6 {
                mine.push(pool.acquire(i).expect("at most 6 + 3 * 4 < MAX live"));
            } else {
                assert!(pool.release(mine.swap_remove(i % mine.len())));
            }
        }
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(pool.live(), mine.len());
        let extra: Vec<_> = (mine.len()..MAX)
            .map(|i| {
                pool.acquire(i)
                    .expect("tickets in exited threads' caches are found")
            })
            .collect();
        assert_eq!(
            pool.acquire(0),
            Err(PoolError::Exhausted { max: MAX }),
            "round {round}: more than the cap"
        );
        assert_eq!(pool.live(), MAX);
        for id in extra {
            assert!(pool.release(id));
        }
    }
}
