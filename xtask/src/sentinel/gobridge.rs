//! Sentinel step `gobridge`: the CLI end to end.
//!
//! 1. `gobridge generate` on the example module (the README's first command, real go-ingest),
//!    twice in two processes into two directories: identical lockfiles; `--locked` passes and
//!    `verify` is clean. The committed `testdata/example/surface.json` (used by the Go-free
//!    tests) must equal what ingest produces now.
//! 2. The output is gofmt-clean and vet-clean; the cgo package builds as a c-archive with the
//!    exact command `generate` prints last (`build    cd <out>/cgo && go build ...`, run verbatim
//!    through `sh -c` with the default `GOFLAGS`, so `go.mod`/`go.sum` must be complete), and a C
//!    driver links and runs it (channel round trips with the configured buffer, close-then-drain,
//!    bad IDs); the linkname package builds with and without `mochi_no_linkname`; the wasip1
//!    module builds and runs under node:wasi.
//!    The generated Rust module is rustfmt-clean and a Rust program using only its safe API
//!    (`GoChan<i64>`, `Select`) runs against the same archive.
//! 3. A third-party module from the module proxy (`golang.org/x/sync/singleflight`, which has a
//!    channel- and a callback-using API) goes through the same generate → printed build command →
//!    C driver, with no `go mod tidy` of ours in between.

use super::Ctx;
use crate::util::{self, gofmt_check, root, scratch, write};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The third-party module used for the proxy leg.
const THIRD_PARTY: &str = "golang.org/x/sync";
const THIRD_PARTY_VERSION: &str = "v0.10.0";

pub fn run(ctx: &Ctx) -> Result<()> {
    let bin = build_gobridge()?;
    let e2e = root().join("testdata/gobridge-e2e");
    let example = root().join("testdata/example");

    // 1. Generate twice, in two processes.
    let out = scratch("gobridge-example")?;
    let out2 = scratch("gobridge-example-2")?;
    // `scratch` creates the directories; generate must also work into one that does not exist.
    std::fs::remove_dir(&out2)?;
    let mut printed = String::new();
    for o in [&out, &out2] {
        let run = util::run(
            gobridge(&bin, ctx)
                .arg("generate")
                .arg("--dir")
                .arg(&example)
                .arg("--out")
                .arg(o),
        )?;
        if o == &out {
            printed = String::from_utf8(run.stdout)?;
        }
    }
    let lock = std::fs::read_to_string(out.join("gobridge.lock"))?;
    if lock != std::fs::read_to_string(out2.join("gobridge.lock"))? {
        bail!("two generate runs gave different lockfiles");
    }
    util::run(
        gobridge(&bin, ctx)
            .args(["generate", "--locked", "--dir"])
            .arg(&example)
            .arg("--out")
            .arg(&out),
    )?;
    util::run(gobridge(&bin, ctx).args(["verify", "--out"]).arg(&out))?;
    let ingested = util::run(
        gobridge(&bin, ctx)
            .args(["ingest", "--json", "--dir"])
            .arg(&example),
    )?;
    let committed = std::fs::read(example.join("surface.json"))?;
    if ingested.stdout != committed {
        bail!(
            "testdata/example/surface.json is stale; regenerate it with \
             `cargo run -p gobridge -- ingest --dir testdata/example --json > testdata/example/surface.json`"
        );
    }

    // 2. Build and run what was generated.
    gofmt_check(&ctx.go, &out)?;
    go(
        ctx,
        &out,
        &["vet", "-tags", "mochi_wrap", "./cgo/", "./linkname/..."],
    )?;
    go(
        ctx,
        &out,
        &["vet", "-tags", "mochi_no_linkname", "./linkname/..."],
    )?;
    go(
        ctx,
        &out,
        &["build", "-tags", "mochi_no_linkname", "./linkname/..."],
    )?;
    // Without the tag the cgo files vanish, leaving a package with no buildable files.
    let untagged = crate::util::go(&ctx.go)
        .args(["list", "./cgo/"])
        .current_dir(&out)
        .output()?;
    if untagged.status.success()
        || !String::from_utf8_lossy(&untagged.stderr)
            .contains("build constraints exclude all Go files")
    {
        bail!(
            "the cgo package should vanish without -tags mochi_wrap: {}",
            String::from_utf8_lossy(&untagged.stderr)
        );
    }
    let archive = printed_build(ctx, &printed, &out.join("cgo/libexample.a"))?;
    link_and_run(&out, &archive, "example", &e2e.join("example.c"))?;
    rust_host(&out, &e2e)?;
    let wasm = out.join("tiny.wasm");
    util::run(
        crate::util::go(&ctx.go)
            .args(["build", "-buildmode=c-shared", "-o"])
            .arg(&wasm)
            .arg("./wasm/tiny")
            .env("GOOS", "wasip1")
            .env("GOARCH", "wasm")
            .current_dir(&out),
    )?;
    match which::which("node") {
        Ok(node) => {
            let o = util::run(
                Command::new(node)
                    .arg(e2e.join("wasi-double.mjs"))
                    .arg(&wasm),
            )?;
            print!("{}", String::from_utf8_lossy(&o.stdout));
        }
        Err(_) => println!("SKIP: gobridge wasip1 run: node not found"),
    }

    // 3. A third-party module through the module proxy.
    let src = scratch("gobridge-thirdparty-src")?;
    write(
        &src.join("go.mod"),
        "module example.com/gobridge/thirdparty\n\ngo 1.21\n",
    )?;
    write(
        &src.join("use.go"),
        format!("package thirdparty\n\nimport _ \"{THIRD_PARTY}/singleflight\"\n"),
    )?;
    let got = crate::util::go(&ctx.go)
        .args(["get", &format!("{THIRD_PARTY}@{THIRD_PARTY_VERSION}")])
        .current_dir(&src)
        .output()?;
    if !got.status.success() {
        let err = String::from_utf8_lossy(&got.stderr);
        if err.contains("dial tcp") || err.contains("lookup") || err.contains("no such host") {
            println!(
                "SKIP: gobridge third-party leg: module proxy unreachable: {}",
                err.trim()
            );
            return Ok(());
        }
        bail!("go get {THIRD_PARTY}: {err}");
    }
    let tp = scratch("gobridge-thirdparty")?;
    let report = util::run(
        gobridge(&bin, ctx)
            .args(["generate", "--dir"])
            .arg(&src)
            .arg("--out")
            .arg(&tp)
            .arg(format!("{THIRD_PARTY}/singleflight")),
    )?;
    let printed = String::from_utf8(report.stdout)?;
    print!("{printed}");
    if !tp.join("go.sum").exists() {
        bail!("generate wrote no go.sum for a module with a proxy dependency");
    }
    gofmt_check(&ctx.go, &tp)?;
    go(ctx, &tp, &["vet", "-tags", "mochi_wrap", "./cgo/"])?;
    // The module's flat name is `sync` (golang.org/x/sync); the driver includes the header
    // under the package's name.
    let archive = printed_build(ctx, &printed, &tp.join("cgo/libsync.a"))?;
    link_and_run(&tp, &archive, "singleflight", &e2e.join("singleflight.c"))?;
    Ok(())
}

/// Runs the build command `generate` printed (`  build    cd ... && go build ...`) verbatim
/// with `sh -c`, with `ctx.go` first on `PATH` and without `GOFLAGS` (so `-mod=readonly`
/// holds: `go.mod` and `go.sum` must be complete as written), and checks it wrote `archive`.
fn printed_build(ctx: &Ctx, report: &str, archive: &Path) -> Result<PathBuf> {
    let Some(cmd) = report.lines().find_map(|l| l.strip_prefix("  build    ")) else {
        bail!("generate printed no build command:\n{report}");
    };
    let go_dir = ctx.go.parent().unwrap_or(Path::new("."));
    let path = std::env::join_paths(std::iter::once(go_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))?;
    util::run(
        Command::new("sh")
            .args(["-c", cmd])
            .current_dir(std::env::temp_dir())
            .env("PATH", path)
            .env("GOTOOLCHAIN", "local")
            .env("CGO_ENABLED", "1")
            .env_remove("GOFLAGS"),
    )
    .context("the build command generate printed must work verbatim")?;
    if !archive.exists() {
        bail!("`{cmd}` did not write {}", archive.display());
    }
    Ok(archive.to_path_buf())
}

/// The generated Rust module is rustfmt-clean and, linked against the example's c-archive, lets
/// a Rust program use the Go channels through the safe API only.
fn rust_host(out: &Path, e2e: &Path) -> Result<()> {
    let module = out.join("rust/example.rs");
    util::run(
        Command::new("rustfmt")
            .args(["--check", "--edition", "2024"])
            .arg(&module),
    )
    .context("the generated Rust module must be rustfmt-clean")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target/xtask/gobridge-e2e-rust");
    util::run(
        Command::new(cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(e2e.join("rust/Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .env("GOBRIDGE_E2E_LIB_DIR", out.join("lib"))
            .env("GOBRIDGE_E2E_BINDINGS", &module)
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    let o = util::run(&mut Command::new(target.join("debug/gobridge-e2e-rust")))?;
    print!("{}", String::from_utf8_lossy(&o.stdout));
    Ok(())
}

pub(crate) fn build_gobridge() -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    util::run(
        Command::new(cargo)
            .args(["build", "-q", "-p", "gobridge"])
            .current_dir(root()),
    )?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let bin = target.join("debug").join("gobridge");
    if !bin.exists() {
        bail!("built gobridge but {} does not exist", bin.display());
    }
    Ok(bin)
}

pub(crate) fn gobridge(bin: &Path, ctx: &Ctx) -> Command {
    let mut c = Command::new(bin);
    c.env("GOBRIDGE_GO", &ctx.go);
    c
}

fn go(ctx: &Ctx, dir: &Path, args: &[&str]) -> Result<()> {
    util::run(crate::util::go(&ctx.go).args(args).current_dir(dir)).map(|_| ())
}

/// Copies `built` (and its header) to `dir/lib/lib<name>.{a,h}`, links `driver` with cc and
/// runs it.
fn link_and_run(dir: &Path, built: &Path, name: &str, driver: &Path) -> Result<()> {
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib)?;
    let archive = lib.join(format!("lib{name}.a"));
    std::fs::copy(built, &archive)?;
    std::fs::copy(built.with_extension("h"), lib.join(format!("lib{name}.h")))?;
    let exe = lib.join(format!("{name}-driver"));
    let cc = util::c_compiler().context("no C compiler ($CC or `cc`) found")?;
    util::run(
        Command::new(cc)
            .arg("-O1")
            .arg("-I")
            .arg(&lib)
            .arg(driver)
            .arg(&archive)
            .args(["-lpthread", "-o"])
            .arg(&exe),
    )
    .context("linking the C driver against the c-archive")?;
    let o = util::run(&mut Command::new(&exe))?;
    print!("{}", String::from_utf8_lossy(&o.stdout));
    Ok(())
}
