//! Seed parity: the behaviours of the phase-16 seed's walker tests (TestCheckPackage*,
//! TestIsCompatible, TestProfileIsValid, TestBannedImportListIsSorted) and its good/bad surface
//! tests, run under both policies.

use crate::{func, package, struct_type};
use apisurface::{Func, Package, Type};
use tinygo_check::{
    MEP74_PATTERNS, Policy, Profile, Violation, ViolationKind, check_package, is_compatible,
};

/// A policy with one banned package and a type from it.
struct Case {
    policy: Policy,
    pkg: &'static str,
    ty: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            policy: Policy::mep74(),
            pkg: "reflect",
            ty: "reflect.Value",
        },
        Case {
            policy: Policy::default(),
            pkg: "plugin",
            ty: "plugin.Symbol",
        },
    ]
}

fn kinds(v: &[Violation]) -> Vec<ViolationKind> {
    v.iter().map(|v| v.kind).collect()
}

/// The seed's "bad" surface: one banned import and one banned-type result.
fn bad_surface(c: &Case) -> Package {
    let mut p = package("example.com/bad");
    p.imports = vec!["fmt".into(), c.pkg.into()];
    p.funcs = vec![func("Inspect", &[("x", "int")], &[("", c.ty)])];
    p
}

#[test]
fn profile_is_valid() {
    assert_eq!("standard".parse::<Profile>(), Ok(Profile::Standard));
    assert_eq!("embedded".parse::<Profile>(), Ok(Profile::Embedded));
    assert_eq!(Profile::Embedded.to_string(), "embedded");
    let err = "wasm".parse::<Profile>().unwrap_err().to_string();
    assert!(
        err.contains("\"wasm\"") && err.contains("\"standard\", \"embedded\""),
        "{err}"
    );
}

#[test]
fn standard_profile_is_a_noop() {
    for c in cases() {
        let p = bad_surface(&c);
        assert!(check_package(Profile::Standard, &c.policy, &p).is_empty());
        assert!(is_compatible(Profile::Standard, &c.policy, &p));
        assert!(!check_package(Profile::Embedded, &c.policy, &p).is_empty());
    }
}

#[test]
fn detects_banned_imports() {
    for c in cases() {
        let mut p = package("example.com/lib");
        p.imports = vec!["errors".into(), c.pkg.into(), "strings".into()];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].kind, ViolationKind::Import);
        assert_eq!(v[0].where_, format!("import {}", c.pkg));
        assert_eq!(v[0].rule, c.pkg);
        assert!(!v[0].reason.is_empty());
    }
}

#[test]
fn detects_banned_type_in_param() {
    for c in cases() {
        let mut p = package("example.com/lib");
        p.funcs = vec![func("Take", &[("a", "int"), ("v", c.ty)], &[])];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        assert_eq!(kinds(&v), [ViolationKind::ParamType]);
        assert_eq!(v[0].where_, "func Take param 1 (v)");
        assert_eq!(v[0].detail, c.ty);
    }
}

#[test]
fn detects_banned_type_in_result() {
    for c in cases() {
        let mut p = package("example.com/lib");
        p.funcs = vec![func("Give", &[], &[("", c.ty), ("err", "error")])];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        assert_eq!(kinds(&v), [ViolationKind::ResultType]);
        assert_eq!(v[0].where_, "func Give result 0");
    }
}

#[test]
fn sees_through_slice_map_pointer() {
    for c in cases() {
        let wrapped = [
            format!("[]{}", c.ty),
            format!("*{}", c.ty),
            format!("[4]{}", c.ty),
            format!("map[string]{}", c.ty),
            format!("map[string][]*{}", c.ty),
            format!("...{}", c.ty),
        ];
        for t in &wrapped {
            let mut p = package("example.com/lib");
            p.funcs = vec![func("F", &[("x", t)], &[])];
            let v = check_package(Profile::Embedded, &c.policy, &p);
            assert_eq!(kinds(&v), [ViolationKind::ParamType], "{t}");
            assert_eq!(v[0].detail, format!("{} in {t}", c.ty));
        }
    }
}

#[test]
fn method_violation() {
    for c in cases() {
        let mut p = package("example.com/lib");
        let mut t = struct_type("Thing", &[]);
        t.methods = vec![Func {
            receiver: "Thing".into(),
            receiver_pointer: true,
            ..func("Do", &[("v", c.ty)], &[("", c.ty)])
        }];
        p.types = vec![t];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        assert_eq!(
            kinds(&v),
            [ViolationKind::MethodParam, ViolationKind::MethodResult]
        );
        assert_eq!(v[0].where_, "type Thing method Do param 0 (v)");
        assert_eq!(v[1].where_, "type Thing method Do result 0");
    }
}

#[test]
fn interface_method_violation() {
    for c in cases() {
        let mut p = package("example.com/lib");
        p.types = vec![Type {
            name: "Inspector".into(),
            kind: "interface".into(),
            underlying: format!("interface{{Inspect() {}}}", c.ty),
            interface_methods: vec![func("Inspect", &[], &[("", c.ty)])],
            ..Type::default()
        }];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        assert_eq!(kinds(&v), [ViolationKind::InterfaceMethod]);
        assert_eq!(v[0].where_, "type Inspector method Inspect result 0");
    }
}

#[test]
fn sort_is_by_kind_then_where_and_stable() {
    for c in cases() {
        let mut p = package("example.com/lib");
        p.imports = vec![c.pkg.into()];
        p.funcs = vec![
            func("Zeta", &[("v", c.ty)], &[]),
            func("Alpha", &[], &[("", c.ty)]),
            func(
                "Beta",
                &[("m", &format!("map[{0}]{0}", c.ty)), ("v", c.ty)],
                &[],
            ),
        ];
        let v = check_package(Profile::Embedded, &c.policy, &p);
        let got: Vec<(ViolationKind, &str)> =
            v.iter().map(|v| (v.kind, v.where_.as_str())).collect();
        assert_eq!(
            got,
            [
                (ViolationKind::Import, format!("import {}", c.pkg).as_str()),
                (ViolationKind::ParamType, "func Beta param 0 (m)"),
                (ViolationKind::ParamType, "func Beta param 1 (v)"),
                (ViolationKind::ParamType, "func Zeta param 0 (v)"),
                (ViolationKind::ResultType, "func Alpha result 0"),
            ]
        );
        // Reordering the input does not change the output.
        let mut q = p.clone();
        q.funcs.reverse();
        assert_eq!(check_package(Profile::Embedded, &c.policy, &q), v);
        // Sorted by (kind, where) as promised.
        assert!(
            v.windows(2)
                .all(|w| (w[0].kind, &w[0].where_) <= (w[1].kind, &w[1].where_))
        );
    }
}

#[test]
fn is_compatible_matches_check() {
    for c in cases() {
        let bad = bad_surface(&c);
        assert!(!is_compatible(Profile::Embedded, &c.policy, &bad));
        let mut good = package("example.com/good");
        good.imports = vec!["errors".into(), "strings".into()];
        good.funcs = vec![func("Double", &[("x", "int64")], &[("", "int64")])];
        assert!(is_compatible(Profile::Embedded, &c.policy, &good));
    }
}

#[test]
fn banned_import_list_is_sorted() {
    let names: Vec<&str> = MEP74_PATTERNS.iter().map(|(p, _)| *p).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    for policy in [Policy::mep74(), Policy::default()] {
        let rules: Vec<String> = policy.package_rules().map(|(p, _)| p.to_string()).collect();
        assert!(
            rules.windows(2).all(|w| w[0] < w[1]),
            "{}: {rules:?}",
            policy.name()
        );
    }
}

/// TestPhase16EmbeddedSubsetCompatibleSurface: only allowed imports and types.
#[test]
fn embedded_subset_compatible_surface() {
    let mut p = package("example.com/good");
    p.imports = vec![
        "bytes".into(),
        "errors".into(),
        "io".into(),
        "strconv".into(),
    ];
    p.deps = vec![
        "bytes".into(),
        "errors".into(),
        "io".into(),
        "strconv".into(),
        "sync".into(),
    ];
    p.funcs = vec![
        func("Double", &[("x", "int64")], &[("", "int64")]),
        func("Touch", &[("x", "int64")], &[]),
        func(
            "Read",
            &[("r", "io.Reader"), ("buf", "[]byte")],
            &[("n", "int"), ("err", "error")],
        ),
    ];
    p.types = vec![struct_type(
        "Buffer",
        &[("Data", "*bytes.Buffer"), ("Len", "int")],
    )];
    for policy in [Policy::mep74(), Policy::default()] {
        let v = check_package(Profile::Embedded, &policy, &p);
        assert!(v.is_empty(), "{}: {v:?}", policy.name());
    }
}

/// TestPhase16EmbeddedSubsetRejectsBadSurface: both violations surface with the right kinds.
#[test]
fn embedded_subset_rejects_bad_surface() {
    for c in cases() {
        let v = check_package(Profile::Embedded, &c.policy, &bad_surface(&c));
        assert_eq!(
            kinds(&v),
            [ViolationKind::Import, ViolationKind::ResultType],
            "{v:?}"
        );
        assert_eq!(v[1].where_, "func Inspect result 0");
    }
}
