//! Rust program of the std leg of the package-binding gate: calls `strings`, `strconv`,
//! `regexp`, `bytes`, `time`, `net/url`, `encoding/json`, `errors` and instantiated `slices`
//! functions from the Go standard library, from two threads at once, through the typed API
//! gobridge's renderers generate (no `extern "C"`, no raw IDs): strings and string slices both ways, byte slices, Rust closures as Go funcs,
//! handle types with methods and fields, a Go `error` as `GoError::Go` with Go's message, Go
//! panics as `GoError::Panic`; then both handle tables must be empty. Prints `PASS: ...` as its
//! last line, or exits non-zero.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

#[path = "../../../driver_check.rs"]
mod check;
use check::{check, check_eq};

use bindings::*;

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
    // `bytes.IndexFunc` names its parameter (`f func(r rune) bool`): the same Go type, the
    // same Rust closure.
    check_eq(
        bytes::index_func(b"abc7", &digit).ok(),
        Some(3),
        "bytes::index_func",
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

fn regexp_fns() {
    let re = regexp::compile(r"a(\d+)").expect("compile");
    check_eq(
        re.find_all_string("a1 b22 a333 a", -1).ok(),
        Some(vec!["a1".into(), "a333".into()]),
        "find_all_string",
    );
    check_eq(re.match_string("xa9").ok(), Some(true), "match_string");
    // `[]byte` both ways through a Rust closure (`func([]byte) []byte`): each match in, its
    // replacement out.
    let shout = GoCallback::<BytesMapFn>::new(|m: &[u8]| m.to_ascii_uppercase()).expect("callback");
    check_eq(
        re.replace_all_func(b"a1 b22 a333", &shout).ok(),
        Some(b"A1 b22 A333".to_vec()),
        "Regexp::replace_all_func with a Rust closure over bytes",
    );
    let drop_all = GoCallback::<BytesMapFn>::new(|_: &[u8]| Vec::new()).expect("callback");
    check_eq(
        re.replace_all_func(b"xa1y", &drop_all).ok(),
        Some(b"xy".to_vec()),
        "an empty Vec<u8> from the closure is an empty Go slice",
    );
    check_eq(
        re.string().ok().as_deref(),
        Some(r"a(\d+)"),
        "Regexp::string",
    );
    match regexp::compile("a(") {
        Err(GoError::Go { message, .. }) => check(
            message.contains("missing closing )"),
            &format!("compile error: {message}"),
        ),
        other => check(false, &format!("compile a(: {other:?}")),
    }
    match regexp::must_compile("a(") {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("regexp: Compile"),
            &format!("must_compile panic: {message}"),
        ),
        other => check(false, &format!("must_compile a(: {other:?}")),
    }
}

fn bytes_fns() {
    let b = bytes::Buffer::zero().expect("Buffer::zero");
    check_eq(b.write(b"{ \"k\" :").ok(), Some(7), "Buffer::write");
    check_eq(
        b.write_string(" [1, 2] }").ok(),
        Some(9),
        "Buffer::write_string",
    );
    check_eq(b.len().ok(), Some(16), "Buffer::len");
    check_eq(
        b.bytes().ok(),
        Some(b"{ \"k\" : [1, 2] }".to_vec()),
        "Buffer::bytes",
    );
    check_eq(
        bytes::to_upper(b"abc\xffz").ok(),
        Some(b"ABC\xef\xbf\xbdZ".to_vec()),
        "bytes::to_upper",
    );
    check_eq(
        bytes::to_upper(b"").ok(),
        Some(Vec::new()),
        "bytes::to_upper of nothing",
    );
    // encoding/json over the same Buffer type.
    check_eq(
        json::valid(&b.bytes().unwrap_or_default()).ok(),
        Some(true),
        "json::valid",
    );
    check_eq(json::valid(b"{").ok(), Some(false), "json::valid {");
    let dst = bytes::new_buffer_string("").expect("new_buffer_string");
    check(
        json::compact(&dst, b"{ \"k\" : [1, 2] }").is_ok(),
        "json::compact",
    );
    check_eq(
        dst.string().ok().as_deref(),
        Some("{\"k\":[1,2]}"),
        "compacted",
    );
    match json::compact(&dst, b"{") {
        Err(GoError::Go { message, .. }) => check_eq(
            message.as_str(),
            "unexpected end of JSON input",
            "json::compact error",
        ),
        other => check(false, &format!("json::compact of {{: {other:?}")),
    }
    // A pointer-receiver method of a non-struct type (`json.RawMessage` is a []byte) changes
    // the value behind the handle.
    let raw = json::RawMessage::zero().expect("RawMessage::zero");
    check(
        raw.unmarshal_json(b"{\"a\": 1}").is_ok(),
        "RawMessage::unmarshal_json",
    );
    check_eq(
        raw.marshal_json().ok(),
        Some(b"{\"a\": 1}".to_vec()),
        "RawMessage keeps what unmarshal_json stored",
    );
}

/// Rust closures as Go funcs that take a Go value (`func(*flag.Flag)`: the closure gets the
/// bound `flag::Flag`) and return an `error` (`func(string) error`: `Err(text)` is the Go error).
fn flags() {
    let fs = flag::new_flag_set("t", flag::CONTINUE_ON_ERROR).expect("new_flag_set");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let check_num = GoCallback::<StrCheckFn>::new(move |v| {
        record.lock().unwrap().push(v.to_string());
        v.parse::<i64>()
            .map(|_| ())
            .map_err(|_| format!("{v:?} is not a number"))
    })
    .expect("callback");
    check(
        fs.func("n", "a number", &check_num).is_ok(),
        "FlagSet::func",
    );
    check(fs.parse(&["-n", "42"]).is_ok(), "parse -n 42 (Ok from the closure)");
    match fs.parse(&["-n", "x"]) {
        Err(GoError::Go { message, .. }) => check_eq(
            message.as_str(),
            "invalid value \"x\" for flag -n: \"x\" is not a number",
            "the closure's Err is Go's error",
        ),
        other => check(false, &format!("parse -n x: {other:?}")),
    }
    check_eq(
        seen.lock().unwrap().clone(),
        vec!["42".to_string(), "x".to_string()],
        "the closure saw both values",
    );
    let names = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let into = names.clone();
    let visit = GoCallback::<FlagVisitFn>::new(move |f: flag::Flag| {
        into.lock().unwrap().push(f.name().unwrap_or_default());
    })
    .expect("callback");
    check(fs.visit(&visit).is_ok(), "FlagSet::visit");
    check_eq(
        names.lock().unwrap().clone(),
        vec!["n".to_string()],
        "the closure got each set flag as a flag::Flag",
    );
}

/// A Rust closure that returns a Go value: `sync.Pool`'s `New` field (`func() any`) set to a
/// closure making a `*url.URL`; `Pool::get` on an empty pool calls it.
fn pool_new() {
    let pool = sync::Pool::zero().expect("Pool::zero");
    let make = GoCallback::<MakeAnyFn>::new(|| {
        GoValue::from(url::parse("https://pool.example/made").expect("url::parse"))
    })
    .expect("callback");
    check(pool.set_new(&make).is_ok(), "Pool::set_new with a Rust closure");
    match pool.get() {
        Ok(v) => check_eq(
            url::URL::from(v).host().ok().as_deref(),
            Some("pool.example"),
            "the value the closure returned reached Go and came back",
        ),
        Err(e) => check(false, &format!("Pool::get: {e}")),
    }
}

fn time_fns() {
    // A constant of a named basic type is that type (with its Go methods).
    check_eq(time::SECOND, time::Duration(1_000_000_000), "time::SECOND");
    check_eq(time::HOUR.minutes().ok(), Some(60.0), "time::HOUR.minutes()");
    let d = time::parse_duration("1h30m").expect("parse_duration");
    check_eq(d, time::Duration(90 * time::MINUTE.0), "parse_duration");
    check_eq(d.hours().ok(), Some(1.5), "Duration::hours");
    check_eq(
        time::Duration(1500 * time::MILLISECOND.0)
            .string()
            .ok()
            .as_deref(),
        Some("1.5s"),
        "Duration::string",
    );
    match time::parse_duration("soon") {
        Err(GoError::Go { message, .. }) => check_eq(
            message.as_str(),
            "time: invalid duration \"soon\"",
            "parse_duration error",
        ),
        other => check(false, &format!("parse_duration soon: {other:?}")),
    }
}

fn levels() {
    // A pointer-receiver method of a named basic type changes the Rust newtype in place, as
    // `var l slog.Level; l.UnmarshalText(...)` changes the Go variable.
    let mut level = slog::Level::default();
    check(level.unmarshal_text(b"WARN").is_ok(), "Level::unmarshal_text");
    check_eq(level, slog::LEVEL_WARN, "unmarshal_text wrote the receiver");
    check(
        level.unmarshal_json(b"\"ERROR+2\"").is_ok(),
        "Level::unmarshal_json",
    );
    check_eq(level, slog::Level(slog::LEVEL_ERROR.0 + 2), "unmarshal_json wrote it");
    match level.unmarshal_text(b"LOUD") {
        Err(GoError::Go { message, .. }) => check(
            message.contains("LOUD"),
            &format!("Go's own error names the input: {message}"),
        ),
        other => check(false, &format!("unmarshal_text LOUD: {other:?}")),
    }
    check_eq(
        level,
        slog::Level(slog::LEVEL_ERROR.0 + 2),
        "a failed parse leaves the level as Go does",
    );
    check_eq(level.string().ok().as_deref(), Some("ERROR+2"), "Level::string");
}

/// A struct by value through a Rust closure, both ways: slog's `ReplaceAttr`
/// (`func([]string, slog.Attr) slog.Attr`) gets each built-in attribute as a `slog::Attr` and
/// returns one (Go copies the value out of the handle the closure hands back).
fn replace_attr() {
    let out = bytes::Buffer::zero().expect("Buffer::zero");
    let opts = slog::HandlerOptions::zero().expect("HandlerOptions::zero");
    let keys = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = keys.clone();
    let replace = GoCallback::<SlogReplaceFn>::new(move |_groups: GoValue, a: slog::Attr| {
        let key = a.key().unwrap_or_default();
        if key == "msg" {
            a.set_key("message").expect("Attr::set_key");
        }
        seen.lock().unwrap().push(key);
        a
    })
    .expect("callback");
    check(
        opts.set_replace_attr(&replace).is_ok(),
        "HandlerOptions::set_replace_attr",
    );
    let handler =
        slog::new_text_handler(&GoValue::from(out.clone()), &opts).expect("new_text_handler");
    let now = time::now().expect("time::now");
    let record = slog::new_record(&now, slog::LEVEL_WARN, "from rust", 0).expect("new_record");
    check(
        handler.handle(&GoValue::nil(), &record).is_ok(),
        "TextHandler::handle",
    );
    let text = out.string().unwrap_or_default();
    check(
        text.contains("level=WARN message=\"from rust\""),
        &format!("the attr the closure changed reached the output: {text:?}"),
    );
    check_eq(
        keys.lock().unwrap().clone(),
        vec!["time".to_string(), "level".to_string(), "msg".to_string()],
        "the closure got each built-in attribute as a slog::Attr",
    );
}

fn url_fns() {
    let u = url::parse("https://user@example.com:8080/a/b?q=1#frag").expect("url::parse");
    check_eq(
        u.host().ok().as_deref(),
        Some("example.com:8080"),
        "URL.Host",
    );
    check_eq(u.scheme().ok().as_deref(), Some("https"), "URL.Scheme");
    check_eq(u.path().ok().as_deref(), Some("/a/b"), "URL.Path");
    check_eq(u.port().ok().as_deref(), Some("8080"), "URL::port");
    check(u.set_host("go.dev").is_ok(), "URL.set_host");
    check_eq(
        u.string().ok().as_deref(),
        Some("https://user@go.dev/a/b?q=1#frag"),
        "URL::string",
    );
    // A handle as a Go `any`: encoding/json marshals the *url.URL behind it.
    let j = json::marshal(&GoValue::from(u.clone())).unwrap_or_default();
    let j = String::from_utf8_lossy(&j);
    check(
        j.contains("\"Host\":\"go.dev\"") && j.contains("\"Scheme\":\"https\""),
        &format!("json::marshal of a URL: {j}"),
    );
    match url::parse("http://[::1") {
        Err(GoError::Go { message, .. }) => check(
            message.starts_with("parse \"http://[::1\""),
            &format!("url::parse error: {message}"),
        ),
        other => check(false, &format!("url::parse bad: {other:?}")),
    }
}

fn errors_fns() {
    // A function whose only result is an error: its error is the call's GoError::Go.
    match errors::new("boom") {
        Err(GoError::Go { message, .. }) => check_eq(message.as_str(), "boom", "errors::new"),
        other => check(false, &format!("errors::new: {other:?}")),
    }
}

fn generics() {
    check_eq(
        slices::index_int64(&[5, 7, -3], -3).ok(),
        Some(2),
        "slices::index_int64",
    );
    check_eq(
        slices::index_int64(&[], 1).ok(),
        Some(-1),
        "slices::index_int64 empty",
    );
    check_eq(
        slices::contains_string(&["go", "rust"], "rust").ok(),
        Some(true),
        "slices::contains_string",
    );
    check_eq(
        slices::contains_string(&["go"], "c").ok(),
        Some(false),
        "slices::contains_string absent",
    );
}

fn everything() {
    strings_fns();
    closures();
    flags();
    pool_new();
    handles();
    strconv_fns();
    regexp_fns();
    bytes_fns();
    time_fns();
    levels();
    replace_attr();
    url_fns();
    errors_fns();
    generics();
}

fn main() {
    // Two Rust threads call into the archive at once.
    let t = std::thread::spawn(everything);
    everything();
    t.join().expect("second thread");
    check_eq(live(), 0, "Go handle table empty");
    check_eq(host_live(), 0, "host pool empty");
    check::finish("Go live handles 0, host live closures 0");
}
