//! Integration tests: renderer output (insta snapshots), seed parity, validation, errors.

use apisurface::{Func, ImportSet, Package, Param, Surface};
use tinygo_render::{
    Compiler, Fallback, LinknameSpec, Position, RenderError, RenderOptions, SpecError,
    TargetSymbol, check_wasm, fallback, render_fallback_file, render_file, render_linkname,
    render_wasm_file, specs_for_package,
};

const FIXTURE: &str = "example.com/lnfixture";

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/linkname-fixture")
}

/// The fixture's surface package (hand-written surface.json in testdata).
fn fixture() -> Package {
    let text = std::fs::read_to_string(fixture_dir().join("surface.json")).unwrap();
    let s: Surface = serde_json::from_str(&text).unwrap();
    s.package(FIXTURE).unwrap().clone()
}

/// The fixture's unexported functions (unexported.json).
fn unexported() -> Vec<Func> {
    let text = std::fs::read_to_string(fixture_dir().join("unexported.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fixture_specs(compiler: Compiler) -> Vec<LinknameSpec> {
    let pkg = fixture();
    let (mut specs, refused) = specs_for_package(&pkg, compiler);
    assert!(refused.is_empty(), "{refused:?}");
    for f in unexported() {
        specs.push(LinknameSpec::from_func(&pkg, &f, compiler).unwrap());
    }
    specs
}

fn p(name: &str, ty: &str) -> Param {
    Param {
        name: name.into(),
        type_: ty.into(),
    }
}

fn spec(local: &str, target: &str, params: &[(&str, &str)], results: &[&str]) -> LinknameSpec {
    LinknameSpec {
        local_name: local.into(),
        target_symbol: target.into(),
        params: params.iter().map(|(n, t)| p(n, t)).collect(),
        results: results.iter().map(|t| p("", t)).collect(),
        variadic: false,
    }
}

fn double() -> LinknameSpec {
    spec(
        "Double",
        "example.com/lnfixture.Double",
        &[("x", "int64")],
        &["int64"],
    )
}

fn touch() -> LinknameSpec {
    spec(
        "Touch",
        "example.com/lnfixture.Touch",
        &[("x", "int64")],
        &[],
    )
}

fn gc() -> RenderOptions {
    RenderOptions::new(Compiler::Gc)
}

fn one(s: &LinknameSpec) -> String {
    render_linkname(s, &gc(), &mut ImportSet::new()).unwrap()
}

// ---- seed parity: single-spec renderer ----

#[test]
fn render_linkname_contains_canonical_parts() {
    let out = one(&double());
    assert!(out.contains("//go:linkname Double example.com/lnfixture.Double\n"));
    assert!(out.contains("func Double(x int64) int64\n"));
    assert!(!out.contains('{'), "a linkname wrapper has no body: {out}");
    let mut imports = ImportSet::new();
    render_linkname(&double(), &gc(), &mut imports).unwrap();
    let mut w = apisurface::GoWriter::new();
    imports.write_decl(&mut w);
    assert_eq!(w.finish(), "import _ \"example.com/lnfixture\"\n");
}

#[test]
fn render_linkname_zero_result() {
    let out = one(&touch());
    assert!(out.ends_with("func Touch(x int64)\n"), "{out}");
}

#[test]
fn render_linkname_multi_result() {
    let s = spec(
        "DivMod",
        "example.com/lnfixture.DivMod",
        &[("a", "int64"), ("b", "int64")],
        &["int64", "error"],
    );
    assert!(one(&s).ends_with("func DivMod(a int64, b int64) (int64, error)\n"));
}

#[test]
fn render_linkname_variadic() {
    let mut s = spec(
        "Sum",
        "example.com/lnfixture.Sum",
        &[("base", "int64"), ("xs", "...int64")],
        &["int64"],
    );
    s.variadic = true;
    assert!(one(&s).ends_with("func Sum(base int64, xs ...int64) int64\n"));
    // `[]T` is accepted for the variadic parameter and written as `...T`.
    s.params[1].type_ = "[]int64".into();
    assert!(one(&s).ends_with("func Sum(base int64, xs ...int64) int64\n"));
    // `...T` without the flag, or the flag without a slice, is refused.
    s.variadic = false;
    s.params[1].type_ = "...int64".into();
    assert!(matches!(s.validate(&gc()), Err(SpecError::Variadic { .. })));
    s.variadic = true;
    s.params[1].type_ = "int64".into();
    assert!(matches!(s.validate(&gc()), Err(SpecError::Variadic { .. })));
}

#[test]
fn render_linkname_unnamed_params() {
    let s = spec(
        "Mix",
        "example.com/lnfixture.Mix",
        &[("", "int64"), ("", "string"), ("", "bool")],
        &["int64"],
    );
    assert!(one(&s).ends_with("func Mix(p0 int64, p1 string, p2 bool) int64\n"));
    // A blank name is renamed too, and a generated name never repeats a given one.
    let s = spec(
        "Mix",
        "example.com/lnfixture.Mix",
        &[("p1", "int64"), ("_", "string")],
        &[],
    );
    assert!(
        one(&s).ends_with("func Mix(p1 int64, p1_1 string)\n"),
        "{}",
        one(&s)
    );
}

#[test]
fn render_linkname_rejects_invalid_spec() {
    type Expect = fn(&SpecError) -> bool;
    let cases: Vec<(LinknameSpec, Expect)> = vec![
        (spec("", "example.com/x.F", &[], &[]), |e| {
            matches!(e, SpecError::LocalName { .. })
        }),
        (spec("F\nfunc evil()", "example.com/x.F", &[], &[]), |e| {
            matches!(e, SpecError::LocalName { .. })
        }),
        (spec("init", "example.com/x.F", &[], &[]), |e| {
            matches!(e, SpecError::ReservedLocalName { .. })
        }),
        (spec("F", "F", &[], &[]), |e| {
            matches!(e, SpecError::Target(_))
        }),
        (spec("F", "example.com/x.F // evil", &[], &[]), |e| {
            matches!(e, SpecError::Target(_))
        }),
        (spec("F", "example.com/x.F", &[("x", "int64)")], &[]), |e| {
            matches!(
                e,
                SpecError::TypeParse {
                    position: Position::Param(0),
                    ..
                }
            )
        }),
        (spec("F", "example.com/x.F", &[], &["untyped int"]), |e| {
            matches!(
                e,
                SpecError::TypeEmit {
                    position: Position::Result(0),
                    ..
                }
            )
        }),
        (
            spec(
                "F",
                "example.com/x.F",
                &[("x", "example.com/y.hidden")],
                &[],
            ),
            |e| matches!(e, SpecError::TypeEmit { .. }),
        ),
        (spec("F", "example.com/x.F", &[("func", "int")], &[]), |e| {
            matches!(e, SpecError::ParamName { index: 0, .. })
        }),
        (
            spec("F", "example.com/x.F", &[("a", "int"), ("a", "int")], &[]),
            |e| matches!(e, SpecError::DuplicateParam { index: 1, .. }),
        ),
        (spec("F", "example.com/x.Map[int]", &[], &[]), |e| {
            matches!(e, SpecError::Target(_))
        }),
        (spec("F", "strings.genSplit", &[], &[]), |e| {
            matches!(e, SpecError::StdTarget { .. })
        }),
    ];
    for (s, want) in cases {
        let e = render_linkname(&s, &gc(), &mut ImportSet::new()).unwrap_err();
        assert!(want(&e), "{s:?}: unexpected {e:?}");
        assert_eq!(s.validate(&gc()).unwrap_err(), e);
    }
}

#[test]
fn std_targets_need_opt_in() {
    let s = spec(
        "Repeat",
        "strings.Repeat",
        &[("s", "string"), ("n", "int")],
        &["string"],
    );
    let e = s.validate(&gc()).unwrap_err();
    assert!(e.to_string().contains("-checklinkname"), "{e}");
    let out = render_linkname(&s, &gc().allow_std(true), &mut ImportSet::new()).unwrap();
    assert!(
        out.contains("//go:linkname Repeat strings.Repeat\n"),
        "{out}"
    );
}

// ---- seed parity: file renderer ----

#[test]
fn render_file_contains_build_tag_and_import() {
    let out = render_file("lnwrap", &[double(), touch()], &gc()).unwrap();
    assert!(out.starts_with(
        "//go:build !mochi_no_linkname\n\n// Code generated by gobridge. DO NOT EDIT.\n\npackage lnwrap\n"
    ));
    assert!(out.contains("\t_ \"unsafe\"\n"), "{out}");
    assert!(out.contains("\t_ \"example.com/lnfixture\"\n"), "{out}");
}

#[test]
fn render_file_rejects_empty_package_name() {
    for bad in ["", "go wrap", "func", "_"] {
        let e = render_file(bad, &[double()], &gc()).unwrap_err();
        assert!(
            matches!(e, RenderError::PackageName { .. } | RenderError::File(_)),
            "{bad:?}: {e:?}"
        );
        assert!(render_fallback_file(bad, &[double()], &gc()).is_err());
    }
}

#[test]
fn render_file_bubbles_spec_error_with_index_and_name() {
    let bad = spec("Broken", "example.com/x.F", &[("x", "map[int")], &[]);
    let e = render_file("lnwrap", &[double(), touch(), bad], &gc()).unwrap_err();
    match &e {
        RenderError::Spec {
            index, local_name, ..
        } => {
            assert_eq!(*index, 2);
            assert_eq!(local_name, "Broken");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .starts_with("spec #2 (\"Broken\"): parameter 0 type"),
        "{e}"
    );
    let e = render_file("lnwrap", &[double(), double()], &gc()).unwrap_err();
    assert_eq!(
        e,
        RenderError::DuplicateLocalName {
            index: 1,
            local_name: "Double".into(),
            first: 0
        }
    );
}

#[test]
fn render_file_is_deterministic() {
    let specs = fixture_specs(Compiler::Gc);
    let first = render_file("lnwrap", &specs, &gc()).unwrap();
    let fb = render_fallback_file("lnwrap", &specs, &gc()).unwrap();
    for _ in 0..10 {
        assert_eq!(render_file("lnwrap", &specs, &gc()).unwrap(), first);
        assert_eq!(render_fallback_file("lnwrap", &specs, &gc()).unwrap(), fb);
    }
}

#[test]
fn import_names_avoid_params_and_locals() {
    // A parameter named like the package it uses must not shadow the import in the fallback.
    let s = spec(
        "Area",
        "example.com/lnfixture.Area",
        &[("geom", "example.com/lnfixture/geom.Point")],
        &["int64"],
    );
    let lnfixture = spec(
        "lnfixture",
        "example.com/lnfixture.Double",
        &[("x", "int64")],
        &["int64"],
    );
    let out = render_fallback_file("lnwrap", &[s, lnfixture], &gc()).unwrap();
    assert!(
        out.contains("geom2 \"example.com/lnfixture/geom\""),
        "{out}"
    );
    assert!(
        out.contains("lnfixture2 \"example.com/lnfixture\""),
        "{out}"
    );
    assert!(out.contains("return lnfixture2.Area(geom)"), "{out}");
}

// ---- from_func ----

#[test]
fn from_func_derives_signature_and_symbols() {
    let pkg = fixture();
    let thing = pkg.type_("Thing").unwrap();
    let scale = thing.methods.iter().find(|m| m.name == "Scale").unwrap();
    let gc_spec = LinknameSpec::from_func(&pkg, scale, Compiler::Gc).unwrap();
    assert_eq!(gc_spec.local_name, "ThingScale");
    assert_eq!(
        gc_spec.target_symbol,
        "example.com/lnfixture.(*Thing).Scale"
    );
    assert_eq!(gc_spec.params, vec![p("t", "*Thing"), p("k", "int64")]);
    let tg = LinknameSpec::from_func(&pkg, scale, Compiler::TinyGo).unwrap();
    assert_eq!(tg.target_symbol, "(*example.com/lnfixture.Thing).Scale");
    // A spec for one compiler is refused by the other.
    assert!(matches!(
        gc_spec.validate(&RenderOptions::new(Compiler::TinyGo)),
        Err(SpecError::Target(_))
    ));
    let get = thing.methods.iter().find(|m| m.name == "Get").unwrap();
    let g = LinknameSpec::from_func(&pkg, get, Compiler::TinyGo).unwrap();
    assert_eq!(g.target_symbol, "(example.com/lnfixture.Thing).Get");
    assert_eq!(g.params, vec![p("t", "Thing")]);
    let secret = &unexported()[0];
    let s = LinknameSpec::from_func(&pkg, secret, Compiler::Gc).unwrap();
    assert_eq!(s.local_name, "Secret");
    assert_eq!(s.target_symbol, "example.com/lnfixture.secret");
    // The receiver's parameter name never collides with a parameter.
    let f = Func {
        name: "M".into(),
        receiver: "Thing".into(),
        params: vec![p("t", "int64")],
        ..Default::default()
    };
    let s = LinknameSpec::from_func(&pkg, &f, Compiler::Gc).unwrap();
    assert_eq!(s.params[0], p("recv", "Thing"));
}

#[test]
fn generic_targets_are_refused() {
    let pkg = fixture();
    let f = Func {
        name: "Map".into(),
        type_params: vec![apisurface::TypeParam {
            name: "T".into(),
            constraint: "any".into(),
        }],
        params: vec![p("x", "T")],
        ..Default::default()
    };
    let e = LinknameSpec::from_func(&pkg, &f, Compiler::Gc).unwrap_err();
    assert!(matches!(e, SpecError::Generic { .. }), "{e:?}");
    assert!(e.to_string().contains("instantiation"));
    // A method of a generic type, as listed in a surface.
    let mut generic = pkg.clone();
    generic.funcs.clear();
    generic.types = vec![apisurface::Type {
        name: "List".into(),
        type_params: vec![apisurface::TypeParam {
            name: "T".into(),
            constraint: "any".into(),
        }],
        methods: vec![Func {
            name: "Len".into(),
            receiver: "List".into(),
            receiver_pointer: true,
            results: vec![p("", "int")],
            ..Default::default()
        }],
        ..Default::default()
    }];
    let (specs, refused) = specs_for_package(&generic, Compiler::Gc);
    assert!(specs.is_empty());
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, "List.Len");
    assert!(matches!(refused[0].1, SpecError::Generic { .. }));
}

#[test]
fn fallback_kinds() {
    let specs = fixture_specs(Compiler::Gc);
    let kinds: Vec<(String, bool)> = specs
        .iter()
        .map(|s| {
            (
                s.local_name.clone(),
                matches!(fallback(s, &gc()).unwrap(), Fallback::Direct),
            )
        })
        .collect();
    for (name, direct) in &kinds {
        let expect_direct = !matches!(name.as_str(), "Secret" | "Hidden");
        assert_eq!(*direct, expect_direct, "{name}");
    }
    let internal = spec("F", "example.com/m/internal/x.F", &[], &[]);
    assert!(matches!(
        fallback(&internal, &gc()).unwrap(),
        Fallback::Unavailable { .. }
    ));
    assert_eq!(
        fallback(&internal, &gc().wrapper_import_path("example.com/m/wrap")).unwrap(),
        Fallback::Direct
    );
}

// ---- wasm ----

#[test]
fn wasm_refuses_types_outside_the_abi() {
    let specs = fixture_specs(Compiler::Gc);
    let mut verdicts: Vec<String> = Vec::new();
    for s in &specs {
        verdicts.push(match check_wasm(s, &gc()) {
            Ok(()) => format!("{}: ok", s.local_name),
            Err(e) => format!("{}: {e}", s.local_name),
        });
    }
    insta::assert_snapshot!("wasm_verdicts", verdicts.join("\n"));
    let e = render_wasm_file("example.com/lnwrap", "lnwrap", &specs, &gc()).unwrap_err();
    assert!(matches!(e, RenderError::Spec { index: 0, .. }), "{e:?}");
    let lower = spec(
        "double",
        "example.com/lnfixture.Double",
        &[("x", "int64")],
        &["int64"],
    );
    assert!(matches!(
        check_wasm(&lower, &gc()),
        Err(SpecError::WasmUnexported { .. })
    ));
}

// ---- snapshots ----

#[test]
fn snapshot_single_specs() {
    let pkg = fixture();
    let mut out = String::new();
    for compiler in [Compiler::Gc, Compiler::TinyGo] {
        let opts = RenderOptions::new(compiler);
        for s in fixture_specs(compiler) {
            out.push_str(&format!("// ---- {compiler}: {}\n", s.local_name));
            out.push_str(&render_linkname(&s, &opts, &mut ImportSet::new()).unwrap());
        }
    }
    let _ = pkg;
    insta::assert_snapshot!("single_specs", out);
}

#[test]
fn snapshot_files() {
    for compiler in [Compiler::Gc, Compiler::TinyGo] {
        let opts = RenderOptions::new(compiler);
        let specs = fixture_specs(compiler);
        let file = render_file("lnwrap", &specs, &opts).unwrap();
        insta::assert_snapshot!(format!("file_{compiler}"), file);
    }
}

#[test]
fn snapshot_fallback_file() {
    let specs = fixture_specs(Compiler::Gc);
    let file = render_fallback_file("lnwrap", &specs, &gc()).unwrap();
    insta::assert_snapshot!("fallback_file", file);
    // The fallback file does not depend on the compiler form of the targets.
    let tg = render_fallback_file(
        "lnwrap",
        &fixture_specs(Compiler::TinyGo),
        &RenderOptions::new(Compiler::TinyGo),
    )
    .unwrap();
    assert_eq!(tg, file);
}

#[test]
fn snapshot_wasm_file() {
    let specs: Vec<LinknameSpec> = fixture_specs(Compiler::Gc)
        .into_iter()
        .filter(|s| check_wasm(s, &gc()).is_ok())
        .collect();
    assert!(specs.iter().any(|s| s.local_name == "Double"));
    let file = render_wasm_file("example.com/lnwrap", "lnwrap", &specs, &gc()).unwrap();
    insta::assert_snapshot!("wasm_file", file);
    let bare = render_wasm_file(
        "example.com/lnwrap",
        "lnwrap",
        &specs,
        &gc().wasm_main(false),
    )
    .unwrap();
    assert!(!bare.contains("func main()"));
    assert!(file.contains("func main() {}"));
}

#[test]
fn target_symbol_round_trips_through_specs() {
    for compiler in [Compiler::Gc, Compiler::TinyGo] {
        for s in fixture_specs(compiler) {
            let t = s.target(compiler).unwrap();
            assert_eq!(t.symbol(compiler), s.target_symbol);
            assert_eq!(TargetSymbol::parse(&s.target_symbol, compiler).unwrap(), t);
        }
    }
}

// ---- receivers, hostile input, options ----

#[test]
fn method_specs_need_their_receiver_first() {
    let ok = [
        ("example.com/lnfixture.(*Thing).Scale", "*Thing"),
        (
            "example.com/lnfixture.(*Thing).Scale",
            "*example.com/lnfixture.Thing",
        ),
        ("example.com/lnfixture.Thing.Get", "Thing"),
    ];
    for (target, recv) in ok {
        let s = spec("M", target, &[("t", recv)], &[]);
        assert_eq!(s.validate(&gc()), Ok(()), "{target} {recv}");
    }
    let bad = [
        ("example.com/lnfixture.(*Thing).Scale", Some("Thing")),
        ("example.com/lnfixture.Thing.Get", Some("*Thing")),
        ("example.com/lnfixture.(*Thing).Scale", Some("*Other")),
        (
            "example.com/lnfixture.(*Thing).Scale",
            Some("*example.com/other.Thing"),
        ),
        ("example.com/lnfixture.(*Thing).Scale", Some("int64")),
        ("example.com/lnfixture.(*Thing).Scale", None),
    ];
    for (target, recv) in bad {
        let params: Vec<(&str, &str)> = recv.map(|r| ("t", r)).into_iter().collect();
        let s = spec("M", target, &params, &[]);
        let e = s.validate(&gc()).unwrap_err();
        assert!(
            matches!(e, SpecError::Receiver { .. }),
            "{target} {recv:?}: {e:?}"
        );
        // The fallback renderer must report it too, never index a missing receiver.
        assert!(render_fallback_file("w", &[s], &gc()).is_err());
    }
}

#[test]
fn hostile_inputs_are_errors_not_text() {
    const HOSTILE: [&str; 12] = [
        "",
        "a b",
        "F\n//go:linkname evil os.Exit",
        "x*/y",
        "\"q\"",
        "a\0b",
        "1abc",
        "(*",
        "example.com/x.(*",
        "example.com/x.F) {}",
        "map[",
        "\u{202e}F",
    ];
    for h in HOSTILE {
        let variants = [
            spec(h, "example.com/x.F", &[], &[]),
            spec("F", h, &[], &[]),
            spec("F", "example.com/x.F", &[(h, "int")], &[]),
            spec("F", "example.com/x.F", &[("x", h)], &[]),
            spec("F", "example.com/x.F", &[], &[h]),
        ];
        for (i, s) in variants.iter().enumerate() {
            for compiler in [Compiler::Gc, Compiler::TinyGo] {
                let opts = RenderOptions::new(compiler);
                let outs = [
                    render_file("w", std::slice::from_ref(s), &opts),
                    render_fallback_file("w", std::slice::from_ref(s), &opts),
                    render_wasm_file("example.com/w", "w", std::slice::from_ref(s), &opts),
                ];
                for out in outs {
                    match out {
                        Err(_) => {}
                        // A blank or empty parameter name is replaced, never pasted.
                        Ok(text) if i == 2 => assert!(!text.contains(h) || h.is_empty()),
                        Ok(text) => panic!("variant {i} of {h:?} rendered:\n{text}"),
                    }
                }
            }
        }
    }
}

#[test]
fn wasm_file_checks_its_own_inputs() {
    let e = render_wasm_file("example.com/a b", "w", &[double()], &gc()).unwrap_err();
    assert!(matches!(e, RenderError::WrapperImportPath { .. }), "{e:?}");
    let e = render_wasm_file("example.com/w", "func", &[double()], &gc()).unwrap_err();
    assert!(matches!(e, RenderError::PackageName { .. }), "{e:?}");
    let e = render_wasm_file("example.com/w", "w", &[double(), double()], &gc()).unwrap_err();
    assert!(matches!(e, RenderError::DuplicateLocalName { .. }), "{e:?}");
    // A parameter named like the wrapper package gets the import renamed.
    let s = spec(
        "Double",
        "example.com/lnfixture.Double",
        &[("w", "int64")],
        &["int64"],
    );
    let out = render_wasm_file("example.com/w", "w", &[s], &gc()).unwrap();
    assert!(out.contains("w2 \"example.com/w\""), "{out}");
    assert!(out.contains("return w2.Double(w)"), "{out}");
}

#[test]
fn fallback_calls_std_and_same_package_targets_directly() {
    let repeat = spec(
        "Repeat",
        "strings.Repeat",
        &[("s", "string"), ("n", "int")],
        &["string"],
    );
    let out = render_fallback_file("w", &[repeat], &gc().allow_std(true)).unwrap();
    assert!(out.contains("import \"strings\"\n"), "{out}");
    assert!(out.contains("\treturn strings.Repeat(s, n)\n"), "{out}");
    // A wrapper in the target's own package calls it unqualified and imports nothing.
    let opts = gc().wrapper_import_path(FIXTURE);
    let out = render_fallback_file("lnfixture", &[double()], &opts).unwrap();
    assert!(!out.contains("import"), "{out}");
    assert!(out.contains("\treturn Double(x)\n"), "{out}");
}

#[test]
fn unavailable_message_is_stable() {
    let t = TargetSymbol::method(FIXTURE, "thing", true, "scale");
    assert_eq!(
        tinygo_render::unavailable_message(&t, "why"),
        "gobridge: example.com/lnfixture.(*thing).scale is unavailable in builds with \
         -tags mochi_no_linkname (why)"
    );
    let tg = spec(
        "Scale",
        "(*example.com/lnfixture.thing).scale",
        &[("t", "*thing")],
        &[],
    );
    // An unexported receiver type cannot be named outside its package: refused, not rendered.
    assert!(matches!(
        tg.validate(&RenderOptions::new(Compiler::TinyGo)),
        Err(SpecError::TypeEmit { .. })
    ));
}
