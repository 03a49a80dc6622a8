//! Bench program of the host bindings (`cargo xtask bench host`): the generated safe API next to
//! the raw `extern "C"` calls it wraps, and a Go→Rust callback round trip next to a bare Go→C
//! call. Prints `name ns/op` lines; interleaves rounds so both sides see the same machine load.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use bindings::*;
use std::hint::black_box;
use std::time::Instant;

// The raw shims, declared by hand here only to measure what the safe API adds.
unsafe extern "C" {
    fn mochi_fixture_i64_chan_new(buffer: i64, out: *mut u64) -> RawStatus;
    safe fn mochi_fixture_i64_chan_send(id: u64, v: i64) -> RawStatus;
    fn mochi_fixture_i64_chan_recv(id: u64, out: *mut i64) -> RawStatus;
    safe fn mochi_fixture_i64_chan_free(id: u64) -> RawStatus;
}

fn time(iters: u64, mut f: impl FnMut(u64)) -> f64 {
    let t = Instant::now();
    for i in 0..iters {
        f(i);
    }
    t.elapsed().as_nanos() as f64 / iters as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let iters: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let rounds = 11;
    let safe_ch = GoChan::<i64>::new(1).expect("chan");
    let mut raw_id = 0u64;
    // SAFETY: `raw_id` is a live local u64.
    let st = unsafe { mochi_fixture_i64_chan_new(1, &mut raw_id) };
    assert_eq!(st, RawStatus(0));
    let cb = GoCallback::<PredFn>::new(|x| x & 1 == 0).expect("callback");
    let per_call = iters.max(1000) as i64;

    let (mut raw, mut safe, mut ratio_chan) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cb_ns, mut c_ns, mut ratio_cb, mut bare) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let r = time(iters, |i| {
            let _ = mochi_fixture_i64_chan_send(raw_id, i as i64);
            let mut v = 0i64;
            // SAFETY: `v` is a live local i64.
            let _ = unsafe { mochi_fixture_i64_chan_recv(raw_id, &mut v) };
            black_box(v);
        });
        let s = time(iters, |i| {
            let _ = safe_ch.send(i as i64);
            black_box(safe_ch.recv().ok().flatten());
        });
        raw.push(r);
        safe.push(s);
        ratio_chan.push(s / r);
        bare.push(time(iters, |_| {
            let _ = black_box(fixture_noop());
        }));
        let t = Instant::now();
        black_box(fixture_c_noop_n(per_call).ok());
        let c = t.elapsed().as_nanos() as f64 / per_call as f64;
        let t = Instant::now();
        black_box(fixture_count_func(per_call, &cb).ok());
        let g = t.elapsed().as_nanos() as f64 / per_call as f64;
        c_ns.push(c);
        cb_ns.push(g);
        ratio_cb.push(g / c);
    }
    let _ = mochi_fixture_i64_chan_free(raw_id);
    println!("raw_send_recv {:.1}", median(raw));
    println!("safe_send_recv {:.1}", median(safe));
    println!("ratio_send_recv {:.3}", median(ratio_chan));
    println!("bare_c_to_go {:.1}", median(bare));
    println!("bare_go_to_c {:.1}", median(c_ns));
    println!("go_to_rust_callback {:.1}", median(cb_ns));
    println!("ratio_callback {:.3}", median(ratio_cb));
}
