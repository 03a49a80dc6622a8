//! Type bans found by parsing and walking every type string of a surface (SPEC defect 7).

use crate::{func, package, struct_type};
use apisurface::{Field, Func, Package, Type, TypeParam, Value};
use proptest::prelude::*;
use tinygo_check::{Policy, Profile, Violation, ViolationKind, check_package};

fn check(p: &Package) -> Vec<Violation> {
    check_package(Profile::Embedded, &Policy::mep74(), p)
}

/// Type strings (as go/types prints them) hiding `reflect.Value` in one position each.
const HIDDEN: &[&str] = &[
    "reflect.Value",
    "*reflect.Value",
    "[]reflect.Value",
    "[8]reflect.Value",
    "map[[2]reflect.Value]int",
    "map[string]reflect.Value",
    "map[string][]*reflect.Value",
    "chan reflect.Value",
    "<-chan reflect.Value",
    "chan<- []reflect.Value",
    "chan (<-chan reflect.Value)",
    "func(reflect.Value) error",
    "func(n int, v ...reflect.Value)",
    "func() (v reflect.Value, err error)",
    "func(func(reflect.Value) bool)",
    "iter.Seq2[int, reflect.Value]",
    "iter.Seq[iter.Seq[*reflect.Value]]",
    "Set[reflect.Value]",
    "struct{V reflect.Value \"json:\\\"v\\\"\"}",
    "struct{reflect.Value}",
    "interface{M() reflect.Value}",
    "interface{M(x reflect.Value)}",
    "interface{io.Reader; reflect.Value}",
    "interface{~int | reflect.Value}",
];

/// The same shapes without a banned type.
const CLEAN: &[&str] = &[
    "example.com/reflect.Value",
    "map[[2]example.com/x.Value]int",
    "chan (<-chan int)",
    "func(reflect2.Value) error",
    "iter.Seq2[int, Value]",
    "interface{M() example.com/reflectx.Value}",
];

#[test]
fn every_hidden_position_is_found_as_a_param_and_result() {
    for t in HIDDEN {
        let mut p = package("example.com/lib");
        p.funcs = vec![func("F", &[("x", t)], &[("", t)])];
        let v = check(&p);
        let got: Vec<(ViolationKind, &str)> =
            v.iter().map(|v| (v.kind, v.detail.as_str())).collect();
        let detail = if *t == "reflect.Value" {
            "reflect.Value".to_string()
        } else {
            format!("reflect.Value in {t}")
        };
        assert_eq!(
            got,
            [
                (ViolationKind::ParamType, detail.as_str()),
                (ViolationKind::ResultType, detail.as_str())
            ],
            "{t}"
        );
    }
    for t in CLEAN {
        let mut p = package("example.com/lib");
        p.funcs = vec![func("F", &[("x", t)], &[("", t)])];
        assert!(check(&p).is_empty(), "{t}: {:?}", check(&p));
    }
}

/// A package with a banned type in every surface position the walker covers.
fn kitchen_sink() -> Package {
    let mut p = package("example.com/sink");
    p.imports = vec!["reflect".into(), "unsafe".into()];
    let mut generic = func("Map", &[("s", "[]T")], &[("", "[]U")]);
    generic.type_params = vec![
        TypeParam {
            name: "T".into(),
            constraint: "any".into(),
        },
        TypeParam {
            name: "U".into(),
            constraint: "interface{~int | reflect.Kind}".into(),
        },
    ];
    p.funcs = vec![
        func("Keys", &[("m", "map[[2]reflect.Value]int")], &[]),
        func(
            "Watch",
            &[],
            &[("", "<-chan reflect.Value"), ("err", "error")],
        ),
        func("Each", &[("f", "func(reflect.Value) bool")], &[]),
        func("Seq", &[], &[("", "iter.Seq2[int, *reflect.Value]")]),
        generic,
    ];
    let mut s = struct_type(
        "Box",
        &[("Ptr", "unsafe.Pointer"), ("Val", "reflect.Value")],
    );
    s.fields.push(Field {
        name: "hidden".into(),
        type_: "reflect.Value".into(),
        exported: false,
        ..Field::default()
    });
    s.fields.push(Field {
        name: "Type".into(),
        type_: "reflect.Type".into(),
        exported: true,
        embedded: true,
        ..Field::default()
    });
    s.embedded_types = vec!["reflect.Type".into()];
    s.methods = vec![Func {
        receiver: "Box".into(),
        ..func(
            "Set",
            &[("v", "reflect.Value")],
            &[("", "func() reflect.Value")],
        )
    }];
    s.type_params = vec![TypeParam {
        name: "K".into(),
        constraint: "comparable".into(),
    }];
    let iface = Type {
        name: "Walker".into(),
        kind: "interface".into(),
        underlying: "interface{reflect.Type; Walk(v reflect.Value) error}".into(),
        embedded_types: vec!["reflect.Type".into()],
        interface_methods: vec![func("Walk", &[("v", "reflect.Value")], &[("", "error")])],
        ..Type::default()
    };
    let named_func = Type {
        name: "Visitor".into(),
        kind: "func".into(),
        underlying: "func(path []string, v reflect.Value) bool".into(),
        ..Type::default()
    };
    let alias = Type {
        name: "Value".into(),
        kind: "alias".into(),
        alias_of: "reflect.Value".into(),
        underlying: "struct{}".into(),
        ..Type::default()
    };
    let constrained = Type {
        name: "Set".into(),
        kind: "map".into(),
        underlying: "map[T]struct{}".into(),
        type_params: vec![TypeParam {
            name: "T".into(),
            constraint: "~*reflect.Value".into(),
        }],
        ..Type::default()
    };
    p.types = vec![s, constrained, alias, named_func, iface];
    p.vars = vec![Value {
        name: "Zero".into(),
        type_: "reflect.Value".into(),
        ..Value::default()
    }];
    p.consts = vec![
        Value {
            name: "K".into(),
            type_: "reflect.Kind".into(),
            const_: "25".into(),
            ..Value::default()
        },
        Value {
            name: "N".into(),
            type_: "untyped int".into(),
            const_: "3".into(),
            ..Value::default()
        },
    ];
    p
}

fn render(v: &[Violation]) -> String {
    v.iter().map(|v| format!("{v}\n")).collect()
}

#[test]
fn kitchen_sink_under_mep74() {
    let v = check(&kitchen_sink());
    // Every kind except package/transitive shows up, and the unexported field does not.
    for k in ViolationKind::ALL {
        let expected = !matches!(
            k,
            ViolationKind::Package
                | ViolationKind::TransitiveImport
                | ViolationKind::UnparseableType
        );
        assert_eq!(v.iter().any(|x| x.kind == k), expected, "{k}");
    }
    assert!(!v.iter().any(|x| x.where_.contains("hidden")));
    // Embedded struct field reported once (as a field), not again as an embedded type.
    assert_eq!(
        v.iter()
            .filter(|x| x.where_.starts_with("type Box"))
            .filter(|x| x.detail.contains("reflect.Type"))
            .count(),
        1
    );
    insta::assert_snapshot!("kitchen_sink_mep74", render(&v));
}

#[test]
fn unlisted_struct_and_interface_members_fall_back_to_the_definition() {
    // Unexported members (`n`, `m`) are not API: only the exported ones are reported.
    let mut p = package("example.com/thin");
    p.types = vec![
        Type {
            name: "S".into(),
            kind: "struct".into(),
            underlying: "struct{V reflect.Value; n unsafe.Pointer}".into(),
            ..Type::default()
        },
        Type {
            name: "I".into(),
            kind: "interface".into(),
            underlying: "interface{M() unsafe.Pointer; m(reflect.Value)}".into(),
            ..Type::default()
        },
        Type {
            name: "E".into(),
            kind: "struct".into(),
            underlying: "struct{}".into(),
            ..Type::default()
        },
    ];
    let v = check(&p);
    let got: Vec<(ViolationKind, &str, &str)> = v
        .iter()
        .map(|v| (v.kind, v.where_.as_str(), v.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                ViolationKind::UnderlyingType,
                "type I underlying",
                "unsafe.Pointer in interface{M() unsafe.Pointer; m(reflect.Value)}"
            ),
            (
                ViolationKind::UnderlyingType,
                "type S underlying",
                "reflect.Value in struct{V reflect.Value; n unsafe.Pointer}"
            ),
        ]
    );
}

#[test]
fn kitchen_sink_is_compatible_under_tinygo() {
    // reflect and unsafe are importable by TinyGo: the default policy finds nothing.
    let p = kitchen_sink();
    assert!(check_package(Profile::Embedded, &Policy::default(), &p).is_empty());
    assert!(tinygo_check::is_compatible(
        Profile::Embedded,
        &Policy::default(),
        &p
    ));
}

#[test]
fn user_type_prefix_and_third_party_package_bans() {
    let mut policy = Policy::default();
    policy
        .ban_type_prefix(
            "unsafe.Pointer",
            "raw pointers cannot cross the wasm boundary",
        )
        .unwrap()
        .ban_package(
            "github.com/heavy/reflectkit/...",
            "pulls in reflection-heavy code",
        )
        .unwrap();
    let mut p = package("example.com/app");
    p.imports = vec!["github.com/heavy/reflectkit/walk".into()];
    p.funcs = vec![
        func("Raw", &[("p", "[]unsafe.Pointer")], &[]),
        func("Sizeof", &[("p", "unsafe.Sizeof")], &[]),
        func(
            "Walk",
            &[],
            &[("", "github.com/heavy/reflectkit/walk.Walker[int]")],
        ),
    ];
    let v = check_package(Profile::Embedded, &policy, &p);
    let got: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|v| (v.kind.as_str(), v.where_.as_str(), v.rule.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "import",
                "import github.com/heavy/reflectkit/walk",
                "github.com/heavy/reflectkit/..."
            ),
            ("param-type", "func Raw param 0 (p)", "unsafe.Pointer"),
            (
                "result-type",
                "func Walk result 0",
                "github.com/heavy/reflectkit/..."
            ),
        ]
    );
    assert!(v[1].reason.contains("wasm boundary"));
}

#[test]
fn empty_and_malformed_type_strings_are_violations() {
    for bad in ["", "map[string", "[]", "func(", "chan", "reflect.", "*"] {
        let mut p = package("example.com/lib");
        p.funcs = vec![func("F", &[("x", bad)], &[])];
        for policy in [Policy::mep74(), Policy::default(), Policy::new("empty")] {
            let v = check_package(Profile::Embedded, &policy, &p);
            assert_eq!(v.len(), 1, "{bad:?}: {v:?}");
            assert_eq!(v[0].kind, ViolationKind::UnparseableType);
            assert!(
                v[0].detail.starts_with("param-type type string"),
                "{}",
                v[0].detail
            );
        }
    }
}

#[test]
fn violations_serialize_with_stable_names() {
    let mut p = package("example.com/lib");
    p.imports = vec!["reflect".into()];
    let v = check(&p);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json[0]["kind"], "import");
    assert_eq!(json[0]["where"], "import reflect");
    let back: Vec<Violation> = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
    for k in ViolationKind::ALL {
        assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
    }
    let order: Vec<ViolationKind> = {
        let mut o = ViolationKind::ALL.to_vec();
        o.sort();
        o
    };
    assert_eq!(order, ViolationKind::ALL, "ALL lists the sort order");
}

/// One wrapping step over a type string, as go/types prints it.
fn wrap(inner: &str, how: u8) -> String {
    match how % 14 {
        0 => format!("*{inner}"),
        1 => format!("[]{inner}"),
        2 => format!("[3]{inner}"),
        3 => format!("map[{inner}]int"),
        4 => format!("map[string]{inner}"),
        // `chan <-chan T` is printed `chan (<-chan T)`.
        5 if inner.starts_with("<-chan") => format!("chan ({inner})"),
        5 => format!("chan {inner}"),
        6 => format!("<-chan {inner}"),
        7 => format!("func({inner})"),
        8 => format!("func() ({inner}, error)"),
        9 => format!("iter.Seq[{inner}]"),
        10 => format!("example.com/x.Pair[int, {inner}]"),
        11 => format!("struct{{F {inner}}}"),
        12 => format!("interface{{M(x {inner})}}"),
        _ => format!("func(func() {inner}) bool"),
    }
}

proptest! {
    #[test]
    fn nested_banned_types_are_always_found(steps in proptest::collection::vec(any::<u8>(), 0..6), banned in any::<bool>()) {
        let base = if banned { "unsafe.Pointer" } else { "example.com/unsafe.Pointer" };
        let t = steps.iter().fold(base.to_string(), |acc, s| wrap(&acc, *s));
        let mut p = package("example.com/lib");
        p.funcs = vec![func("F", &[("x", &t)], &[])];
        let v = check(&p);
        if banned {
            prop_assert_eq!(v.len(), 1, "{}: {:?}", t, v);
            prop_assert_eq!(v[0].kind, ViolationKind::ParamType);
            prop_assert_eq!(&v[0].rule, "unsafe");
        } else {
            prop_assert!(v.is_empty(), "{}: {:?}", t, v);
        }
    }
}

proptest! {
    /// Output depends on the package's content, not on the order of its lists.
    #[test]
    fn output_is_independent_of_input_order(
        funcs in Just(kitchen_sink().funcs).prop_shuffle(),
        types in Just(kitchen_sink().types).prop_shuffle(),
        imports in Just(vec!["unsafe".to_string(), "reflect".to_string(), "fmt".to_string()]).prop_shuffle(),
    ) {
        let want = check(&kitchen_sink());
        let mut p = kitchen_sink();
        p.funcs = funcs;
        p.types = types;
        p.imports = imports;
        let got = check(&p);
        prop_assert_eq!(&got, &want);
        prop_assert!(got.windows(2).all(|w| (w[0].kind, &w[0].where_) <= (w[1].kind, &w[1].where_)));
    }
}
