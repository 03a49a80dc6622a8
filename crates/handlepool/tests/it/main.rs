//! Integration tests for `handlepool` (one binary; see the modules).
#![cfg(not(loom))]

mod concurrency;
mod invariants;
mod model;
mod seed;

/// Scales iteration counts down under miri.
pub fn iters(normal: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { normal }
}
