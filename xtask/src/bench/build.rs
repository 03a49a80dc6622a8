//! `cargo xtask bench build`: what `gobridge-build` costs a crate. A clean `cargo build` of the
//! std example (Go's `strings` and `strconv`) next to `go build -buildmode=c-archive` of the same
//! generated package alone (the build script's floor) and the Rust compile time it adds, then a
//! no-op rebuild. Goals: clean ≤ 1.3× the Go build + the Rust compile time; no-op ≤ 1 s.

use crate::util::{self, find_go, root, scratch};
use anyhow::{Context, Result};
use std::process::Command;
use std::time::{Duration, Instant};

pub fn run(_args: &[String]) -> Result<()> {
    let Some(go) = find_go() else {
        println!("SKIP: bench build: go not found");
        return Ok(());
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = root().join("examples/bind-std/Cargo.toml");
    let target = scratch("bench-build")?;
    // Dependencies (gobridge-build itself, handlepool) are built once first: the bench measures
    // the example crate and its build script, not the crates.io graph.
    let build = || -> Result<()> {
        util::run(
            Command::new(&cargo)
                .args(["build", "-q", "--manifest-path"])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target),
        )
        .map(|_| ())
    };
    build()?;
    let clean_pkg = |t: &std::path::Path| -> Result<()> {
        util::run(
            Command::new(&cargo)
                .args(["clean", "-q", "-p", "bind-std-example", "--manifest-path"])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(t),
        )
        .map(|_| ())
    };
    clean_pkg(&target)?;
    let clean = timed(build)?;
    let noop = timed(build)?;
    // The Go build alone, on the tree the build script wrote (Go's build cache warm, as it is
    // for the build script after its first run).
    let generated = find_dir(&target.join("debug/build"), "gobridge-go")?;
    let go_build = timed(|| {
        util::run(
            crate::util::go(&go)
                .current_dir(generated.join("cgo"))
                .args(["build", "-tags", "mochi_wrap", "-buildmode=c-archive", "-o"])
                .arg(target.join("bench-lib.a"))
                .arg("."),
        )
        .map(|_| ())
    })?;
    // The Rust side alone: the example's own crate after its build script output exists.
    let rust_only = timed(|| {
        // Touch the crate's source (mtime only): cargo recompiles it, not the build script.
        let main = root().join("examples/bind-std/src/main.rs");
        std::fs::File::options()
            .write(true)
            .open(&main)?
            .set_modified(std::time::SystemTime::now())?;
        build()
    })?;
    let s = |d: Duration| d.as_secs_f64();
    println!("clean cargo build of examples/bind-std: {:.2} s", s(clean));
    println!(
        "  go build -buildmode=c-archive alone:  {:.2} s",
        s(go_build)
    );
    println!(
        "  Rust compile of the crate alone:      {:.2} s",
        s(rust_only)
    );
    let budget = 1.3 * s(go_build) + s(rust_only);
    println!(
        "  ratio clean / (go build + rust): {:.2}x (goal: clean <= 1.3 x go + rust = {budget:.2} s: {})",
        s(clean) / (s(go_build) + s(rust_only)),
        if s(clean) <= budget { "met" } else { "missed" }
    );
    println!(
        "no-op rebuild: {:.2} s (goal <= 1 s: {})",
        s(noop),
        if s(noop) <= 1.0 { "met" } else { "missed" }
    );
    Ok(())
}

fn timed(f: impl FnOnce() -> Result<()>) -> Result<Duration> {
    let t = Instant::now();
    f()?;
    Ok(t.elapsed())
}

/// The `out/<name>` directory of the example's build script under `dir`.
fn find_dir(dir: &std::path::Path, name: &str) -> Result<std::path::PathBuf> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path().join("out").join(name);
        if p.is_dir() {
            return Ok(p);
        }
    }
    anyhow::bail!("no {name} under {}", dir.display())
}
