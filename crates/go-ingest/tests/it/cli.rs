//! The `go-ingest` binary.

use crate::{fixture_dir, have_go, shared_cache};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_go-ingest"));
    c.env("GOBRIDGE_CACHE_DIR", shared_cache());
    c
}

#[test]
fn writes_json_to_stdout_and_to_a_file() {
    if !have_go() {
        return;
    }
    let out = bin()
        .args(["--dir"])
        .arg(fixture_dir())
        .args(["./generic"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: apisurface::Surface = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        s.packages[0].import_path,
        "example.com/ingestfixture/generic"
    );
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("surface.json");
    let st = bin()
        .arg("-C")
        .arg(fixture_dir())
        .arg("-o")
        .arg(&file)
        .arg("./generic")
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(std::fs::read(&file).unwrap(), out.stdout);
}

#[test]
fn errors_go_to_stderr_with_nonzero_exit_and_no_file() {
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("surface.json");
    let out = bin()
        .arg("--dir")
        .arg(fixture_dir())
        .arg("-o")
        .arg(&file)
        .arg("./nothing/...")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("./nothing/...") && err.contains("matched no packages"),
        "{err}"
    );
    assert!(!file.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "no temp file left"
    );
}

#[test]
fn usage_errors() {
    let out = bin().output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: go-ingest"));
    let out = bin().args(["--bogus", "std"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown flag --bogus"));
    let out = bin()
        .args(["--go", "/nonexistent/go", "std"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not found"));
}

#[test]
fn helper_source_is_gofmt_and_vet_clean() {
    if !have_go() {
        return;
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/helper/main.go");
    let go = go_ingest::find_go(None).unwrap();
    let gofmt = go.with_file_name(format!("gofmt{}", std::env::consts::EXE_SUFFIX));
    let out = Command::new(&gofmt).arg("-l").arg(&src).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "gofmt -l lists the helper");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("go.mod"),
        "module example.invalid/h\n\ngo 1.23\n",
    )
    .unwrap();
    std::fs::copy(&src, tmp.path().join("main.go")).unwrap();
    let out = Command::new(&go)
        .args(["vet", "."])
        .current_dir(tmp.path())
        .env("GOWORK", "off")
        .env("GOFLAGS", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "go vet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
