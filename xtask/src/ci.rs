//! `cargo xtask ci`: the one test command.

use crate::util::{root, run_inherit};
use anyhow::Result;
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
    run_inherit(cargo().args([
        "package",
        "--workspace",
        "--exclude",
        "xtask",
        "--allow-dirty",
    ]))?;
    crate::sentinel::run(args)
}
