//! The checks every Rust gate driver (bridge, host, bind) counts, and its last line (`PASS: ...`
//! or `FAIL: ...`), which the sentinel reads.

use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};

static FAILURES: AtomicUsize = AtomicUsize::new(0);
static CHECKS: AtomicUsize = AtomicUsize::new(0);

/// Counts a check; reports it with its caller's line when `cond` is false.
#[track_caller]
pub fn check(cond: bool, what: &str) {
    CHECKS.fetch_add(1, Ordering::Relaxed);
    if !cond {
        let at = std::panic::Location::caller();
        eprintln!("FAIL {}:{}: {what}", at.file(), at.line());
        FAILURES.fetch_add(1, Ordering::Relaxed);
    }
}

/// [`check`] that `got == want`, showing both.
#[track_caller]
pub fn check_eq<T: PartialEq + Debug>(got: T, want: T, what: &str) {
    check(got == want, &format!("{what}: got {got:?}, want {want:?}"));
}

/// Prints `PASS: <n> checks; <tail>`, or `FAIL: ...` and exits with status 1.
pub fn finish(tail: &str) {
    let failures = FAILURES.load(Ordering::Relaxed);
    let checks = CHECKS.load(Ordering::Relaxed);
    if failures > 0 {
        println!("FAIL: {failures} of {checks} checks failed");
        std::process::exit(1);
    }
    println!("PASS: {checks} checks; {tail}");
}
