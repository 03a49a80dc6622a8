//! `cargo xtask ci`: the one test command.

use crate::util::{root, run_inherit};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
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
    let package_dir = package_target_dir()?;
    run_inherit(
        cargo()
            .args([
                "package",
                "--workspace",
                "--exclude",
                "xtask",
                "--allow-dirty",
                "--target-dir",
            ])
            .arg(&package_dir),
    )?;
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
        let mut files = Vec::new();
        collect_files(&target.join("debug/build"), &mut files)?;
        for e in files {
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
    terminal_status_shows(cargo, &manifest, &target)?;
    let edited = run("after editing semverdemo.go")?;
    anyhow::ensure!(
        edited.contains("newest of v1.2.3 and v1.10.0: v1.2.3"),
        "the edited Go code did not reach the binary:\n{edited}"
    );
    println!("examples: rebuild rules ok (rerun on .go edit, none when unchanged)");
    Ok(())
}

/// A build whose build script reruns shows gobridge-build's status lines on a terminal (run
/// under `script`, which gives cargo a pseudo-terminal; cargo itself hides the build script's
/// output), and never as a cargo warning.
fn terminal_status_shows(cargo: &str, manifest: &Path, target: &Path) -> Result<()> {
    let Ok(script) = which::which("script") else {
        println!("SKIP: examples: terminal status line: `script` (util-linux) not found");
        return Ok(());
    };
    let probe = Command::new(&script)
        .args(["-qec", "true", "/dev/null"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        println!(
            "SKIP: examples: terminal status line: `script` cannot open a pseudo-terminal here"
        );
        return Ok(());
    }
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', "'\\''"));
    let cmd = format!(
        "{} build --manifest-path {} --target-dir {}",
        quote(Path::new(cargo)),
        quote(manifest),
        quote(target)
    );
    let out = crate::util::run(Command::new(script).args(["-qec", &cmd, "/dev/null"]))?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        text.contains("Gobridge") && text.contains("built libgobridge_"),
        "no gobridge-build status line on the terminal:\n{text}"
    );
    anyhow::ensure!(
        !text.contains("warning"),
        "the terminal build printed a warning:\n{text}"
    );
    println!("examples: rebuild: terminal status line shown");
    Ok(())
}

/// The target directory of `cargo package`'s verification, named by a hash of every file of
/// the workspace's crates.
///
/// Cargo unpacks the tarballs of its local overlay registry (which lives in the target
/// directory) into `$CARGO_HOME/registry/src/-<hash of the registry's path>/` and reuses an
/// unpacked `name-version` directory without comparing it with a newer tarball, so verifying
/// changed crates of an unchanged version from the same target directory can build against
/// stale sources. A target directory per content hash gives changed sources a registry path of
/// their own, so nothing in the user's `$CARGO_HOME` is ever deleted; older `package-*`
/// directories under this workspace's `target/` are removed.
fn package_target_dir() -> Result<PathBuf> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    collect_files(&root().join("crates"), &mut files)?;
    files.sort();
    let mut h = Sha256::new();
    for f in &files {
        h.update(
            f.strip_prefix(root())
                .unwrap_or(f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(std::fs::read(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let name = format!("package-{}", &hex::encode(h.finalize())[..16]);
    let target = root().join("target");
    if let Ok(rd) = std::fs::read_dir(&target) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("package-") && n != name {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(target.join(name))
}

/// Every file below `dir`, skipping `target` directories.
fn collect_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target") {
                collect_files(&p, out)?;
            }
        } else {
            out.push(p);
        }
    }
    Ok(())
}
