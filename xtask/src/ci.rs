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
    crate::sentinel::run(args)
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
