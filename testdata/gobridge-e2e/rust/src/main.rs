//! Uses only the safe module `gobridge generate` wrote for testdata/example: an int64 channel
//! with the buffer configured in gobridge.toml (4), close-then-drain, select, two threads, and
//! the Go handle table back at zero live handles.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use bindings::{GoChan, GoError, Select, Status};

fn check(what: &str, ok: bool, failures: &mut u32) {
    if !ok {
        eprintln!("FAIL: {what}");
        *failures += 1;
    }
}

fn main() {
    let mut failures = 0;
    let ch = GoChan::<i64>::with_default_buffer().expect("chan");
    for i in 1..=4 {
        check(
            "try_send within the configured buffer",
            ch.try_send(i * 10).is_ok(),
            &mut failures,
        );
    }
    let full = ch.try_send(50);
    check(
        "fifth try_send reports FULL",
        matches!(
            full,
            Err(GoError::Status {
                status: Status::Full,
                ..
            })
        ),
        &mut failures,
    );
    check("recv", ch.recv().ok() == Some(Some(10)), &mut failures);
    ch.close().expect("close");
    check(
        "send after close reports CLOSED",
        matches!(
            ch.send(1),
            Err(GoError::Status {
                status: Status::Closed,
                ..
            })
        ),
        &mut failures,
    );
    for want in [20, 30, 40] {
        check(
            "drain after close",
            ch.recv().ok() == Some(Some(want)),
            &mut failures,
        );
    }
    check(
        "closed and drained",
        ch.recv().ok() == Some(None),
        &mut failures,
    );
    drop(ch);

    // Two Rust threads on one Go channel.
    let ch = std::sync::Arc::new(GoChan::<i64>::new(8).expect("chan"));
    let producer = {
        let ch = ch.clone();
        std::thread::spawn(move || {
            for i in 1..=1000 {
                ch.send(i).expect("send");
            }
            ch.close().expect("close");
        })
    };
    let mut sum = 0;
    while let Some(v) = ch.recv().expect("recv") {
        sum += v;
    }
    producer.join().expect("producer");
    check("sum over two threads", sum == 500_500, &mut failures);
    drop(ch);

    // Select: one ready receive among two channels.
    let a = GoChan::<i64>::new(1).expect("chan a");
    let b = GoChan::<i64>::new(1).expect("chan b");
    b.send(7).expect("send b");
    let mut sel = Select::new();
    let _ra = sel.recv(&a);
    let rb = sel.recv(&b);
    let mut got = sel.wait().expect("select");
    check(
        "select picks the ready channel",
        got.index() == rb.index(),
        &mut failures,
    );
    check("select value", rb.take(&mut got) == Some(7), &mut failures);
    drop((a, b));

    let live = bindings::live();
    check("Go handle table empty", live == 0, &mut failures);
    if failures > 0 {
        eprintln!("gobridge e2e rust: {failures} failures");
        std::process::exit(1);
    }
    println!("gobridge e2e rust: ok (Go live handles {live})");
}
