//! Banned packages reached through deps and an import graph, with the shortest chain.

use crate::package;
use tinygo_check::{
    ImportGraph, Policy, Profile, ViolationKind, check_package, check_package_with_graph,
};

/// app imports lib and util; lib -> enc -> reflect; util -> reflect is longer via helper;
/// app -> plugin directly but the API does not reference it.
fn graph() -> ImportGraph {
    [
        (
            "example.com/app",
            vec!["example.com/lib", "example.com/util", "fmt", "plugin"],
        ),
        ("example.com/lib", vec!["encoding/gob", "fmt"]),
        ("encoding/gob", vec!["reflect", "sync"]),
        ("example.com/util", vec!["example.com/helper"]),
        ("example.com/helper", vec!["reflect"]),
        ("fmt", vec!["reflect", "strconv"]),
        ("reflect", vec!["unsafe"]),
    ]
    .into_iter()
    .collect()
}

fn app() -> apisurface::Package {
    let mut p = package("example.com/app");
    p.imports = vec!["example.com/lib".into()];
    p.deps = vec![
        "encoding/gob".into(),
        "example.com/helper".into(),
        "example.com/lib".into(),
        "example.com/util".into(),
        "fmt".into(),
        "plugin".into(),
        "reflect".into(),
        "strconv".into(),
        "sync".into(),
        "unsafe".into(),
    ];
    p
}

#[test]
fn shortest_chains_reach_each_banned_dep() {
    let v = check_package_with_graph(Profile::Embedded, &Policy::mep74(), &app(), Some(&graph()));
    let got: Vec<(ViolationKind, &str, Vec<&str>)> = v
        .iter()
        .map(|v| {
            (
                v.kind,
                v.where_.as_str(),
                v.chain.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    use ViolationKind::TransitiveImport as T;
    assert_eq!(
        got,
        [
            (
                T,
                "import encoding/gob",
                vec!["example.com/app", "example.com/lib", "encoding/gob"]
            ),
            (T, "import plugin", vec!["example.com/app", "plugin"]),
            // Three chains reach reflect (through lib, fmt and util); the shortest wins.
            (
                T,
                "import reflect",
                vec!["example.com/app", "fmt", "reflect"]
            ),
            (
                T,
                "import unsafe",
                vec!["example.com/app", "fmt", "reflect", "unsafe"]
            ),
        ]
    );
    assert!(v[0].detail.contains("reaches encoding/gob"));
}

#[test]
fn tinygo_policy_sees_only_what_tinygo_cannot_import() {
    let v = check_package_with_graph(
        Profile::Embedded,
        &Policy::default(),
        &app(),
        Some(&graph()),
    );
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].kind, ViolationKind::TransitiveImport);
    assert_eq!(v[0].where_, "import plugin");
    assert_eq!(v[0].chain, ["example.com/app", "plugin"]);
    assert!(
        v[0].reason
            .contains("not importable by TinyGo (go1.27 table)"),
        "{}",
        v[0].reason
    );
}

#[test]
fn without_a_graph_deps_bans_have_no_chain() {
    let v = check_package(Profile::Embedded, &Policy::mep74(), &app());
    let wheres: Vec<&str> = v.iter().map(|v| v.where_.as_str()).collect();
    assert_eq!(
        wheres,
        [
            "import encoding/gob",
            "import plugin",
            "import reflect",
            "import unsafe"
        ]
    );
    assert!(
        v.iter()
            .all(|v| v.chain.is_empty() && v.detail.contains("chain unknown"))
    );
}

#[test]
fn graph_alone_finds_deps_and_direct_imports_keep_their_kind() {
    let mut p = app();
    p.deps.clear();
    p.imports = vec!["encoding/gob".into()];
    let v = check_package_with_graph(Profile::Embedded, &Policy::mep74(), &p, Some(&graph()));
    assert_eq!(v[0].kind, ViolationKind::Import);
    assert_eq!(v[0].where_, "import encoding/gob");
    assert_eq!(
        v[0].chain,
        ["example.com/app", "example.com/lib", "encoding/gob"]
    );
    assert!(
        v[1..]
            .iter()
            .all(|v| v.kind == ViolationKind::TransitiveImport)
    );
    assert_eq!(v.len(), 4);
}

#[test]
fn a_dep_the_graph_does_not_reach_says_so() {
    let mut p = app();
    p.deps.push("runtime/cgo".into());
    let v = check_package_with_graph(Profile::Embedded, &Policy::mep74(), &p, Some(&graph()));
    let cgo = v.iter().find(|v| v.where_ == "import runtime/cgo").unwrap();
    assert!(cgo.chain.is_empty());
    assert!(
        cgo.detail.contains("import graph does not reach it"),
        "{}",
        cgo.detail
    );
}

#[test]
fn a_banned_package_is_itself_reported() {
    let p = package("plugin");
    let v = check_package(Profile::Embedded, &Policy::default(), &p);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].kind, ViolationKind::Package);
    assert_eq!(v[0].where_, "package plugin");
}
