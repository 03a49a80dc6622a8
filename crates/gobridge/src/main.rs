//! The `gobridge` command line. Run `gobridge --help`.
//!
//! Every command that reads Go takes the same input arguments: package patterns (positional,
//! default `./...`), `--dir` (the module directory), `--config`, `--surface` (a surface JSON file
//! instead of running go-ingest). With none of `--dir`, `--surface` or patterns, the input is the
//! example module shipped in `testdata/example` (and its `gobridge.toml`).
//!
//! Exit codes: 0 success; 1 an error (bad input, a tool failed; the output directory is left
//! exactly as it was); 2 a usage error; 3 a check found problems (subset violations, lockfile
//! drift; nothing written either).

use clap::{Parser, Subcommand};
use gobridge::paths::clean;
use gobridge::{
    Config, Drift, Lockfile, Options, Report, SynthError, lock, synthesize, tidy::complete_module,
};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gobridge",
    version,
    about = "Bind Rust and C hosts to Go packages: ingest, check, generate, verify, explain.",
    after_help = "Without a command: `generate` on the example module."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Read Go packages into the apisurface model.
    Ingest {
        #[command(flatten)]
        input: Input,
        /// Print the surface JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Check packages against the TinyGo embedded subset.
    Check {
        #[command(flatten)]
        input: Input,
        /// Profile: `standard` (checks nothing) or `embedded`.
        #[arg(long, default_value = "embedded")]
        profile: String,
        /// Banned-set policy: `tinygo` (TinyGo's own table) or `mep74` (the seed's list).
        #[arg(long, default_value = "tinygo")]
        policy: String,
        /// Print violations as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Generate the Go glue, go.mod/go.sum (resolved by `go mod tidy` in a staging directory), a
    /// lockfile and a report ending with the command that builds the cgo folder.
    Generate(GenerateArgs),
    /// Check generated files on disk against gobridge.lock.
    Verify {
        /// Output directory holding gobridge.lock (default: the example's output directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Say whether a symbol was generated (under which Go, C and Rust names) or skipped (and
    /// why), whether it needs the goroutine runtime and whether it passes the TinyGo subset.
    Explain {
        /// `Func`, `Type`, `Type.Method`, `Const`, optionally prefixed by the import path
        /// (`example.com/x.Func`).
        symbol: String,
        #[command(flatten)]
        input: Input,
    },
}

/// The input arguments every command shares.
#[derive(clap::Args, Default, Clone)]
struct Input {
    /// Package patterns (`./...`, `example.com/x/...`); default `./...`.
    patterns: Vec<String>,
    /// Module directory (default: the example module when no --dir, --surface or pattern is
    /// given, else `.`). Also the directory a local module's `replace` points at.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Configuration file (default: `<dir>/gobridge.toml` when present, else built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Use a surface JSON file instead of running go-ingest.
    #[arg(long)]
    surface: Option<PathBuf>,
}

#[derive(clap::Args, Default)]
struct GenerateArgs {
    #[command(flatten)]
    input: Input,
    /// Output directory (default: target/gobridge-example for the example, else gobridge-out).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Fail, naming each drifted file, when the output would differ from gobridge.lock.
    #[arg(long)]
    locked: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Errors of the command line itself (the library's errors are passed through with their
/// sources).
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("reading the surface {path}")]
    ReadSurface {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("parsing the surface {path}")]
    ParseSurface {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("--{flag}: {message}")]
    BadValue { flag: &'static str, message: String },
    #[error("--locked: no lockfile to compare with in {out}")]
    NoLock {
        out: PathBuf,
        #[source]
        source: gobridge::LockError,
    },
    #[error("{what}:{}", drift.iter().map(|d| format!("\n  {d}")).collect::<String>())]
    Drift {
        what: &'static str,
        drift: Vec<Drift>,
    },
    #[error("{count} violation(s) of the {profile} profile")]
    Violations { count: usize, profile: String },
    #[error("{symbol:?}: expected Symbol, Type.Method or path.Symbol")]
    BadSymbol { symbol: String },
    #[error("no exported symbol {symbol:?} in the packages of {input}")]
    NoSymbol { symbol: String, input: String },
    #[error("completing the generated module (nothing written to {out})")]
    Tidy {
        out: PathBuf,
        #[source]
        source: gobridge::tidy::TidyError,
    },
}

type BoxError = Box<dyn Error + Send + Sync + 'static>;

enum Fail {
    /// Exit 1.
    Error(BoxError),
    /// Exit 3: a check found problems.
    Found(BoxError),
}

impl<E: Error + Send + Sync + 'static> From<E> for Fail {
    fn from(e: E) -> Fail {
        Fail::Error(Box::new(e))
    }
}

fn found(e: impl Error + Send + Sync + 'static) -> Fail {
    Fail::Found(Box::new(e))
}

/// The error and its sources, each once: `error: ...` then `  caused by: ...` lines.
fn chain(e: &(dyn Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        s.push_str(&format!("\n  caused by: {cause}"));
        next = cause.source();
    }
    s
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        None => generate(GenerateArgs::default()),
        Some(Command::Generate(a)) => generate(a),
        Some(Command::Ingest { input, json }) => ingest_cmd(&input, json),
        Some(Command::Check {
            input,
            profile,
            policy,
            json,
        }) => check(&input, &profile, &policy, json),
        Some(Command::Verify { out }) => verify(clean(&out.unwrap_or_else(default_out))),
        Some(Command::Explain { symbol, input }) => explain(&symbol, &input),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Error(e)) => {
            eprintln!("gobridge: error: {}", chain(e.as_ref()));
            ExitCode::from(1)
        }
        Err(Fail::Found(e)) => {
            eprintln!("gobridge: {}", chain(e.as_ref()));
            ExitCode::from(3)
        }
    }
}

/// The example module, relative to this crate, cleaned (`<repo>/testdata/example`).
fn example_dir() -> PathBuf {
    clean(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/example"))
}

fn default_out() -> PathBuf {
    clean(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/gobridge-example"))
}

/// The input, resolved: where to read, which config, and whether it is the built-in example.
struct Resolved {
    input: Input,
    dir: PathBuf,
    example: bool,
    config: Config,
}

impl Input {
    fn resolve(&self) -> Result<Resolved, Fail> {
        let example = self.dir.is_none() && self.surface.is_none() && self.patterns.is_empty();
        let dir = match &self.dir {
            Some(d) => clean(d),
            None if example => example_dir(),
            None => PathBuf::from("."),
        };
        let config_path = self.config.as_deref().map(clean).or_else(|| {
            let p = dir.join("gobridge.toml");
            p.exists().then_some(p)
        });
        let config = match &config_path {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        Ok(Resolved {
            input: self.clone(),
            dir,
            example,
            config,
        })
    }
}

impl Resolved {
    /// What is read, for messages: the surface file or the module directory.
    fn source(&self) -> String {
        match &self.input.surface {
            Some(s) => clean(s).display().to_string(),
            None => self.dir.display().to_string(),
        }
    }

    fn surface(&self) -> Result<apisurface::Surface, Fail> {
        match &self.input.surface {
            Some(p) => {
                let path = clean(p);
                let text =
                    std::fs::read_to_string(&path).map_err(|source| CliError::ReadSurface {
                        path: path.clone(),
                        source,
                    })?;
                let s: apisurface::Surface =
                    serde_json::from_str(&text).map_err(|source| CliError::ParseSurface {
                        path: path.clone(),
                        source,
                    })?;
                s.check_schema()?;
                Ok(s)
            }
            None => {
                let patterns: Vec<String> = if self.input.patterns.is_empty() {
                    vec!["./...".to_string()]
                } else {
                    self.input.patterns.clone()
                };
                let opts = go_ingest::Options::default().dir(&self.dir);
                Ok(go_ingest::ingest(&patterns, &opts)?.into_surface()?)
            }
        }
    }
}

fn ingest_cmd(input: &Input, json: bool) -> Result<(), Fail> {
    let surface = input.resolve()?.surface()?;
    if json {
        print!("{}", lock::surface_text(&surface));
        return Ok(());
    }
    println!(
        "module {} ({}), {} packages",
        surface.module,
        surface.go_version,
        surface.packages.len()
    );
    for p in &surface.packages {
        println!(
            "  {}: {} funcs, {} types, {} consts, {} vars{}",
            p.import_path,
            p.funcs.len(),
            p.types.len(),
            p.consts.len(),
            p.vars.len(),
            if goroutine_render::needs_runtime(p) {
                ", needs the goroutine runtime"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn policy(name: &str) -> Result<tinygo_check::Policy, Fail> {
    let name = name
        .parse::<gobridge::config::PolicyName>()
        .map_err(|message| CliError::BadValue {
            flag: "policy",
            message,
        })?;
    Ok(match name {
        gobridge::config::PolicyName::Tinygo => {
            tinygo_check::Policy::tinygo(tinygo_check::StdTable::newest())
        }
        gobridge::config::PolicyName::Mep74 => tinygo_check::Policy::mep74(),
    })
}

fn check(input: &Input, profile: &str, policy_name: &str, json: bool) -> Result<(), Fail> {
    let profile: tinygo_check::Profile = profile.parse()?;
    let policy = policy(policy_name)?;
    let surface = input.resolve()?.surface()?;
    let mut all = Vec::new();
    for p in &surface.packages {
        for v in tinygo_check::check_package(profile, &policy, p) {
            all.push((p.import_path.clone(), v));
        }
    }
    if json {
        let list: Vec<_> = all
            .iter()
            .map(|(p, v)| serde_json::json!({"package": p, "violation": v}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for (p, v) in &all {
            println!("{p}: {v}");
        }
    }
    if all.is_empty() {
        eprintln!(
            "gobridge: {} packages compatible with the {profile} profile ({})",
            surface.packages.len(),
            policy.name()
        );
        Ok(())
    } else {
        Err(found(CliError::Violations {
            count: all.len(),
            profile: profile.to_string(),
        }))
    }
}

/// Synthesis for a resolved input: the surface, the generated files and report. A local module
/// (no version) is replaced by `replace_from`'s relative path to its directory.
fn synthesize_input(
    r: &Resolved,
    replace_from: &Path,
) -> Result<(apisurface::Surface, gobridge::Generated), Fail> {
    let surface = r.surface()?;
    let options = Options::for_module(&surface, replace_from, &r.dir);
    match synthesize(&surface, &r.config, &options) {
        Ok(g) => Ok((surface, g)),
        Err(e @ SynthError::Subset(_)) => Err(found(e)),
        Err(e) => Err(e.into()),
    }
}

/// Nothing touches `out` before every step (ingest, synthesis, `go mod tidy` in a staging
/// directory, `--locked` checks) has succeeded; then [`lock::write_output`] stages and renames.
fn generate(a: GenerateArgs) -> Result<(), Fail> {
    let r = a.input.resolve()?;
    let out = clean(&a.out.clone().unwrap_or_else(|| {
        if r.example {
            default_out()
        } else {
            PathBuf::from("gobridge-out")
        }
    }));
    eprintln!("gobridge: reading {}", r.source());
    let (surface, mut generated) = synthesize_input(&r, &out)?;
    let go = go_ingest::find_go(None)?;
    complete_module(&mut generated, &r.dir, &go).map_err(|source| CliError::Tidy {
        out: out.clone(),
        source,
    })?;
    let lock = Lockfile::for_generated(&surface, &r.config, &generated.files);
    if a.locked {
        check_locked(&out, &lock)?;
    }
    lock::write_output(&out, &generated.files, &lock)?;
    generated.report.locate(&out);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&generated.report)?);
    } else {
        // Ends with the command that builds the cgo folder.
        print!("{}", generated.report.summary());
    }
    Ok(())
}

fn check_locked(out: &Path, lock: &Lockfile) -> Result<(), Fail> {
    let old = Lockfile::read(out).map_err(|source| CliError::NoLock {
        out: out.to_path_buf(),
        source,
    })?;
    let drift = old.diff(lock);
    if !drift.is_empty() {
        return Err(found(CliError::Drift {
            what: "output would differ from gobridge.lock",
            drift,
        }));
    }
    let drift = old.verify_dir(out)?;
    if !drift.is_empty() {
        return Err(found(CliError::Drift {
            what: "files on disk differ from gobridge.lock",
            drift,
        }));
    }
    Ok(())
}

fn verify(out: PathBuf) -> Result<(), Fail> {
    let lock = Lockfile::read(&out)?;
    let drift = lock.verify_dir(&out)?;
    if drift.is_empty() {
        println!(
            "gobridge: {} files match {}",
            lock.files.len(),
            out.join(lock::LOCK_FILE).display()
        );
        Ok(())
    } else {
        Err(found(CliError::Drift {
            what: "files differ from gobridge.lock",
            drift,
        }))
    }
}

/// `example.com/x.Func` → (`Some("example.com/x")`, `Func`); `Type.Method` → (None, itself).
fn split_symbol(symbol: &str) -> Result<(Option<&str>, &str), Fail> {
    let Some(slash) = symbol.rfind('/') else {
        return Ok((None, symbol));
    };
    // The package ends at the first dot after the last slash.
    let dot = symbol[slash..]
        .find('.')
        .map(|i| slash + i)
        .ok_or_else(|| CliError::BadSymbol {
            symbol: symbol.to_string(),
        })?;
    Ok((Some(&symbol[..dot]), &symbol[dot + 1..]))
}

/// Answers from the same data as the report: the synthesis of the same input (nothing written).
fn explain(symbol: &str, input: &Input) -> Result<(), Fail> {
    let (pkg_filter, name) = split_symbol(symbol)?;
    let r = input.resolve()?;
    let replace_from = std::env::temp_dir();
    let (surface, report, violations) = match synthesize_input(&r, &replace_from) {
        Ok((s, g)) => (s, g.report, Vec::new()),
        Err(Fail::Found(e)) => match e.downcast::<SynthError>() {
            Ok(e) => match *e {
                SynthError::Subset(v) => (r.surface()?, Report::default(), v),
                other => return Err(Fail::Error(Box::new(other))),
            },
            Err(e) => return Err(Fail::Found(e)),
        },
        Err(e) => return Err(e),
    };
    let policy = tinygo_check::Policy::default();
    let mut found_any = false;
    for p in &surface.packages {
        if pkg_filter.is_some_and(|f| f != p.import_path) || p.is_main {
            continue;
        }
        let (bound, skipped) = report.entries_for(Some(&p.import_path), name);
        let exists = !bound.is_empty()
            || !skipped.is_empty()
            || p.func(name).is_some()
            || p.type_(name).is_some();
        if !exists {
            continue;
        }
        found_any = true;
        let kind = bound
            .first()
            .map(|b| b.kind)
            .or_else(|| skipped.first().map(|k| k.kind));
        let go_type = skipped.first().map(|k| k.go_type.as_str()).unwrap_or("");
        println!(
            "{}.{name}{} [{} profile]:",
            p.import_path,
            match kind {
                Some(k) if go_type.is_empty() => format!(" ({k})"),
                Some(k) => format!(" ({k} {go_type})"),
                None => String::new(),
            },
            r.config.profile_for(&p.import_path)
        );
        for b in &bound {
            print!("  generated: {} wrapper {}", b.binding, b.go_name);
            if let Some(c) = &b.c_symbol {
                print!(", C/wasm symbol {c}");
            }
            if let Some(rn) = &b.rust_name {
                print!(", Rust {rn}");
            }
            println!();
        }
        for k in &skipped {
            let what = match &k.part {
                None => "skipped".to_string(),
                Some(part) => format!("skipped {part}"),
            };
            println!("  {what} [{}]: {}", k.reason, k.detail);
        }
        if !violations.is_empty() {
            println!("  not generated: the run fails on TinyGo subset violations");
        }
        print_runtime_and_subset(p, name, &policy);
    }
    if found_any {
        Ok(())
    } else {
        Err(CliError::NoSymbol {
            symbol: symbol.to_string(),
            input: r.source(),
        }
        .into())
    }
}

fn print_runtime_and_subset(p: &apisurface::Package, name: &str, policy: &tinygo_check::Policy) {
    let reasons: Vec<_> = goroutine_render::runtime_reasons(p)
        .into_iter()
        .filter(|r| r.symbol == name)
        .collect();
    if reasons.is_empty() {
        println!("  needs no goroutine runtime");
    }
    for r in &reasons {
        println!(
            "  needs the goroutine runtime: {}",
            gobridge::synth::reason_text(r)
        );
    }
    let type_name = name.split('.').next().unwrap_or(name);
    let violations: Vec<_> =
        tinygo_check::check_package(tinygo_check::Profile::Embedded, policy, p)
            .into_iter()
            .filter(|v| {
                v.where_.starts_with(&format!("func {name} "))
                    || v.where_ == format!("func {name}")
                    || v.where_.starts_with(&format!("type {type_name} "))
            })
            .collect();
    if violations.is_empty() {
        println!("  passes the TinyGo embedded subset ({})", policy.name());
    }
    for v in violations {
        println!("  fails the TinyGo embedded subset: {v}");
    }
}
