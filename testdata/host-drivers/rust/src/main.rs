//! Rust program of the host-bindings gate. It uses only the safe module host-render generated
//! for module `fixture` (no `extern "C"`, no raw IDs): round trips for every channel element
//! kind of the C boundary contract, close-then-drain, select, Rust closures passed into real Go
//! functions (`slices.IndexFunc`, a call from another goroutine, Go code that keeps the func),
//! panicking closures, a Go producer goroutine, concurrent use from two Rust threads; then both
//! handle pools must be empty. Prints `PASS: ...` as its last line, or exits non-zero.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use bindings::*;
use std::fmt::Debug;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Iterations of the concurrent-panic check, per thread.
const PANIC_ITERS: i64 = 2000;

#[path = "../../../driver_check.rs"]
mod check;
use check::{check, check_eq};

#[track_caller]
fn is_status<T: Debug>(r: Result<T, GoError>, want: Status, what: &str) {
    match r {
        Err(e) => check_eq(e.status(), Some(want), what),
        Ok(v) => check(false, &format!("{what}: got Ok({v:?}), want {want:?}")),
    }
}

/// Send, receive, try, close, drain for a scalar element type.
fn scalar_roundtrip<T>(vals: [T; 3])
where
    T: for<'a> ChanElem<Arg<'a> = T> + Copy + PartialEq + Debug,
{
    let what = std::any::type_name::<T>();
    let ch = GoChan::<T>::new(4).expect("new");
    for v in vals {
        check(ch.send(v).is_ok(), what);
    }
    for v in vals {
        check_eq(ch.recv().ok().flatten(), Some(v), what);
    }
    is_status(ch.try_recv(), Status::Empty, what);
    check(ch.try_send(vals[0]).is_ok(), what);
    check(ch.close().is_ok(), what);
    is_status(ch.close(), Status::Closed, what);
    is_status(ch.send(vals[1]), Status::Closed, what);
    check_eq(ch.recv().ok().flatten(), Some(vals[0]), what);
    check_eq(ch.recv().ok(), Some(None), what);
    check_eq(ch.recv().ok(), Some(None), what);
    check_eq(ch.try_recv().ok(), Some(None), what);
}

fn scalars() {
    scalar_roundtrip([true, false, true]);
    scalar_roundtrip([i8::MIN, -1, i8::MAX]);
    scalar_roundtrip([i16::MIN, 7, i16::MAX]);
    scalar_roundtrip([i32::MIN, 7, i32::MAX]);
    scalar_roundtrip([i64::MIN, 0, i64::MAX]);
    scalar_roundtrip([0u8, 7, u8::MAX]);
    scalar_roundtrip([0u16, 7, u16::MAX]);
    scalar_roundtrip([0u32, 7, u32::MAX]);
    scalar_roundtrip([0u64, 7, u64::MAX]);
    scalar_roundtrip([isize::MIN, -3, isize::MAX]);
    scalar_roundtrip([0usize, 3, usize::MAX]);
    scalar_roundtrip([f32::MIN_POSITIVE, -1.5, f32::INFINITY]);
    scalar_roundtrip([f64::MIN, 0.25, f64::MAX]);
    // Defaults and bounds.
    let d = GoChan::<f64>::with_default_buffer().expect("default buffer");
    for i in 0..4 {
        check(d.try_send(f64::from(i)).is_ok(), "f64 default buffer 4");
    }
    is_status(d.try_send(9.0), Status::Full, "f64 default buffer is 4");
    is_status(
        GoChan::<i64>::new(1 << 21),
        Status::BadArg,
        "buffer too large",
    );
    let one = GoChan::<i64>::new(1).expect("new");
    check(one.try_send(1).is_ok(), "try_send into room");
    is_status(one.try_send(2), Status::Full, "try_send full");
    let unbuffered = GoChan::<i64>::new(0).expect("unbuffered");
    is_status(unbuffered.try_send(1), Status::Full, "unbuffered try_send");
}

fn strings() {
    let ch = GoChan::<String>::new(8).expect("new");
    let long = "gobridge ".repeat(2000);
    let vals = ["", "héllo, 世界", "a\0b", long.as_str()];
    for v in vals {
        check(ch.send(v).is_ok(), "send str");
    }
    for v in vals {
        check_eq(ch.recv().ok().flatten().as_deref(), Some(v), "recv str");
    }
    check(ch.try_send("last").is_ok(), "try_send str");
    check(ch.close().is_ok(), "close str");
    check_eq(
        ch.try_recv().ok().flatten().as_deref(),
        Some("last"),
        "drain str",
    );
    check_eq(ch.recv().ok(), Some(None), "closed str");
}

fn handles() {
    let t = fixture_thing_new(7, "seven").expect("thing");
    check(!t.is_nil(), "thing is not nil");
    check_eq(
        fixture_thing_describe(&t).ok(),
        Some(("seven".to_string(), 7)),
        "describe",
    );
    let ch = GoChan::<ThingValue>::new(2).expect("new");
    check(ch.send(&t).is_ok(), "send thing");
    check(ch.send(&ThingValue::nil()).is_ok(), "send nil thing");
    let got = ch.recv().ok().flatten().expect("recv thing");
    check_eq(
        fixture_thing_describe(&got).ok(),
        Some(("seven".to_string(), 7)),
        "received thing is the same Go value",
    );
    // A nil *Thing is a typed nil, not a nil interface: by the contract it comes back as a
    // handle to Go's nil pointer (only a nil interface is ID 0), which Go code sees as nil.
    let nil = ch.recv().ok().flatten().expect("recv nil");
    is_status(
        fixture_thing_describe(&nil),
        Status::BadArg,
        "describe(nil)",
    );
    check(ch.close().is_ok(), "close");
    check(ch.recv().ok().flatten().is_none(), "closed thing chan");
}

fn select() {
    let nums = GoChan::<i64>::new(1).expect("nums");
    let words = GoChan::<String>::new(1).expect("words");
    // Nothing ready.
    let mut s = Select::new();
    s.recv(&nums);
    s.recv(&words);
    check(
        matches!(s.try_wait(), Ok(None)),
        "try_wait with nothing ready",
    );
    // A word arrives from another thread while the select waits.
    std::thread::scope(|sc| {
        sc.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            check(words.send("ping").is_ok(), "send from thread");
        });
        let mut s = Select::new();
        let n = s.recv(&nums);
        let w = s.recv(&words);
        match s.wait() {
            Ok(mut sel) => {
                check_eq(sel.index(), w.index(), "select chose words");
                check(n.take(&mut sel).is_none(), "nums case has no value");
                check_eq(w.take(&mut sel), Some("ping".to_string()), "select value");
            }
            Err(e) => check(false, &format!("select: {e}")),
        }
    });
    // A send case proceeds when there is room.
    let mut s = Select::new();
    let i = s.send(&nums, 42);
    s.send(&words, "x");
    s.send(&words, "y");
    match s.wait() {
        Ok(sel) => check(!sel.is_closed() && sel.index() <= i + 2, "a send proceeded"),
        Err(e) => check(false, &format!("select send: {e}")),
    }
    // Drain what was sent, then a closed channel is a closed case.
    let _ = nums.try_recv();
    let _ = words.try_recv();
    check(nums.close().is_ok(), "close nums");
    let mut s = Select::new();
    let r = s.recv(&nums);
    match s.wait() {
        Ok(sel) => {
            check_eq(sel.index(), r.index(), "closed case chosen");
            check(sel.is_closed(), "closed case reports closed");
        }
        Err(e) => check(false, &format!("select closed: {e}")),
    }
    // A blocking select without cases is refused by Go.
    is_status(Select::new().wait(), Status::BadArg, "empty select");
}

fn callbacks() {
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let pred = GoCallback::<PredFn>::new(move |x| {
        c2.fetch_add(1, Ordering::Relaxed);
        x > 35
    })
    .expect("callback");
    check_eq(host_live(), 1, "one host closure");
    check_eq(
        fixture_index_func(10, &pred).ok(),
        Some(4),
        "slices.IndexFunc with a Rust closure",
    );
    check_eq(calls.load(Ordering::Relaxed), 5, "closure called 5 times");
    check_eq(fixture_index_func(3, &pred).ok(), Some(-1), "not found");
    check_eq(
        fixture_call_async(&pred, 40).ok(),
        Some(true),
        "called from another goroutine",
    );
    check_eq(
        fixture_call_async(&pred, 1).ok(),
        Some(false),
        "false from another goroutine",
    );
    check_eq(fixture_count_func(100, &pred).ok(), Some(64), "count");

    // Strings into a closure.
    let seen = std::sync::Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let visit = GoCallback::<VisitFn>::new(move |s: &str, i: i32| {
        s2.lock().unwrap().push(format!("{s}#{i}"));
    })
    .expect("visit");
    check(fixture_visit(&visit, "héllo", 3).is_ok(), "visit");
    check_eq(
        seen.lock().unwrap().clone(),
        vec!["héllo#0".to_string(), "héllo#1".into(), "héllo#2".into()],
        "strings reached the closure",
    );

    // A panicking closure: caught in Rust, a Go panic in IndexFunc, recovered by the glue.
    let boom = GoCallback::<PredFn>::new(|x| {
        if x == 20 {
            panic!("boom at {x}");
        }
        false
    })
    .expect("boom");
    match fixture_index_func(10, &boom) {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("boom at 20") && message.contains("mochi_fixture_pred_host"),
            &format!("panic message: {message}"),
        ),
        other => check(false, &format!("panicking closure: {other:?}")),
    }
    match fixture_call_async(&boom, 20) {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("boom at 20"),
            &format!("async panic: {message}"),
        ),
        other => check(
            false,
            &format!("panicking closure on a goroutine: {other:?}"),
        ),
    }
    // Per-call messages: two threads whose closures panic at the same time with different
    // texts each get their own text back (a module-wide "last panic" would mix them up).
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|sc| {
        for t in 0..2 {
            sc.spawn(move || {
                let cb = GoCallback::<PredFn>::new(move |x| panic!("thread {t} call {x};"))
                    .expect("panicker");
                for i in 0..PANIC_ITERS {
                    match fixture_call_async(&cb, i) {
                        Err(GoError::Panic { message, .. }) => check(
                            message.contains(&format!("thread {t} call {i};")),
                            &format!(
                                "thread {t} iteration {i} got another call's message: {message}"
                            ),
                        ),
                        other => check(false, &format!("concurrent panic: {other:?}")),
                    }
                }
            });
        }
    });
    std::panic::set_hook(quiet);
    // The closure still works after a panic.
    check_eq(
        fixture_index_func(1, &boom).ok(),
        Some(-1),
        "usable after a panic",
    );

    // Go keeps the func; the host drops its closure; a later call is a Go panic, not UB.
    let kept = GoCallback::<PredFn>::new(|_| true).expect("kept");
    check(fixture_keep(&kept).is_ok(), "keep");
    let before = host_live();
    drop(kept);
    check_eq(
        host_live(),
        before - 1,
        "dropping releases the host closure",
    );
    match fixture_call_kept(1) {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("returned status 5"),
            &format!("call after release: {message}"),
        ),
        other => check(false, &format!("call after release: {other:?}")),
    }
    drop((pred, visit, boom));
    check_eq(host_live(), 0, "all host closures released");
}

fn go_producer() {
    let ch = GoChan::<i64>::new(4).expect("new");
    check(fixture_fill(&ch, 100).is_ok(), "fill");
    let mut got = Vec::new();
    while let Ok(Some(v)) = ch.recv() {
        got.push(v);
    }
    check_eq(
        got,
        (0..100).collect::<Vec<i64>>(),
        "values from a Go goroutine",
    );
}

fn concurrent() {
    const N: i64 = 20_000;
    let ch = GoChan::<i64>::new(8).expect("new");
    let words = GoChan::<String>::new(8).expect("words");
    let pred = GoCallback::<PredFn>::new(|x| x % 2 == 0).expect("pred");
    std::thread::scope(|s| {
        let sender = s.spawn(|| {
            for i in 0..N {
                if ch.send(i).is_err() {
                    return false;
                }
                if i % 1000 == 0 {
                    let _ = words.send("tick");
                    let _ = fixture_count_func(10, &pred);
                }
            }
            ch.close().is_ok()
        });
        let receiver = s.spawn(|| {
            let mut sum = 0i64;
            let mut count = 0i64;
            while let Ok(Some(v)) = ch.recv() {
                sum += v;
                count += 1;
                if v % 1000 == 0 {
                    let _ = words.recv();
                    let _ = fixture_count_func(10, &pred);
                }
            }
            (count, sum)
        });
        check(sender.join().unwrap_or(false), "sender thread");
        let (count, sum) = receiver.join().unwrap_or((0, 0));
        check_eq(count, N, "received every value");
        check_eq(sum, N * (N - 1) / 2, "sum of values");
    });
}

/// The safe types may be shared and moved between threads (every shim may be called from any
/// thread; closures are `Send + Sync`). Checked at compile time.
fn auto_traits() {
    fn both<T: Send + Sync>() {}
    both::<GoChan<i64>>();
    both::<GoChan<String>>();
    both::<GoChan<ThingValue>>();
    both::<GoValue>();
    both::<GoCallback<PredFn>>();
    both::<GoCallback<VisitFn>>();
}

fn main() {
    auto_traits();
    scalars();
    strings();
    handles();
    select();
    callbacks();
    go_producer();
    concurrent();
    // Every GoChan, GoValue and GoCallback above is dropped: both pools are empty.
    check_eq(live(), 0, "Go handle table empty");
    check_eq(host_live(), 0, "host pool empty");
    check::finish("Go live handles 0, host live closures 0");
}
