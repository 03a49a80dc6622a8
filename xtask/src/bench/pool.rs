//! `cargo xtask bench pool [--millis N]`: `handlepool` against the seed's `Mutex<HashMap>`,
//! `sharded-slab`, `slotmap` under a mutex, and Go's `runtime/cgo.Handle`, at 1 and 2 threads.
//!
//! The Rust side is the release-built `handlepool` bench binary (`crates/handlepool/benches/
//! pool.rs`, `harness = false`), which prints `RESULT`/`FLOOR` lines; the Go side is
//! `go test -bench` over `testdata/gobench/cgohandle` (cgo on). Every figure is ns per
//! operation as one thread sees it: Go's `RunParallel` reports wall time per operation over
//! all goroutines, so its figure is multiplied by the goroutine count (GOMAXPROCS) to match.
//! The table prints each contender's ns/op and its ratio to ours (>1: ours is faster), the
//! Rust contenders' 2-thread figures in thread CPU time (on a shared 2-core machine other
//! processes preempt the threads, which inflates wall time), then the goals and each of
//! our rows' distance from its floor: the atomic read-modify-writes the operation needs times
//! what one costs, measured in the same run (in thread CPU time, like our figures).

use crate::util::{self, find_go, root};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::process::Command;

const OURS: &str = "handlepool";
const CGO: &str = "cgo.Handle";
const OURS_UNBOUNDED: &str = "handlepool-unbounded";
const IMPLS: [&str; 6] = [
    OURS,
    OURS_UNBOUNDED,
    "mutex-hashmap",
    "sharded-slab",
    "mutex-slotmap",
    CGO,
];
const OPS: [&str; 5] = ["pair", "resolve-hit", "with-hit", "resolve-stale", "mixed"];

/// One atomic read-modify-write in the run issue 18's ns goals were derived from (its pair floor
/// "2 RMW = 5.8 ns", resolve "<= 1 RMW + a few loads (<= 4.5 ns here)").
const GOAL_RMW_NS: f64 = 2.9;

/// (impl, op, threads) → ns/op per thread.
type Results = BTreeMap<(String, String, u32), f64>;

pub fn run(args: &[String]) -> Result<()> {
    let mut millis = 40u64;
    crate::util::parse_flags("pool", args, &mut [("--millis", &mut millis)])?;
    let mut results = Results::new();
    let mut floors = BTreeMap::new();
    rust_side(millis, &mut results, &mut floors)?;
    let go_note = go_side(millis, &mut results).err();
    print_table(&results);
    print_on_cpu(&results);
    if let Some(e) = &go_note {
        println!("SKIP: cgo.Handle column: {e:#}");
    }
    println!("cgo.Handle resolve-stale: n/a (Handle.Value panics on a deleted handle)");
    println!(
        "2 threads: each thread runs the loop on its own handles; on a busy 2-core machine other \
         processes share the cores, so 2-thread figures are noisy"
    );
    print_goals(&results, &floors);
    Ok(())
}

fn rust_side(millis: u64, results: &mut Results, floors: &mut BTreeMap<String, f64>) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = util::run(
        Command::new(cargo)
            .current_dir(root())
            .args(["bench", "-q", "-p", "handlepool", "--bench", "pool"])
            .env("POOL_BENCH_MS", millis.to_string()),
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["RESULT", imp, op, threads, ns, cpu, rest @ ..] => {
                let threads: u32 = threads.parse()?;
                // The row's own floor: one RMW timed on its threads just before its loop.
                if let [rmw] = rest {
                    results.insert(
                        (format!("{imp}@rmw"), op.to_string(), threads),
                        rmw.parse()?,
                    );
                }
                results.insert((imp.to_string(), op.to_string(), threads), ns.parse()?);
                // On-CPU figures live under a suffixed name: "<impl>@cpu".
                results.insert(
                    (format!("{imp}@cpu"), op.to_string(), threads),
                    cpu.parse()?,
                );
            }
            ["FLOOR", what, ns, cpu] => {
                floors.insert(what.to_string(), ns.parse()?);
                floors.insert(format!("{what}@cpu"), cpu.parse()?);
            }
            ["FLOOR", what, ns] => {
                floors.insert(what.to_string(), ns.parse()?);
            }
            _ => {}
        }
    }
    if !results.keys().any(|k| k.0 == OURS) {
        bail!("bench pool: the handlepool bench printed no results:\n{text}");
    }
    Ok(())
}

fn go_side(millis: u64, results: &mut Results) -> Result<()> {
    let go = find_go().context("`go` not found (set GOBRIDGE_GO or install Go)")?;
    let dir = root().join("testdata/gobench/cgohandle");
    let out = util::run(
        crate::util::go(&go)
            .current_dir(&dir)
            .env("CGO_ENABLED", "1")
            .env("GOWORK", "off")
            .env("GOFLAGS", "-mod=mod")
            .args([
                "test", "-run", "^$", "-bench", ".", "-cpu", "1,2", "-count", "3",
            ])
            .arg(format!("-benchtime={}ms", millis * 3)),
    )
    .context(
        "go test -bench in testdata/gobench/cgohandle (runtime/cgo needs cgo and a C compiler)",
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut got = false;
    for line in text.lines() {
        // BenchmarkPair-2   	 1855124	       136.2 ns/op
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(name), Some(ns), Some("ns/op")) = (f.first(), f.get(2), f.get(3).copied()) else {
            continue;
        };
        let Some(name) = name.strip_prefix("Benchmark") else {
            continue;
        };
        let (name, procs) = match name.rsplit_once('-') {
            Some((n, p)) => (n, p.parse::<u32>()?),
            None => (name, 1),
        };
        let op = match name {
            "Pair" => "pair",
            "ResolveHit" => "resolve-hit",
            "Mixed" => "mixed",
            _ => continue,
        };
        // RunParallel: wall time / all goroutines' ops → per-goroutine latency.
        let per_thread = ns.parse::<f64>()? * f64::from(procs);
        let e = results
            .entry((CGO.to_string(), op.to_string(), procs))
            .or_insert(f64::INFINITY);
        *e = e.min(per_thread);
        got = true;
    }
    if !got {
        bail!("no benchmark lines in `go test -bench` output:\n{text}");
    }
    Ok(())
}

fn print_table(results: &Results) {
    println!();
    println!("ns/op per thread (best of several runs); x = their ns / our ns (>1: ours faster)");
    print!("{:<14} {:>3}", "op", "thr");
    for imp in IMPLS {
        print!(" {imp:>22}");
    }
    println!();
    for op in OPS {
        for threads in [1, 2] {
            let ours = results.get(&(OURS.into(), op.into(), threads)).copied();
            print!("{op:<14} {threads:>3}");
            for imp in IMPLS {
                match (results.get(&(imp.into(), op.into(), threads)), ours) {
                    (Some(ns), Some(o)) if imp != OURS => {
                        print!(" {:>22}", format!("{ns:.1} ({:.1}x)", ns / o))
                    }
                    (Some(ns), _) => print!(" {:>22}", format!("{ns:.1}")),
                    (None, _) => print!(" {:>22}", "n/a"),
                }
            }
            println!();
        }
    }
}

fn print_on_cpu(results: &Results) {
    println!();
    println!(
        "2 threads, on-CPU ns/op (thread CPU time: excludes preemption by other processes, \
         includes contention between the two threads):"
    );
    for op in OPS {
        print!("{op:<14}   2");
        for imp in IMPLS.iter().filter(|i| **i != CGO) {
            match results.get(&(format!("{imp}@cpu"), op.into(), 2)) {
                Some(ns) => print!(" {:>22}", format!("{ns:.1}")),
                None => print!(" {:>22}", "n/a"),
            }
        }
        println!();
    }
}

/// Atomic read-modify-writes each of our operations needs at least (capped, unbounded):
/// pair = claim a free slot + clear LIVE (unbounded: the thread's cache is private, so only
/// the clear); resolve hit = guard up + guard down; with hit = naming the slot in the thread's
/// hazard word (its clear is a plain store); stale miss = none (two dependent loads); mixed = a
/// pair + 4 resolves.
fn rmw_floor(op: &str, unbounded: bool) -> f64 {
    let pair = if unbounded { 1.0 } else { 2.0 };
    match op {
        "pair" => pair,
        "resolve-hit" => 2.0,
        "with-hit" => 1.0,
        "resolve-stale" => 0.0,
        "mixed" => pair + 8.0,
        _ => f64::NAN,
    }
}

fn print_goals(results: &Results, floors: &BTreeMap<String, f64>) {
    let get = |imp: &str, op: &str, t: u32| results.get(&(imp.into(), op.into(), t)).copied();
    // Our figures are thread CPU time when the bench had it (same as wall time when nothing
    // preempted the thread), and so is the floor; ratios to cgo.Handle use wall time.
    let cpu = |imp: &str, op: &str, t: u32| {
        get(&format!("{imp}@cpu"), op, t)
            .or_else(|| get(imp, op, t))
            .unwrap_or(f64::NAN)
    };
    let floor = |what: &str| {
        floors
            .get(&format!("{what}@cpu"))
            .or_else(|| floors.get(what))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let rmw = floor("atomic-rmw");
    let load = floor("atomic-load");
    // A row's own floor (one RMW timed on its threads just before its loop; the CPUs of a shared
    // virtual machine differ), else the run's.
    let row_rmw = |imp: &str, op: &str, t: u32| get(&format!("{imp}@rmw"), op, t).unwrap_or(rmw);
    let mark = |ok: bool| if ok { "met " } else { "MISS" };
    println!();
    println!(
        "goals (issue 18) — figures from this run (thread CPU time; one atomic RMW = {rmw:.2} ns \
         here; \"in RMWs\" divides by the RMW timed on the row's own thread):"
    );
    let pair1 = cpu(OURS, "pair", 1);
    let un1 = cpu(OURS_UNBOUNDED, "pair", 1);
    let slotmap1 = cpu("mutex-slotmap", "pair", 1);
    // The absolute goals, and the same goals in atomic read-modify-writes of the run
    // they were set from (one RMW = GOAL_RMW_NS there), checked against this run's RMW.
    let absolute = |label: &str, (imp, op): (&str, &str), goal: f64| {
        let ns = cpu(imp, op, 1);
        let (in_rmw, goal_rmw) = (ns / row_rmw(imp, op, 1), goal / GOAL_RMW_NS);
        println!(
            "  [{}] {label}: {ns:.1} ns <= {goal} ns; in RMWs: [{}] {in_rmw:.2} <= {goal_rmw:.2}",
            mark(ns <= goal),
            mark(in_rmw <= goal_rmw)
        );
    };
    absolute("pair 1 thread, capped", (OURS, "pair"), 8.0);
    absolute("pair 1 thread, unbounded", (OURS_UNBOUNDED, "pair"), 6.0);
    println!(
        "  [{}] pair 1 thread faster than Mutex<SlotMap> ({slotmap1:.1} ns): capped {pair1:.1}, \
         unbounded {un1:.1}",
        mark(pair1 < slotmap1 && un1 < slotmap1)
    );
    let rmw2 = floor("atomic-rmw-2threads");
    println!(
        "  (hardware alone: one RMW on each of 2 threads at once, own cache lines: {rmw2:.2} ns, \
         {:+.0}% vs 1 thread)",
        (rmw2 / rmw - 1.0) * 100.0
    );
    for (imp, label) in [(OURS, "capped"), (OURS_UNBOUNDED, "unbounded")] {
        let one = cpu(imp, "pair", 1);
        let two = cpu(imp, "pair", 2);
        let wall = get(imp, "pair", 2).unwrap_or(f64::NAN);
        println!(
            "  [{}] pair 2 threads, {label}: on-CPU {two:.1} ns ({:+.0}% vs 1 thread; goal within \
             10%), wall {wall:.1} ns",
            mark(two <= one * 1.10),
            (two / one - 1.0) * 100.0
        );
    }
    absolute("resolve hit (a guard: 2 RMWs)", (OURS, "resolve-hit"), 4.5);
    absolute(
        "the cheaper read, with(id, |v| ..), hit (1 RMW)",
        (OURS, "with-hit"),
        4.5,
    );
    println!(
        "  with hit / resolve hit: {:.2}",
        cpu(OURS, "with-hit", 1) / cpu(OURS, "resolve-hit", 1)
    );
    let stale = cpu(OURS, "resolve-stale", 1);
    println!(
        "  [{}] stale miss {stale:.1} ns <= 2 ns",
        mark(stale <= 2.0)
    );
    for op in ["pair", "mixed", "resolve-hit"] {
        if let Some(c) = get(CGO, op, 1) {
            let x = c / get(OURS, op, 1).unwrap_or(f64::NAN);
            println!(
                "  [{}] {op}: {x:.1}x faster than cgo.Handle (goal >= 20x)",
                mark(x >= 20.0)
            );
        }
    }
    println!();
    println!(
        "distance from the floor (on-CPU; floor = the RMWs the operation needs x one RMW timed on \
         the row's threads, stale miss = 2 loads x {load:.2} ns):"
    );
    println!(
        "{:<14} {:>3} {:>22} {:>8} {:>6} {:>8} {:>9} {:>8}",
        "op", "thr", "pool", "ns", "RMW", "floor", "distance", "in RMWs"
    );
    for op in OPS {
        for threads in [1, 2] {
            for (imp, unbounded) in [(OURS, false), (OURS_UNBOUNDED, true)] {
                let ns = cpu(imp, op, threads);
                let one = row_rmw(imp, op, threads);
                let fl = if op == "resolve-stale" {
                    2.0 * load
                } else {
                    rmw_floor(op, unbounded) * one
                };
                println!(
                    "{op:<14} {threads:>3} {imp:>22} {ns:>8.1} {one:>6.2} {fl:>8.1} {:>+9.1} {:>8.2}",
                    ns - fl,
                    ns / one
                );
            }
        }
    }
    println!(
        "  an exact cap needs the acquire-side RMW: a free slot in one thread's cache must stay \
         claimable by others (no spurious Exhausted), so taking it is a compare-exchange"
    );
}
