//! `cargo bench -p handlepool --bench pool`: ns/op of `HandlePool` against the seed's
//! `Mutex<HashMap>` design, `sharded-slab` and `slotmap` under a mutex, at 1 and 2 threads.
//! `cargo xtask bench pool` runs this, adds Go's `runtime/cgo.Handle`, and prints ratios.
//!
//! Output: one `RESULT <impl> <op> <threads> <ns/op> <on-cpu ns/op> <rmw ns>` line per
//! measurement (ns per operation as one thread sees it: with 2 threads each thread runs the
//! loop, and the figure is the mean per-thread time per iteration; the second figure counts only
//! the time the thread was on a CPU, which filters out other processes preempting it on a busy
//! machine but still includes cache-line contention between the threads; the third is one
//! atomic read-modify-write timed on the same threads right before the loop, the row's own
//! floor), plus `FLOOR <what> <ns> <on-cpu ns>` lines for raw costs measured in the same run
//! (one atomic read-modify-write on one thread and on two at once, one load, the loop harness),
//! so each result can be read as a distance from the floor.
//! The best of several short runs is kept, to filter out other processes on a busy machine; the
//! rows take turns, so each row's runs are spread over the whole bench.
//! Set `POOL_BENCH_MS` to change the time per run (default 40 ms); `POOL_BENCH_IMPLS`,
//! `POOL_BENCH_OPS` and `POOL_BENCH_THREADS` (comma lists) select a subset.

use handlepool::{HandleId, HandlePool};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// The operations every contender offers.
trait Contender: Sync {
    type Id: Copy + Send;
    const NAME: &'static str;
    fn acquire(&self, v: u64) -> Self::Id;
    fn resolve(&self, id: Self::Id) -> Option<u64>;
    fn release(&self, id: Self::Id);
    /// Whether the contender has a second, cheaper read ([`Contender::read`]).
    const HAS_READ: bool = false;
    /// The cheaper read (ours: the closure-scoped `HandlePool::with`).
    fn read(&self, id: Self::Id) -> Option<u64> {
        self.resolve(id)
    }
}

struct Ours<const UNBOUNDED: bool>(HandlePool<u64>);
impl<const UNBOUNDED: bool> Contender for Ours<UNBOUNDED> {
    type Id = HandleId;
    const NAME: &'static str = if UNBOUNDED {
        "handlepool-unbounded"
    } else {
        "handlepool"
    };
    #[inline]
    fn acquire(&self, v: u64) -> HandleId {
        self.0.acquire(v).unwrap()
    }
    #[inline]
    fn resolve(&self, id: HandleId) -> Option<u64> {
        self.0.resolve(id).map(|r| *r)
    }
    #[inline]
    fn release(&self, id: HandleId) {
        self.0.release(id);
    }
    const HAS_READ: bool = true;
    #[inline]
    fn read(&self, id: HandleId) -> Option<u64> {
        self.0.with(id, |v| *v)
    }
}

/// The seed's design: one mutex over a map and an ID counter.
struct SeedMap(Mutex<(u64, HashMap<u64, u64>)>);
impl Contender for SeedMap {
    type Id = u64;
    const NAME: &'static str = "mutex-hashmap";
    #[inline]
    fn acquire(&self, v: u64) -> u64 {
        let mut g = self.0.lock().unwrap();
        g.0 += 1;
        let id = g.0;
        g.1.insert(id, v);
        id
    }
    #[inline]
    fn resolve(&self, id: u64) -> Option<u64> {
        self.0.lock().unwrap().1.get(&id).copied()
    }
    #[inline]
    fn release(&self, id: u64) {
        self.0.lock().unwrap().1.remove(&id);
    }
}

struct Slab(sharded_slab::Slab<u64>);
impl Contender for Slab {
    type Id = usize;
    const NAME: &'static str = "sharded-slab";
    #[inline]
    fn acquire(&self, v: u64) -> usize {
        self.0.insert(v).unwrap()
    }
    #[inline]
    fn resolve(&self, id: usize) -> Option<u64> {
        self.0.get(id).map(|e| *e)
    }
    #[inline]
    fn release(&self, id: usize) {
        self.0.remove(id);
    }
}

struct SlotMap(Mutex<slotmap::SlotMap<slotmap::DefaultKey, u64>>);
impl Contender for SlotMap {
    type Id = slotmap::DefaultKey;
    const NAME: &'static str = "mutex-slotmap";
    #[inline]
    fn acquire(&self, v: u64) -> Self::Id {
        self.0.lock().unwrap().insert(v)
    }
    #[inline]
    fn resolve(&self, id: Self::Id) -> Option<u64> {
        self.0.lock().unwrap().get(id).copied()
    }
    #[inline]
    fn release(&self, id: Self::Id) {
        self.0.lock().unwrap().remove(id);
    }
}

const OPS: [&str; 5] = ["pair", "resolve-hit", "with-hit", "resolve-stale", "mixed"];
/// Live handles each thread keeps around (resolve targets; realistic table occupancy).
const WORKING_SET: usize = 32;

/// This thread's CPU time so far, in ns (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`; `None`
/// off 64-bit Linux).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn on_cpu_ns() -> Option<u64> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        // From the C library std already links; the clock id is Linux's.
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable `struct timespec` (two 64-bit fields on 64-bit Linux)
    // and the clock id is a valid constant; the call writes only `ts`.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn on_cpu_ns() -> Option<u64> {
    None
}

/// Runs `f`, which does `n` operations: (wall, on-CPU) ns per operation (on-CPU is the wall
/// figure where the thread clock is missing).
fn per_op(n: u64, f: impl FnOnce()) -> (f64, f64) {
    let cpu0 = on_cpu_ns();
    let t = Instant::now();
    f();
    let wall = t.elapsed().as_nanos() as f64 / n as f64;
    let cpu = match (cpu0, on_cpu_ns()) {
        (Some(a), Some(b)) => (b - a) as f64 / n as f64,
        _ => wall,
    };
    (wall, cpu)
}

/// The best wall and the best on-CPU figure of 5 runs of `f`.
fn best_of_5(f: impl Fn() -> (f64, f64)) -> (f64, f64) {
    (0..5)
        .map(|_| f())
        .fold((f64::INFINITY, f64::INFINITY), |(w, c), (a, b)| {
            (w.min(a), c.min(b))
        })
}

/// `n` atomic read-modify-writes on `a`, one after the other: the floor loop.
fn rmw_loop(a: &AtomicU64, n: u64) {
    for _ in 0..n {
        black_box(a).fetch_add(1, Ordering::AcqRel);
    }
}

/// One atomic read-modify-write's cost on the CPU this thread runs on now (on-CPU ns; 100 000
/// of them on a cache line of the thread's own): the floor its row is read against. On a shared
/// virtual machine the CPUs can differ by 20 % and more (a neighbour on the host), so a floor
/// measured on another thread misleads.
fn rmw_here() -> f64 {
    #[repr(align(128))]
    struct Line(AtomicU64);
    const N: u64 = 100_000;
    let line = Line(AtomicU64::new(0));
    per_op(N, || rmw_loop(&line.0, N)).1
}

/// Mean per-thread (wall ns/op, on-CPU ns/op, RMW ns measured on the thread just before).
fn run_once<C: Contender>(c: &C, op: &str, threads: usize, iters: u64) -> (f64, f64, f64) {
    let barrier = Barrier::new(threads);
    let (wall_ns, cpu_ns, rmw_ns): (f64, f64, f64) = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                s.spawn(move || {
                    let set: Vec<C::Id> = (0..WORKING_SET as u64)
                        .map(|i| c.acquire(i + 1000 * t as u64))
                        .collect();
                    let stale: Vec<C::Id> = (0..WORKING_SET as u64)
                        .map(|i| {
                            let id = c.acquire(i);
                            c.release(id);
                            id
                        })
                        .collect();
                    barrier.wait();
                    let rmw = rmw_here();
                    let (ns, cpu) = per_op(iters, || match op {
                        "pair" => {
                            for i in 0..iters {
                                let id = c.acquire(black_box(i));
                                c.release(black_box(id));
                            }
                        }
                        "resolve-hit" | "with-hit" => {
                            let read = match op {
                                "resolve-hit" => C::resolve,
                                _ => C::read,
                            };
                            let mut sum = 0u64;
                            let set = black_box(&set);
                            for i in 0..iters as usize {
                                sum += read(c, set[i % WORKING_SET]).unwrap();
                            }
                            black_box(sum);
                        }
                        "resolve-stale" => {
                            let mut miss = 0u64;
                            let stale = black_box(&stale);
                            for i in 0..iters as usize {
                                miss += u64::from(c.resolve(stale[i % WORKING_SET]).is_none());
                            }
                            assert_eq!(black_box(miss), iters);
                        }
                        "mixed" => {
                            // One handle's life among live neighbours: acquire, 4 resolves,
                            // release (the same shape as the Go benchmark's mixed case).
                            let mut sum = 0u64;
                            for i in 0..iters as usize {
                                let id = c.acquire(black_box(i as u64));
                                sum += c.resolve(id).unwrap();
                                sum += c.resolve(set[i % WORKING_SET]).unwrap();
                                sum += c.resolve(set[(i + 7) % WORKING_SET]).unwrap();
                                sum += c.resolve(id).unwrap();
                                c.release(id);
                            }
                            black_box(sum);
                        }
                        _ => unreachable!(),
                    });
                    for id in set {
                        c.release(id);
                    }
                    (ns, cpu, rmw)
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().unwrap())
            .fold((0.0, 0.0, 0.0), |(w, c, r), (a, b, x)| {
                (w + a, c + b, r + x)
            })
    });
    let n = threads as f64;
    (wall_ns / n, cpu_ns / n, rmw_ns / n)
}

/// One table row: a contender, an operation and a thread count, with its pool and calibrated
/// iteration count inside `run` (one timed run: wall, on-CPU and RMW ns as `run_once`).
struct Row {
    name: &'static str,
    op: &'static str,
    threads: usize,
    run: Box<dyn FnMut() -> (f64, f64, f64)>,
}

/// Timed runs per row; rows take turns (see `main`).
const ROUNDS: usize = 7;

/// Adds the contender's rows (those the `POOL_BENCH_*` variables select), each with a fresh
/// contender and an iteration count calibrated to take about `budget` per run.
fn rows<C: Contender + 'static>(make: impl Fn() -> C, budget: Duration, out: &mut Vec<Row>) {
    let only = |var: &str, what: &str| {
        std::env::var(var).map_or(true, |v| v.split(',').any(|w| w == what))
    };
    if !only("POOL_BENCH_IMPLS", C::NAME) {
        return;
    }
    for threads in [1, 2] {
        if !only("POOL_BENCH_THREADS", &threads.to_string()) {
            continue;
        }
        let ops = OPS
            .into_iter()
            .filter(|op| only("POOL_BENCH_OPS", op) && (C::HAS_READ || *op != "with-hit"));
        for op in ops {
            let c = make();
            // Calibrate: grow the iteration count until a run takes ~budget.
            let mut iters = 10_000u64;
            loop {
                let t = Instant::now();
                run_once(&c, op, threads, iters);
                if t.elapsed() >= budget / 4 || iters > 1 << 30 {
                    let per = t.elapsed().as_secs_f64() / iters as f64;
                    iters = ((budget.as_secs_f64() / per) as u64).max(1000);
                    break;
                }
                iters *= 4;
            }
            out.push(Row {
                name: C::NAME,
                op,
                threads,
                run: Box::new(move || run_once(&c, op, threads, iters)),
            });
        }
    }
}

/// Runs every row `ROUNDS` times, the rows taking turns (so one row's runs spread over the
/// whole bench instead of one burst: on a shared virtual machine a CPU can run 40 % slow for a
/// second or so), and prints each row's best wall and best on-CPU figure, with the floor
/// measured in the run that gave the best on-CPU figure (same threads, same CPUs).
fn measure(mut rows: Vec<Row>) {
    let mut best = vec![(f64::INFINITY, f64::INFINITY, f64::NAN); rows.len()];
    for _ in 0..ROUNDS {
        for (row, (w, c, r)) in rows.iter_mut().zip(best.iter_mut()) {
            let (wall, cpu, rmw) = (row.run)();
            *w = w.min(wall);
            if cpu < *c {
                (*c, *r) = (cpu, rmw);
            }
        }
    }
    for (row, (wall, cpu, rmw)) in rows.iter().zip(best) {
        println!(
            "RESULT\t{}\t{}\t{}\t{wall:.2}\t{cpu:.2}\t{rmw:.2}",
            row.name, row.op, row.threads
        );
    }
}

/// Raw costs on this machine: the floor any design built on them pays. Each is printed as
/// wall ns and on-CPU ns (best of 5), like the `RESULT` lines, so the two compare like for like.
fn floors(budget: Duration) {
    let a = AtomicU64::new(0);
    let n = (budget.as_nanos() as u64 * 2).max(1_000_000) / 4;
    let time = |f: &dyn Fn()| best_of_5(|| per_op(n, f));
    let rmw = time(&|| rmw_loop(&a, n));
    let load = time(&|| {
        let mut s = 0;
        for _ in 0..n {
            s += black_box(&a).load(Ordering::Acquire);
        }
        black_box(s);
    });
    let rmw2 = rmw_two_threads(n);
    let ids: Vec<u64> = (1..=WORKING_SET as u64).collect();
    let harness = time(&|| {
        let mut miss = 0u64;
        for i in 0..n as usize {
            miss += u64::from(black_box(ids[i % WORKING_SET]) == 0);
        }
        black_box(miss);
    });
    for (what, (wall, cpu)) in [
        ("atomic-rmw", rmw),
        ("atomic-rmw-2threads", rmw2),
        ("loop-harness", harness),
        ("atomic-load", load),
    ] {
        println!("FLOOR\t{what}\t{wall:.2}\t{cpu:.2}");
    }
}

/// The read-modify-write loop of `floors` on two threads at once, each on its own cache line:
/// what the hardware alone does to a 2-thread figure (the pool's threads share no written line
/// either). Mean per-thread (wall, on-CPU) ns per RMW, best of 5.
fn rmw_two_threads(n: u64) -> (f64, f64) {
    #[repr(align(128))]
    struct Line(AtomicU64);
    let lines = [Line(AtomicU64::new(0)), Line(AtomicU64::new(0))];
    let once = || {
        let barrier = Barrier::new(2);
        let times: Vec<(f64, f64)> = std::thread::scope(|s| {
            let hs: Vec<_> = lines
                .iter()
                .map(|line| {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        per_op(n, || rmw_loop(&line.0, n))
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mean = |f: fn(&(f64, f64)) -> f64| times.iter().map(f).sum::<f64>() / 2.0;
        (mean(|t| t.0), mean(|t| t.1))
    };
    best_of_5(once)
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let ms = std::env::var("POOL_BENCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let budget = Duration::from_millis(ms);
    floors(budget);
    let mut all = Vec::new();
    rows(|| Ours::<false>(HandlePool::new()), budget, &mut all);
    // The same pool without a cap (`HandlePool::unbounded()`).
    rows(|| Ours::<true>(HandlePool::unbounded()), budget, &mut all);
    rows(
        || SeedMap(Mutex::new((0, HashMap::new()))),
        budget,
        &mut all,
    );
    rows(|| Slab(sharded_slab::Slab::new()), budget, &mut all);
    rows(
        || SlotMap(Mutex::new(slotmap::SlotMap::new())),
        budget,
        &mut all,
    );
    measure(all);
}
