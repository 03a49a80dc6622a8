//! Timing shared by the `cargo xtask bench bind` programs.

use std::time::Instant;

/// Nanoseconds per call of `g` and of `b` over `n` calls each: the best of 15 rounds, the two
/// sides alternating round by round so that a burst of load on the machine hits both.
pub fn per_call_pair(n: u64, mut g: impl FnMut(u64), mut b: impl FnMut(u64)) -> (f64, f64) {
    let mut best = (f64::MAX, f64::MAX);
    for _ in 0..15 {
        let t = Instant::now();
        for i in 0..n {
            g(i);
        }
        best.0 = best.0.min(t.elapsed().as_nanos() as f64 / n as f64);
        let t = Instant::now();
        for i in 0..n {
            b(i);
        }
        best.1 = best.1.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}
