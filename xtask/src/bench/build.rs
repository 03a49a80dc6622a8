//! `cargo xtask bench build`: what `gobridge-build` costs a crate. A clean `cargo build` of the
//! std example (Go's `strings` and `strconv`) next to `go build -buildmode=c-archive` of the same
//! generated package alone (the build script's floor) and the Rust compile time of the example
//! (its build script and its crate, read from the clean build's own `cargo --timings` report),
//! then a no-op rebuild. Both measured Go builds compile the cgo packages afresh (a `CGO_CFLAGS`
//! value of their own) with the standard library from Go's warm cache, as a crate's first build
//! on a machine that has built Go code before. Goals: clean ≤ 1.3× the Go build + the Rust
//! compile time; no-op ≤ 1 s.

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
    // Every Go build measured here compiles the cgo packages (runtime/cgo and the generated
    // one) afresh, with Go's standard library from its warm cache: each gets CGO_CFLAGS with a
    // value of its own, which is part of Go's cache key for cgo packages.
    let fresh_cflags = || {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!("-O2 -g -DGOBRIDGE_BENCH={n}")
    };
    let cargo_build = |timings: bool, cflags: &str| -> Result<()> {
        let mut c = Command::new(&cargo);
        c.args(["build", "-q", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .env("GOBRIDGE_BUILD_QUIET", "1")
            .env("CGO_CFLAGS", cflags);
        if timings {
            c.arg("--timings");
        }
        util::run(&mut c).map(|_| ())
    };
    // Dependencies (gobridge-build itself, handlepool) are built once first: the bench measures
    // the example crate and its build script, not the crates.io graph.
    cargo_build(false, &fresh_cflags())?;
    // The Go build alone, on a copy of the tree the build script wrote.
    let generated = find_dir(&target.join("debug/build"), "gobridge-go")?;
    let copy = target.join("bench-go-alone");
    let _ = std::fs::remove_dir_all(&copy);
    copy_tree(&generated, &copy)?;
    let go_build = timed(|| {
        util::run(
            crate::util::go(&go)
                .current_dir(copy.join("cgo"))
                .args(["build", "-tags", "mochi_wrap", "-buildmode=c-archive", "-o"])
                .arg(target.join("bench-lib.a"))
                .arg(".")
                .env("CGO_CFLAGS", fresh_cflags()),
        )
        .map(|_| ())
    })?;
    let _ = std::fs::remove_dir_all(&copy);
    util::run(
        Command::new(&cargo)
            .args(["clean", "-q", "-p", "bind-std-example", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target),
    )?;
    let cflags = fresh_cflags();
    let clean = timed(|| cargo_build(true, &cflags))?;
    // What the clean build spent on the example's own units, from cargo's own timings.
    let units = unit_times(
        &target.join("cargo-timings/cargo-timing.html"),
        "bind-std-example",
    )?;
    let noop = timed(|| cargo_build(false, &cflags))?;
    let s = |d: Duration| d.as_secs_f64();
    let rust = units.script_compile + units.crate_compile;
    println!("clean cargo build of examples/bind-std: {:.2} s", s(clean));
    println!(
        "  go build -buildmode=c-archive alone:  {:.2} s",
        s(go_build)
    );
    println!(
        "  build script run (cargo --timings):   {:.2} s ({:.2}x the go build alone)",
        units.script_run,
        units.script_run / s(go_build)
    );
    println!(
        "  Rust compile (cargo --timings):       {rust:.2} s (build script {:.2} s + crate {:.2} s)",
        units.script_compile, units.crate_compile
    );
    let budget = 1.3 * s(go_build) + rust;
    println!(
        "  ratio clean / (go build + rust): {:.2}x (goal: clean <= 1.3 x go + rust = {budget:.2} s: {})",
        s(clean) / (s(go_build) + rust),
        if s(clean) <= budget { "met" } else { "missed" }
    );
    println!(
        "no-op rebuild: {:.2} s (goal <= 1 s: {})",
        s(noop),
        if s(noop) <= 1.0 { "met" } else { "missed" }
    );
    Ok(())
}

/// Seconds cargo spent on one package's units in a clean build.
struct UnitTimes {
    script_compile: f64,
    script_run: f64,
    crate_compile: f64,
}

/// Reads `package`'s unit durations from the `UNIT_DATA` table of a `cargo build --timings`
/// report (the HTML page is cargo's only stable form of it).
fn unit_times(report: &std::path::Path, package: &str) -> Result<UnitTimes> {
    let html =
        std::fs::read_to_string(report).with_context(|| format!("reading {}", report.display()))?;
    let start = html
        .find("const UNIT_DATA = ")
        .context("no UNIT_DATA in the cargo timings report")?
        + "const UNIT_DATA = ".len();
    let end = start
        + html[start..]
            .find("];")
            .context("UNIT_DATA is not closed")?
        + 1;
    let units: Vec<serde_json::Value> = serde_json::from_str(&html[start..end])
        .context("UNIT_DATA of the cargo timings report is not JSON")?;
    let mut t = UnitTimes {
        script_compile: 0.0,
        script_run: 0.0,
        crate_compile: 0.0,
    };
    for u in units.iter().filter(|u| u["name"] == package) {
        let d = u["duration"].as_f64().unwrap_or(0.0);
        match (u["mode"].as_str(), u["target"].as_str().unwrap_or("")) {
            (Some("run-custom-build"), _) => t.script_run += d,
            (_, tgt) if tgt.contains("build-script") => t.script_compile += d,
            _ => t.crate_compile += d,
        }
    }
    anyhow::ensure!(
        t.script_run > 0.0 && t.crate_compile > 0.0,
        "the cargo timings report has no build-script run or compile of {package}"
    );
    Ok(t)
}

/// Copies the files below `from` to `to` (directories created as needed).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let e = e?;
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else {
            std::fs::copy(e.path(), &dest)?;
        }
    }
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
