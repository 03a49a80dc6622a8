//! gobridge-build outside and around cargo: its refusals, and cargo's own refusal of two Go
//! runtimes in one dependency graph.

use gobridge_build::{Builder, Error};
use std::process::Command;

#[test]
fn outside_a_binding_crate_it_refuses_with_a_reason() {
    // A test binary has no `links = "gobridge"` (and is no build script).
    match Builder::new().package("strings").build() {
        Err(e @ Error::Links { .. }) => {
            assert!(e.to_string().contains("links = \"gobridge\""), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

/// Two crates that link a Go runtime (`links = "gobridge"`) in one graph: cargo refuses to
/// resolve it, naming `links`, before anything could collide at link time.
#[test]
fn two_go_runtimes_in_one_graph_are_a_cargo_error() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let krate = |name: &str, deps: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
             links = \"gobridge\"\nbuild = \"build.rs\"\n\n[dependencies]\n{deps}"
        )
    };
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"3\"\n",
    );
    write("a/Cargo.toml", &krate("a", "b = { path = \"../b\" }\n"));
    write("b/Cargo.toml", &krate("b", ""));
    for c in ["a", "b"] {
        write(&format!("{c}/build.rs"), "fn main() {}\n");
        write(&format!("{c}/src/lib.rs"), "");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["generate-lockfile", "--offline"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "cargo accepted two Go runtimes");
    assert!(err.contains("links"), "{err}");
    assert!(err.contains("gobridge"), "{err}");
}
