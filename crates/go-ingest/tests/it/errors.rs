//! Bad input: each failure is a typed error naming the pattern or package with Go's message.

use crate::{have_go, opts, shared_cache, write_module};
use go_ingest::{IngestError, Options, ingest};

#[test]
fn missing_go_is_a_typed_error_with_a_hint() {
    let o = Options::default().go("/nonexistent/bin/go").progress(false);
    let err = ingest(&["std"], &o).unwrap_err();
    assert!(matches!(err, IngestError::GoNotFound { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("/nonexistent/bin/go") && msg.contains("GOBRIDGE_GO"),
        "{msg}"
    );
}

#[test]
fn invalid_inputs_are_refused_before_go_runs() {
    let o = Options::default().go("/nonexistent/bin/go");
    for bad in [&["-toolexec=x"][..], &[""], &[]] {
        let err = ingest(bad, &o).unwrap_err();
        assert!(
            matches!(
                err,
                IngestError::InvalidInput {
                    what: "pattern",
                    ..
                }
            ),
            "{err}"
        );
    }
    let err = ingest(&["std"], &o.clone().tags(["a b"])).unwrap_err();
    assert!(
        matches!(
            err,
            IngestError::InvalidInput {
                what: "build tag",
                ..
            }
        ),
        "{err}"
    );
    let err = ingest(&["std"], &o.env("GO OS", "x")).unwrap_err();
    assert!(matches!(
        err,
        IngestError::InvalidInput {
            what: "environment variable",
            ..
        }
    ));
}

#[test]
fn pattern_matching_nothing_names_the_pattern() {
    if !have_go() {
        return;
    }
    let fx = crate::fixture_dir();
    let o = opts(&shared_cache()).dir(&fx).result_cache(false);
    for pat in [
        "./nothing/...",
        "example.com/ingestfixture/zzz/...",
        "example.com/ingestfixture/zzz",
        "fmtx",
    ] {
        match ingest(&[pat], &o) {
            Err(IngestError::NoMatch { pattern, message }) => {
                assert_eq!(pattern, pat);
                assert!(!message.is_empty());
            }
            other => panic!("{pat}: expected NoMatch, got {other:?}"),
        }
    }
}

const BAD: &str = "package bad\n\nfunc F() int { return \"x\" }\n";
const GOOD: &str = "package good\n\n// G is fine.\nfunc G() int { return 1 }\n";
const USES: &str =
    "package usesbad\n\nimport \"example.com/m/bad\"\n\n// X uses bad.\nvar X = bad.F()\n";

/// A module with a package that does not compile (`bad`), one that does (`good`) and one that
/// imports the broken one (`usesbad`).
fn bad_module() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_module(
        tmp.path(),
        "example.com/m",
        &[
            ("bad/bad.go", BAD),
            ("good/g.go", GOOD),
            ("usesbad/u.go", USES),
        ],
    );
    tmp
}

#[test]
fn compile_errors_name_the_package_and_carry_gos_message() {
    if !have_go() {
        return;
    }
    let tmp = bad_module();
    let o = opts(&shared_cache()).dir(tmp.path()).result_cache(false);
    match ingest(&["./..."], &o) {
        Err(IngestError::Compile { package, message }) => {
            assert_eq!(package, "example.com/m/bad");
            assert!(message.contains("cannot use \"x\""), "{message}");
        }
        other => panic!("expected Compile, got {other:?}"),
    }
    // A package whose dependency fails names itself and the dependency's error.
    match ingest(&["./usesbad"], &o) {
        Err(IngestError::Compile { package, message }) => {
            assert_eq!(package, "example.com/m/usesbad");
            assert!(message.contains("example.com/m/bad"), "{message}");
        }
        other => panic!("expected Compile, got {other:?}"),
    }
}

#[test]
fn keep_going_records_skip_notes() {
    if !have_go() {
        return;
    }
    let tmp = bad_module();
    let o = opts(&shared_cache()).dir(tmp.path()).keep_going(true);
    let s = ingest(&["./..."], &o).unwrap().into_surface().unwrap();
    let bad = s.package("example.com/m/bad").unwrap();
    assert_eq!(bad.skipped.len(), 1);
    assert_eq!(bad.skipped[0].symbol, "example.com/m/bad");
    assert!(
        bad.skipped[0].reason.contains("cannot use"),
        "{:?}",
        bad.skipped
    );
    assert!(bad.funcs.is_empty());
    let uses = s.package("example.com/m/usesbad").unwrap();
    assert!(
        uses.skipped[0].reason.contains("dependency failed"),
        "{:?}",
        uses.skipped
    );
    let good = s.package("example.com/m/good").unwrap();
    assert!(good.skipped.is_empty());
    assert_eq!(good.funcs[0].name, "G");
    assert_eq!(good.funcs[0].doc, "G is fine.");
}

#[test]
fn outside_a_module_is_a_typed_error() {
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = opts(&shared_cache())
        .dir(tmp.path())
        .result_cache(false)
        .env("GOWORK", "off");
    match ingest(&["./..."], &o) {
        Err(IngestError::NotInModule { dir, message }) => {
            assert_eq!(dir, tmp.path().canonicalize().unwrap());
            assert!(
                message.contains("main module") || message.contains("go.mod"),
                "{message}"
            );
        }
        other => panic!("expected NotInModule, got {other:?}"),
    }
    // `std` needs no module.
    assert!(ingest(&["errors"], &o).is_ok());
}

#[test]
fn unsupported_platform_is_a_typed_error() {
    if !have_go() {
        return;
    }
    let o = opts(&shared_cache())
        .result_cache(false)
        .env("GOOS", "plan42")
        .env("GOARCH", "amd64");
    match ingest(&["errors"], &o) {
        Err(IngestError::UnsupportedPlatform {
            goos,
            goarch,
            message,
        }) => {
            assert_eq!((goos.as_str(), goarch.as_str()), ("plan42", "amd64"));
            assert!(message.contains("unsupported GOOS/GOARCH"), "{message}");
        }
        other => panic!("expected UnsupportedPlatform, got {other:?}"),
    }
    // A supported cross target works: the helper is still built for the host.
    let wasm = opts(&shared_cache())
        .result_cache(false)
        .env("GOOS", "wasip1")
        .env("GOARCH", "wasm");
    let s = ingest(&["errors"], &wasm).unwrap().into_surface().unwrap();
    assert!(s.package("errors").unwrap().func("New").is_some());
}
