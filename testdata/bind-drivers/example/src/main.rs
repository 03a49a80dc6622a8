//! Rust program of the package-binding gate. It calls every exported function, method and
//! field of `testdata/example` through the typed API gobridge generated (`bindings::example`),
//! with no `extern "C"` and no raw IDs: Go panics come back as `GoError::Panic`, a nil handle's
//! method is a panic and not a crash, Rust closures are Go funcs, channels are `GoChan`s; two
//! threads call at once; then both handle tables must be empty. Prints `PASS: ...` as its last
//! line, or exits non-zero.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

#[path = "../../../driver_check.rs"]
mod check;
use check::{check, check_eq};

use bindings::example::{self, Counter, Event};
use bindings::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Handle types are `Send` but not `Sync`; the module's shared types keep their traits.
fn auto_traits() {
    fn send<T: Send>() {}
    send::<Counter>();
    send::<Event>();
    send::<GoError>();
}

fn functions() {
    check_eq(example::double(21).ok(), Some(42), "double");
    check_eq(example::double(-4).ok(), Some(-8), "double negative");
}

fn counters() {
    let c = example::new_counter().expect("new_counter");
    check_eq(c.is_nil().ok(), Some(false), "new counter is not nil");
    check_eq(c.add(2).ok(), Some(2), "add 2");
    check_eq(c.add(3).ok(), Some(5), "add 3");
    // A clone is a second ID to the same Go counter.
    let d = c.clone();
    check_eq(d.add(1).ok(), Some(6), "clone shares the Go value");
    drop(c);
    check_eq(d.add(1).ok(), Some(7), "the clone outlives the original");
    let z = Counter::zero().expect("Counter::zero");
    check_eq(z.add(10).ok(), Some(10), "zero counter");
    // Through GoValue and back.
    let v: GoValue = z.into();
    let z = Counter::from(v);
    check_eq(z.add(1).ok(), Some(11), "GoValue round trip");
}

fn events_fields() {
    let e = Event::zero().expect("Event::zero");
    check_eq(e.seq().ok(), Some(0), "zero seq");
    check_eq(e.name().ok().as_deref(), Some(""), "zero name");
    check(e.set_seq(7).is_ok(), "set_seq");
    check(e.set_name("héllo, wörld").is_ok(), "set_name");
    check_eq(e.seq().ok(), Some(7), "seq");
    check_eq(e.name().ok().as_deref(), Some("héllo, wörld"), "name");
    let f = e.clone();
    check(f.set_seq(8).is_ok(), "set_seq through a clone");
    check_eq(e.seq().ok(), Some(8), "a clone shares fields");
}

fn channels() {
    // A receive-only Go channel, received until closed.
    let ticks = example::ticks(5).expect("ticks");
    let mut got = Vec::new();
    while let Some(v) = ticks.recv().expect("recv") {
        got.push(v);
    }
    check_eq(got, vec![1, 2, 3, 4, 5], "ticks");
    // A channel the host fills and closes; Go ranges over it.
    let ch = GoChan::<i64>::new(8).expect("GoChan::new");
    for v in 1..=4 {
        check(ch.send(v).is_ok(), "send");
    }
    check(ch.close().is_ok(), "close");
    check_eq(example::sum(&ch).ok(), Some(10), "sum");
    // Handle elements become typed values.
    let evs = example::events(&["start", "stop", ""]).expect("events");
    let mut seen = Vec::new();
    while let Some(v) = evs.recv().expect("recv event") {
        let e = Event::from(v);
        seen.push((e.seq().unwrap_or(-1), e.name().unwrap_or_default()));
    }
    check_eq(
        seen,
        vec![(1, "start".into()), (2, "stop".into()), (3, String::new())],
        "events",
    );
    let none = example::events(&[]).expect("events of nothing");
    check(matches!(none.recv(), Ok(None)), "no events");
}

fn callbacks() {
    let even = GoCallback::<CountifKeepFn>::new(|x| x % 2 == 0).expect("callback");
    check_eq(example::count_if(10, &even).ok(), Some(5), "count_if even");
    let big = GoCallback::<CountifKeepFn>::new(|x| x >= 7).expect("callback");
    check_eq(example::count_if(10, &big).ok(), Some(3), "count_if big");
    // A panicking closure is a Go panic, recovered by the wrapper.
    let boom = GoCallback::<CountifKeepFn>::new(|x| {
        if x == 3 {
            panic!("three is not allowed");
        }
        true
    })
    .expect("callback");
    match example::count_if(10, &boom) {
        Err(GoError::Panic { message, .. }) => {
            check(message.contains("three is not allowed"), &message)
        }
        other => check(false, &format!("panicking closure: {other:?}")),
    }
    map_words();
    // A Go func handed out by a bound function is a Go value the host owns (released on drop).
    let add5 = example::adder(5).expect("adder");
    check(!add5.is_nil(), "adder gives a func handle");
    check_eq(add5.call_adder(37).ok(), Some(42), "Go func value called from Rust");
    check_eq(add5.call_adder(-5).ok(), Some(0), "Go func value called again");
    // The value is a func(int64) int64: calling it as another func type is refused, typed.
    check(
        matches!(
            add5.call_countif_keep(1),
            Err(GoError::Status {
                status: Status::WrongKind,
                ..
            })
        ),
        "wrong func type",
    );
    drop(add5);
}

fn nil_handles() {
    // A nil *Counter: Go panics on the nil dereference; the wrapper reports it.
    let nil = Counter::from(GoValue::nil());
    check_eq(nil.is_nil().ok(), Some(true), "nil is nil");
    match nil.add(1) {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("nil pointer"),
            &format!("nil panic message: {message}"),
        ),
        other => check(false, &format!("nil method: {other:?}")),
    }
    let nil_event = Event::from(GoValue::nil());
    match nil_event.seq() {
        Err(e) => check_eq(e.status(), Some(Status::Panic), "nil field read"),
        Ok(v) => check(false, &format!("nil field read gave {v}")),
    }
    // A handle of the wrong Go type is refused, not misread.
    let c: GoValue = example::new_counter().expect("counter").into();
    let wrong = Event::from(c);
    match wrong.seq() {
        Err(e) => check(e.status().is_some(), &format!("wrong type: {e}")),
        Ok(v) => check(false, &format!("a Counter read as an Event gave {v}")),
    }
}

/// Two Rust threads at once: one shared Go counter (each thread owns a clone), plus calls of
/// their own.
fn concurrent() {
    let shared = example::new_counter().expect("counter");
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let c = shared.clone();
            std::thread::spawn(move || {
                let own = Counter::zero().expect("own counter");
                let keep = GoCallback::<CountifKeepFn>::new(move |x| x % 2 == t).expect("cb");
                for i in 0..500 {
                    c.add(1).expect("shared add");
                    own.add(1).expect("own add");
                    if example::double(i).ok() != Some(2 * i) {
                        check(false, "double in a thread");
                    }
                    if i % 50 == 0 {
                        check_eq(example::count_if(10, &keep).ok(), Some(5), "count_if");
                    }
                }
                own.add(0).unwrap_or(-1)
            })
        })
        .collect();
    for t in threads {
        check_eq(t.join().ok(), Some(500), "thread's own counter");
    }
    check_eq(shared.add(0).ok(), Some(1000), "shared counter");
}

fn main() {
    auto_traits();
    functions();
    counters();
    events_fields();
    channels();
    callbacks();
    nil_handles();
    concurrent();
    extra();
    // Every handle and closure above is dropped: both tables are empty.
    check_eq(live(), 0, "Go handle table empty");
    check_eq(host_live(), 0, "host pool empty");
    check::finish("Go live handles 0, host live closures 0");
}

fn map_words() {
    let upper = GoCallback::<MapwordsFFn>::new(|w| w.to_uppercase()).expect("callback");
    check_eq(
        example::map_words("héllo  go world", &upper)
            .ok()
            .as_deref(),
        Some("HÉLLO GO WORLD"),
        "map_words upper",
    );
    let erase = GoCallback::<MapwordsFFn>::new(|_| String::new()).expect("callback");
    check_eq(
        example::map_words("a b c", &erase).ok().as_deref(),
        Some("  "),
        "map_words to empty words",
    );
    let counted = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = counted.clone();
    let count = GoCallback::<MapwordsFFn>::new(move |w| {
        seen.fetch_add(1, Ordering::Relaxed);
        format!("<{w}>")
    })
    .expect("callback");
    check_eq(
        example::map_words("x y", &count).ok().as_deref(),
        Some("<x> <y>"),
        "map_words wraps",
    );
    check_eq(counted.load(Ordering::Relaxed), 2, "closure calls");
}

fn extra() {}
