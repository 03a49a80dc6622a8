//! Every type string ingest produces for `std` parses with `apisurface::parse_type` and prints
//! back byte for byte.

use crate::{have_go, opts, shared_cache};
use apisurface::{Package, parse_type};

/// Every type string in a package, with where it came from.
fn type_strings(p: &Package) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |at: String, s: &str| {
        if !s.is_empty() {
            out.push((at, s.to_string()));
        }
    };
    let func = |at: &str, f: &apisurface::Func, add: &mut dyn FnMut(String, &str)| {
        for tp in &f.type_params {
            add(format!("{at} type param {}", tp.name), &tp.constraint);
        }
        for (i, x) in f.params.iter().chain(&f.results).enumerate() {
            add(format!("{at} param {i}"), &x.type_);
        }
    };
    for f in &p.funcs {
        func(&format!("func {}", f.name), f, &mut add);
    }
    for t in &p.types {
        add(format!("type {} underlying", t.name), &t.underlying);
        add(format!("type {} alias_of", t.name), &t.alias_of);
        for tp in &t.type_params {
            add(
                format!("type {} type param {}", t.name, tp.name),
                &tp.constraint,
            );
        }
        for f in &t.fields {
            add(format!("type {} field {}", t.name, f.name), &f.type_);
        }
        for e in &t.embedded_types {
            add(format!("type {} embedded", t.name), e);
        }
        for m in t.methods.iter().chain(&t.interface_methods) {
            func(&format!("method {}.{}", t.name, m.name), m, &mut add);
        }
    }
    for v in p.consts.iter().chain(&p.vars) {
        add(format!("value {}", v.name), &v.type_);
    }
    out
}

#[test]
fn std_type_strings_round_trip_through_parse_type() {
    if !have_go() {
        return;
    }
    let s = go_ingest::ingest(&["std"], &opts(&shared_cache()))
        .expect("std ingests")
        .into_surface()
        .unwrap();
    assert_eq!(s.module, "std");
    assert!(
        s.packages.len() > 150,
        "only {} std packages",
        s.packages.len()
    );
    assert!(s.package("net/http").is_some());
    for p in &s.packages {
        let ip = &p.import_path;
        assert!(
            !ip.starts_with("vendor/") && !ip.starts_with("cmd/"),
            "{ip}"
        );
        assert!(!ip.split('/').any(|e| e == "internal"), "{ip}");
        assert!(!p.is_main, "{ip}");
        // `unsafe`'s builtins (Sizeof, Add, ...) have no signature and are recorded as skipped.
        assert!(
            p.skipped.is_empty() || ip == "unsafe",
            "{ip}: {:?}",
            p.skipped
        );
    }
    let mut failures = Vec::new();
    let mut count = 0usize;
    for p in &s.packages {
        for (at, ts) in type_strings(p) {
            count += 1;
            match parse_type(&ts) {
                Ok(t) if t.to_string() == ts => {}
                Ok(t) => failures.push(format!(
                    "{} {at}: {ts:?} printed as {:?}",
                    p.import_path,
                    t.to_string()
                )),
                Err(e) => failures.push(format!("{} {at}: {ts:?}: {e}", p.import_path)),
            }
        }
    }
    assert!(count > 10_000, "only {count} type strings");
    assert!(
        failures.is_empty(),
        "{} of {count} type strings fail to round-trip; first 20:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn std_imports_are_named_by_the_surface() {
    if !have_go() {
        return;
    }
    let s = go_ingest::ingest(
        &["net/http", "unsafe", "reflect", "sync/atomic"],
        &opts(&shared_cache()),
    )
    .unwrap()
    .into_surface()
    .unwrap();
    let http = s.package("net/http").unwrap();
    for want in ["context", "crypto/tls", "io", "net", "net/url", "time"] {
        assert!(
            http.imports.iter().any(|i| i == want),
            "net/http imports lack {want}"
        );
    }
    // net/http's exported API does not name its internals or the vendored x/net packages.
    assert!(
        http.imports
            .iter()
            .all(|i| !i.contains("internal") && !i.starts_with("vendor/"))
    );
    assert!(http.deps.len() > http.imports.len());
    // unsafe.Pointer counts as `unsafe`.
    let atomic = s.package("sync/atomic").unwrap();
    assert!(
        atomic.imports.iter().any(|i| i == "unsafe"),
        "{:?}",
        atomic.imports
    );
    let reflect = s.package("reflect").unwrap();
    assert!(
        reflect.imports.iter().any(|i| i == "unsafe"),
        "{:?}",
        reflect.imports
    );
    // An explicitly named std package is kept; `unsafe` has no export data but still loads.
    assert!(
        s.package("unsafe")
            .unwrap()
            .types
            .iter()
            .any(|t| t.name == "Pointer")
    );
}

#[test]
fn std_output_does_not_depend_on_the_number_of_workers() {
    if !have_go() {
        return;
    }
    let o = opts(&shared_cache()).result_cache(false);
    let one = go_ingest::ingest(&["std"], &o.clone().env("GOMAXPROCS", "1")).unwrap();
    let four = go_ingest::ingest(&["std"], &o.env("GOMAXPROCS", "4")).unwrap();
    assert!(
        one.json() == four.json(),
        "std output differs between 1 and 4 workers"
    );
}
