//! Integration tests for gobridge: synthesis on the example surface (committed JSON, so no Go is
//! needed), determinism, config effects, report accounting, checked go.mod values; and the CLI
//! (lockfile flow, failures that leave the output directory as it was, explain, printed paths and
//! build command). CLI tests that run `generate` need Go (`go mod tidy` completes the module) and
//! print `SKIP` without it.

use apisurface::Surface;
use gobridge::gomod::GoModError;
use gobridge::{Config, Lockfile, Options, SkipReason, SymbolKind, SynthError, synthesize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/example")
}

fn example_surface() -> Surface {
    let text = std::fs::read_to_string(example_dir().join("surface.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn example_config() -> Config {
    Config::load(&example_dir().join("gobridge.toml")).unwrap()
}

#[test]
fn default_config_needs_no_file() {
    let c = Config::default();
    assert_eq!(c.go.package.0, "gowrap");
}

#[test]
fn example_synthesis_snapshot() {
    let g = synthesize(&example_surface(), &example_config(), &Options::default()).unwrap();
    let paths: Vec<&str> = g.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "cgo/main.go",
            "cgo/mochi_bind.go",
            "cgo/mochi_host.go",
            "cgo/mochi_rt.go",
            "cgo/mochi_shims.go",
            "go.mod",
            "linkname/tiny/mochi_fallback.go",
            "linkname/tiny/mochi_linkname.go",
            "rust/example.rs",
            "wasm/tiny/main.go",
        ]
    );
    insta::assert_snapshot!("example_report", g.report.summary());
    insta::assert_json_snapshot!("example_report_json", g.report);
    for (path, text) in &g.files {
        if path != "cgo/mochi_rt.go" {
            insta::assert_snapshot!(format!("example_{}", path.replace('/', "__")), text);
        }
    }
}

#[test]
fn config_overrides_reach_the_output() {
    let g = synthesize(&example_surface(), &example_config(), &Options::default()).unwrap();
    // [go.channels.example.int64] buffer = 4
    let int64 = g
        .report
        .channels
        .iter()
        .find(|c| c.prefix == "mochi_example_int64_chan")
        .unwrap();
    assert_eq!(int64.buffer, Some(4));
    let shims = &g.files["cgo/mochi_shims.go"];
    assert!(
        shims.contains("mochi_example_int64_chan_new"),
        "channel shim rendered"
    );
    assert!(
        shims.contains("import \"C\""),
        "//export needs import \"C\""
    );

    // Linkname opt-out and a different module name.
    let mut c = example_config();
    c = Config::parse(
        &format!(
            "{}\n[go.linkname.Touch]\nenabled = false\n",
            c.canonical_toml()
        ),
        Path::new("t.toml"),
    )
    .unwrap();
    c.go.module = Some(gobridge::config::Ident("other".into()));
    let g = synthesize(&example_surface(), &c, &Options::default()).unwrap();
    assert!(g.files["cgo/mochi_shims.go"].contains("mochi_other_int64_chan_new"));
    assert!(!g.files["linkname/tiny/mochi_linkname.go"].contains("func Touch("));
    let touch: Vec<_> = g
        .report
        .skipped
        .iter()
        .filter(|s| s.symbol == "Touch")
        .collect();
    assert_eq!(touch.len(), 1, "{touch:?}");
    assert_eq!(touch[0].reason, SkipReason::Disabled);
    assert!(touch[0].package.ends_with("/tiny") && touch[0].part.is_none());
    assert!(!g.report.bound.iter().any(|b| b.symbol == "Touch"));
}

#[test]
fn synthesis_is_deterministic() {
    let s = example_surface();
    let c = example_config();
    let a = synthesize(&s, &c, &Options::default()).unwrap();
    let b = synthesize(&s, &c, &Options::default()).unwrap();
    assert_eq!(a, b);
    let la = Lockfile::new("go", b"s", &c.canonical_toml(), &a.files);
    let lb = Lockfile::new("go", b"s", &c.canonical_toml(), &b.files);
    assert_eq!(la.to_toml(), lb.to_toml());
}

#[test]
fn subset_violations_fail_the_run_with_the_list() {
    let mut s = example_surface();
    let tiny = s
        .packages
        .iter_mut()
        .find(|p| p.import_path.ends_with("/tiny"))
        .unwrap();
    tiny.funcs[0].params[0].type_ = "reflect.Value".into();
    tiny.imports.push("reflect".into());
    let mut c = example_config();
    c.go.policy = gobridge::config::PolicyName::Mep74;
    match synthesize(&s, &c, &Options::default()) {
        Err(SynthError::Subset(v)) => {
            assert!(v.iter().any(|(_, v)| v.detail.contains("reflect")), "{v:?}");
            assert!(v.iter().all(|(p, _)| p.ends_with("/tiny")));
        }
        other => panic!("expected subset violations, got {other:?}"),
    }
    // TinyGo's own table accepts reflect.
    c.go.policy = gobridge::config::PolicyName::Tinygo;
    assert!(synthesize(&s, &c, &Options::default()).is_ok());
}

/// `func name[T any](param param_type)`.
fn generic_func(name: &str, param: &str, param_type: &str) -> apisurface::Func {
    apisurface::Func {
        name: name.into(),
        type_params: vec![apisurface::TypeParam {
            name: "T".into(),
            constraint: "any".into(),
        }],
        params: vec![apisurface::Param {
            name: param.into(),
            type_: param_type.into(),
        }],
        ..Default::default()
    }
}

#[test]
fn unsupported_types_are_reported_not_dropped() {
    let mut s = example_surface();
    let ex = s
        .packages
        .iter_mut()
        .find(|p| p.import_path.ends_with("/example"))
        .unwrap();
    ex.funcs.push(generic_func("Generic", "c", "chan T"));
    let g = synthesize(&s, &example_config(), &Options::default()).unwrap();
    let skipped: Vec<_> = g
        .report
        .skipped
        .iter()
        .filter(|k| k.symbol == "Generic")
        .collect();
    // The channel shim for `chan T` (param 0) and the symbol as a whole, both `generic`.
    assert_eq!(skipped.len(), 2, "{:?}", g.report.skipped);
    assert_eq!(skipped[0].part, None);
    assert_eq!(skipped[1].part.as_deref(), Some("param 0"));
    assert_eq!(skipped[1].go_type, "chan T");
    assert!(
        skipped
            .iter()
            .all(|k| k.reason == SkipReason::Generic && k.kind == SymbolKind::Func)
    );
    assert!(
        skipped[1].detail.contains("type parameter"),
        "{:?}",
        skipped[1]
    );
}

#[test]
fn go_mod_values_are_checked_not_pasted() {
    let injected = "v1.0.0\n\nreplace golang.org/x/sys => /some/dir";
    let mut s = example_surface();
    s.version = injected.into();
    // Surface validation catches it first; the go.mod builder checks again (unit tests).
    match synthesize(&s, &example_config(), &Options::default()) {
        Err(SynthError::Surface(invalid)) => {
            assert_eq!(invalid.problems[0].location, "version");
        }
        Err(e @ SynthError::GoMod { .. }) => {
            let source = std::error::Error::source(&e).expect("typed source");
            assert!(matches!(
                source.downcast_ref::<GoModError>(),
                Some(GoModError::Version { .. })
            ));
            assert!(
                !e.to_string().contains("replace"),
                "Display does not repeat the source"
            );
        }
        other => panic!("expected a go.mod error, got {other:?}"),
    }
    let mut s = example_surface();
    s.module = "example.com/x\nreplace golang.org/x/sys => /d".into();
    assert!(matches!(
        synthesize(&s, &example_config(), &Options::default()),
        Err(SynthError::Surface(_) | SynthError::GoMod { .. })
    ));
    for bad in ["../x\nreplace a => b", "../x\"y", "golang.org/x/sys"] {
        let o = Options {
            source_replace: Some(bad.into()),
            ..Options::default()
        };
        assert!(
            matches!(
                synthesize(&example_surface(), &example_config(), &o),
                Err(SynthError::GoMod { .. })
            ),
            "{bad:?}"
        );
    }
    let o = Options {
        wrapper_module: Some("golang.org/x/sync\nrequire evil v1.0.0".into()),
        ..Options::default()
    };
    assert!(synthesize(&example_surface(), &example_config(), &o).is_err());
    // A proper version and a relative replace become exactly these lines.
    let mut s = example_surface();
    s.version = "v1.2.3".into();
    let o = Options {
        source_replace: Some("../../testdata/example dir".into()),
        ..Options::default()
    };
    let g = synthesize(&s, &example_config(), &o).unwrap();
    assert_eq!(
        g.files["go.mod"],
        "module gobridge.local/example\n\ngo 1.21\n\nrequire example.com/gobridge/example v1.2.3\n\n\
         replace example.com/gobridge/example => \"../../testdata/example dir\"\n"
    );
}

#[test]
fn config_errors_keep_their_typed_source() {
    let mut c = example_config();
    c.go.bans
        .type_prefixes
        .insert("NoDot".into(), "a prefix needs a dot".into());
    match synthesize(&example_surface(), &c, &Options::default()) {
        Err(e @ SynthError::Ban { .. }) => {
            let source = std::error::Error::source(&e).expect("typed source");
            assert!(source.downcast_ref::<tinygo_check::PolicyError>().is_some());
            assert_eq!(e.to_string(), "config [go.bans] entry \"NoDot\"");
        }
        other => panic!("expected a ban error, got {other:?}"),
    }
}

#[test]
fn wrapper_module_is_outside_the_dependency_namespace() {
    let g = synthesize(&example_surface(), &example_config(), &Options::default()).unwrap();
    assert_eq!(g.report.wrapper_module, "gobridge.local/example");
    assert!(g.files["go.mod"].starts_with("module gobridge.local/example\n"));
    let build = g.report.build.as_ref().expect("a cgo build command");
    assert_eq!(
        build.shell,
        "cd cgo && go build -tags mochi_wrap -buildmode=c-archive -o libexample.a ."
    );
}

/// Every exported func, method, type, const and var of the surface: (package, symbol, kind).
fn exported(s: &Surface) -> BTreeSet<(String, String, SymbolKind)> {
    let mut out = BTreeSet::new();
    for p in s.packages.iter().filter(|p| !p.is_main) {
        let mut add = |sym: String, kind| {
            out.insert((p.import_path.clone(), sym, kind));
        };
        p.funcs
            .iter()
            .for_each(|f| add(f.name.clone(), SymbolKind::Func));
        for t in &p.types {
            add(t.name.clone(), SymbolKind::Type);
            for m in &t.methods {
                add(format!("{}.{}", t.name, m.name), SymbolKind::Method);
            }
        }
        p.consts
            .iter()
            .for_each(|v| add(v.name.clone(), SymbolKind::Const));
        p.vars
            .iter()
            .for_each(|v| add(v.name.clone(), SymbolKind::Var));
    }
    out
}

#[test]
fn every_exported_symbol_is_bound_or_skipped() {
    let mut s = example_surface();
    // A const and a var too, so every kind is accounted for.
    let ex = s
        .packages
        .iter_mut()
        .find(|p| p.import_path.ends_with("/example"))
        .unwrap();
    ex.consts.push(apisurface::Value {
        name: "Limit".into(),
        type_: "untyped int".into(),
        const_: "3".into(),
        ..Default::default()
    });
    ex.vars.push(apisurface::Value {
        name: "Default".into(),
        type_: "*example.com/gobridge/example.Counter".into(),
        ..Default::default()
    });
    ex.funcs.push(generic_func("Map", "x", "T"));
    let g = synthesize(&s, &example_config(), &Options::default()).unwrap();
    let r = &g.report;
    let bound: BTreeSet<_> = r
        .bound
        .iter()
        .map(|b| (b.package.clone(), b.symbol.clone(), b.kind))
        .collect();
    let skipped: BTreeSet<_> = r
        .skipped
        .iter()
        .filter(|k| k.part.is_none())
        .map(|k| (k.package.clone(), k.symbol.clone(), k.kind))
        .collect();
    assert!(
        bound.is_disjoint(&skipped),
        "{:?}",
        bound.intersection(&skipped)
    );
    let accounted: BTreeSet<_> = bound.union(&skipped).cloned().collect();
    assert_eq!(accounted, exported(&s));
    assert_eq!(r.coverage.exported, exported(&s).len());
    assert_eq!(r.coverage.bound, bound.len());
    assert_eq!(r.coverage.skipped, skipped.len());
    // The example package binds completely (functions, methods, types, the const, the var)
    // but for the generic function, which is skipped with its reason kind.
    let ex = &r.coverage.packages[0];
    assert!(ex.import_path.ends_with("/example"));
    assert_eq!((ex.bound, ex.skipped), (ex.exported - 1, 1));
    let limit = r.bound.iter().find(|b| b.symbol == "Limit").unwrap();
    assert_eq!(limit.rust_name.as_deref(), Some("example::LIMIT"));
    let default = r.bound.iter().find(|b| b.symbol == "Default").unwrap();
    assert_eq!(default.kind, SymbolKind::Var);
    let json = serde_json::to_value(r).unwrap();
    let ticks = json["bound"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["symbol"] == "Ticks")
        .unwrap();
    assert_eq!(ticks["binding"], "export");
    assert_eq!(ticks["c_symbol"], "mochi_example_example_Ticks");
    assert_eq!(ticks["rust_name"], "example::ticks");
    let add = r.bound.iter().find(|b| b.symbol == "Counter.Add").unwrap();
    assert_eq!(add.rust_name.as_deref(), Some("example::Counter::add"));
    let map = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["symbol"] == "Map")
        .unwrap();
    assert_eq!(map["reason"], "generic");
}

fn gobridge() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gobridge"))
}

#[test]
fn cli_generate_locked_verify_and_drift() {
    if !go_present() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let surface = example_dir().join("surface.json");
    let config = example_dir().join("gobridge.toml");
    let gen_args = |extra: &[&str]| {
        let mut c = gobridge();
        c.args(["generate", "--surface"])
            .arg(&surface)
            .arg("--dir")
            .arg(example_dir())
            .arg("--config")
            .arg(&config);
        c.arg("--out").arg(out.path()).args(extra);
        c.output().unwrap()
    };
    let first = gen_args(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let lock1 = std::fs::read_to_string(out.path().join("gobridge.lock")).unwrap();
    // Second process, same inputs: identical lockfile, and --locked passes.
    let second = gen_args(&["--locked"]);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("gobridge.lock")).unwrap(),
        lock1
    );

    let verify = gobridge()
        .arg("verify")
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(verify.status.success());

    // Tampering is named by verify and by --locked, with exit code 3.
    let shims = out.path().join("cgo/mochi_shims.go");
    let good = std::fs::read_to_string(&shims).unwrap();
    std::fs::write(&shims, format!("{good}// edited\n")).unwrap();
    let verify = gobridge()
        .arg("verify")
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&verify.stderr).contains("cgo/mochi_shims.go"));
    let locked = gen_args(&["--locked"]);
    assert_eq!(locked.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("cgo/mochi_shims.go"));
    // Nothing was rewritten by the failed --locked run.
    assert!(
        std::fs::read_to_string(&shims)
            .unwrap()
            .ends_with("// edited\n")
    );
    std::fs::write(&shims, &good).unwrap();

    // A config change is drift too.
    let other = out.path().join("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(&config)
            .unwrap()
            .replace("buffer = 4", "buffer = 5"),
    )
    .unwrap();
    let mut c = gobridge();
    c.args(["generate", "--locked", "--surface"])
        .arg(&surface)
        .arg("--dir")
        .arg(example_dir())
        .arg("--config")
        .arg(&other);
    let o = c.arg("--out").arg(out.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("config changed") && err.contains("cgo/mochi_shims.go"),
        "{err}"
    );
}

#[test]
fn cli_bad_config_names_file_line_and_key_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let bad = out.path().join("bad.toml");
    std::fs::write(&bad, "[go]\nmodule = \"example\"\nmax_handle = 3\n").unwrap();
    let o = gobridge()
        .args(["generate", "--surface"])
        .arg(example_dir().join("surface.json"))
        .arg("--config")
        .arg(&bad)
        .arg("--out")
        .arg(out.path().join("gen"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.toml:3:") && err.contains("max_handle"),
        "{err}"
    );
    assert!(!out.path().join("gen").join("gobridge.lock").exists());
}

#[test]
fn cli_help_everywhere() {
    for sub in [
        &[][..],
        &["generate"],
        &["check"],
        &["ingest"],
        &["verify"],
        &["explain"],
    ] {
        let o = gobridge().args(sub).arg("--help").output().unwrap();
        assert!(o.status.success(), "{sub:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{sub:?}"
        );
    }
}

fn go_present() -> bool {
    let found = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIP: go not found");
    }
    found
}

/// Runs the CLI in the repository root (where `--dir .` is not a Go module).
fn gobridge_in_root(args: &[&str]) -> std::process::Output {
    gobridge()
        .args(args)
        .current_dir(example_dir().join("../.."))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn cli_explain_answers_from_the_report_with_the_same_defaults_as_generate() {
    if !go_present() {
        return;
    }
    // No --dir: the example module, as for generate (from the repo root, not "not a module").
    let o = gobridge_in_root(&["explain", "Ticks"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("example.com/gobridge/example.Ticks (func) [standard profile]:"),
        "{out}"
    );
    assert!(
        out.contains(
            "  generated: export wrapper example.com/gobridge/example.Ticks, C/wasm symbol \
             mochi_example_example_Ticks, Rust example::ticks"
        ),
        "{out}"
    );
    assert!(
        out.contains("Ticks result 0: <-chan int64 (a chan)"),
        "{out}"
    );

    // Generated, under which names; a part left out, with its reason kind.
    let o = gobridge_in_root(&["explain", "example.com/gobridge/example/tiny.Double"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains(
            "  generated: linkname_wasmexport wrapper gobridge.local/example/linkname/tiny.Double, C/wasm symbol Double"
        ),
        "{out}"
    );
    assert!(out.contains("needs no goroutine runtime"), "{out}");
    let o = gobridge_in_root(&["explain", "example.com/gobridge/example/tiny.DivMod"]);
    let out = text(&o.stdout);
    assert!(out.contains("  generated: linkname wrapper"), "{out}");
    assert!(
        out.contains("  skipped wasmexport [unsupported_type]: 2 results"),
        "{out}"
    );

    // Patterns are positional, like generate's, and --dir works the same.
    let o = gobridge()
        .args(["explain", "Double", "./tiny", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("example.com/gobridge/example/tiny.Double (func) [embedded profile]"),
        "{out}"
    );
    assert!(
        !out.contains("example.com/gobridge/example.Double"),
        "{out}"
    );

    let o = gobridge_in_root(&["explain", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no exported symbol \"Nope\""));
}

#[test]
fn cli_check_on_the_example() {
    if !go_present() {
        return;
    }
    // TinyGo's table accepts the example; the seed's MEP-74 list flags its transitive unsafe.
    let o = gobridge_in_root(&["check"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = gobridge()
        .args(["check", "--policy", "mep74", "--json", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.as_array().is_some_and(|a| a.iter().any(|x| {
        x["violation"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("unsafe"))
    })));
}

/// A snapshot of a directory: relative path → contents (None: absent).
fn tree(dir: &Path) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), Vec::new()));
                walk(root, &p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), bytes));
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    Some(out)
}

#[test]
fn cli_failures_leave_the_output_dir_as_it_was() {
    if !go_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // An embedded-profile package that violates the subset (exit 3).
    let mut s = example_surface();
    let tiny = s
        .packages
        .iter_mut()
        .find(|p| p.import_path.ends_with("/tiny"))
        .unwrap();
    tiny.funcs[0].params[0].type_ = "net/http.Handler".into();
    tiny.imports.push("net/http".into());
    let bad_surface = tmp.path().join("bad.json");
    std::fs::write(&bad_surface, serde_json::to_string(&s).unwrap()).unwrap();
    let config = tmp.path().join("ban.toml");
    let base = std::fs::read_to_string(example_dir().join("gobridge.toml")).unwrap();
    std::fs::write(
        &config,
        format!("{base}\n[go.bans.packages]\n\"net/http\" = \"too big\"\n"),
    )
    .unwrap();
    let existing = tmp.path().join("existing");
    std::fs::create_dir_all(existing.join("sub")).unwrap();
    std::fs::write(existing.join("sub/keep.txt"), "mine").unwrap();
    let absent = tmp.path().join("absent");
    for out in [&absent, &existing] {
        let before = tree(out);
        let run = |surface: &Path, extra: &[&str]| {
            gobridge()
                .args(["generate", "--surface"])
                .arg(surface)
                .arg("--dir")
                .arg(example_dir())
                .arg("--config")
                .arg(&config)
                .arg("--out")
                .arg(out)
                .args(extra)
                .output()
                .unwrap()
        };
        let o = run(&bad_surface, &[]);
        assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains("TinyGo subset violation"));
        assert_eq!(
            tree(out),
            before,
            "subset failure changed {}",
            out.display()
        );
        // --locked without a lockfile (exit 1).
        let o = run(&example_dir().join("surface.json"), &["--locked"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("--locked: no lockfile"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(
            tree(out),
            before,
            "--locked failure changed {}",
            out.display()
        );
        // go mod tidy failing (the local module's directory is wrong) is exit 1 too.
        let o = gobridge()
            .args(["generate", "--surface"])
            .arg(example_dir().join("surface.json"))
            .arg("--dir")
            .arg(tmp.path())
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("completing the generated module"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(tree(out), before, "tidy failure changed {}", out.display());
    }
}

#[test]
fn cli_errors_print_the_chain_once() {
    let missing = Path::new("/nonexistent-gobridge-dir/gobridge.toml");
    let o = gobridge()
        .args(["generate", "--surface"])
        .arg(example_dir().join("surface.json"))
        .arg("--config")
        .arg(missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let os = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
    assert!(
        err.contains(&format!(
            "gobridge: error: {}: cannot read the configuration\n  caused by: ",
            missing.display()
        )),
        "{err}"
    );
    assert_eq!(
        err.matches("No such file or directory").count(),
        1,
        "{err} ({os})"
    );
}

#[test]
fn cli_prints_clean_paths() {
    if !go_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x/../out");
    let o = gobridge_in_root(&["generate", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(!all.contains("/../") && !all.contains("/./"), "{all}");
    let clean_out = tmp.path().join("out");
    assert!(
        all.contains(&format!("wrote    {}/gobridge.lock", clean_out.display())),
        "{all}"
    );
    let root = gobridge::paths::clean(&example_dir().join("../.."));
    assert!(
        all.contains(&format!("reading {}/testdata/example", root.display())),
        "{all}"
    );
}

#[test]
fn cli_generated_cgo_builds_with_the_printed_command() {
    if !go_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gen out");
    let o = gobridge_in_root(&["generate", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let cmd = last
        .strip_prefix("  build    ")
        .expect("the last line is the build command");
    assert_eq!(
        cmd,
        format!(
            "cd '{}/cgo' && go build -tags mochi_wrap -buildmode=c-archive -o libexample.a .",
            out.display()
        )
    );
    // Verbatim, from elsewhere, with the default GOFLAGS (-mod=readonly).
    let b = Command::new("sh")
        .args(["-c", cmd])
        .current_dir(tmp.path())
        .env_remove("GOFLAGS")
        .output()
        .unwrap();
    assert!(b.status.success(), "{}", text(&b.stderr));
    assert!(out.join("cgo/libexample.a").exists());
    assert!(out.join("cgo/libexample.h").exists());
}

#[test]
fn cli_proxy_module_gets_a_go_sum_and_builds_with_the_printed_command() {
    if !go_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("go.mod"),
        "module example.com/gobridge/proxytest\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(
        src.join("use.go"),
        "package proxytest\n\nimport _ \"golang.org/x/sync/singleflight\"\n",
    )
    .unwrap();
    let got = Command::new("go")
        .args(["get", "golang.org/x/sync@v0.10.0"])
        .current_dir(&src)
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    if !got.status.success() {
        eprintln!("SKIP: module proxy unreachable: {}", text(&got.stderr));
        return;
    }
    let out = tmp.path().join("out");
    let o = gobridge()
        .args(["generate", "golang.org/x/sync/singleflight", "--dir"])
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let sum = std::fs::read_to_string(out.join("go.sum")).unwrap();
    assert!(sum.contains("golang.org/x/sync v0.10.0 h1:"), "{sum}");
    let gomod = std::fs::read_to_string(out.join("go.mod")).unwrap();
    assert!(gomod.starts_with("module gobridge.local/sync\n"), "{gomod}");
    assert!(
        gomod.contains("require golang.org/x/sync v0.10.0\n"),
        "{gomod}"
    );
    run_printed_build(&o, tmp.path());
    assert!(out.join("cgo/libsync.a").exists());
}

/// Runs the build command `generate` printed (its `  build    ` line), verbatim from `dir`, with
/// Go's default `-mod=readonly`.
fn run_printed_build(generated: &std::process::Output, dir: &std::path::Path) {
    let stdout = text(&generated.stdout);
    let cmd = stdout
        .lines()
        .find_map(|l| l.strip_prefix("  build    "))
        .expect("a build line");
    let b = Command::new("sh")
        .args(["-c", cmd])
        .current_dir(dir)
        .env("GOFLAGS", "-mod=readonly")
        .output()
        .unwrap();
    assert!(b.status.success(), "{cmd}: {}", text(&b.stderr));
}

#[test]
fn cli_std_only_module_needs_no_go_sum_and_builds_with_the_printed_command() {
    if !go_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = gobridge()
        .args(["generate", "strings", "--out"])
        .arg(&out)
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Nothing to resolve: `go mod tidy` is not run, and it would not have written these.
    assert!(!out.join("go.sum").exists());
    let gomod = std::fs::read_to_string(out.join("go.mod")).unwrap();
    assert_eq!(gomod, "module gobridge.local/std\n\ngo 1.21\n");
    run_printed_build(&o, tmp.path());
    assert!(out.join("cgo/libstd.a").exists());
}

#[test]
fn renamings_are_reported() {
    let s: apisurface::Surface = serde_json::from_str(
        r#"{"module":"example.com/m","packages":[
        {"import_path":"example.com/m/a/util","name":"util","funcs":[{"name":"F"}],
         "types":[{"name":"T","kind":"struct","underlying":"struct{}",
                   "methods":[{"name":"Zero","receiver":"T","receiver_pointer":true}]}]},
        {"import_path":"example.com/m/b/util","name":"util","funcs":[{"name":"F"}]}]}"#,
    )
    .unwrap();
    let g = synthesize(&s, &Config::default(), &Options::default()).unwrap();
    let r = &g.report.renames;
    assert!(
        r.iter().any(|x| x.package == "example.com/m/b/util"
            && x.wanted == "util"
            && x.used == "util_example_com_m_b_util"),
        "{r:?}"
    );
    assert!(r.iter().any(|x| x.used == "zero_2"), "{r:?}");
    assert!(
        g.report
            .summary()
            .contains("renamed  example.com/m/b/util in Rust")
    );
    // The second package's functions are reachable under the suffixed module.
    assert!(
        g.report
            .bound
            .iter()
            .any(|b| b.rust_name.as_deref() == Some("util_example_com_m_b_util::f"))
    );
}

#[test]
fn skipped_symbols_are_reported_with_their_kind_name_and_part() {
    use gobridge::report::SymbolKind;
    let s: apisurface::Surface = serde_json::from_str(
        r#"{"module":"example.com/m","packages":[
        {"import_path":"example.com/m/a","name":"a",
         "funcs":[{"name":"F"},{"name":"G","type_params":[{"name":"T","constraint":"any"}],
                   "params":[{"name":"x","type":"T"}]}],
         "types":[{"name":"S","kind":"struct","underlying":"struct{H example.com/m/a.hidden}",
                   "fields":[{"name":"H","type":"example.com/m/a.hidden","exported":true}]},
                  {"name":"N","kind":"struct","underlying":"struct{_ internal/runtime/sys.NotInHeap}",
                   "fields":[{"name":"_","type":"internal/runtime/sys.NotInHeap"}]},
                  {"name":"I","kind":"interface","underlying":"interface{M() int}",
                   "interface_methods":[{"name":"M","receiver":"I",
                                         "results":[{"type":"int"}]}]}],
         "consts":[{"name":"C","type":"untyped complex","const":"(0 + 1i)"},
                   {"name":"K","type":"untyped int","const":"7"}]}]}"#,
    )
    .unwrap();
    let g = synthesize(&s, &Config::default(), &Options::default()).unwrap();
    let r = &g.report;
    let find = |name: &str| {
        r.skipped
            .iter()
            .find(|k| k.symbol == name)
            .unwrap_or_else(|| panic!("{name} not skipped: {:#?}", r.skipped))
    };
    let c = find("C");
    assert_eq!((c.kind, c.part.as_deref()), (SymbolKind::Const, None));
    let g_ = find("G");
    assert_eq!(g_.kind, SymbolKind::Func);
    // A field of an unexported type can be read (as a handle) but not set: the setter would
    // have to name the type.
    let h = find("S.H");
    assert_eq!(
        (h.kind, h.part.as_deref()),
        (SymbolKind::Field, Some("setter"))
    );
    // A type Go cannot allocate is bound without its zero-value constructor.
    let n = find("N");
    assert_eq!(
        (n.kind, n.part.as_deref()),
        (SymbolKind::Type, Some("zero value"))
    );
    // Fields and parts are not symbols of their own: coverage counts F, G, S, N, I, I.M (an
    // interface's methods are bound like a concrete type's), C and K.
    assert_eq!(r.coverage.exported, 8, "{:?}", r.coverage);
    assert!(r.bound.iter().any(|b| b.symbol == "I.M"), "{:#?}", r.bound);
    assert_eq!(
        r.coverage.bound + r.coverage.skipped,
        r.coverage.exported,
        "{:?}",
        r.coverage
    );
}

#[test]
fn go_packages_named_like_the_module_root_get_other_rust_modules() {
    // `ffi`, `libc`, `std` and `chan0` name items of the generated module's root (or crates its
    // code names); `fmt` and `check_x` do not.
    let pkg = |name: &str| {
        format!(
            r#"{{"import_path":"example.com/m/{name}","name":"{name}","funcs":[{{"name":"F"}}]}}"#
        )
    };
    let names = ["ffi", "libc", "std", "chan0", "fmt", "check_x"];
    let list: Vec<String> = names.iter().map(|n| pkg(n)).collect();
    let s: apisurface::Surface = serde_json::from_str(&format!(
        r#"{{"module":"example.com/m","packages":[{}]}}"#,
        list.join(",")
    ))
    .unwrap();
    let g = synthesize(&s, &Config::default(), &Options::default()).unwrap();
    let rust = g
        .files
        .iter()
        .find(|(p, _)| p.starts_with("rust/"))
        .map(|(_, t)| t.as_str())
        .expect("a Rust module");
    for (go, rs) in [
        ("ffi", "ffi_"),
        ("libc", "libc_"),
        ("std", "std_"),
        ("chan0", "chan0_"),
        ("fmt", "fmt"),
        ("check_x", "check_x"),
    ] {
        assert!(
            rust.contains(&format!("\npub mod {rs} {{\n")),
            "{go} → {rs}"
        );
        if go != rs {
            assert!(
                g.report
                    .renames
                    .iter()
                    .any(|r| r.wanted == go && r.used == rs),
                "{:?}",
                g.report.renames
            );
        }
    }
    // Nothing at the root imports `std::fmt` any more (a Go `fmt` would collide with it).
    assert!(!rust.contains("use std::fmt;"));
}
