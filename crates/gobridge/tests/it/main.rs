//! Integration tests for gobridge: synthesis on the example surface (committed JSON, so no Go is
//! needed), determinism, config effects, failures that write nothing, and the CLI's lockfile flow.

use apisurface::Surface;
use gobridge::{Config, Lockfile, Options, SynthError, synthesize};
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
            "rust/mochi_example.rs",
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
    assert!(
        g.report
            .skipped
            .iter()
            .any(|s| s.symbol.ends_with(".Touch") && s.reason.contains("disabled"))
    );
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

#[test]
fn unsupported_types_are_reported_not_dropped() {
    let mut s = example_surface();
    let ex = s
        .packages
        .iter_mut()
        .find(|p| p.import_path.ends_with("/example"))
        .unwrap();
    ex.funcs.push(apisurface::Func {
        name: "Generic".into(),
        type_params: vec![apisurface::TypeParam {
            name: "T".into(),
            constraint: "any".into(),
        }],
        params: vec![apisurface::Param {
            name: "c".into(),
            type_: "chan T".into(),
        }],
        ..Default::default()
    });
    let g = synthesize(&s, &example_config(), &Options::default()).unwrap();
    let skipped: Vec<_> = g
        .report
        .skipped
        .iter()
        .filter(|k| k.symbol.contains("func Generic"))
        .collect();
    assert_eq!(skipped.len(), 1, "{:?}", g.report.skipped);
    assert!(
        skipped[0].reason.contains("type parameter"),
        "{:?}",
        skipped[0]
    );
}

fn gobridge() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gobridge"))
}

#[test]
fn cli_generate_locked_verify_and_drift() {
    let out = tempfile::tempdir().unwrap();
    let surface = example_dir().join("surface.json");
    let config = example_dir().join("gobridge.toml");
    let gen_args = |extra: &[&str]| {
        let mut c = gobridge();
        c.args(["generate", "--surface"])
            .arg(&surface)
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

#[test]
fn cli_explain_and_check_on_the_example() {
    if !go_present() {
        return;
    }
    let o = gobridge()
        .args(["explain", "Ticks", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Ticks result 0: <-chan int64 (a chan)"),
        "{text}"
    );
    let o = gobridge()
        .args(["explain", "Double", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("needs no goroutine runtime"));
    let o = gobridge()
        .args(["explain", "Nope", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));

    // TinyGo's table accepts the example; the seed's MEP-74 list flags its transitive unsafe.
    let o = gobridge()
        .args(["check", "--dir"])
        .arg(example_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
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
