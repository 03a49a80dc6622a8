//! Element types and callback signatures the emitter lays out over several lines (structs with
//! a tag or two fields, interfaces with two methods): every line of the rendered file must be
//! Go that gofmt accepts as it is, and comments name the one-line canonical type.

use apisurface::{EmitContext, GoType, Signature, parse_type};
use goroutine_render::{
    CallbackShim, ChannelShim, RenderError, RuntimeOptions, ShimFile, render_runtime,
    render_shim_file,
};
use std::path::PathBuf;
use std::process::Command;

fn ty(s: &str) -> GoType {
    parse_type(s).unwrap()
}

fn sig(s: &str) -> Signature {
    match ty(s) {
        GoType::Func(sig) => sig,
        other => panic!("{other:?}"),
    }
}

/// Channel element types that the emitter writes on several lines.
pub const MULTI_LINE_ELEMS: [(&str, &str); 6] = [
    ("pair", "struct{A int64; B int64}"),
    ("tagged", "struct{A int64 \"json:\\\"a\\\"\"}"),
    ("iface", "interface{M(); N() int}"),
    ("recvpair", "<-chan struct{A int64; B int64}"),
    ("nested", "[]struct{In struct{X int; Y int}; Z string}"),
    (
        "table",
        "map[string]interface{Close() error; Name() string}",
    ),
];

/// Callback signatures with multi-line parameter and result types.
pub const MULTI_LINE_SIGS: [(&str, &str); 3] = [
    (
        "mixed",
        "func(p struct{A int64; B int64}, i interface{M(); N() int}) struct{X int; Y int}",
    ),
    (
        "spread",
        "func(n int, rest ...struct{A int; B int}) (string, error)",
    ),
    (
        "tagged",
        "func(struct{A int64 \"json:\\\"a\\\"\"}) interface{M(); N() int}",
    ),
];

pub fn multi_line_file() -> ShimFile {
    let mut f = ShimFile::new("ml");
    f.channels = MULTI_LINE_ELEMS
        .iter()
        .map(|(base, t)| ChannelShim::new("ml", ty(t)).base(*base))
        .collect();
    f.callbacks = MULTI_LINE_SIGS
        .iter()
        .map(|(base, s)| CallbackShim::new("ml", sig(s)).base(*base))
        .collect();
    f
}

/// `gofmt` on PATH, else next to `go`; `None` when neither is there.
pub fn gofmt() -> Option<PathBuf> {
    let ok = |p: &PathBuf| {
        Command::new(p)
            .arg("-l")
            .arg(std::env::temp_dir().join("goroutine-render-does-not-exist.go"))
            .output()
            .is_ok()
    };
    let on_path = PathBuf::from("gofmt");
    if ok(&on_path) {
        return Some(on_path);
    }
    let out = Command::new("go").args(["env", "GOROOT"]).output().ok()?;
    let root = String::from_utf8(out.stdout).ok()?;
    let beside = PathBuf::from(root.trim()).join("bin").join("gofmt");
    ok(&beside).then_some(beside)
}

/// Writes `files` into a fresh directory and requires `gofmt -l` to list nothing and report no
/// error (a file gofmt cannot parse is an error).
pub fn assert_gofmt_clean(name: &str, files: &[(&str, &str)]) {
    let Some(gofmt) = gofmt() else {
        println!("SKIP: gofmt not found");
        return;
    };
    let dir = std::env::temp_dir().join(format!(
        "goroutine-render-gofmt-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let out = Command::new(&gofmt).arg("-l").arg(&dir).output().unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && listed.trim().is_empty(),
        "{name}: gofmt -l lists {listed:?}; stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn multi_line_types_render_gofmt_clean() {
    let shims = render_shim_file(&multi_line_file(), &EmitContext::new()).unwrap();
    let runtime = render_runtime(&RuntimeOptions::default()).unwrap();
    assert_gofmt_clean(
        "shims",
        &[("mochi_rt.go", &runtime), ("mochi_ml.go", &shims)],
    );
}

#[test]
fn multi_line_types_one_channel_per_file_gofmt_clean() {
    // Each element alone, in package main too, so one bad layout cannot hide behind another.
    for (base, t) in MULTI_LINE_ELEMS {
        let mut f = ShimFile::new("ml");
        f.package = "main".into();
        f.channels = vec![ChannelShim::new("ml", ty(t)).base(base)];
        let text = render_shim_file(&f, &EmitContext::new()).unwrap();
        assert_gofmt_clean(base, &[("mochi_ml.go", &text)]);
    }
}

#[test]
fn comments_name_the_one_line_canonical_type() {
    let text = render_shim_file(&multi_line_file(), &EmitContext::new()).unwrap();
    for (base, t) in MULTI_LINE_ELEMS {
        let canonical = ty(t).to_string();
        assert!(!canonical.contains('\n'));
        let want = format!("// mochi_ml_{base}_chan is a chan {canonical} behind a handle ID.\n");
        assert!(text.contains(&want), "missing {want:?}");
    }
    // Every comment line is a whole comment: no type text spills onto a code line.
    for l in text.lines() {
        let t = l.trim_start();
        assert!(!t.starts_with("A int64 behind"), "{l}");
    }
}

#[test]
fn struct_field_and_make_are_reindented() {
    let text = render_shim_file(&multi_line_file(), &EmitContext::new()).unwrap();
    assert!(
        text.contains(
            "type mochi_ml_pair_chan struct {\n\tmochi_ml_chanCore\n\tch chan struct {\n\t\tA int64\n\t\tB int64\n\t}\n}\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "\tid := mochiAcquireHandle(&mochi_ml_pair_chan{ch: make(chan struct {\n\t\tA int64\n\t\tB int64\n\t}, n)})\n"
    ));
    assert!(text.contains("\tvar x struct {\n\t\tA int64\n\t\tB int64\n\t}\n"));
}

#[test]
fn a_comment_type_with_a_line_break_is_a_typed_error() {
    // A struct tag is printed quoted, so its canonical form stays on one line ...
    let ok = ty("struct{A int \"json:\\\"a\\\"\"}");
    assert!(!ok.to_string().contains('\n'));
    // ... and a type whose printed form would not is refused, never pasted into a comment.
    let GoType::Struct(mut fields) = ty("struct{A int}") else {
        unreachable!()
    };
    fields[0].tag = Some("\"a\nb\"".into());
    let bad = GoType::Struct(fields);
    assert!(bad.to_string().contains('\n'));
    let mut f = ShimFile::new("ml");
    f.channels = vec![ChannelShim::new("ml", bad)];
    let err = render_shim_file(&f, &EmitContext::new()).unwrap_err();
    assert!(matches!(err, RenderError::CommentType { .. }), "{err:?}");
}

#[test]
fn snapshot_multi_line_shim_file() {
    insta::assert_snapshot!(render_shim_file(&multi_line_file(), &EmitContext::new()).unwrap());
}
