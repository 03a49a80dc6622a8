//! Rust driver of the goroutine-bridge gate. Links the c-archive rendered for module `fixture`
//! and calls every exported symbol: round trips with values checked, buffered-then-close-then-
//! drain, the bad-ID matrix, a panicking callback, select, and concurrent senders/receivers on
//! host threads. Prints `PASS: ...` as its last line, or exits non-zero.

use std::ffi::c_void;
use std::thread;

type Status = u32;
const OK: Status = 0;
const CLOSED: Status = 1;
const FULL: Status = 2;
const EMPTY: Status = 3;
const WOULD_BLOCK: Status = 4;
const UNKNOWN: Status = 5;
const WRONG_KIND: Status = 6;
const PANIC: Status = 7;
const BAD_ARG: Status = 9;
const SEL_SEND: i32 = 1;
const SEL_RECV: i32 = 2;

#[repr(C)]
struct SelectCase {
    id: u64,
    op: i32,
    value: *mut c_void,
}

#[repr(C)]
struct Bytes {
    data: *mut u8,
    len: usize,
}

// Functions that take only integers are `safe`: the Go side validates every ID and argument.
// Those taking pointers are unsafe: the pointers must be NULL or point to live, writable locals
// of the declared C type.
unsafe extern "C" {
    safe fn fixture_noop();
    safe fn fixture_thing_new(n: i64) -> u64;
    safe fn fixture_thing_n(id: u64) -> i64;
    safe fn fixture_is_error(id: u64) -> i32;
    safe fn fixture_ints3(a: i64, b: i64, c: i64) -> u64;
    safe fn fixture_make_adder(n: i64) -> u64;
    safe fn fixture_make_ticker() -> u64;
    safe fn fixture_ticks() -> i64;
    safe fn fixture_make_describer() -> u64;
    safe fn fixture_make_summer() -> u64;
    safe fn fixture_make_doubler() -> u64;
    safe fn fixture_make_panicker() -> u64;

    fn mochi_fixture_free(p: *mut c_void);
    safe fn mochi_fixture_release(id: u64) -> Status;
    safe fn mochi_fixture_live() -> i64;
    fn mochi_fixture_select(
        cases: *mut SelectCase,
        n: i32,
        nonblocking: bool,
        chosen: *mut i32,
    ) -> Status;

    fn mochi_fixture_i64_chan_new(buffer: i64, out: *mut u64) -> Status;
    safe fn mochi_fixture_i64_chan_send(id: u64, v: i64) -> Status;
    safe fn mochi_fixture_i64_chan_try_send(id: u64, v: i64) -> Status;
    fn mochi_fixture_i64_chan_recv(id: u64, out: *mut i64) -> Status;
    fn mochi_fixture_i64_chan_try_recv(id: u64, out: *mut i64) -> Status;
    safe fn mochi_fixture_i64_chan_close(id: u64) -> Status;
    safe fn mochi_fixture_i64_chan_free(id: u64) -> Status;

    fn mochi_fixture_f64_chan_new(buffer: i64, out: *mut u64) -> Status;
    safe fn mochi_fixture_f64_chan_send(id: u64, v: f64) -> Status;
    safe fn mochi_fixture_f64_chan_try_send(id: u64, v: f64) -> Status;
    fn mochi_fixture_f64_chan_recv(id: u64, out: *mut f64) -> Status;
    fn mochi_fixture_f64_chan_try_recv(id: u64, out: *mut f64) -> Status;
    safe fn mochi_fixture_f64_chan_close(id: u64) -> Status;
    safe fn mochi_fixture_f64_chan_free(id: u64) -> Status;

    fn mochi_fixture_flag_chan_new(buffer: i64, out: *mut u64) -> Status;
    safe fn mochi_fixture_flag_chan_send(id: u64, v: bool) -> Status;
    safe fn mochi_fixture_flag_chan_try_send(id: u64, v: bool) -> Status;
    fn mochi_fixture_flag_chan_recv(id: u64, out: *mut bool) -> Status;
    fn mochi_fixture_flag_chan_try_recv(id: u64, out: *mut bool) -> Status;
    safe fn mochi_fixture_flag_chan_close(id: u64) -> Status;
    safe fn mochi_fixture_flag_chan_free(id: u64) -> Status;

    fn mochi_fixture_str_chan_new(buffer: i64, out: *mut u64) -> Status;
    fn mochi_fixture_str_chan_send(id: u64, p: *const u8, n: usize) -> Status;
    fn mochi_fixture_str_chan_try_send(id: u64, p: *const u8, n: usize) -> Status;
    fn mochi_fixture_str_chan_recv(id: u64, out: *mut *mut u8, len: *mut usize) -> Status;
    fn mochi_fixture_str_chan_try_recv(id: u64, out: *mut *mut u8, len: *mut usize) -> Status;
    safe fn mochi_fixture_str_chan_close(id: u64) -> Status;
    safe fn mochi_fixture_str_chan_free(id: u64) -> Status;

    fn mochi_fixture_thing_chan_new(buffer: i64, out: *mut u64) -> Status;
    safe fn mochi_fixture_thing_chan_send(id: u64, v: u64) -> Status;
    safe fn mochi_fixture_thing_chan_try_send(id: u64, v: u64) -> Status;
    fn mochi_fixture_thing_chan_recv(id: u64, out: *mut u64) -> Status;
    fn mochi_fixture_thing_chan_try_recv(id: u64, out: *mut u64) -> Status;
    safe fn mochi_fixture_thing_chan_close(id: u64) -> Status;
    safe fn mochi_fixture_thing_chan_free(id: u64) -> Status;

    fn mochi_fixture_tick_cb_call(id: u64, msg: *mut Bytes) -> Status;
    safe fn mochi_fixture_tick_cb_release(id: u64) -> Status;
    fn mochi_fixture_adder_cb_call(id: u64, a0: i64, r0: *mut i64, msg: *mut Bytes) -> Status;
    safe fn mochi_fixture_adder_cb_release(id: u64) -> Status;
    #[allow(clippy::too_many_arguments)]
    fn mochi_fixture_describe_cb_call(
        id: u64,
        a0: *const u8,
        a0_len: usize,
        a1: f64,
        a2: bool,
        r0: *mut *mut u8,
        r0_len: *mut usize,
        r1: *mut i64,
        r2: *mut u64,
        msg: *mut Bytes,
    ) -> Status;
    safe fn mochi_fixture_describe_cb_release(id: u64) -> Status;
    fn mochi_fixture_sum_cb_call(
        id: u64,
        a0: i64,
        a1: u64,
        r0: *mut i64,
        msg: *mut Bytes,
    ) -> Status;
    safe fn mochi_fixture_sum_cb_release(id: u64) -> Status;
    fn mochi_fixture_doubler_cb_call(id: u64, a0: u64, r0: *mut u64, msg: *mut Bytes) -> Status;
    safe fn mochi_fixture_doubler_cb_release(id: u64) -> Status;
}

// `check_eq` is for drivers with typed results; this one compares raw statuses (`st`).
#[allow(dead_code)]
#[path = "../../../driver_check.rs"]
mod check;
use check::check;

#[track_caller]
fn st(got: Status, want: Status) {
    check(got == want, &format!("status {got}, want {want}"));
}

/// Copies and frees a string a shim returned.
fn take_string(p: *mut u8, n: usize) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: the shim returned `p` from C.malloc with at least `n` readable bytes; it is read
    // once here and then freed exactly once with the module's free function.
    let v = unsafe { std::slice::from_raw_parts(p, n).to_vec() };
    // SAFETY: `p` came from the shim's C allocation and is not used after this.
    unsafe { mochi_fixture_free(p.cast()) };
    v
}

// Small safe wrappers over the pointer-taking shims: every pointer is to a live local.

fn new_chan(f: unsafe extern "C" fn(i64, *mut u64) -> Status, buffer: i64) -> u64 {
    let mut id = 0u64;
    // SAFETY: `id` is a live local u64 the shim writes once.
    st(unsafe { f(buffer, &mut id) }, OK);
    id
}

fn recv_i64(id: u64) -> (Status, i64) {
    let mut v = 0i64;
    // SAFETY: `v` is a live local i64.
    let s = unsafe { mochi_fixture_i64_chan_recv(id, &mut v) };
    (s, v)
}

fn try_recv_i64(id: u64) -> (Status, i64) {
    let mut v = 0i64;
    // SAFETY: `v` is a live local i64.
    let s = unsafe { mochi_fixture_i64_chan_try_recv(id, &mut v) };
    (s, v)
}

fn recv_f64(id: u64, try_: bool) -> (Status, f64) {
    let mut v = 0f64;
    // SAFETY: `v` is a live local f64.
    let s = unsafe {
        if try_ {
            mochi_fixture_f64_chan_try_recv(id, &mut v)
        } else {
            mochi_fixture_f64_chan_recv(id, &mut v)
        }
    };
    (s, v)
}

fn recv_flag(id: u64, try_: bool) -> (Status, bool) {
    let mut v = false;
    // SAFETY: `v` is a live local bool (C `_Bool`).
    let s = unsafe {
        if try_ {
            mochi_fixture_flag_chan_try_recv(id, &mut v)
        } else {
            mochi_fixture_flag_chan_recv(id, &mut v)
        }
    };
    (s, v)
}

fn send_str(id: u64, s: &[u8], try_: bool) -> Status {
    // SAFETY: `s` is a live slice; Go copies `s.len()` bytes from it during the call.
    unsafe {
        if try_ {
            mochi_fixture_str_chan_try_send(id, s.as_ptr(), s.len())
        } else {
            mochi_fixture_str_chan_send(id, s.as_ptr(), s.len())
        }
    }
}

fn recv_str(id: u64, try_: bool) -> (Status, Vec<u8>) {
    let mut p: *mut u8 = std::ptr::null_mut();
    let mut n = 0usize;
    // SAFETY: `p` and `n` are live locals the shim writes.
    let s = unsafe {
        if try_ {
            mochi_fixture_str_chan_try_recv(id, &mut p, &mut n)
        } else {
            mochi_fixture_str_chan_recv(id, &mut p, &mut n)
        }
    };
    let v = if s == OK {
        take_string(p, n)
    } else {
        Vec::new()
    };
    (s, v)
}

fn recv_thing(id: u64, try_: bool) -> (Status, u64) {
    let mut v = 0u64;
    // SAFETY: `v` is a live local u64.
    let s = unsafe {
        if try_ {
            mochi_fixture_thing_chan_try_recv(id, &mut v)
        } else {
            mochi_fixture_thing_chan_recv(id, &mut v)
        }
    };
    (s, v)
}

fn adder_call(id: u64, x: i64) -> (Status, i64) {
    let mut r = 0i64;
    // SAFETY: `r` is a live local i64.
    let s = unsafe { mochi_fixture_adder_cb_call(id, x, &mut r, std::ptr::null_mut()) };
    (s, r)
}

/// A call of the adder shim with a message slot: the status and the slot's text.
fn adder_call_msg(id: u64, x: i64) -> (Status, Vec<u8>) {
    let mut r = 0i64;
    let mut msg = Bytes {
        data: std::ptr::null_mut(),
        len: 0,
    };
    // SAFETY: `r` and `msg` are live locals of the declared C types.
    let s = unsafe { mochi_fixture_adder_cb_call(id, x, &mut r, &mut msg) };
    (s, take_string(msg.data, msg.len))
}

fn tick_call(id: u64) -> Status {
    // SAFETY: a NULL message slot is allowed.
    unsafe { mochi_fixture_tick_cb_call(id, std::ptr::null_mut()) }
}

fn describe_call(id: u64, s: &[u8], f: f64, flag: bool) -> (Status, Vec<u8>, i64, u64) {
    let (mut p, mut n, mut r1, mut r2) = (std::ptr::null_mut(), 0usize, 0i64, 0u64);
    // SAFETY: `s` is live for the call (copied by Go); the out-pointers are live locals.
    let status = unsafe {
        mochi_fixture_describe_cb_call(
            id,
            s.as_ptr(),
            s.len(),
            f,
            flag,
            &mut p,
            &mut n,
            &mut r1,
            &mut r2,
            std::ptr::null_mut(),
        )
    };
    let text = if status == OK {
        take_string(p, n)
    } else {
        Vec::new()
    };
    (status, text, r1, r2)
}

fn sum_call(id: u64, first: i64, rest: u64) -> (Status, i64) {
    let mut r = 0i64;
    // SAFETY: `r` is a live local i64.
    let s = unsafe { mochi_fixture_sum_cb_call(id, first, rest, &mut r, std::ptr::null_mut()) };
    (s, r)
}

fn doubler_call(id: u64, t: u64) -> (Status, u64) {
    let mut r = 0u64;
    // SAFETY: `r` is a live local u64.
    let s = unsafe { mochi_fixture_doubler_cb_call(id, t, &mut r, std::ptr::null_mut()) };
    (s, r)
}

fn select(cases: &mut [SelectCase], nonblocking: bool) -> (Status, i32) {
    let mut chosen = 99i32;
    // SAFETY: `cases` is a live slice of `cases.len()` cases whose value pointers point to live
    // locals of each channel's C element type (checked by the callers).
    let s = unsafe {
        mochi_fixture_select(
            cases.as_mut_ptr(),
            cases.len() as i32,
            nonblocking,
            &mut chosen,
        )
    };
    (s, chosen)
}

fn round_trips() {
    let c = new_chan(mochi_fixture_i64_chan_new, -1);
    st(mochi_fixture_i64_chan_send(c, i64::MIN), OK);
    st(mochi_fixture_i64_chan_try_send(c, 1), FULL);
    check(recv_i64(c) == (OK, i64::MIN), "i64 round trip");
    check(try_recv_i64(c).0 == EMPTY, "i64 empty");
    st(mochi_fixture_i64_chan_free(c), OK);

    let c = new_chan(mochi_fixture_f64_chan_new, -1);
    for k in 0..4 {
        st(mochi_fixture_f64_chan_try_send(c, k as f64 * 1.5), OK);
    }
    st(mochi_fixture_f64_chan_try_send(c, 9.0), FULL); // the rendered default buffer is 4
    for k in 0..4 {
        check(recv_f64(c, false) == (OK, k as f64 * 1.5), "f64 order");
    }
    st(mochi_fixture_f64_chan_free(c), OK);

    let c = new_chan(mochi_fixture_f64_chan_new, 2);
    st(mochi_fixture_f64_chan_send(c, f64::MAX), OK);
    st(mochi_fixture_f64_chan_try_send(c, -0.25), OK);
    st(mochi_fixture_f64_chan_try_send(c, 1.0), FULL);
    check(recv_f64(c, false) == (OK, f64::MAX), "f64 recv");
    check(recv_f64(c, true) == (OK, -0.25), "f64 try_recv");
    st(mochi_fixture_f64_chan_close(c), OK);
    check(recv_f64(c, false).0 == CLOSED, "f64 closed");

    let c = new_chan(mochi_fixture_flag_chan_new, 1);
    st(mochi_fixture_flag_chan_send(c, true), OK);
    st(mochi_fixture_flag_chan_try_send(c, false), FULL);
    check(recv_flag(c, false) == (OK, true), "flag recv");
    st(mochi_fixture_flag_chan_try_send(c, false), OK);
    check(recv_flag(c, true) == (OK, false), "flag try_recv");
    st(mochi_fixture_flag_chan_close(c), OK);
    st(mochi_fixture_flag_chan_free(c), OK);

    let c = new_chan(mochi_fixture_str_chan_new, 2);
    let msg = "grüße\0from rust".as_bytes();
    st(send_str(c, msg, false), OK);
    st(send_str(c, b"", true), OK);
    check(
        recv_str(c, false) == (OK, msg.to_vec()),
        "string round trip",
    );
    check(recv_str(c, true) == (OK, Vec::new()), "empty string");
    check(recv_str(c, true).0 == EMPTY, "string empty");
    st(mochi_fixture_str_chan_free(c), OK);

    let t = fixture_thing_new(11);
    let c = new_chan(mochi_fixture_thing_chan_new, 1);
    st(mochi_fixture_thing_chan_send(c, t), OK);
    st(mochi_fixture_thing_chan_try_send(c, t), FULL);
    let (s, got) = recv_thing(c, false);
    check(
        s == OK && got != t && fixture_thing_n(got) == 11,
        "thing round trip",
    );
    st(mochi_fixture_release(got), OK);
    st(mochi_fixture_thing_chan_try_send(c, c), WRONG_KIND);
    check(recv_thing(c, true).0 == EMPTY, "thing empty");
    st(mochi_fixture_thing_chan_free(c), OK);
    st(mochi_fixture_release(t), OK);
}

fn close_drain() {
    let live0 = mochi_fixture_live();
    let c = new_chan(mochi_fixture_i64_chan_new, 3);
    for k in 1..=3 {
        st(mochi_fixture_i64_chan_send(c, k), OK);
    }
    st(mochi_fixture_i64_chan_close(c), OK);
    st(mochi_fixture_i64_chan_close(c), CLOSED);
    st(mochi_fixture_i64_chan_send(c, 9), CLOSED);
    for k in 1..=3 {
        check(recv_i64(c) == (OK, k), "drained in order");
    }
    check(recv_i64(c).0 == CLOSED, "closed after drain");
    check(recv_i64(c).0 == UNKNOWN, "released after drain");

    let c = new_chan(mochi_fixture_str_chan_new, 1);
    st(send_str(c, b"kept", false), OK);
    st(mochi_fixture_str_chan_close(c), OK);
    st(send_str(c, b"late", true), CLOSED);
    check(
        recv_str(c, false) == (OK, b"kept".to_vec()),
        "string survives close",
    );
    check(recv_str(c, false).0 == CLOSED, "string closed");

    let t = fixture_thing_new(5);
    let c = new_chan(mochi_fixture_thing_chan_new, 1);
    st(mochi_fixture_thing_chan_send(c, t), OK);
    st(mochi_fixture_thing_chan_close(c), OK);
    let (s, got) = recv_thing(c, true);
    check(s == OK && fixture_thing_n(got) == 5, "thing survives close");
    st(mochi_fixture_release(got), OK);
    check(recv_thing(c, true).0 == CLOSED, "thing closed");
    st(mochi_fixture_release(t), OK);
    check(mochi_fixture_live() == live0, "no leak after close-drain");
}

fn bad_ids() {
    let unknown: u64 = (0x7fff_0000u64 << 32) | 1;
    let released = {
        let c = new_chan(mochi_fixture_i64_chan_new, 1);
        st(mochi_fixture_i64_chan_free(c), OK);
        c
    };
    let wrong_cb = fixture_make_ticker();
    let wrong_chan = new_chan(mochi_fixture_i64_chan_new, 1);
    for id in [0, unknown, released] {
        for_every_shim(id, UNKNOWN, id);
    }
    for_every_shim(wrong_cb, WRONG_KIND, wrong_chan);
    st(mochi_fixture_tick_cb_release(wrong_cb), OK);
    st(mochi_fixture_i64_chan_free(wrong_chan), OK);
    st(mochi_fixture_release(0), UNKNOWN);
    st(mochi_fixture_release(released), UNKNOWN);
}

/// Calls every shim with `id` (channel shims; the i64 shims get `i64_id`, since a wrong-kind ID
/// for them must not be an i64 channel) and callback shims with `cb_id`, expecting `want`.
fn for_every_shim(id: u64, want: Status, cb_id: u64) {
    let i64_id = id;
    let other = if want == WRONG_KIND { cb_id } else { id }; // an i64 channel: wrong for others
    st(mochi_fixture_i64_chan_send(i64_id, 1), want);
    st(mochi_fixture_i64_chan_try_send(i64_id, 1), want);
    st(recv_i64(i64_id).0, want);
    st(try_recv_i64(i64_id).0, want);
    st(mochi_fixture_i64_chan_close(i64_id), want);
    st(mochi_fixture_i64_chan_free(i64_id), want);
    st(mochi_fixture_f64_chan_send(other, 1.0), want);
    st(mochi_fixture_f64_chan_try_send(other, 1.0), want);
    st(recv_f64(other, false).0, want);
    st(recv_f64(other, true).0, want);
    st(mochi_fixture_f64_chan_close(other), want);
    st(mochi_fixture_f64_chan_free(other), want);
    st(mochi_fixture_flag_chan_send(other, true), want);
    st(mochi_fixture_flag_chan_try_send(other, true), want);
    st(recv_flag(other, false).0, want);
    st(recv_flag(other, true).0, want);
    st(mochi_fixture_flag_chan_close(other), want);
    st(mochi_fixture_flag_chan_free(other), want);
    st(send_str(other, b"x", false), want);
    st(send_str(other, b"x", true), want);
    st(recv_str(other, false).0, want);
    st(recv_str(other, true).0, want);
    st(mochi_fixture_str_chan_close(other), want);
    st(mochi_fixture_str_chan_free(other), want);
    st(mochi_fixture_thing_chan_send(other, 0), want);
    st(mochi_fixture_thing_chan_try_send(other, 0), want);
    st(recv_thing(other, false).0, want);
    st(recv_thing(other, true).0, want);
    st(mochi_fixture_thing_chan_close(other), want);
    st(mochi_fixture_thing_chan_free(other), want);
    // Callbacks: for the wrong-kind row, cb_id is the i64 channel.
    let cb = cb_id;
    st(tick_call(cb), want);
    st(mochi_fixture_tick_cb_release(cb), want);
    st(adder_call(cb, 1).0, want);
    st(mochi_fixture_adder_cb_release(cb), want);
    st(describe_call(cb, b"a", 1.0, true).0, want);
    st(mochi_fixture_describe_cb_release(cb), want);
    st(sum_call(cb, 1, 0).0, want);
    st(mochi_fixture_sum_cb_release(cb), want);
    st(doubler_call(cb, 0).0, want);
    st(mochi_fixture_doubler_cb_release(cb), want);
    let mut v = 0i64;
    let mut case = [SelectCase {
        id,
        op: SEL_RECV,
        value: (&raw mut v).cast(),
    }];
    check(select(&mut case, true) == (want, 0), "select bad id");
}

fn callbacks() {
    let tick = fixture_make_ticker();
    let before = fixture_ticks();
    st(tick_call(tick), OK);
    st(tick_call(tick), OK);
    check(fixture_ticks() == before + 2, "ticker ran twice");

    let adder = fixture_make_adder(40);
    check(adder_call(adder, 2) == (OK, 42), "adder");

    let d = fixture_make_describer();
    let (s, text, n, err) = describe_call(d, b"e", 2.5, true);
    check(
        s == OK && text == b"e=2.5" && n == 1 && err == 0,
        "describe ok",
    );
    let (s, text, _, err) = describe_call(d, b"e", 2.5, false);
    check(
        s == OK && text.is_empty() && err != 0 && fixture_is_error(err) == 1,
        "describe error handle",
    );
    st(mochi_fixture_release(err), OK);

    let sum = fixture_make_summer();
    let rest = fixture_ints3(10, 20, 30);
    check(sum_call(sum, 1, rest) == (OK, 61), "variadic sum");
    check(sum_call(sum, 1, 0) == (OK, 1), "empty variadic");
    st(mochi_fixture_release(rest), OK);

    let dbl = fixture_make_doubler();
    let t = fixture_thing_new(8);
    let (s, got) = doubler_call(dbl, t);
    check(s == OK && fixture_thing_n(got) == 16, "doubler");
    st(mochi_fixture_release(got), OK);
    st(mochi_fixture_release(t), OK);

    let p = fixture_make_panicker();
    st(adder_call(p, 3).0, PANIC);
    check(
        adder_call_msg(p, 3) == (PANIC, b"fixture panic 3".to_vec()),
        "panic message in the call's own slot",
    );
    check(
        adder_call_msg(adder, 0) == (OK, Vec::new()),
        "no message on OK",
    );
    check(
        adder_call(adder, 0) == (OK, 40),
        "still alive after a panic",
    );

    for (id, release) in [
        (
            tick,
            mochi_fixture_tick_cb_release as extern "C" fn(u64) -> Status,
        ),
        (adder, mochi_fixture_adder_cb_release),
        (p, mochi_fixture_adder_cb_release),
        (d, mochi_fixture_describe_cb_release),
        (sum, mochi_fixture_sum_cb_release),
        (dbl, mochi_fixture_doubler_cb_release),
    ] {
        st(release(id), OK);
        st(release(id), UNKNOWN);
    }
}

fn selects() {
    let a = new_chan(mochi_fixture_i64_chan_new, 1);
    let s = new_chan(mochi_fixture_str_chan_new, 1);
    let (mut va, mut bytes) = (
        0i64,
        Bytes {
            data: std::ptr::null_mut(),
            len: 0,
        },
    );
    let mut cases = [
        SelectCase {
            id: a,
            op: SEL_RECV,
            value: (&raw mut va).cast(),
        },
        SelectCase {
            id: s,
            op: SEL_RECV,
            value: (&raw mut bytes).cast(),
        },
    ];
    check(
        select(&mut cases, true) == (WOULD_BLOCK, -1),
        "nothing ready",
    );
    st(send_str(s, b"hi", false), OK);
    check(select(&mut cases, false) == (OK, 1), "string case chosen");
    check(
        take_string(bytes.data, bytes.len) == b"hi",
        "select string value",
    );
    let sender = thread::spawn(move || {
        thread::sleep(std::time::Duration::from_millis(20));
        st(mochi_fixture_i64_chan_send(a, 5), OK);
    });
    check(
        select(&mut cases, false) == (OK, 0),
        "woken by another thread",
    );
    check(va == 5, "select i64 value");
    let _ = sender.join();
    let mut seven = 7i64;
    let mut send = [SelectCase {
        id: a,
        op: SEL_SEND,
        value: (&raw mut seven).cast(),
    }];
    check(select(&mut send, true) == (OK, 0), "send case");
    check(recv_i64(a) == (OK, 7), "sent by select");
    st(mochi_fixture_i64_chan_close(a), OK);
    check(
        select(&mut send, true) == (CLOSED, 0),
        "send on closed in select",
    );
    let mut bad = [SelectCase {
        id: s,
        op: 42,
        value: (&raw mut va).cast(),
    }];
    check(select(&mut bad, true) == (BAD_ARG, 0), "bad op");
    st(mochi_fixture_i64_chan_free(a), OK);
    st(mochi_fixture_str_chan_free(s), OK);
}

fn concurrency() {
    const SENDERS: i64 = 4;
    const PER: i64 = 5000;
    let c = new_chan(mochi_fixture_i64_chan_new, 8);
    let adder = fixture_make_adder(1);
    let receivers: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(move || {
                let (mut sum, mut count) = (0i64, 0i64);
                loop {
                    let (s, v) = recv_i64(c);
                    if s != OK {
                        check(s == CLOSED || s == UNKNOWN, "receiver ends on close");
                        break;
                    }
                    check(
                        adder_call(adder, v) == (OK, v + 1),
                        "callback from a thread",
                    );
                    sum += v;
                    count += 1;
                }
                (sum, count)
            })
        })
        .collect();
    let senders: Vec<_> = (0..SENDERS)
        .map(|k| {
            thread::spawn(move || {
                for j in 1..=PER {
                    st(mochi_fixture_i64_chan_send(c, k * PER + j), OK);
                }
            })
        })
        .collect();
    for s in senders {
        let _ = s.join();
    }
    st(mochi_fixture_i64_chan_close(c), OK);
    let (mut sum, mut count) = (0, 0);
    for r in receivers {
        let (s, n) = r.join().unwrap_or((0, 0));
        sum += s;
        count += n;
    }
    let total = SENDERS * PER;
    check(count == total, "every value received once");
    check(sum == total * (total + 1) / 2, "sum of received values");
    st(mochi_fixture_adder_cb_release(adder), OK);
}

fn main() {
    fixture_noop();
    check(mochi_fixture_live() == 0, "starts empty");
    round_trips();
    close_drain();
    bad_ids();
    callbacks();
    selects();
    concurrency();
    let live = mochi_fixture_live();
    check(live == 0, "ends empty");
    check::finish(&format!("live handles {live}"));
}
