//! `cargo xtask bench bind`'s std program: the generated `strings::to_upper` against a
//! hand-written cgo export of the same call (`C.GoStringN` in, `C.CString` out, freed here),
//! on 16 and 4096 bytes, in one process. Prints `name generated_ns bare_ns ratio` lines.

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
    fn bench_bare_to_upper(p: *const u8, n: usize) -> *mut std::ffi::c_char;
    fn free(p: *mut std::ffi::c_void);
}

fn bare(s: &str) -> String {
    // SAFETY: Go copies `s` (C.GoStringN) and returns a malloc'd NUL-terminated copy.
    unsafe {
        let p = bench_bare_to_upper(s.as_ptr(), s.len());
        let out = std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned();
        free(p.cast());
        out
    }
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    for len in [16usize, 4096] {
        let s: String = "abcdefghijklmnop".chars().cycle().take(len).collect();
        assert_eq!(strings::to_upper(&s).expect("to_upper"), bare(&s));
        let rounds = if len > 1000 { n / 10 } else { n };
        let (g, b) = per_call_pair(
            rounds,
            |_| {
                black_box(strings::to_upper(black_box(&s)).expect("to_upper"));
            },
            |_| {
                black_box(bare(black_box(&s)));
            },
        );
        println!("to_upper/{len} {g:.1} {b:.1} {:.2}", g / b);
    }
}
