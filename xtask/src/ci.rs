//! `cargo xtask ci`: the one test command.

use crate::util::{root, run_inherit};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo = || {
        let mut c = Command::new(&cargo);
        c.current_dir(root());
        c
    };
    run_inherit(cargo().args(["fmt", "--all", "--check"]))?;
    run_inherit(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Snapshots in check mode: a changed snapshot fails the test and nothing is written.
    run_inherit(
        cargo()
            .args(["test", "--workspace"])
            .env("INSTA_UPDATE", "no")
            .env("CI", "true"),
    )?;
    run_inherit(
        cargo()
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    // handlepool's loom model checks (cfg(loom)), in their own target dir so the flag does not
    // invalidate the main build.
    let loom_target = root().join("target").join("loom");
    run_inherit(
        cargo()
            .args([
                "test",
                "-q",
                "-p",
                "handlepool",
                "--release",
                "--lib",
                "loom",
            ])
            .env("RUSTFLAGS", "--cfg loom")
            .env("CARGO_TARGET_DIR", &loom_target),
    )?;
    // Every library crate can be depended on piecemeal: package each (path dependencies resolved
    // through cargo's local overlay registry) and build it from its own tarball.
    clear_stale_overlay_sources()?;
    run_inherit(cargo().args([
        "package",
        "--workspace",
        "--exclude",
        "xtask",
        "--allow-dirty",
    ]))?;
    crate::sentinel::run(args)?;
    examples()
}

/// The `build.rs` examples (workspaces of their own: each links a Go runtime): clippy, tests
/// and a run each, then the rebuild rules on a copy of the third-party one.
pub fn examples() -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if crate::util::find_go().is_none() {
        println!("SKIP: examples: go not found");
        return Ok(());
    }
    for ex in ["bind-std", "bind-semver"] {
        let manifest = root().join("examples").join(ex).join("Cargo.toml");
        let target = root().join("target").join("examples");
        for sub in [
            vec!["clippy", "--all-targets", "--", "-D", "warnings"],
            vec!["test"],
            vec!["run", "-q"],
        ] {
            let (head, tail) = sub.split_at(1);
            run_inherit(
                Command::new(&cargo)
                    .args(head)
                    .arg("--manifest-path")
                    .arg(&manifest)
                    .arg("--target-dir")
                    .arg(&target)
                    .args(tail),
            )?;
        }
    }
    rebuild_rules(&cargo)
}

/// Editing a `.go` file of the crate's Go module reruns the build script and the new behaviour
/// shows; an unchanged second build does not rerun it (the archive is not rebuilt).
fn rebuild_rules(cargo: &str) -> Result<()> {
    let copy = crate::util::scratch("example-rebuild")?;
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src/main.rs",
        "go/go.mod",
        "go/go.sum",
    ] {
        let to = copy.join(f);
        std::fs::create_dir_all(to.parent().expect("a parent"))?;
        std::fs::copy(root().join("examples/bind-semver").join(f), &to)?;
    }
    let go_file = copy.join("go/semverdemo.go");
    std::fs::copy(
        root().join("examples/bind-semver/go/semverdemo.go"),
        &go_file,
    )?;
    // The copy lives elsewhere: its path dependencies point back into this workspace.
    let manifest = copy.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?
        .replace("../../crates/", &format!("{}/crates/", root().display()));
    std::fs::write(&manifest, text)?;
    let target = root().join("target").join("examples-rebuild");
    let run = |what: &str| -> Result<String> {
        let out = crate::util::run(
            Command::new(cargo)
                .args(["run", "-q", "--manifest-path"])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target),
        )?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        println!(
            "examples: rebuild: {what}: {}",
            text.lines().last().unwrap_or("")
        );
        Ok(text)
    };
    let archive_time = || -> Result<std::time::SystemTime> {
        let mut newest = std::time::UNIX_EPOCH;
        for e in walk(&target.join("debug/build"))? {
            if e.extension().is_some_and(|x| x == "a") {
                newest = newest.max(std::fs::metadata(&e)?.modified()?);
            }
        }
        Ok(newest)
    };
    let first = run("first build")?;
    anyhow::ensure!(
        first.contains("newest of v1.2.3 and v1.10.0: v1.10.0"),
        "{first}"
    );
    let built = archive_time()?;
    let again = run("unchanged rebuild")?;
    anyhow::ensure!(again == first, "an unchanged rebuild changed the output");
    anyhow::ensure!(
        archive_time()? == built,
        "an unchanged rebuild rebuilt the Go archive (the build script reran)"
    );
    let go = std::fs::read_to_string(&go_file)?.replace(
        "if semver.Compare(a, b) >= 0 {",
        "if semver.Compare(a, b) < 0 {",
    );
    std::fs::write(&go_file, go)?;
    let edited = run("after editing semverdemo.go")?;
    anyhow::ensure!(
        edited.contains("newest of v1.2.3 and v1.10.0: v1.2.3"),
        "the edited Go code did not reach the binary:\n{edited}"
    );
    println!("examples: rebuild rules ok (rerun on .go edit, none when unchanged)");
    Ok(())
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in rd {
        let p = e?.path();
        if p.is_dir() {
            out.extend(walk(&p)?);
        } else {
            out.push(p);
        }
    }
    Ok(out)
}

/// Removes what earlier `cargo package` runs unpacked of this workspace's own crates.
///
/// Cargo unpacks the overlay registry's tarballs into `$CARGO_HOME/registry/src/-<hash>/` (a
/// local registry has no host name, hence the leading `-`; the hash comes from the checkout's
/// path) and reuses an unpacked `name-version` directory without comparing it with the new
/// tarball. On a machine that packaged an older state of the same version from the same path,
/// the verification would build a dependent against the stale copy. Only those overlay
/// directories are touched, and only entries named after a crate of this workspace.
fn clear_stale_overlay_sources() -> Result<()> {
    let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    else {
        return Ok(());
    };
    let members: Vec<String> = std::fs::read_dir(root().join("crates"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for kind in ["src", "cache"] {
        let Ok(registries) = std::fs::read_dir(home.join("registry").join(kind)) else {
            continue;
        };
        for reg in registries.filter_map(|e| e.ok()) {
            if !reg.file_name().to_string_lossy().starts_with('-') {
                continue;
            }
            for entry in std::fs::read_dir(reg.path())?.filter_map(|e| e.ok()) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = members.iter().any(|m| {
                    name.strip_prefix(m.as_str())
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                });
                if !ours {
                    continue;
                }
                let path = entry.path();
                let removed = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.with_context(|| format!("removing stale {}", path.display()))?;
            }
        }
    }
    Ok(())
}
