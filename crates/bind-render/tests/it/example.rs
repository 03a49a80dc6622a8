//! The example module and hand-made surfaces: every exported symbol is bound or skipped, names
//! are safe, and the rendered Go is gofmt- and vet-clean when Go is installed.

use apisurface::Surface;
use bind_render::{Class, FuncKind, PlanOptions, SkipKind, plan_packages, render_bind_file};
use std::collections::BTreeSet;

fn example() -> Surface {
    serde_json::from_str(include_str!("../../../../testdata/example/surface.json")).unwrap()
}

fn opts() -> PlanOptions {
    PlanOptions {
        module: "example".into(),
        target: "gobridge.local/example/cgo".into(),
        ..Default::default()
    }
}

/// Every exported function, method, type, field, variable and constant, as the planner names
/// them in `go_symbol`s (types by their zero constructor or their skip).
fn exported_symbols(s: &Surface) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in s.packages.iter().filter(|p| !p.is_main) {
        let path = &p.import_path;
        for f in p
            .funcs
            .iter()
            .filter(|f| apisurface::validate::is_exported(&f.name))
        {
            out.insert(format!("{path}.{}", f.name));
        }
        for v in p.vars.iter().chain(&p.consts) {
            if apisurface::validate::is_exported(&v.name) {
                out.insert(format!("{path}.{}", v.name));
            }
        }
        for t in &p.types {
            for m in t.methods.iter().chain(&t.interface_methods) {
                if apisurface::validate::is_exported(&m.name) {
                    out.insert(if m.receiver_pointer {
                        format!("(*{path}.{}).{}", t.name, m.name)
                    } else {
                        format!("{path}.{}.{}", t.name, m.name)
                    });
                }
            }
            for f in t.fields.iter().filter(|f| f.exported) {
                out.insert(format!("{path}.{}.{}", t.name, f.name));
            }
        }
    }
    out
}

#[test]
fn every_exported_symbol_is_bound_or_skipped() {
    let s = example();
    let plan = plan_packages(&s, &[], &opts());
    let mut seen = BTreeSet::new();
    for p in &plan {
        seen.extend(p.funcs.iter().map(|f| f.go_symbol.clone()));
        seen.extend(p.consts.iter().map(|c| c.go_symbol.clone()));
        seen.extend(p.skipped.iter().map(|k| k.go_symbol.clone()));
    }
    let missing: Vec<_> = exported_symbols(&s).difference(&seen).cloned().collect();
    assert!(missing.is_empty(), "neither bound nor skipped: {missing:?}");
    // The example binds completely: nothing of it is skipped.
    let skipped: Vec<_> = plan.iter().flat_map(|p| &p.skipped).collect();
    assert!(skipped.is_empty(), "{skipped:?}");
    let kinds: BTreeSet<String> = plan
        .iter()
        .flat_map(|p| &p.funcs)
        .map(|f| format!("{:?}", f.kind))
        .collect();
    for k in ["Func", "Method", "Getter", "Setter", "Zero"] {
        assert!(kinds.contains(k), "no {k} in {kinds:?}");
    }
}

#[test]
fn example_plan_and_go_snapshots() {
    let s = example();
    let o = opts();
    let plan = plan_packages(&s, &[], &o);
    insta::assert_json_snapshot!("example_plan", plan);
    let go = render_bind_file(&plan, &s, &o).unwrap();
    insta::assert_snapshot!("example_bind_go", go);
    assert_eq!(
        go,
        render_bind_file(&plan, &s, &o).unwrap(),
        "deterministic"
    );
}

fn surface(json: &str) -> Surface {
    serde_json::from_str(json).unwrap()
}

#[test]
fn classes_follow_the_boundary_rules() {
    let s = surface(
        r#"{"module":"example.com/m","packages":[{"import_path":"example.com/m","name":"m",
        "types":[{"name":"T","kind":"struct","underlying":"struct{A int64}",
                  "fields":[{"name":"A","type":"int64","exported":true}]},
                 {"name":"Celsius","kind":"basic","underlying":"float64"},
                 {"name":"Kind","kind":"basic","underlying":"string"},
                 {"name":"List","kind":"slice","underlying":"[]int"}],
        "funcs":[{"name":"F","params":[
            {"name":"b","type":"[]byte"},{"name":"xs","type":"[]int64"},{"name":"ss","type":"[]string"},
            {"name":"t","type":"T"},{"name":"pt","type":"*T"},{"name":"c","type":"Celsius"},
            {"name":"k","type":"Kind"},{"name":"l","type":"List"},{"name":"e","type":"error"},
            {"name":"m","type":"map[string]int"},{"name":"u","type":"uintptr"},
            {"name":"f","type":"func(int) bool"},{"name":"type","type":"rune"}],
          "results":[{"name":"","type":"[]string"},{"name":"","type":"error"}]}]}]}"#,
    );
    let plan = plan_packages(&s, &[], &opts());
    let f = plan[0].funcs.iter().find(|f| f.go_name == "F").unwrap();
    let classes: Vec<&str> = f
        .params
        .iter()
        .map(|v| match &v.class {
            Class::Bytes => "bytes",
            Class::ScalarSlice { .. } => "scalar_slice",
            Class::StringSlice => "string_slice",
            Class::Handle {
                typed: Some(_),
                by_pointer: true,
            } => "struct",
            Class::Handle {
                typed: Some(_),
                by_pointer: false,
            } => "typed",
            Class::Handle { typed: None, .. } => "value",
            Class::Scalar { named: Some(_), .. } => "named_scalar",
            Class::Scalar { named: None, .. } => "scalar",
            Class::String { named: Some(_) } => "named_string",
            Class::Func { .. } => "func",
            _ => "other",
        })
        .collect();
    assert_eq!(
        classes,
        [
            "bytes",
            "scalar_slice",
            "string_slice",
            "struct",
            "struct",
            "named_scalar",
            "named_string",
            "typed",
            "value",
            "value",
            "scalar",
            "func",
            "scalar"
        ]
    );
    // `type` is a Rust keyword: the parameter gets a positional name.
    assert_eq!(f.params[12].name, "a12");
    assert!(f.returns_error);
    assert_eq!(f.results.len(), 1);
    assert_eq!(f.c_symbol, "mochi_example_m_F");
}

#[test]
fn generics_and_hostile_names_are_reported_not_dropped() {
    let s = surface(
        r#"{"module":"example.com/m","packages":[{"import_path":"example.com/m","name":"m",
        "types":[{"name":"Result","kind":"struct","underlying":"struct{}",
                  "methods":[{"name":"Zero","receiver":"Result","receiver_pointer":true},
                             {"name":"Type","receiver":"Result"}]},
                 {"name":"Box","kind":"struct","underlying":"struct{}","type_params":[{"name":"T","constraint":"any"}]}],
        "funcs":[{"name":"Map","type_params":[{"name":"T","constraint":"any"}],
                  "params":[{"name":"x","type":"T"}],"results":[{"name":"","type":"T"}]}],
        "consts":[{"name":"Big","type":"untyped int","const":"18446744073709551616"},
                  {"name":"Pi","type":"untyped float","const":"314159/100000"}]}]}"#,
    );
    let plan = plan_packages(&s, &[], &opts());
    let p = &plan[0];
    let kinds: Vec<(String, SkipKind)> = p
        .skipped
        .iter()
        .map(|k| (k.go_symbol.clone(), k.kind))
        .collect();
    assert!(kinds.contains(&("example.com/m.Map".into(), SkipKind::Generic)));
    assert!(kinds.contains(&("example.com/m.Box".into(), SkipKind::Generic)));
    assert!(kinds.contains(&("example.com/m.Big".into(), SkipKind::ConstantValue)));
    assert_eq!(p.consts.len(), 1);
    assert_eq!(p.consts[0].rust_name, "PI");
    assert_eq!(p.consts[0].literal, "3.14159");
    // Go's method `Zero` keeps `zero`; the generated constructor takes a suffix, reported.
    let zero = p.funcs.iter().find(|f| f.kind == FuncKind::Zero).unwrap();
    assert_eq!(zero.rust_name, "zero_2");
    assert!(p.renames.iter().any(|r| r.used == "zero_2"));
    let ty = p.funcs.iter().find(|f| f.go_name == "Type").unwrap();
    assert_eq!(ty.rust_name, "type_");
}

#[test]
fn instantiated_generics_are_bound_with_explicit_type_arguments() {
    let s = surface(
        r#"{"module":"std","packages":[{"import_path":"slices","name":"slices",
        "funcs":[{"name":"Index","type_params":[{"name":"S","constraint":"~[]E"},{"name":"E","constraint":"comparable"}],
                  "params":[{"name":"s","type":"S"},{"name":"v","type":"E"}],"results":[{"name":"","type":"int"}]}]}]}"#,
    );
    let mut o = opts();
    o.instantiate.insert(
        "slices.Index".into(),
        [(
            "int64".to_string(),
            vec!["[]int64".to_string(), "int64".to_string()],
        )]
        .into(),
    );
    let plan = plan_packages(&s, &[], &o);
    let f = &plan[0].funcs[0];
    assert_eq!(f.rust_name, "index_int64");
    assert_eq!(f.c_symbol, "mochi_example_slices_Index_int64");
    assert!(matches!(f.params[0].class, Class::ScalarSlice { .. }));
    let go = render_bind_file(&plan, &s, &o).unwrap();
    assert!(
        go.contains("slices.Index[[]int64, int64](x_s, x_v)"),
        "{go}"
    );
    // a wrong arity is reported
    o.instantiate
        .get_mut("slices.Index")
        .unwrap()
        .insert("bad".into(), vec!["int".into()]);
    let plan = plan_packages(&s, &[], &o);
    assert_eq!(plan[0].skipped.len(), 1);
    assert_eq!(plan[0].skipped[0].kind, SkipKind::Generic);
}

#[test]
fn internal_packages_of_other_modules_are_skipped_whole() {
    let s = surface(
        r#"{"module":"example.com/m","packages":[{"import_path":"example.com/m/internal/x","name":"x",
        "funcs":[{"name":"F"}],"types":[{"name":"T","kind":"struct","underlying":"struct{}"}]}]}"#,
    );
    let plan = plan_packages(&s, &[], &opts());
    assert!(plan[0].funcs.is_empty());
    let syms: Vec<&str> = plan[0]
        .skipped
        .iter()
        .map(|k| k.go_symbol.as_str())
        .collect();
    assert_eq!(
        syms,
        ["example.com/m/internal/x.F", "example.com/m/internal/x.T"]
    );
}

/// Asserts that `gofmt -l` lists nothing for `go` (written to a scratch file named by `tag`);
/// returns false (after printing `SKIP:`) when gofmt is not installed.
fn assert_gofmt_clean(tag: &str, go: &str) -> bool {
    if std::process::Command::new("gofmt")
        .arg("-h")
        .output()
        .is_err()
    {
        println!("SKIP: gofmt not found");
        return false;
    }
    let dir = std::env::temp_dir().join(format!("bind-render-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mochi_bind.go");
    std::fs::write(&file, go).unwrap();
    let out = std::process::Command::new("gofmt")
        .arg("-l")
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}\n{go}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "gofmt would change:\n{go}");
    true
}

#[test]
fn example_go_is_gofmt_clean() {
    let s = example();
    let go = render_bind_file(&plan_packages(&s, &[], &opts()), &s, &opts()).unwrap();
    assert_gofmt_clean("gofmt", &go);
}

#[test]
fn multi_line_types_stay_gofmt_clean() {
    let s = surface(
        r#"{"module":"example.com/m","packages":[{"import_path":"example.com/m","name":"m",
        "funcs":[{"name":"F","params":[{"name":"s","type":"struct{A int64 \"json:\\\"a\\\"\"; B int64}"}],
                  "results":[{"name":"","type":"interface{M(); N() int}"}]},
                 {"name":"G","params":[{"name":"m","type":"map[string]struct{X int; Y int}"}]}],
        "vars":[{"name":"V","type":"struct{P int; Q string}"}]}]}"#,
    );
    let o = opts();
    let plan = plan_packages(&s, &[], &o);
    assert!(plan[0].skipped.is_empty(), "{:?}", plan[0].skipped);
    let go = render_bind_file(&plan, &s, &o).unwrap();
    assert_gofmt_clean("ml", &go);
}

#[test]
fn pointer_receiver_methods_of_named_basic_types_write_back() {
    let s = surface(
        r#"{"module":"example.com/m","packages":[{"import_path":"example.com/m","name":"m",
        "types":[{"name":"Level","kind":"basic","underlying":"int64",
                  "methods":[{"name":"Set","receiver":"Level","receiver_pointer":true,
                              "params":[{"name":"s","type":"string"}],
                              "results":[{"name":"","type":"error"}]},
                             {"name":"String","receiver":"Level","results":[{"name":"","type":"string"}]}]},
                 {"name":"Name","kind":"basic","underlying":"string",
                  "methods":[{"name":"Set","receiver":"Name","receiver_pointer":true,
                              "params":[{"name":"s","type":"string"}]}]}]}]}"#,
    );
    let plan = plan_packages(&s, &[], &opts());
    let pkg = &plan[0];
    let set = pkg
        .funcs
        .iter()
        .find(|f| f.go_symbol == "(*example.com/m.Level).Set")
        .expect("bound, not skipped");
    assert!(set.writes_receiver && set.returns_error);
    let string = pkg.funcs.iter().find(|f| f.go_name == "String").unwrap();
    assert!(
        !string.writes_receiver,
        "a value receiver does not write back"
    );
    // A named string type still cannot: its newtype crosses by value.
    let skip = pkg
        .skipped
        .iter()
        .find(|k| k.go_symbol.contains("Name"))
        .unwrap();
    assert!(skip.reason.contains("named string type"), "{skip:?}");
    let go = render_bind_file(&plan, &s, &opts()).unwrap();
    let body = go
        .split(&format!("func {}(", set.c_symbol))
        .nth(1)
        .expect("the wrapper");
    let body = &body[..body.find("\n}\n").unwrap()];
    assert!(body.starts_with("p_recv *C.int64_t, "), "{body}");
    let order = [
        "if p_recv == nil",
        "return C.MOCHI_BAD_ARG",
        "x_recv := m.Level(*p_recv)",
        "err := x_recv.Set(x_s)",
        "*p_recv = C.int64_t(x_recv)",
        "if err != nil",
    ];
    let mut at = 0;
    for want in order {
        let i = body[at..]
            .find(want)
            .unwrap_or_else(|| panic!("{want:?} missing or out of order in\n{body}"));
        at += i + want.len();
    }
    assert_gofmt_clean("in-out-receiver", &go);
}
