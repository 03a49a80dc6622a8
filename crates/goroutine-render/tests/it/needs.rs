//! The seed's nine NeedsRuntime tests, plus the paths the issue lists.

use apisurface::{Func, Package, Param, Type};
use goroutine_render::{Position, Why, needs_runtime, runtime_reasons};

fn param(ty: &str) -> Param {
    Param {
        name: String::new(),
        type_: ty.to_string(),
    }
}

fn func(name: &str, params: &[&str], results: &[&str]) -> Func {
    Func {
        name: name.into(),
        params: params.iter().map(|t| param(t)).collect(),
        results: results.iter().map(|t| param(t)).collect(),
        ..Func::default()
    }
}

fn pkg(funcs: Vec<Func>) -> Package {
    Package {
        import_path: "example.com/lib".into(),
        name: "lib".into(),
        funcs,
        ..Package::default()
    }
}

#[test]
fn detects_channel_in_func_param() {
    let p = pkg(vec![func("Feed", &["chan int"], &[])]);
    assert!(needs_runtime(&p));
    let r = runtime_reasons(&p);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].symbol, "Feed");
    assert_eq!(r[0].position, Position::Param(0));
    assert_eq!(r[0].why, Why::Chan);
}

#[test]
fn detects_channel_in_func_result() {
    let p = pkg(vec![func("Events", &["int"], &["<-chan string", "error"])]);
    assert!(needs_runtime(&p));
    let r = runtime_reasons(&p);
    assert_eq!(r[0].position, Position::Result(0));
    assert_eq!(r[0].type_string, "<-chan string");
}

#[test]
fn detects_callback() {
    let p = pkg(vec![func(
        "Walk",
        &["string", "func(string) error"],
        &["error"],
    )]);
    assert!(needs_runtime(&p));
    assert_eq!(runtime_reasons(&p)[0].why, Why::Func);
    assert_eq!(runtime_reasons(&p)[0].position, Position::Param(1));
}

#[test]
fn detects_channel_nested_in_slice() {
    assert!(needs_runtime(&pkg(vec![func(
        "Fan",
        &["[]chan<- int"],
        &[]
    )])));
    assert!(needs_runtime(&pkg(vec![func(
        "Fan",
        &["[4]*chan int"],
        &[]
    )])));
}

#[test]
fn detects_callback_in_map_value() {
    assert!(needs_runtime(&pkg(vec![func(
        "Route",
        &["map[string]func(net/http.ResponseWriter, *net/http.Request)"],
        &[]
    )])));
    // ... and in a map key (an array of funcs is not comparable, but a chan is).
    assert!(needs_runtime(&pkg(vec![func(
        "Keys",
        &["map[chan int]bool"],
        &[]
    )])));
}

#[test]
fn false_for_pure_sync() {
    let p = pkg(vec![
        func("Add", &["int", "int"], &["int"]),
        func("Parse", &["string"], &["*example.com/lib.Doc", "error"]),
        func("Each", &["[]map[string][]*int"], &["any"]),
    ]);
    assert!(!needs_runtime(&p));
    assert!(runtime_reasons(&p).is_empty());
}

#[test]
fn treats_parse_error_as_true() {
    let p = pkg(vec![func("Broken", &["map[string"], &[])]);
    assert!(needs_runtime(&p));
    assert!(matches!(
        runtime_reasons(&p)[0].why,
        Why::Unparseable { .. }
    ));
}

#[test]
fn detects_channel_in_method() {
    let mut p = pkg(vec![]);
    p.types.push(Type {
        name: "Server".into(),
        kind: "struct".into(),
        underlying: "struct{}".into(),
        methods: vec![func("Done", &[], &["<-chan struct{}"])],
        ..Type::default()
    });
    assert!(needs_runtime(&p));
    assert_eq!(runtime_reasons(&p)[0].symbol, "Server.Done");
}

#[test]
fn detects_callback_in_interface_method() {
    let mut p = pkg(vec![]);
    p.types.push(Type {
        name: "Visitor".into(),
        kind: "interface".into(),
        underlying: "interface{Visit(f func(int))}".into(),
        interface_methods: vec![func("Visit", &["func(int)"], &[])],
        ..Type::default()
    });
    assert!(needs_runtime(&p));
    assert_eq!(runtime_reasons(&p)[0].symbol, "Visitor.Visit");
}

#[test]
fn sees_through_variadics_literals_and_type_arguments() {
    for t in [
        "...func()",
        "struct{C chan int}",
        "interface{Run(func())}",
        "iter.Seq[int]",
        "example.com/lib.Box[chan int]",
        "*[]map[string]example.com/lib.Box[func() error]",
    ] {
        let p = pkg(vec![func("F", &[t], &[])]);
        let expect = t != "iter.Seq[int]";
        assert_eq!(needs_runtime(&p), expect, "{t}");
    }
}

#[test]
fn follows_local_named_types_but_not_structs() {
    let mut p = pkg(vec![
        func("Listen", &["Stream"], &[]),
        func("Use", &["*Config"], &[]),
    ]);
    p.types.push(Type {
        name: "Stream".into(),
        kind: "chan".into(),
        underlying: "chan int".into(),
        ..Type::default()
    });
    p.types.push(Type {
        name: "Config".into(),
        kind: "struct".into(),
        underlying: "struct{OnDone func()}".into(),
        ..Type::default()
    });
    let r = runtime_reasons(&p);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].symbol, "Listen");
    assert_eq!(
        r[0].why,
        Why::ViaNamed {
            name: "Stream".into()
        }
    );
    // A recursive local type terminates.
    let mut q = pkg(vec![func("Walk", &["List"], &[])]);
    q.types.push(Type {
        name: "List".into(),
        kind: "slice".into(),
        underlying: "[]List".into(),
        ..Type::default()
    });
    assert!(!needs_runtime(&q));
}

#[test]
fn reasons_are_in_surface_order() {
    let p = pkg(vec![
        func("A", &["chan int", "int", "func()"], &["chan int"]),
        func("B", &["int"], &[]),
    ]);
    let got: Vec<(String, Position)> = runtime_reasons(&p)
        .into_iter()
        .map(|r| (r.symbol, r.position))
        .collect();
    assert_eq!(
        got,
        [
            ("A".to_string(), Position::Param(0)),
            ("A".to_string(), Position::Param(2)),
            ("A".to_string(), Position::Result(0)),
        ]
    );
}
