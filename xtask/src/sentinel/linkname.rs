//! Sentinel step `linkname`: `//go:linkname` wrappers link and *run* (defect 5), with gc and,
//! where installed, TinyGo.
//!
//! Fixture: `testdata/linkname-fixture` (module `example.com/lnfixture`, package `geom` for a
//! qualified parameter type), its hand-written `surface.json` and `unexported.json`. Specs come
//! from the surface through `LinknameSpec::from_func`, never typed by hand.
//!
//! 1. gc: render `lnwrap.go` + `lnwrap_fallback.go` into a scratch module `example.com/lnwrap`
//!    (plus package `seed` with the seed's `Double`/`Touch`), then `gofmt -l`, `go vet`,
//!    `go build`, and run the driver, which calls every wrapper and checks every result. The
//!    seed driver does not import the fixture, so only the blank import links the targets; a
//!    copy without that import must fail to link ("relocation target ... not defined").
//! 2. `-tags mochi_no_linkname`: vet, build and run the same driver in fallback mode (the
//!    unexported targets must report "unavailable" with the documented text).
//! 3. wasm: render the `//go:wasmexport` file, `GOOS=wasip1 GOARCH=wasm go build
//!    -buildmode=c-shared`, run it under Node's `node:wasi` and call every export.
//! 4. TinyGo: when `tinygo` is on PATH (or `$GOBRIDGE_TINYGO`), render with TinyGo symbol forms
//!    and build for wasip1 and a bare-metal target, running the wasm one; otherwise print
//!    `SKIP: tinygo: <reason>`.

use super::Ctx;
use crate::util::{root, run as run_cmd, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{Func, Package, Surface};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tinygo_render::{
    Compiler, Fallback, LinknameSpec, RenderOptions, check_wasm, fallback, render_fallback_file,
    render_file, render_wasm_file, specs_for_package,
};

const FIXTURE: &str = "example.com/lnfixture";
const WRAP: &str = "example.com/lnwrap";

pub fn run(ctx: &Ctx) -> Result<()> {
    let fixture_dir = root().join("testdata").join("linkname-fixture");
    let (pkg, names) = load_surface(&fixture_dir)?;

    // ---- 1. gc: render, gofmt, vet, build, run ----
    let dir = scratch("sentinel-linkname")?;
    let opts = RenderOptions::new(Compiler::Gc)
        .wrapper_import_path(WRAP)
        .package_names(names.clone());
    let specs = fixture_specs(&fixture_dir, &pkg, Compiler::Gc)?;
    write_module(&dir, &fixture_dir, &specs, &opts)?;
    let unavailable: Vec<&str> = specs
        .iter()
        .filter(|s| matches!(fallback(s, &opts), Ok(Fallback::Unavailable { .. })))
        .map(|s| s.local_name.as_str())
        .collect();

    gofmt_clean(ctx, &dir)?;
    go(ctx, &dir, &["vet", "./..."], &[])?;
    go(ctx, &dir, &["build", "./..."], &[])?;
    let out = go(ctx, &dir, &["run", "./cmd/driver", "linkname"], &[])?;
    let linkname_line = expect_line(&out, "driver linkname: ", " checks ok")?;
    let out = go(ctx, &dir, &["run", "./cmd/seeddriver"], &[])?;
    expect_line(&out, "seeddriver: ok", "")?;
    missing_blank_import_fails(ctx, &dir)?;
    println!(
        "linkname: gc: {} wrappers rendered from the surface; vet, build ok; {linkname_line}; \
         seed wrappers link through their blank import alone (and fail to link without it)",
        specs.len()
    );

    // ---- 2. fallback under -tags mochi_no_linkname ----
    let tags = ["-tags", "mochi_no_linkname"];
    go(ctx, &dir, &["vet", tags[0], tags[1], "./..."], &[])?;
    go(ctx, &dir, &["build", tags[0], tags[1], "./..."], &[])?;
    let out = go(
        ctx,
        &dir,
        &["run", tags[0], tags[1], "./cmd/driver", "fallback"],
        &[],
    )?;
    let fallback_line = expect_line(&out, "driver fallback: ", " checks ok")?;
    println!(
        "linkname: fallback: vet, build ok; {fallback_line}; documented \"unavailable\" for {}",
        unavailable.join(", ")
    );

    // ---- 3. wasm: wasmexport, wasip1 reactor, node:wasi ----
    wasm_gate(ctx, &dir, &fixture_dir)?;

    // ---- 4. TinyGo ----
    tinygo_gate(ctx, &fixture_dir, &pkg, &names)?;
    Ok(())
}

fn load_surface(fixture_dir: &Path) -> Result<(Package, BTreeMap<String, String>)> {
    let path = fixture_dir.join("surface.json");
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let surface: Surface = serde_json::from_str(&text).context("parsing surface.json")?;
    surface.check_schema()?;
    let pkg = surface
        .package(FIXTURE)
        .with_context(|| format!("surface.json has no package {FIXTURE}"))?
        .clone();
    let names = surface
        .packages
        .iter()
        .map(|p| (p.import_path.clone(), p.name.clone()))
        .collect();
    Ok((pkg, names))
}

/// Every function and method of the surface, plus the unexported targets of unexported.json.
fn fixture_specs(
    fixture_dir: &Path,
    pkg: &Package,
    compiler: Compiler,
) -> Result<Vec<LinknameSpec>> {
    let (mut specs, refused) = specs_for_package(pkg, compiler);
    if !refused.is_empty() {
        bail!("fixture symbols refused: {refused:?}");
    }
    let text = std::fs::read_to_string(fixture_dir.join("unexported.json"))?;
    let hidden: Vec<Func> = serde_json::from_str(&text).context("parsing unexported.json")?;
    for f in &hidden {
        specs.push(LinknameSpec::from_func(pkg, f, compiler)?);
    }
    Ok(specs)
}

/// The scratch module: wrapper files, seed package, drivers, wasm main.
fn write_module(
    dir: &Path,
    fixture_dir: &Path,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
) -> Result<()> {
    write(
        &dir.join("go.mod"),
        format!(
            "module {WRAP}\n\ngo 1.24\n\nrequire {FIXTURE} v0.0.0\n\nreplace {FIXTURE} => {}\n",
            fixture_dir.display()
        ),
    )?;
    write(&dir.join("lnwrap.go"), render_file("lnwrap", specs, opts)?)?;
    write(
        &dir.join("lnwrap_fallback.go"),
        render_fallback_file("lnwrap", specs, opts)?,
    )?;
    let seed: Vec<LinknameSpec> = specs
        .iter()
        .filter(|s| s.local_name == "Double" || s.local_name == "Touch")
        .cloned()
        .collect();
    if seed.len() != 2 {
        bail!("the fixture surface lacks the seed's Double and Touch");
    }
    let seed_opts = opts.clone().wrapper_import_path(format!("{WRAP}/seed"));
    write(
        &dir.join("seed/seed.go"),
        render_file("seed", &seed, &seed_opts)?,
    )?;
    write(
        &dir.join("seed/seed_fallback.go"),
        render_fallback_file("seed", &seed, &seed_opts)?,
    )?;
    copy(
        &fixture_dir.join("driver.go.txt"),
        &dir.join("cmd/driver/main.go"),
    )?;
    copy(
        &fixture_dir.join("seed-driver.go.txt"),
        &dir.join("cmd/seeddriver/main.go"),
    )?;
    let wasm: Vec<LinknameSpec> = specs
        .iter()
        .filter(|s| check_wasm(s, opts).is_ok())
        .cloned()
        .collect();
    write(
        &dir.join("wasm/main.go"),
        render_wasm_file(WRAP, "lnwrap", &wasm, opts)?,
    )?;
    Ok(())
}

/// Negative control: the seed wrapper without its blank import must not link.
fn missing_blank_import_fails(ctx: &Ctx, dir: &Path) -> Result<()> {
    let src = std::fs::read_to_string(dir.join("seed/seed.go"))?;
    let blank = format!("\t_ \"{FIXTURE}\"\n");
    if !src.contains(&blank) {
        bail!("seed/seed.go has no blank import of {FIXTURE}:\n{src}");
    }
    let neg = dir.join("negative");
    write(&neg.join("go.mod"), std::fs::read(dir.join("go.mod"))?)?;
    write(&neg.join("seed/seed.go"), src.replace(&blank, ""))?;
    write(
        &neg.join("cmd/seeddriver/main.go"),
        std::fs::read(dir.join("cmd/seeddriver/main.go"))?,
    )?;
    let out = Command::new(&ctx.go)
        .args(["build", "-o", "/dev/null", "./cmd/seeddriver"])
        .current_dir(&neg)
        .output()
        .context("running go build for the negative control")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() || !stderr.contains("relocation target") {
        bail!(
            "without its blank import the seed wrapper was expected to fail to link with \
             \"relocation target ... not defined\"; got {}:\n{stderr}",
            out.status
        );
    }
    Ok(())
}

fn wasm_gate(ctx: &Ctx, dir: &Path, fixture_dir: &Path) -> Result<()> {
    let wasm_env = [("GOOS", "wasip1"), ("GOARCH", "wasm")];
    go(ctx, dir, &["vet", "./wasm"], &wasm_env)?;
    let module = dir.join("lnwrap.wasm");
    let module_s = module.to_string_lossy().into_owned();
    go(
        ctx,
        dir,
        &["build", "-buildmode=c-shared", "-o", &module_s, "./wasm"],
        &wasm_env,
    )?;
    let size = std::fs::metadata(&module)?.len();
    let Ok(node) = which::which("node") else {
        println!("SKIP: wasm run: node not found (the module built: {size} bytes)");
        return Ok(());
    };
    let runner = fixture_dir.join("wasi-run.mjs");
    let out = run_cmd(
        Command::new(node)
            .arg("--no-warnings")
            .arg(&runner)
            .arg(&module),
    )?;
    let line = expect_line(
        &String::from_utf8_lossy(&out.stdout),
        "wasi: ",
        " checks ok",
    )?;
    println!(
        "linkname: wasm: wasip1 reactor built ({size} bytes), node:wasi {line} through \
         //go:wasmexport"
    );
    Ok(())
}

fn tinygo_gate(
    ctx: &Ctx,
    fixture_dir: &Path,
    pkg: &Package,
    names: &BTreeMap<String, String>,
) -> Result<()> {
    let tinygo = match std::env::var_os("GOBRIDGE_TINYGO") {
        Some(p) => Some(PathBuf::from(p)),
        None => which::which("tinygo").ok(),
    };
    let Some(tinygo) = tinygo else {
        println!(
            "SKIP: tinygo: not on PATH and GOBRIDGE_TINYGO unset (see docs/tinygo.md for what \
             building it here takes)"
        );
        return Ok(());
    };
    let version = run_cmd(Command::new(&tinygo).arg("version"))
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|e| format!("unknown ({e})"));
    let dir = scratch("sentinel-linkname-tinygo")?;
    let opts = RenderOptions::new(Compiler::TinyGo)
        .wrapper_import_path(WRAP)
        .package_names(names.clone());
    let specs = fixture_specs(fixture_dir, pkg, Compiler::TinyGo)?;
    write_module(&dir, fixture_dir, &specs, &opts)?;
    gofmt_clean(ctx, &dir)?;

    // wasm (wasip1 reactor), then run it like the gc one.
    let module = dir.join("lnwrap-tinygo.wasm");
    let wasm = Command::new(&tinygo)
        .args(["build", "-target=wasip1", "-buildmode=c-shared", "-o"])
        .arg(&module)
        .arg("./wasm")
        .current_dir(&dir)
        .output()?;
    if !wasm.status.success() {
        println!(
            "SKIP: tinygo: {version}: `tinygo build -target=wasip1` failed: {}",
            first_error(&wasm.stderr)
        );
    } else {
        let node = which::which("node").context("node is needed to run the TinyGo module")?;
        let out = run_cmd(
            Command::new(node)
                .arg("--no-warnings")
                .arg(fixture_dir.join("wasi-run.mjs"))
                .arg(&module),
        )?;
        let line = expect_line(
            &String::from_utf8_lossy(&out.stdout),
            "wasi: ",
            " checks ok",
        )?;
        println!("linkname: tinygo: {version}: wasip1 module ran under node:wasi: {line}");
    }

    // Bare metal: build the seed driver for a Cortex-M target (not run: no emulator here).
    let elf = dir.join("seeddriver-cortex-m.elf");
    let bm = Command::new(&tinygo)
        .args(["build", "-target=cortex-m-qemu", "-o"])
        .arg(&elf)
        .arg("./cmd/seeddriver")
        .current_dir(&dir)
        .output()?;
    if bm.status.success() {
        println!("linkname: tinygo: {version}: cortex-m-qemu build ok (not run)");
    } else {
        println!(
            "SKIP: tinygo: {version}: `tinygo build -target=cortex-m-qemu` failed: {}",
            first_error(&bm.stderr)
        );
    }
    Ok(())
}

fn first_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no output")
        .trim()
        .to_string()
}

fn gofmt_clean(ctx: &Ctx, dir: &Path) -> Result<()> {
    let gofmt = ctx.go.with_file_name("gofmt");
    let gofmt = if gofmt.exists() {
        gofmt
    } else {
        "gofmt".into()
    };
    let out = run_cmd(Command::new(&gofmt).arg("-l").arg(".").current_dir(dir))?;
    if !out.stdout.is_empty() {
        bail!(
            "gofmt -l lists files: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    Ok(())
}

/// Runs `go <args>` in `dir` with extra environment, returning stdout.
fn go(ctx: &Ctx, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<String> {
    let mut cmd = Command::new(&ctx.go);
    cmd.args(args).current_dir(dir).env("GOFLAGS", "-mod=mod");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run_cmd(&mut cmd)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The line of `out` that starts with `prefix` and ends with `suffix`.
fn expect_line(out: &str, prefix: &str, suffix: &str) -> Result<String> {
    out.lines()
        .find(|l| l.starts_with(prefix) && l.ends_with(suffix))
        .map(str::to_string)
        .with_context(|| format!("expected a line `{prefix}...{suffix}` in:\n{out}"))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    let text = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    write(to, text)
}
