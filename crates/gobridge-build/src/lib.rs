//! `gobridge-build`: use Go packages from a Rust crate with nothing but `build.rs` and
//! `cargo build`. [`Builder`] ingests the packages, synthesizes the wrappers (every exported
//! function, method, field, variable and constant), builds one c-archive with
//! `go build -buildmode=c-archive` into `OUT_DIR`, writes the typed Rust module to
//! `OUT_DIR/gobridge.rs`, and prints the cargo directives that link it and rerun it when a Go
//! file, `go.mod`, `go.sum`, the config or a Go-related variable changes.
//!
//! The crate that links the archive must declare `links = "gobridge"` in its `[package]` (one Go
//! runtime per binary: a second such crate in the dependency graph is cargo's own clear error,
//! never duplicate `crosscall2` symbols at link time), depend on `gobridge-rt` (what the
//! generated module needs at run time), and bind all its Go packages in one builder call.
//!
//! It must never: panic in a build script (every failure is one readable [`Error`] with Go's
//! own text where Go failed), take the target from the build script's host instead of
//! `CARGO_CFG_TARGET_*`, or write outside `OUT_DIR`.
//!
//! ```no_run
//! // build.rs
//! gobridge_build::Builder::new()
//!     .module_dir("go")              // optional: a Go module inside the crate
//!     .package("example.com/calc")   // repeatable; std import paths allowed
//!     .build()
//!     .unwrap_or_else(|e| { eprintln!("{e}"); std::process::exit(1) });
//! // src/main.rs: include!(concat!(env!("OUT_DIR"), "/gobridge.rs"));
//! ```

#![warn(missing_docs)]

mod target;

pub use target::{GoTarget, TargetError, go_target, system_libs};

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `links` value the binding crate declares.
pub const LINKS: &str = "gobridge";

/// Variables whose change reruns the build script (besides `CC_<target>`).
pub const WATCHED_ENV: [&str; 13] = [
    "GOBRIDGE_GO",
    "GOFLAGS",
    "GOPROXY",
    "GOPRIVATE",
    "GONOSUMDB",
    "GONOSUMCHECK",
    "GOPATH",
    "GOMODCACHE",
    "GOTOOLCHAIN",
    "CGO_CFLAGS",
    "CGO_LDFLAGS",
    "CC",
    "GOBRIDGE_MAX_HANDLES",
];

/// Why a build failed. Printed as one message (with its causes) by the build script.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A variable cargo sets for build scripts is missing: not run by cargo.
    #[error("{name} is not set: gobridge-build runs inside a cargo build script")]
    NotInBuildScript {
        /// The variable.
        name: &'static str,
    },
    /// The crate does not declare `links = "gobridge"`.
    #[error(
        "the crate must declare `links = \"{LINKS}\"` in its [package] (found {found:?}): one Go \
         runtime per binary, so bind every Go package in this one crate"
    )]
    Links {
        /// What `links` says (empty when absent).
        found: String,
    },
    /// No package was given.
    #[error("no Go package given: call .package(\"import/path\") at least once")]
    NoPackages,
    /// The Cargo target has no Go c-archive.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// `go` was not found.
    #[error("the Go toolchain was not found (install Go, or set GOBRIDGE_GO to the go binary)")]
    GoMissing(#[source] Box<go_ingest::IngestError>),
    /// Reading the Go packages failed (Go's own message is in the source).
    #[error("reading the Go packages {patterns:?}")]
    Ingest {
        /// The patterns.
        patterns: Vec<String>,
        /// go-ingest's error.
        #[source]
        source: Box<go_ingest::IngestError>,
    },
    /// The config file could not be read.
    #[error("reading the gobridge config")]
    Config(#[source] Box<gobridge::ConfigError>),
    /// Synthesis refused the packages (subset violations, bad names, ...).
    #[error("generating the bindings")]
    Synth(#[source] Box<gobridge::SynthError>),
    /// `go mod tidy` of the generated module failed.
    #[error("resolving the generated Go module")]
    Tidy(#[source] Box<gobridge::tidy::TidyError>),
    /// Writing the generated files failed.
    #[error("writing the generated files into {dir}")]
    Write {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: Box<gobridge::LockError>,
    },
    /// The packages produced no Rust module (nothing bound for cgo).
    #[error("nothing was bound for cgo (check the profiles and targets in gobridge.toml)")]
    NothingBound,
    /// `go build` failed; its output is kept verbatim.
    #[error("`{command}` failed:\n{output}")]
    GoBuild {
        /// The command line.
        command: String,
        /// Go's output.
        output: String,
    },
    /// A file operation failed.
    #[error("{what} {path}")]
    Io {
        /// What was done.
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Prints `e` and its causes, one per line, and ends the build script with exit status 1 (cargo
/// then shows the text). For `.unwrap_or_else(|e| gobridge_build::fail(e))`.
pub fn fail(e: Error) -> ! {
    let mut text = format!("gobridge-build: error: {e}");
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        text.push_str(&format!("\n  caused by: {c}"));
        cause = c.source();
    }
    eprintln!("{text}");
    std::process::exit(1)
}

/// What a successful build produced.
#[derive(Debug)]
pub struct Built {
    /// `OUT_DIR/gobridge.rs`, for `include!`.
    pub bindings: PathBuf,
    /// The c-archive.
    pub archive: PathBuf,
    /// What was bound and skipped.
    pub report: gobridge::Report,
}

/// Binds Go packages from a build script; see the [crate docs](crate).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    module_dir: Option<PathBuf>,
    packages: Vec<String>,
    config: Option<PathBuf>,
    go: Option<PathBuf>,
    max_handles: Option<i64>,
}

impl Builder {
    /// A builder with no packages.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A Go module inside the crate (relative to `CARGO_MANIFEST_DIR`) the packages come from;
    /// without it, only standard-library packages can be bound.
    pub fn module_dir(mut self, dir: impl AsRef<Path>) -> Builder {
        self.module_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// A package pattern to bind (`example.com/calc`, `strings`, `./...`). Repeatable.
    pub fn package(mut self, pattern: impl Into<String>) -> Builder {
        self.packages.push(pattern.into());
        self
    }

    /// Several package patterns.
    pub fn packages<I, S>(mut self, patterns: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.packages.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// A `gobridge.toml` (relative to `CARGO_MANIFEST_DIR`).
    pub fn config(mut self, file: impl AsRef<Path>) -> Builder {
        self.config = Some(file.as_ref().to_path_buf());
        self
    }

    /// The `go` binary (default: `GOBRIDGE_GO`, else `go` on `PATH`).
    pub fn go(mut self, go: impl AsRef<Path>) -> Builder {
        self.go = Some(go.as_ref().to_path_buf());
        self
    }

    /// The Go-side handle cap (negative: unbounded), overriding the config.
    pub fn max_handles(mut self, max: i64) -> Builder {
        self.max_handles = Some(max);
        self
    }

    /// Runs ingest, synthesis, `go build -buildmode=c-archive` and prints the cargo directives.
    pub fn build(self) -> Result<Built, Error> {
        let env = BuildEnv::read()?;
        if self.packages.is_empty() {
            return Err(Error::NoPackages);
        }
        let target = go_target(&env.target_os, &env.target_arch)?;
        let go =
            go_ingest::find_go(self.go.as_deref()).map_err(|e| Error::GoMissing(Box::new(e)))?;
        let module = self.module(&env)?;
        // The scratch module of std-only builds is the builder's own: not an input.
        let watched = self.module_dir.as_ref().map(|_| module.as_path());
        watch_inputs(watched, self.config_path(&env).as_deref(), &env.target);
        progress("reading the Go packages");
        let surface = go_ingest::ingest(
            &self.packages,
            &go_ingest::Options::default().dir(&module).go(&go),
        )
        .and_then(go_ingest::Ingested::into_surface)
        .map_err(|source| Error::Ingest {
            patterns: self.packages.clone(),
            source: Box::new(source),
        })?;
        progress("generating the Go and Rust bindings");
        let config = self.load_config(&env)?;
        let gen_dir = env.out_dir.join("gobridge-go");
        let generated = generate(&surface, &config, &module, &gen_dir, &go)?;
        let name = format!("gobridge_{}", generated.report.module_flat_name);
        progress("building the Go c-archive (the first build takes a while)");
        let started = std::time::Instant::now();
        terminal_status(&format!(
            "building lib{name}.a with go build ({} package{}; a first build also compiles \
             Go's runtime)",
            self.packages.len(),
            if self.packages.len() == 1 { "" } else { "s" }
        ));
        let archive = go_build(&go, &gen_dir, &env, target, &name)?;
        terminal_status(&format!(
            "built lib{name}.a in {:.1} s",
            started.elapsed().as_secs_f64()
        ));
        let bindings = write_bindings(&generated, &env.out_dir)?;
        progress("done");
        println!("cargo:rustc-link-search=native={}", env.out_dir.display());
        println!("cargo:rustc-link-lib=static={name}");
        for lib in system_libs(target.goos) {
            println!("cargo:{lib}");
        }
        Ok(Built {
            bindings,
            archive,
            report: generated.report,
        })
    }

    fn config_path(&self, env: &BuildEnv) -> Option<PathBuf> {
        self.config.as_ref().map(|c| env.manifest_dir.join(c))
    }

    fn load_config(&self, env: &BuildEnv) -> Result<gobridge::Config, Error> {
        let mut config = match self.config_path(env) {
            Some(p) => gobridge::Config::load(&p).map_err(|e| Error::Config(Box::new(e)))?,
            None => gobridge::Config::default(),
        };
        if let Some(max) = self.max_handles {
            config.go.max_handles = max;
        }
        Ok(config)
    }

    /// The Go module the packages are read from: the crate's own, or a scratch module in
    /// `OUT_DIR` for standard-library packages.
    fn module(&self, env: &BuildEnv) -> Result<PathBuf, Error> {
        if let Some(d) = &self.module_dir {
            return Ok(env.manifest_dir.join(d));
        }
        let dir = env.out_dir.join("gobridge-std-module");
        let io = |what, path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { what, path, source }
        };
        std::fs::create_dir_all(&dir).map_err(io("creating", &dir))?;
        let gomod = dir.join("go.mod");
        let text = "module gobridge.local/std\n\ngo 1.21\n";
        if std::fs::read_to_string(&gomod).ok().as_deref() != Some(text) {
            std::fs::write(&gomod, text).map_err(io("writing", &gomod))?;
        }
        Ok(dir)
    }
}

/// What cargo tells a build script.
struct BuildEnv {
    out_dir: PathBuf,
    manifest_dir: PathBuf,
    target_os: String,
    target_arch: String,
    target: String,
    release: bool,
}

impl BuildEnv {
    fn read() -> Result<BuildEnv, Error> {
        let var =
            |name: &'static str| std::env::var(name).map_err(|_| Error::NotInBuildScript { name });
        let links = std::env::var("CARGO_MANIFEST_LINKS").unwrap_or_default();
        if links != LINKS {
            return Err(Error::Links { found: links });
        }
        Ok(BuildEnv {
            out_dir: PathBuf::from(var("OUT_DIR")?),
            manifest_dir: PathBuf::from(var("CARGO_MANIFEST_DIR")?),
            target_os: var("CARGO_CFG_TARGET_OS")?,
            target_arch: var("CARGO_CFG_TARGET_ARCH")?,
            target: var("TARGET")?,
            release: std::env::var("PROFILE").is_ok_and(|p| p == "release"),
        })
    }
}

/// Prints one status line (cargo shows build-script stderr with `-vv` or on failure).
/// One status line for the person watching `cargo build`, in cargo's own layout
/// (`    Gobridge <what>`). Cargo shows a build script's output only with `-vv`, so without this a
/// long first Go build looks like a hang; a cargo warning would say something is wrong when
/// nothing is. The line goes to the controlling terminal only, when there is one (never into a
/// log, a pipe or CI output); `GOBRIDGE_BUILD_QUIET` (any value) turns it off.
fn terminal_status(what: &str) {
    use std::io::Write;
    if std::env::var_os("GOBRIDGE_BUILD_QUIET").is_some() {
        return;
    }
    let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") else {
        return;
    };
    let verb = "Gobridge";
    // `\r` + erase-line first: cargo's progress bar may be on the line; cargo redraws it after.
    let _ = if std::env::var_os("NO_COLOR").is_some() {
        writeln!(tty, "\r\x1b[K{verb:>12} {what}")
    } else {
        writeln!(tty, "\r\x1b[K\x1b[1m\x1b[92m{verb:>12}\x1b[0m {what}")
    };
}

/// A timestamped step in the build script's own output (shown by `cargo build -vv`, and kept
/// in `target/*/build/*/stderr`).
fn progress(what: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let t = START.get_or_init(std::time::Instant::now).elapsed();
    eprintln!("gobridge-build: [{:.2} s] {what}", t.as_secs_f64());
}

/// `rerun-if-changed` for `go.mod`, `go.sum`, every `.go` file of the module and the config;
/// `rerun-if-env-changed` for every variable that changes what Go builds.
/// Without any `rerun-if-changed`, cargo would rerun the script on every change in the package,
/// so a std-only build (no module of the crate's) watches `build.rs` alone.
fn watch_inputs(module: Option<&Path>, config: Option<&Path>, target: &str) {
    println!("cargo:rerun-if-changed=build.rs");
    if let Some(module) = module {
        for f in ["go.mod", "go.sum", "go.work"] {
            let p = module.join(f);
            if p.is_file() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        let mut go_files = Vec::new();
        collect_go_files(module, &mut go_files);
        go_files.sort();
        for f in go_files {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
    if let Some(c) = config {
        println!("cargo:rerun-if-changed={}", c.display());
    }
    for v in WATCHED_ENV {
        println!("cargo:rerun-if-env-changed={v}");
    }
    println!("cargo:rerun-if-env-changed=CC_{target}");
    println!("cargo:rerun-if-env-changed=CC_{}", target.replace('-', "_"));
}

/// The `.go` files below `dir`, skipping what the go command skips (`.`/`_` prefixes,
/// `testdata`, `vendor`).
fn collect_go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            if name != "testdata" && name != "vendor" {
                collect_go_files(&path, out);
            }
        } else if name.ends_with(".go") {
            out.push(path);
        }
    }
}

/// Synthesis and `go mod tidy`, then the files written to `gen_dir`.
fn generate(
    surface: &apisurface::Surface,
    config: &gobridge::Config,
    module: &Path,
    gen_dir: &Path,
    go: &Path,
) -> Result<gobridge::Generated, Error> {
    let options = gobridge::Options::for_module(surface, gen_dir, module);
    let mut generated =
        gobridge::synthesize(surface, config, &options).map_err(|e| Error::Synth(Box::new(e)))?;
    progress("resolving the generated module's requirements (go mod tidy)");
    gobridge::tidy::complete_module(&mut generated, module, go)
        .map_err(|e| Error::Tidy(Box::new(e)))?;
    let lock = gobridge::Lockfile::for_generated(surface, config, &generated.files);
    gobridge::lock::write_output(gen_dir, &generated.files, &lock).map_err(|source| {
        Error::Write {
            dir: gen_dir.to_path_buf(),
            source: Box::new(source),
        }
    })?;
    Ok(generated)
}

/// `go build -buildmode=c-archive` of the generated cgo package for the Cargo target.
fn go_build(
    go: &Path,
    gen_dir: &Path,
    env: &BuildEnv,
    target: GoTarget,
    name: &str,
) -> Result<PathBuf, Error> {
    let archive = env.out_dir.join(format!("lib{name}.a"));
    let mut cmd = Command::new(go);
    cmd.current_dir(gen_dir.join(apisurface::names::file::CGO_DIR))
        .args([
            "build",
            "-tags",
            apisurface::names::TAG_WRAP,
            "-buildmode=c-archive",
        ]);
    if env.release {
        cmd.args(["-trimpath", "-ldflags=-s -w"]);
    }
    cmd.arg("-o").arg(&archive).arg(".");
    cmd.env("GOOS", target.goos)
        .env("GOARCH", target.goarch)
        .env("CGO_ENABLED", "1")
        .env("GOWORK", "off");
    let cc_target = format!("CC_{}", env.target.replace('-', "_"));
    if let Some(cc) = std::env::var_os(&cc_target)
        .or_else(|| std::env::var_os(format!("CC_{}", env.target)))
        .or_else(|| std::env::var_os("CC"))
    {
        cmd.env("CC", cc);
    }
    let command = format!("{cmd:?}");
    let out = cmd.output().map_err(|source| Error::Io {
        what: "running",
        path: go.to_path_buf(),
        source,
    })?;
    if !out.status.success() {
        return Err(Error::GoBuild {
            command,
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    Ok(archive)
}

/// `OUT_DIR/gobridge.rs`: the generated module inside `mod gobridge` (its imports stay its
/// own), re-exported at the include site, with the runtime from `gobridge-rt`.
fn write_bindings(generated: &gobridge::Generated, out_dir: &Path) -> Result<PathBuf, Error> {
    let flat = &generated.report.module_flat_name;
    let path = apisurface::names::file::rust_module(flat);
    let Some(module) = generated.files.get(&path) else {
        return Err(Error::NothingBound);
    };
    let text = format!(
        "// Generated by gobridge-build from the bound Go packages. DO NOT EDIT.\n\
         #[allow(dead_code, unused_imports, clippy::all)]\n\
         pub mod gobridge {{\n\
         use ::gobridge_rt::handlepool;\n\n{module}\n}}\n\
         #[allow(unused_imports)]\n\
         pub use gobridge::*;\n"
    );
    let file = out_dir.join("gobridge.rs");
    std::fs::write(&file, text).map_err(|source| Error::Io {
        what: "writing",
        path: file.clone(),
        source,
    })?;
    Ok(file)
}
