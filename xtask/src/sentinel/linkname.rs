//! Sentinel step `linkname`: `//go:linkname` wrappers link and *run* (defect 5), with gc and,
//! where installed, TinyGo.
//!
//! Fixture: `testdata/linkname-fixture` (module `example.com/lnfixture`, package `geom` for a
//! qualified parameter type). Specs come from its surface as go-ingest reads it (which must
//! equal the hand-written `surface.json` the unit tests use) plus `unexported.json`, through
//! `LinknameSpec::from_func`, never typed by hand.
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
//! 4. TinyGo: when `tinygo` is on PATH (or `$GOBRIDGE_TINYGO`), render with TinyGo symbol forms,
//!    build the wasm file for `wasm-unknown` and `wasip1` and run both under Node, and build the
//!    full driver for `cortex-m-qemu` and run it under `qemu-system-arm`. A target TinyGo cannot
//!    build for lack of library sources is retried against Debian's prebuilt library when
//!    installed, else reported as `SKIP: tinygo: <reason>`; no TinyGo at all is a `SKIP` too.
//!    See docs/tinygo.md.

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
    let pkg = ingest_matches_surface(ctx, &fixture_dir, &pkg)?;

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

    crate::util::gofmt_check(&ctx.go, &dir)?;
    go(ctx, &dir, &["vet", "./..."], &[])?;
    go(ctx, &dir, &["build", "./..."], &[])?;
    let out = go(ctx, &dir, &["run", "./cmd/driver", "linkname"], &[])?;
    let linkname_line = expect_line(&out, "driver linkname: ", " checks ok")?;
    let out = go(ctx, &dir, &["run", "./cmd/seeddriver"], &[])?;
    expect_line(&out, "seeddriver: ok", "")?;
    missing_blank_import_fails(ctx, &dir)?;
    println!(
        "linkname: gc: {} wrappers rendered from the go-ingest surface (equal to surface.json); vet, build ok; {linkname_line}; \
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

/// Ingests the fixture with go-ingest (the real API, read by go/types) and requires the specs
/// derived from it to equal those from the hand-written surface.json the unit tests use.
/// Returns the ingested package: the wrappers are rendered from what the Go toolchain reports.
fn ingest_matches_surface(ctx: &Ctx, fixture_dir: &Path, written: &Package) -> Result<Package> {
    let cache = root()
        .join("target")
        .join("xtask")
        .join("linkname-ingest-cache");
    let opts = go_ingest::Options::default()
        .go(&ctx.go)
        .dir(fixture_dir)
        .cache_dir(&cache)
        .progress(false);
    let surface = go_ingest::ingest(&["./..."], &opts)
        .context("go-ingest of testdata/linkname-fixture")?
        .into_surface()?;
    let ingested = surface
        .package(FIXTURE)
        .with_context(|| format!("go-ingest found no package {FIXTURE}"))?
        .clone();
    for compiler in [Compiler::Gc, Compiler::TinyGo] {
        let (a, _) = specs_for_package(&ingested, compiler);
        let (b, _) = specs_for_package(written, compiler);
        if a != b {
            bail!(
                "testdata/linkname-fixture/surface.json no longer matches the source:\n\
                 from go-ingest: {a:#?}\nfrom surface.json: {b:#?}"
            );
        }
    }
    Ok(ingested)
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
    copy(
        &fixture_dir.join("wasm-checks.go.txt"),
        &dir.join("wasm/checks.go"),
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
    let out = crate::util::go(&ctx.go)
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
    let line = run_wasi(&node, fixture_dir, &module)?;
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
            "SKIP: tinygo: not on PATH and GOBRIDGE_TINYGO unset (docs/tinygo.md says how to \
             build one here)"
        );
        return Ok(());
    };
    let version = match Command::new(&tinygo).arg("version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => {
            println!(
                "SKIP: tinygo: `{} version` failed: {}",
                tinygo.display(),
                first_error(&o.stderr, "")
            );
            return Ok(());
        }
        Err(e) => {
            println!("SKIP: tinygo: cannot run {}: {e}", tinygo.display());
            return Ok(());
        }
    };
    let dir = scratch("sentinel-linkname-tinygo")?;
    let opts = RenderOptions::new(Compiler::TinyGo)
        .wrapper_import_path(WRAP)
        .package_names(names.clone());
    let specs = fixture_specs(fixture_dir, pkg, Compiler::TinyGo)?;
    write_module(&dir, fixture_dir, &specs, &opts)?;
    crate::util::gofmt_check(&ctx.go, &dir)?;
    let node = which::which("node").ok();

    // Wasm: wasm-unknown needs no libc sources; wasip1 needs TinyGo's wasi-libc submodule.
    for target in ["wasm-unknown", "wasip1"] {
        let module = dir.join(format!("lnwrap-{target}.wasm"));
        let build = |target_arg: &str| {
            let mut cmd = Command::new(&tinygo);
            cmd.arg("build").arg(format!("-target={target_arg}"));
            if target == "wasip1" {
                cmd.arg("-buildmode=c-shared");
            }
            cmd.arg("-o").arg(&module).arg("./wasm").current_dir(&dir);
            tinygo_build(&mut cmd, target)
        };
        let Some(how) = build_with_fallback(&tinygo, &version, &dir, target, build)? else {
            continue;
        };
        let Some(node) = &node else {
            println!("SKIP: tinygo: {target}: node not found to run the module");
            continue;
        };
        let line = run_wasi(node, fixture_dir, &module)?;
        println!(
            "linkname: tinygo: {version}: {how}: module with TinyGo symbol forms ran under \
             node: {line}"
        );
    }

    bare_metal(&tinygo, &version, &dir)
}

/// Builds for `target`; when TinyGo's own target fails for a missing library and Debian ships
/// that library prebuilt (see [`DEBIAN_LIBCS`]), builds again for a target derived from
/// TinyGo's with that library. Some(description of what built), or None after printing `SKIP`.
fn build_with_fallback(
    tinygo: &Path,
    version: &str,
    dir: &Path,
    target: &str,
    build: impl Fn(&str) -> Result<Built>,
) -> Result<Option<String>> {
    let Built::Gap(why) = build(target)? else {
        return Ok(Some(target.to_string()));
    };
    let Some(debian) = DEBIAN_LIBCS.iter().find(|d| d.base == target) else {
        println!("SKIP: tinygo: {version}: {target}: {why}");
        return Ok(None);
    };
    let Some(json) = derived_target(tinygo, dir, debian)? else {
        println!(
            "SKIP: tinygo: {version}: {target}: {why}; Debian's {} is not installed either",
            debian.package
        );
        return Ok(None);
    };
    match build(&json.to_string_lossy())? {
        Built::Ok => Ok(Some(format!(
            "{target} with Debian's prebuilt {}",
            debian.package
        ))),
        Built::Gap(why) => {
            println!(
                "SKIP: tinygo: {version}: {target} with Debian's {}: {why}",
                debian.package
            );
            Ok(None)
        }
    }
}

/// Bare metal: the full driver for TinyGo's `cortex-m-qemu` (a Cortex-M3 board QEMU emulates),
/// run under `qemu-system-arm` when installed.
fn bare_metal(tinygo: &Path, version: &str, dir: &Path) -> Result<()> {
    let elf = dir.join("driver-cortex-m-qemu.elf");
    let build = |target: &str| {
        let mut cmd = Command::new(tinygo);
        cmd.arg("build")
            .arg(format!("-target={target}"))
            .arg("-o")
            .arg(&elf)
            .arg("./cmd/driver")
            .current_dir(dir);
        tinygo_build(&mut cmd, "cortex-m-qemu")
    };
    let Some(how) = build_with_fallback(tinygo, version, dir, "cortex-m-qemu", build)? else {
        return Ok(());
    };
    let Ok(qemu) = which::which("qemu-system-arm") else {
        println!(
            "linkname: tinygo: {version}: {how}: driver built; \
             SKIP: tinygo: qemu-system-arm not found to run it"
        );
        return Ok(());
    };
    let out = run_cmd(
        Command::new("timeout")
            .arg("60")
            .arg(qemu)
            .args([
                "-machine",
                "lm3s6965evb",
                "-semihosting",
                "-nographic",
                "-kernel",
            ])
            .arg(&elf),
    )?;
    let line = expect_line(
        &String::from_utf8_lossy(&out.stdout),
        "driver linkname: ",
        " checks ok",
    )?;
    println!("linkname: tinygo: {version}: {how}: driver ran under qemu-system-arm: {line}");
    Ok(())
}

/// A C library that Debian ships prebuilt for a TinyGo target whose own build of it needs
/// sources the TinyGo module download lacks.
struct DebianLibc {
    /// TinyGo target it stands in for.
    base: &'static str,
    /// Debian package.
    package: &'static str,
    /// Header directory.
    include: &'static str,
    /// The static library.
    libc_a: &'static str,
    /// TinyGo cannot read the DWARF frames of this `libc.a` for its stack-size analysis
    /// ("unimplemented: .debug_frame version 1"), so that analysis is turned off.
    no_stack_size_analysis: bool,
}

const DEBIAN_LIBCS: [DebianLibc; 2] = [
    DebianLibc {
        base: "wasip1",
        package: "wasi-libc",
        include: "/usr/include/wasm32-wasi",
        libc_a: "/usr/lib/wasm32-wasi/libc.a",
        no_stack_size_analysis: false,
    },
    DebianLibc {
        base: "cortex-m-qemu",
        package: "picolibc-arm-none-eabi",
        include: "/usr/lib/picolibc/arm-none-eabi/include",
        libc_a: "/usr/lib/picolibc/arm-none-eabi/lib/thumb/v7-m/nofp/libc.a",
        no_stack_size_analysis: true,
    },
];

/// Writes a target JSON equal to TinyGo's `debian.base` (its `inherits` chain resolved the way
/// TinyGo merges it: scalars replaced, lists appended) but with `libc` empty and Debian's
/// prebuilt headers and `libc.a` added. None when that library is not installed.
fn derived_target(tinygo: &Path, dir: &Path, debian: &DebianLibc) -> Result<Option<PathBuf>> {
    use serde_json::{Map, Value};
    if !Path::new(debian.libc_a).exists() {
        return Ok(None);
    }
    let out = run_cmd(Command::new(tinygo).args(["env", "TINYGOROOT"]))?;
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    fn load(root: &Path, name: &str, into: &mut Map<String, Value>) -> Result<()> {
        let path = root.join("targets").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let Value::Object(obj) = serde_json::from_str(&text)? else {
            bail!("{} is not a JSON object", path.display());
        };
        if let Some(Value::Array(parents)) = obj.get("inherits") {
            for p in parents {
                load(root, p.as_str().context("inherits entry")?, into)?;
            }
        }
        for (k, v) in obj {
            if k == "inherits" {
                continue;
            }
            match (into.get_mut(&k), v) {
                (Some(Value::Array(a)), Value::Array(b)) => a.extend(b),
                (_, v) => {
                    into.insert(k, v);
                }
            }
        }
        Ok(())
    }
    let mut target = Map::new();
    load(&root, debian.base, &mut target)?;
    target.insert("libc".into(), Value::String(String::new()));
    if debian.no_stack_size_analysis {
        target.insert("automatic-stack-size".into(), Value::Bool(false));
    }
    let mut push = |key: &str, vals: &[&str]| {
        let entry = target
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = entry {
            a.extend(vals.iter().map(|v| Value::String(v.to_string())));
        }
    };
    push("cflags", &["-isystem", debian.include]);
    push("ldflags", &[debian.libc_a]);
    let path = dir.join(format!("{}-debian-{}.json", debian.base, debian.package));
    write(&path, serde_json::to_string_pretty(&Value::Object(target))?)?;
    Ok(Some(path))
}

/// Outcome of a `tinygo build` that did not fail for a reason the gate must report.
enum Built {
    Ok,
    /// A part of the TinyGo installation is missing (library sources, wasm-opt).
    Gap(String),
}

/// Runs a `tinygo build`: [`Built::Ok`], [`Built::Gap`] when it failed for a missing part of
/// the TinyGo installation, an error for any other failure (a wrong symbol or signature must
/// fail the gate, not skip it).
fn tinygo_build(cmd: &mut Command, target: &str) -> Result<Built> {
    let out = cmd.output().context("running tinygo build")?;
    if out.status.success() {
        return Ok(Built::Ok);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    const INSTALL_GAPS: [&str; 6] = [
        "wasi-libc",
        "picolibc",
        "lib/musl",
        "compiler-rt",
        "could not find wasm-opt",
        "bdwgc",
    ];
    if let Some(gap) = INSTALL_GAPS.iter().find(|g| stderr.contains(*g)) {
        return Ok(Built::Gap(format!(
            "the TinyGo installation lacks or cannot build `{gap}`: {}",
            first_error(&out.stderr, gap)
        )));
    }
    bail!(
        "tinygo build for {target} failed ({}):\n{stderr}",
        out.status
    );
}

/// The first line of `stderr` that mentions `about` (else the first that is not an LLVM
/// feature warning).
fn first_error(stderr: &[u8], about: &str) -> String {
    let text = String::from_utf8_lossy(stderr);
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.contains("is not a recognized feature"));
    let all: Vec<&str> = lines.by_ref().collect();
    all.iter()
        .find(|l| l.contains(about))
        .or(all.first())
        .copied()
        .unwrap_or("no output")
        .to_string()
}

/// Runs `go <args>` in `dir` with extra environment, returning stdout.
fn go(ctx: &Ctx, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<String> {
    let mut cmd = crate::util::go(&ctx.go);
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

/// Runs `module` with the fixture's node runner (`wasi-run.mjs`) and returns its
/// `wasi: N checks ok` line.
fn run_wasi(node: &Path, fixture_dir: &Path, module: &Path) -> Result<String> {
    let out = run_cmd(
        Command::new(node)
            .arg("--no-warnings")
            .arg(fixture_dir.join("wasi-run.mjs"))
            .arg(module),
    )?;
    expect_line(
        &String::from_utf8_lossy(&out.stdout),
        "wasi: ",
        " checks ok",
    )
}
