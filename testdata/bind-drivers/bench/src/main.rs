//! `cargo xtask bench bind`'s Rust program: the generated safe call against a bare
//! hand-written `//export` of the same Go code through `extern "C"`, in one process. Prints
//! one line per pair: `name generated_ns bare_ns ratio`.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

#[path = "../../bench_timing.rs"]
mod bench_timing;

use bench_timing::per_call_pair;
use bindings::*;
use std::hint::black_box;

unsafe extern "C" {
    fn bench_bare_double(x: i64) -> i64;
    fn bench_bare_double_recover(x: i64) -> i64;
    fn bench_bare_counter_add(k: i64) -> i64;
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let (gen_double, bare_double) = per_call_pair(
        n,
        |i| {
            black_box(example::double(black_box(i as i64)).expect("double"));
        },
        // SAFETY: a plain Go export of int64 -> int64.
        |i| {
            black_box(unsafe { bench_bare_double(black_box(i as i64)) });
        },
    );
    let (recover_double, bare_double2) = per_call_pair(
        n,
        // SAFETY: the same Go export with a deferred recover.
        |i| {
            black_box(unsafe { bench_bare_double_recover(black_box(i as i64)) });
        },
        // SAFETY: a plain Go export of int64 -> int64.
        |i| {
            black_box(unsafe { bench_bare_double(black_box(i as i64)) });
        },
    );
    let c = example::new_counter().expect("new_counter");
    let (gen_add, bare_add) = per_call_pair(
        n,
        |_| {
            black_box(c.add(black_box(1)).expect("add"));
        },
        // SAFETY: a plain Go export adding to a Go-side global Counter.
        |_| {
            black_box(unsafe { bench_bare_counter_add(black_box(1)) });
        },
    );
    drop(c);
    for (name, g, b) in [
        ("double(int64)", gen_double, bare_double),
        ("floor:recover", recover_double, bare_double2),
        ("Counter::add", gen_add, bare_add),
    ] {
        println!("{name} {g:.1} {b:.1} {:.2}", g / b);
    }
    assert_eq!(live(), 0, "Go handle table empty");
}
