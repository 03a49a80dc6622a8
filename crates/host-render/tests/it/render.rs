//! The generated module is rustfmt-clean and compiles with `-D warnings`; bad inputs are typed
//! errors; output is deterministic.

use crate::fixture::{M, file, multi_line, sig, thing};
use apisurface::{EmitContext, GoType};
use goroutine_render::{ChannelShim, ShimFile};
use host_render::{
    HostCallback, HostError, HostFile, check_prototypes, render_host_go, render_rust_module,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("host-render")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The newest `libhandlepool-*.rlib` next to this test binary (handlepool is a dev-dependency).
fn handlepool_rlib() -> Option<PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&deps)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libhandlepool-") && n.ends_with(".rlib"))
        })
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p)
}

fn minimal() -> HostFile {
    let mut shims = ShimFile::new("mini");
    shims.channels = vec![ChannelShim::new("mini", GoType::name("int64"))];
    HostFile::new(shims)
}

/// Long module and base names push generated lines past rustfmt's width.
fn long_names() -> HostFile {
    let m = "a_rather_long_module_name_x";
    let mut shims = ShimFile::new(m);
    shims.channels = vec![
        ChannelShim::new(m, GoType::name("int64")).base("a_long_channel_base_name"),
        ChannelShim::new(m, GoType::name("string")).base("another_long_string_base"),
        ChannelShim::new(m, thing()).base("a_long_handle_channel_base_name_that_goes_on_and_on"),
    ];
    let mut f = HostFile::new(shims);
    f.host_callbacks = vec![HostCallback::new(
        m,
        "a_long_callback_base_name",
        sig(
            vec![GoType::name("string"), GoType::name("float64")],
            vec![GoType::name("uint64")],
        ),
    )];
    let long_export = |sym: &str, n: usize, results: Vec<GoType>| host_render::GoExport {
        symbol: sym.into(),
        sig: sig(
            (0..n)
                .map(|i| GoType::name(if i % 2 == 0 { "string" } else { "int64" }))
                .collect(),
            results,
        ),
        doc: String::new(),
    };
    f.exports = vec![
        long_export(
            "a_very_long_exported_function_name_for_layout_tests",
            5,
            vec![GoType::name("int64")],
        ),
        long_export("short_export", 2, vec![]),
        long_export(
            "medium_length_export_name",
            3,
            vec![thing(), GoType::name("string")],
        ),
        long_export("another_quite_long_exported_function_name_here", 1, vec![]),
        long_export(
            "an_exported_function_whose_name_alone_is_longer_than_seventy_columns_of_text",
            1,
            vec![GoType::name("bool")],
        ),
        long_export("four_results", 0, vec![GoType::name("int64"); 4]),
        host_render::GoExport {
            symbol: "an_exported_function_taking_only_integers_whose_name_is_long_as_well".into(),
            sig: sig(vec![GoType::name("int64"); 2], vec![GoType::name("int64")]),
            doc: String::new(),
        },
        long_export("three_strings", 0, vec![GoType::name("string"); 3]),
    ];
    f
}

fn callbacks_only() -> HostFile {
    let mut f = HostFile::new(ShimFile::new("cbs"));
    f.host_callbacks = vec![
        HostCallback::new("cbs", "tick", sig(vec![], vec![])),
        // A string result: the closure's `String` goes to Go as malloc'd bytes.
        HostCallback::new(
            "cbs",
            "upper",
            sig(vec![GoType::name("string")], vec![GoType::name("string")]),
        ),
    ];
    f
}

/// Every fixture's module: rustfmt-clean, and compiles with `-D warnings`.
fn fixtures() -> [(&'static str, HostFile); 5] {
    [
        ("full", file()),
        ("minimal", minimal()),
        ("callbacks", callbacks_only()),
        ("long", long_names()),
        ("multi_line", multi_line()),
    ]
}

#[test]
fn module_is_rustfmt_clean() {
    for (name, f) in fixtures() {
        rustfmt_check(name, &render_rust_module(&f).unwrap());
    }
}

fn which_rustfmt() -> Result<PathBuf, ()> {
    let out = Command::new("rustfmt")
        .arg("--version")
        .output()
        .map_err(|_| ())?;
    if out.status.success() {
        Ok(PathBuf::from("rustfmt"))
    } else {
        Err(())
    }
}

#[test]
fn module_compiles_with_deny_warnings() {
    for (name, f) in fixtures() {
        compile(name, &render_rust_module(&f).unwrap());
    }
}

#[test]
fn deterministic() {
    let a = render_rust_module(&file()).unwrap();
    let g = render_host_go(&file(), &EmitContext::new()).unwrap();
    for _ in 0..5 {
        assert_eq!(render_rust_module(&file()).unwrap(), a);
        assert_eq!(render_host_go(&file(), &EmitContext::new()).unwrap(), g);
    }
}

#[test]
fn module_declarations_check_against_themselves() {
    // A header written from the rendered Go file's typedefs and the Rust declarations agree
    // with themselves; the sentinel checks the real cgo header.
    let rust = render_rust_module(&file()).unwrap();
    assert!(
        check_prototypes("", &rust, &[]).is_err(),
        "nothing exported: every symbol is missing"
    );
}

#[test]
fn refused_inputs_are_typed_errors() {
    // Two channels of one Rust element type.
    let mut f = file();
    f.shims
        .channels
        .push(ChannelShim::new(M, GoType::name("int64")).base("other"));
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::SameElement { .. })
    ));
    // `rune` and `int32` are the same Rust type too.
    let mut f = minimal();
    f.shims.channels = vec![
        ChannelShim::new("mini", GoType::name("int32")).base("a"),
        ChannelShim::new("mini", GoType::name("rune")).base("b"),
    ];
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::SameElement { .. })
    ));
    // A host callback with two value results, or an `error` that is not last.
    for s in [
        sig(vec![], vec![thing(), GoType::name("string")]),
        sig(vec![], vec![GoType::name("string"), GoType::name("string")]),
        sig(vec![], vec![GoType::name("error"), GoType::name("string")]),
    ] {
        let mut f = file();
        f.host_callbacks = vec![HostCallback::new(M, "bad", s)];
        assert!(matches!(
            render_rust_module(&f),
            Err(HostError::Unsupported { .. })
        ));
        assert!(matches!(
            render_host_go(&f, &EmitContext::new()),
            Err(HostError::Unsupported { .. })
        ));
    }
    // Bad names and modules.
    let mut f = file();
    f.host_callbacks = vec![HostCallback::new(M, "no-t ok", sig(vec![], vec![]))];
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::BadName { .. })
    ));
    assert!(matches!(
        render_host_go(&f, &EmitContext::new()),
        Err(HostError::BadName { .. })
    ));
    let mut f = file();
    f.host_callbacks = vec![HostCallback::new("other", "x", sig(vec![], vec![]))];
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::ModuleMismatch { .. })
    ));
    // An export symbol is also a Rust fn name: `_` and Rust keywords are refused, typed.
    for bad in ["_", "unsafe", "type", "self"] {
        let mut f = file();
        f.exports[0].symbol = bad.into();
        match render_rust_module(&f) {
            Err(HostError::BadName { why, .. }) => {
                assert!(
                    matches!(
                        why,
                        host_render::NameProblem::RustKeyword | host_render::NameProblem::Go(_)
                    ),
                    "{bad}: {why:?}"
                )
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let mut f = file();
    f.exports[0].symbol = "mochi_fx_live".into();
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::Duplicate { .. })
    ));
    // A base whose newtype would shadow a fixed name.
    let mut f = minimal();
    f.shims.channels = vec![ChannelShim::new("mini", thing()).base("go_")];
    assert!(matches!(
        render_rust_module(&f),
        Err(HostError::Duplicate { .. })
    ));
    // The Go side's refusals come through (a variadic element).
    let mut f = minimal();
    f.shims.channels = vec![ChannelShim::new(
        "mini",
        GoType::Variadic(Box::new(GoType::name("int"))),
    )];
    assert!(matches!(render_rust_module(&f), Err(HostError::Shim(_))));
}

#[test]
fn go_file_without_host_callbacks_imports_only_what_it_uses() {
    let g = render_host_go(&minimal(), &EmitContext::new()).unwrap();
    assert!(!g.contains("\"sync\""), "{g}");
    assert!(g.contains("\"fmt\"") && g.contains("\"unsafe\""));
    assert!(!g.contains("//export"));
}

#[test]
fn go_file_has_the_trampolines() {
    let g = render_host_go(&file(), &EmitContext::new()).unwrap();
    assert!(g.starts_with("//go:build mochi_wrap\n"));
    assert!(g.contains("import \"C\""));
    for s in [
        "mochi_fx_pred_host_new",
        "mochi_fx_pred_host_release",
        "mochi_fx_visit_host_new",
    ] {
        assert!(g.contains(&format!("//export {s}\n")), "{s}");
    }
    assert!(g.contains("var f func(int64) bool = r.call"));
    assert!(g.contains("var f func(string, int32) = r.call"));
}

/// `gofmt` on PATH, else next to `go`; `None` when neither is there.
fn gofmt() -> Option<PathBuf> {
    let works = |p: &Path| {
        Command::new(p)
            .arg("-l")
            .arg(scratch("gofmt-probe"))
            .output()
            .is_ok()
    };
    if works(Path::new("gofmt")) {
        return Some(PathBuf::from("gofmt"));
    }
    let out = Command::new("go").args(["env", "GOROOT"]).output().ok()?;
    let root = String::from_utf8(out.stdout).ok()?;
    let beside = PathBuf::from(root.trim()).join("bin").join("gofmt");
    works(&beside).then_some(beside)
}

/// Multi-line element types and signatures: the shim file and the host-callback Go file of the
/// same host file are gofmt-clean (gofmt parses them and changes nothing).
#[test]
fn multi_line_types_go_files_are_gofmt_clean() {
    let Some(gofmt) = gofmt() else {
        println!("SKIP: gofmt not found");
        return;
    };
    let f = multi_line();
    let dir = scratch("gofmt-multi-line");
    let ctx = EmitContext::new();
    std::fs::write(
        dir.join("mochi_ml.go"),
        goroutine_render::render_shim_file(&f.shims, &ctx).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("mochi_ml_host.go"),
        render_host_go(&f, &ctx).unwrap(),
    )
    .unwrap();
    let out = Command::new(&gofmt).arg("-l").arg(&dir).output().unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && listed.trim().is_empty(),
        "gofmt -l lists {listed:?}; stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `rustfmt --check` of `text` (prints `SKIP:` when rustfmt is absent).
pub fn rustfmt_check(name: &str, text: &str) {
    let Ok(rustfmt) = which_rustfmt() else {
        println!("SKIP: rustfmt not found");
        return;
    };
    let dir = scratch(&format!("fmt-{name}"));
    let path = dir.join("bindings.rs");
    std::fs::write(&path, text).unwrap();
    let out = Command::new(&rustfmt)
        .args(["--edition", "2024", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: rustfmt --check:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `rustc --edition 2024 -D warnings --crate-type lib` of `text` as a module, with handlepool.
pub fn compile(name: &str, text: &str) {
    let Some(rlib) = handlepool_rlib() else {
        println!("SKIP: no handlepool rlib next to the test binary");
        return;
    };
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let dir = scratch(&format!("rustc-{name}"));
    std::fs::write(dir.join("bindings.rs"), text).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "//! Test crate.\npub mod bindings {\n    //! Generated.\n    include!(\"bindings.rs\");\n}\n",
    )
    .unwrap();
    let out = Command::new(&rustc)
        .args(["--edition", "2024", "--crate-type", "lib", "-D", "warnings"])
        .args(["--crate-name", "hostbind"])
        .arg("--extern")
        .arg(format!("handlepool={}", rlib.display()))
        .arg("-L")
        .arg(rlib.parent().unwrap())
        .arg("--out-dir")
        .arg(&dir)
        .arg(dir.join("lib.rs"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: rustc -D warnings:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Rust doc comments name each channel's one-line canonical element type.
#[test]
fn multi_line_types_rust_docs_stay_on_one_line() {
    let text = render_rust_module(&multi_line()).unwrap();
    assert!(text.contains("/// The shims of channel `pair` (`chan struct{A int64; B int64}`).\n"));
    assert!(text.contains("/// The shims of channel `iface` (`chan interface{M(); N() int}`).\n"));
    for l in text.lines() {
        let t = l.trim_start();
        assert!(
            !t.starts_with("A int64") && !t.starts_with("N() int"),
            "{l}"
        );
    }
}

#[test]
fn string_result_callbacks_copy_and_free_the_hosts_bytes() {
    let f = callbacks_only();
    let g = render_host_go(&f, &EmitContext::new()).unwrap();
    assert!(g.contains("char **r0, size_t *r0_len, char *msg"), "{g}");
    // Copied into a Go string and freed by the one helper that does both.
    assert!(
        g.contains("return string(mochi_cbs_hostText(res.r0, res.r0_len))"),
        "{g}"
    );
    assert!(g.contains("\tC.free(unsafe.Pointer(p))\n"), "{g}");
    assert!(g.contains("var f func(string) string = r.call"), "{g}");
    let r = render_rust_module(&f).unwrap();
    assert!(r.contains("pub type UpperFn = dyn Fn(&str) -> String + Send + Sync;"));
    assert!(r.contains("Ok(y) => host_bytes_out(y.as_bytes(), r0, r0_len),"));
    assert!(r.contains("fn malloc(size: usize) -> *mut c_void;"));
}
