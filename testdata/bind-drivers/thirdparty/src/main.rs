//! Rust program of the third-party leg of the package-binding gate: calls
//! `golang.org/x/mod/semver` and `github.com/google/uuid` (real modules fetched through the Go
//! module proxy and bound by `gobridge generate`) through the typed API only, from two threads
//! at once: strings in and out, `[]string`, handle types with methods, byte slices, a Go
//! `error` as `GoError::Go` with Go's message, a Go panic as `GoError::Panic`; then the Go handle
//! table must be empty (no host closures here). Prints `PASS: ...` as its last line, or exits non-zero.

#[allow(dead_code)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

#[path = "../../../driver_check.rs"]
mod check;
use check::{check, check_eq};

use bindings::*;

fn semver_fns() {
    check_eq(
        semver::compare("v1.2.3", "v1.10.0").ok(),
        Some(-1),
        "compare",
    );
    check_eq(
        semver::compare("v2.0.0", "v2.0.0").ok(),
        Some(0),
        "compare equal",
    );
    check_eq(
        semver::canonical("v1.2").ok().as_deref(),
        Some("v1.2.0"),
        "canonical",
    );
    check_eq(
        semver::is_valid("1.2.3").ok(),
        Some(false),
        "is_valid without v",
    );
    check_eq(
        semver::is_valid("v1.2.3-rc.1+meta").ok(),
        Some(true),
        "is_valid",
    );
    check_eq(semver::major("v2.1.0").ok().as_deref(), Some("v2"), "major");
    check_eq(
        semver::prerelease("v1.2.3-rc.1+meta").ok().as_deref(),
        Some("-rc.1"),
        "prerelease",
    );
    check_eq(
        semver::max("v1.9.0", "v1.10.0").ok().as_deref(),
        Some("v1.10.0"),
        "max",
    );
}

fn uuid_fns() {
    let text = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
    let u = uuid::parse(text).expect("uuid::parse");
    check_eq(u.string().ok().as_deref(), Some(text), "UUID::string");
    check_eq(
        u.urn().ok().as_deref(),
        Some("urn:uuid:f47ac10b-58cc-4372-a567-0e02b2c3d479"),
        "UUID::urn",
    );
    check_eq(u.version().ok().map(|v| v.0), Some(4), "UUID::version");
    check_eq(
        u.version().and_then(|v| v.string()).ok().as_deref(),
        Some("VERSION_4"),
        "Version::string",
    );
    check_eq(
        u.marshal_binary().ok().map(|b| b.len()),
        Some(16),
        "UUID::marshal_binary",
    );
    let b = uuid::from_bytes(&u.marshal_binary().unwrap_or_default()).expect("from_bytes");
    check_eq(
        b.string().ok().as_deref(),
        Some(text),
        "from_bytes round trip",
    );
    // Name-based UUIDs are deterministic.
    let dns = uuid::name_space_dns().expect("name_space_dns");
    let a = uuid::new_sha1(&dns, b"go.dev").expect("new_sha1");
    let c = uuid::new_sha1(&dns, b"go.dev").expect("new_sha1");
    check_eq(a.string().ok(), c.string().ok(), "new_sha1 deterministic");
    check_eq(a.version().ok().map(|v| v.0), Some(5), "new_sha1 version");
    check_eq(
        uuid::new_random()
            .and_then(|r| r.version())
            .ok()
            .map(|v| v.0),
        Some(4),
        "new_random",
    );
    match uuid::parse("bogus") {
        Err(GoError::Go { message, .. }) => {
            check_eq(message.as_str(), "invalid UUID length: 5", "parse error")
        }
        other => check(false, &format!("parse bogus: {other:?}")),
    }
    check(uuid::validate(text).is_ok(), "validate");
    match uuid::must_parse("bogus") {
        Err(GoError::Panic { message, .. }) => check(
            message.contains("invalid UUID length"),
            &format!("must_parse panic: {message}"),
        ),
        other => check(false, &format!("must_parse bogus: {other:?}")),
    }
}

fn everything() {
    semver_fns();
    uuid_fns();
}

fn main() {
    // Two Rust threads call into the archive at once.
    let t = std::thread::spawn(everything);
    everything();
    t.join().expect("second thread");
    check_eq(live(), 0, "Go handle table empty");
    check::finish("Go live handles 0");
}
