//! Rust program of the std leg of the package-binding gate: calls `strings` and `strconv` from
//! the Go standard library through the typed API gobridge's renderers generate (no `extern "C"`,
//! no raw IDs): strings and string slices both ways, byte slices, Rust closures as Go funcs,
//! handle types with methods and fields, a Go `error` as `GoError::Go` with Go's message, Go
//! panics as `GoError::Panic`; then both handle tables must be empty. Prints `PASS: ...` as its
//! last line, or exits non-zero.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use bindings::*;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};

static FAILURES: AtomicUsize = AtomicUsize::new(0);
static CHECKS: AtomicUsize = AtomicUsize::new(0);

#[track_caller]
fn check(cond: bool, what: &str) {
    CHECKS.fetch_add(1, Ordering::Relaxed);
    if !cond {
        let at = std::panic::Location::caller();
        eprintln!("FAIL {}:{}: {what}", at.file(), at.line());
        FAILURES.fetch_add(1, Ordering::Relaxed);
    }
}

#[track_caller]
fn check_eq<T: PartialEq + Debug>(got: T, want: T, what: &str) {
    check(got == want, &format!("{what}: got {got:?}, want {want:?}"));
}

fn strings_fns() {
    check_eq(
        strings::to_upper("héllo, go").ok().as_deref(),
        Some("HÉLLO, GO"),
        "to_upper",
    );
    check_eq(
        strings::split("a,b,,c", ",").ok(),
        Some(vec!["a".into(), "b".into(), String::new(), "c".into()]),
        "split",
    );
    check_eq(
        strings::split("", ",").ok(),
        Some(vec![String::new()]),
        "split of nothing",
    );
    check_eq(
        strings::join(&["x", "y", "z"], "-").ok().as_deref(),
        Some("x-y-z"),
        "join",
    );
    check_eq(
        strings::join(&[], "-").ok().as_deref(),
        Some(""),
        "join none",
    );
    check_eq(
        strings::cut("key=value", "=").ok(),
        Some(("key".into(), "value".into(), true)),
        "cut",
    );
    check_eq(
        strings::equal_fold("Go", "GO").ok(),
        Some(true),
        "equal_fold",
    );
    // A Go panic (negative count) is a GoError::Panic with Go's message.
    match strings::repeat("ab", -1) {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("negative"),
            &format!("repeat panic: {message}"),
        ),
        other => check(false, &format!("repeat -1: {other:?}")),
    }
    check_eq(
        strings::repeat("ab", 3).ok().as_deref(),
        Some("ababab"),
        "repeat",
    );
}

fn closures() {
    let digit = GoCallback::<RunePredFn>::new(|r| {
        char::from_u32(r as u32).is_some_and(|c| c.is_ascii_digit())
    })
    .expect("callback");
    check_eq(
        strings::fields_func("a1b22c", &digit).ok(),
        Some(vec!["a".into(), "b".into(), "c".into()]),
        "fields_func",
    );
    check_eq(
        strings::index_func("abc7", &digit).ok(),
        Some(3),
        "index_func",
    );
    check_eq(
        strings::contains_func("abc", &digit).ok(),
        Some(false),
        "contains_func",
    );
    let rot = GoCallback::<RuneMapFn>::new(|r| match char::from_u32(r as u32) {
        Some('a') => 'b' as i32,
        Some('n') => -1,
        _ => r,
    })
    .expect("callback");
    check_eq(
        strings::map(&rot, "banana").ok().as_deref(),
        Some("bbbb"),
        "map",
    );
}

fn handles() {
    let b = strings::Builder::zero().expect("Builder::zero");
    check_eq(b.write_string("héllo").ok(), Some(6), "write_string");
    check_eq(b.write_string(" go").ok(), Some(3), "write_string");
    check_eq(b.len().ok(), Some(9), "Builder::len");
    check_eq(
        b.string().ok().as_deref(),
        Some("héllo go"),
        "Builder::string",
    );
    let r = strings::new_replacer(&["a", "1", "b", "2"]).expect("new_replacer");
    check_eq(
        r.replace("abc").ok().as_deref(),
        Some("12c"),
        "Replacer::replace",
    );
    // An odd argument count is a Go panic.
    match strings::new_replacer(&["a"]) {
        Err(e) => check_eq(e.status(), Some(Status::Panic), "odd new_replacer"),
        Ok(_) => check(false, "new_replacer with one argument"),
    }
    // Struct fields of a pointer type, and a method that panics on a nil error field.
    let e = strconv::NumError::zero().expect("NumError::zero");
    check(e.set_func("ParseThing").is_ok(), "set_func");
    check(e.set_num("zz").is_ok(), "set_num");
    check_eq(e.func().ok().as_deref(), Some("ParseThing"), "func");
    check_eq(e.num().ok().as_deref(), Some("zz"), "num");
    match e.error() {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("nil pointer"),
            &format!("nil Err: {message}"),
        ),
        other => check(false, &format!("NumError.Error with nil Err: {other:?}")),
    }
}

fn strconv_fns() {
    check_eq(strconv::atoi("42").ok(), Some(42), "atoi");
    match strconv::atoi("forty-two") {
        Err(GoError::Go { message, .. }) => check_eq(
            message.as_str(),
            "strconv.Atoi: parsing \"forty-two\": invalid syntax",
            "atoi error",
        ),
        other => check(false, &format!("atoi error: {other:?}")),
    }
    check_eq(
        strconv::parse_int("-ff", 16, 64).ok(),
        Some(-255),
        "parse_int",
    );
    match strconv::parse_int("99999999999999999999", 10, 64) {
        Err(GoError::Go { message, .. }) => check(
            message.ends_with("value out of range"),
            &format!("parse_int range: {message}"),
        ),
        other => check(false, &format!("parse_int range: {other:?}")),
    }
    check_eq(
        strconv::format_int(255, 2).ok().as_deref(),
        Some("11111111"),
        "format_int",
    );
    check_eq(
        strconv::quote("hi\n\"").ok().as_deref(),
        Some("\"hi\\n\\\"\""),
        "quote",
    );
    check_eq(
        strconv::append_int(b"x=", -42, 10).ok(),
        Some(b"x=-42".to_vec()),
        "append_int",
    );
    check_eq(strconv::INT_SIZE, 64, "IntSize");
}

fn main() {
    strings_fns();
    closures();
    handles();
    strconv_fns();
    check_eq(live(), 0, "Go handle table empty");
    check_eq(host_live(), 0, "host pool empty");
    let failures = FAILURES.load(Ordering::Relaxed);
    let checks = CHECKS.load(Ordering::Relaxed);
    if failures > 0 {
        println!("FAIL: {failures} of {checks} checks failed");
        std::process::exit(1);
    }
    println!("PASS: {checks} checks; Go live handles 0, host live closures 0");
}
