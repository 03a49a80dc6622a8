//! The fixture module's surface, locked by snapshots.

use crate::{fixture_dir, have_go, opts, shared_cache};
use apisurface::{Package, Surface};
use sha2::Digest;

fn ingest_fixture(tags: &[&str]) -> Surface {
    let o = opts(&shared_cache())
        .dir(fixture_dir())
        .result_cache(false)
        .tags(tags.iter().copied())
        .env("CGO_ENABLED", "0");
    go_ingest::ingest(&["./..."], &o)
        .expect("fixture ingests")
        .into_surface()
        .unwrap()
}

/// The part of a package that does not depend on the installed Go release: `deps` lists the
/// standard library's internals, which change between releases, so it is checked separately.
fn stable(p: &Package) -> Package {
    Package {
        deps: Vec::new(),
        ..p.clone()
    }
}

#[test]
fn fixture_surface_snapshots() {
    if !have_go() {
        return;
    }
    let s = ingest_fixture(&[]);
    assert_eq!(s.module, "example.com/ingestfixture");
    assert_eq!(s.version, "");
    assert!(s.go_version.starts_with("go1."), "{}", s.go_version);
    assert_eq!(s.generated_by, go_ingest::GENERATED_BY);
    let paths: Vec<&str> = s.packages.iter().map(|p| p.import_path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "example.com/ingestfixture",
            "example.com/ingestfixture/cmd/fixturetool",
            "example.com/ingestfixture/generic",
            "example.com/ingestfixture/tagged",
        ]
    );
    let root = s.package("example.com/ingestfixture").unwrap();
    for want in ["context", "net/http", "example.com/ingestdep", "unsafe"] {
        assert!(root.deps.iter().any(|d| d == want), "deps lacks {want}");
    }
    assert!(root.deps.windows(2).all(|w| w[0] < w[1]), "deps sorted");
    // `imports`: `time` only through the alias Stamp's underlying struct's exported fields;
    // `sync` only through an unexported field, so not named by the exported API.
    assert!(
        root.imports.iter().any(|i| i == "time"),
        "{:?}",
        root.imports
    );
    assert!(
        root.imports.iter().all(|i| i != "sync"),
        "{:?}",
        root.imports
    );
    assert!(root.deps.iter().any(|d| d == "sync"));
    insta::assert_json_snapshot!("fixture_root", stable(root));
    insta::assert_json_snapshot!(
        "fixture_generic",
        stable(s.package("example.com/ingestfixture/generic").unwrap())
    );
    insta::assert_json_snapshot!(
        "fixture_tagged",
        stable(s.package("example.com/ingestfixture/tagged").unwrap())
    );
    insta::assert_json_snapshot!(
        "fixture_main",
        stable(
            s.package("example.com/ingestfixture/cmd/fixturetool")
                .unwrap()
        )
    );
}

#[test]
fn build_tags_select_files() {
    if !have_go() {
        return;
    }
    let plain = ingest_fixture(&[]);
    let tagged = ingest_fixture(&["ingestextra"]);
    let names = |s: &Surface| -> Vec<String> {
        let p = s.package("example.com/ingestfixture/tagged").unwrap();
        p.funcs.iter().map(|f| f.name.clone()).collect()
    };
    assert_eq!(names(&plain), ["Always"]);
    assert_eq!(names(&tagged), ["Always", "Extra"]);
    // CGO_ENABLED=0 picked the !cgo file.
    let p = plain.package("example.com/ingestfixture/tagged").unwrap();
    assert_eq!(p.consts[0].const_, "false");
}

#[test]
fn output_is_byte_deterministic() {
    if !have_go() {
        return;
    }
    let o = opts(&shared_cache()).dir(fixture_dir()).result_cache(false);
    let a = go_ingest::ingest(&["./..."], &o).unwrap();
    let b = go_ingest::ingest(&["./..."], &o).unwrap();
    assert!(!a.from_cache() && !b.from_cache());
    let sha = |s: &str| hex::encode(sha2::Sha256::digest(s.as_bytes()));
    assert_eq!(sha(a.json()), sha(b.json()));
    // The JSON is the canonical serialization of the model.
    let s = b.into_surface().unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), a.json());
}

#[test]
fn model_rules_hold_for_the_fixture() {
    if !have_go() {
        return;
    }
    let s = ingest_fixture(&[]);
    for p in &s.packages {
        let sorted = |v: Vec<&str>| v.windows(2).all(|w| w[0] < w[1]);
        assert!(
            sorted(p.funcs.iter().map(|f| f.name.as_str()).collect()),
            "{}",
            p.import_path
        );
        assert!(sorted(p.types.iter().map(|f| f.name.as_str()).collect()));
        assert!(sorted(p.consts.iter().map(|f| f.name.as_str()).collect()));
        assert!(sorted(p.vars.iter().map(|f| f.name.as_str()).collect()));
        assert!(sorted(p.imports.iter().map(String::as_str).collect()));
        assert!(!p.imports.contains(&p.import_path));
        for t in &p.types {
            assert!(t.name.starts_with(|c: char| c.is_uppercase()));
            assert!(sorted(t.methods.iter().map(|f| f.name.as_str()).collect()));
            for m in t.methods.iter().chain(&t.interface_methods) {
                assert!(
                    m.name.starts_with(|c: char| c.is_uppercase()),
                    "{}.{}",
                    t.name,
                    m.name
                );
            }
            for m in &t.methods {
                assert_eq!(m.receiver, t.name);
                assert_eq!(
                    m.type_params, t.type_params,
                    "method type params are the receiver's"
                );
            }
        }
        for f in p
            .funcs
            .iter()
            .chain(p.types.iter().flat_map(|t| &t.methods))
        {
            let last_dots = f.params.last().is_some_and(|x| x.type_.starts_with("..."));
            assert_eq!(f.variadic, last_dots, "{}", f.name);
        }
    }
}
