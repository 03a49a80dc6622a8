//! Sentinel step `bind`: the typed Rust API of bound packages (issue 15's Rust side), end to
//! end on the example module.
//!
//! 1. `gobridge generate` on `testdata/example` (real go-ingest); the generated Rust module is
//!    rustfmt-clean.
//! 2. The cgo package builds as a c-archive (`libexample.a`); every `extern "C"` declaration of
//!    the Rust module — shims, host callbacks and every binding wrapper — matches the prototype
//!    cgo wrote in `libexample.h`, and every binding wrapper and handle helper prototype is
//!    declared in Rust.
//! 3. `testdata/bind-drivers/example` (its own workspace and target dir) includes the module,
//!    is clippy-clean (`-D warnings`), builds with `RUSTFLAGS=-D warnings` and runs: it calls
//!    every exported function, method and field of the example through the typed API only,
//!    from two threads at once, and must end with `PASS` after both handle tables are empty.
//!    It runs against an archive built with the default cgocheck and one built with
//!    `GOEXPERIMENT=cgocheck2`.

use super::Ctx;
use super::gobridge::{build_gobridge, gobridge};
use crate::util::{self, build_c_archive, root, scratch};
use anyhow::{Context, Result, bail};
use host_render::check_prototypes;
use std::path::Path;
use std::process::Command;

/// The module flat name of the example.
const MODULE: &str = "example";

pub fn run(ctx: &Ctx) -> Result<()> {
    let bin = build_gobridge()?;
    let out = scratch("bind-example")?;
    util::run(
        gobridge(&bin, ctx)
            .arg("generate")
            .arg("--dir")
            .arg(root().join("testdata/example"))
            .arg("--out")
            .arg(&out),
    )?;
    let bindings = out.join("rust").join(format!("mochi_{MODULE}.rs"));
    let rust = std::fs::read_to_string(&bindings)
        .with_context(|| format!("reading {}", bindings.display()))?;
    if !rust.contains("pub mod example {") {
        bail!("the generated Rust module has no `pub mod example`");
    }
    match which::which("rustfmt") {
        Ok(rustfmt) => {
            util::run(
                Command::new(rustfmt)
                    .args(["--edition", "2024", "--check"])
                    .arg(&bindings),
            )
            .context("the generated Rust module is not rustfmt-clean")?;
            println!("bind: generated Rust module is rustfmt-clean");
        }
        Err(_) => println!("SKIP: rustfmt not found: rustfmt check of the generated module"),
    }
    let cgo = out.join("cgo");
    for (name, experiment) in [("default", None), ("cgocheck2", Some("cgocheck2"))] {
        let lib = out.join(format!("lib-{name}"));
        std::fs::create_dir_all(&lib)?;
        build_c_archive(
            &ctx.go,
            &cgo,
            ".",
            &lib.join(format!("lib{MODULE}.a")),
            experiment,
        )?;
        if name == "default" {
            let header = std::fs::read_to_string(lib.join(format!("lib{MODULE}.h")))?;
            // Every binding wrapper and handle helper must be declared; the Go-func callback
            // shims (`*_cb_call`) have no Rust binding (host-render binds host closures).
            let prefixes = [
                format!("mochi_{MODULE}_{MODULE}_"),
                format!("mochi_{MODULE}_dup"),
                format!("mochi_{MODULE}_is_nil"),
                format!("mochi_{MODULE}_release"),
                format!("mochi_{MODULE}_free"),
            ];
            let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            match check_prototypes(&header, &rust, &prefixes) {
                Ok(names) => {
                    let wrappers = names
                        .iter()
                        .filter(|n| n.starts_with(&format!("mochi_{MODULE}_{MODULE}_")))
                        .count();
                    if wrappers < 14 {
                        bail!("only {wrappers} binding wrappers were checked against the header");
                    }
                    println!(
                        "bind: {} Rust extern declarations ({wrappers} binding wrappers) match libexample.h prototype by prototype",
                        names.len()
                    );
                }
                Err(errs) => {
                    let list: Vec<String> = errs.iter().map(|e| format!("  {e}")).collect();
                    bail!(
                        "the Rust declarations and libexample.h disagree:\n{}",
                        list.join("\n")
                    );
                }
            }
            clippy_driver(&lib, &bindings)?;
        }
        let exe = build_driver(&lib, &bindings)?;
        let o = util::run(Command::new(&exe).env_remove("GODEBUG"))?;
        let text = String::from_utf8_lossy(&o.stdout);
        match text.lines().rev().find(|l| !l.trim().is_empty()) {
            Some(l) if l.starts_with("PASS") => println!("bind: archive ({name}): {l}"),
            _ => bail!("bind driver did not end with PASS:\n{text}"),
        }
    }
    Ok(())
}

fn driver_manifest() -> std::path::PathBuf {
    root().join("testdata/bind-drivers/example/Cargo.toml")
}

fn driver_target() -> std::path::PathBuf {
    root().join("target").join("xtask").join("bind-rust-driver")
}

fn build_driver(lib: &Path, bindings: &Path) -> Result<std::path::PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    util::run(
        Command::new(&cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(driver_manifest())
            .arg("--target-dir")
            .arg(driver_target())
            .env("MOCHI_BIND_LIB_DIR", lib)
            .env("MOCHI_BIND_BINDINGS", bindings)
            .env("RUSTFLAGS", "-D warnings"),
    )?;
    Ok(driver_target().join("debug").join("bind-driver"))
}

/// `cargo clippy -D warnings` over the driver crate, which includes the generated module.
fn clippy_driver(lib: &Path, bindings: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let probe = Command::new(&cargo).args(["clippy", "--version"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("SKIP: cargo clippy not found: clippy over the generated module");
        return Ok(());
    }
    util::run(
        Command::new(&cargo)
            .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
            .arg(driver_manifest())
            .arg("--target-dir")
            .arg(driver_target())
            .env("MOCHI_BIND_LIB_DIR", lib)
            .env("MOCHI_BIND_BINDINGS", bindings)
            .env_remove("RUSTFLAGS")
            .args(["--", "-D", "warnings"]),
    )
    .context("clippy finds problems in the bind driver or the generated module")?;
    println!("bind: driver and generated module are clippy-clean (-D warnings)");
    Ok(())
}
