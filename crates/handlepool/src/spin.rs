//! A tiny test-and-test-and-set spin lock for the pool's shared lists (free slots that spilled
//! out of the per-thread caches, and spare slots).
//!
//! Locking costs one atomic read-modify-write and unlocking a plain release store, which is
//! half of what a parking mutex pays on its fast path. Critical sections are a handful of
//! instructions (push or pop one index, adjust a counter) and never run user code or drop a
//! value, so a holder is only ever delayed by preemption; the waiter yields every 64 spins.

use crate::sync::{AtomicBool, UnsafeCell, spin_wait};
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// A spin lock around a `T`.
pub(crate) struct SpinMutex<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `value` to one thread at a time (the `swap` with
// `Acquire` in `lock` pairs with the `Release` store in `SpinGuard::drop`), exactly like
// `std::sync::Mutex`, which is `Sync` when `T: Send`.
unsafe impl<T: Send> Sync for SpinMutex<T> {}

impl<T> SpinMutex<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Takes the lock, spinning (and yielding now and then) while another thread holds it.
    #[inline]
    pub(crate) fn lock(&self) -> SpinGuard<'_, T> {
        if self
            .locked
            .compare_exchange(false, true, Acquire, Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        SpinGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self) {
        let mut step = 0u32;
        loop {
            // Test before test-and-set (no cache-line ping-pong while waiting). Under loom a
            // plain load may keep returning a stale `true` forever (loom does not model
            // "stores become visible eventually"), so it goes straight to the exchange.
            while !cfg!(loom) && self.locked.load(Relaxed) {
                spin_wait(&mut step);
            }
            if self
                .locked
                .compare_exchange(false, true, Acquire, Relaxed)
                .is_ok()
            {
                return;
            }
            spin_wait(&mut step);
        }
    }
}

/// Proof of holding a [`SpinMutex`]; unlocks on drop.
pub(crate) struct SpinGuard<'a, T> {
    lock: &'a SpinMutex<T>,
}

impl<T> SpinGuard<'_, T> {
    /// Runs `f` on the protected value.
    #[inline]
    pub(crate) fn with<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        self.lock.value.with_mut(|p| {
            // SAFETY: this guard exists only while `locked` is held by this thread, so no other
            // reference to the value exists; `&mut self` stops re-entrant aliasing through the
            // same guard.
            f(unsafe { &mut *p })
        })
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.lock.locked.store(false, Release);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn spin_mutex_serialises_increments() {
        let m = Arc::new(SpinMutex::new(0u64));
        let per = if cfg!(miri) { 50 } else { 20_000 };
        let hs: Vec<_> = (0..3)
            .map(|_| {
                let m = Arc::clone(&m);
                std::thread::spawn(move || {
                    for _ in 0..per {
                        m.lock().with(|v| *v += 1);
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(m.lock().with(|v| *v), 3 * per);
    }
}
