//! The `gobridge` command line. Run `gobridge --help`.
//!
//! Exit codes: 0 success; 1 an error (bad input, a tool failed, nothing written); 2 a usage
//! error; 3 a check found problems (subset violations, lockfile drift).

use clap::{Parser, Subcommand};
use gobridge::{Config, Drift, Lockfile, Options, SynthError, lock, synthesize};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gobridge",
    version,
    about = "Bind Rust and C hosts to Go packages: ingest, check, generate, verify."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Read Go packages into the apisurface model.
    Ingest {
        /// Package patterns (`./...`, `std`, `example.com/x/...`).
        #[arg(default_value = "./...")]
        patterns: Vec<String>,
        /// Module directory to run in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Print the surface JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Check packages against the TinyGo embedded subset.
    Check {
        /// Package patterns.
        #[arg(default_value = "./...")]
        patterns: Vec<String>,
        /// Module directory to run in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
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
    /// Generate the Go glue, a lockfile and a report. Without arguments: the example module
    /// shipped in testdata/, into target/gobridge-example/.
    Generate(GenerateArgs),
    /// Check generated files on disk against gobridge.lock.
    Verify {
        /// Output directory holding gobridge.lock.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Explain why a symbol needs the goroutine runtime or fails the subset.
    Explain {
        /// `Func`, `Type.Method`, optionally prefixed by the import path (`example.com/x.Func`).
        symbol: String,
        /// Package patterns.
        #[arg(long, default_value = "./...")]
        patterns: Vec<String>,
        /// Module directory to run in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(clap::Args, Default)]
struct GenerateArgs {
    /// Package patterns.
    patterns: Vec<String>,
    /// Module directory (default: the example module when no other input is given).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Configuration file (default: `<dir>/gobridge.toml` when present, else built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Use a surface JSON file instead of running go-ingest.
    #[arg(long)]
    surface: Option<PathBuf>,
    /// Output directory.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Fail, naming each drifted file, when the output would differ from gobridge.lock.
    #[arg(long)]
    locked: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// The example module, relative to this crate.
fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/example")
}

fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/gobridge-example")
}

enum Fail {
    Error(String),
    Found(String),
}

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Fail {
        Fail::Error(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        None => generate(GenerateArgs::default()),
        Some(Command::Generate(a)) => generate(a),
        Some(Command::Ingest {
            patterns,
            dir,
            json,
        }) => ingest_cmd(&patterns, &dir, json),
        Some(Command::Check {
            patterns,
            dir,
            profile,
            policy,
            json,
        }) => check(&patterns, &dir, &profile, &policy, json),
        Some(Command::Verify { out }) => verify(out.unwrap_or_else(default_out)),
        Some(Command::Explain {
            symbol,
            patterns,
            dir,
        }) => explain(&symbol, &patterns, &dir),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Error(e)) => {
            eprintln!("gobridge: error: {e}");
            ExitCode::from(1)
        }
        Err(Fail::Found(e)) => {
            eprintln!("gobridge: {e}");
            ExitCode::from(3)
        }
    }
}

fn ingest(patterns: &[String], dir: &Path) -> Result<apisurface::Surface, Fail> {
    let patterns: Vec<String> = if patterns.is_empty() {
        vec!["./...".to_string()]
    } else {
        patterns.to_vec()
    };
    let opts = go_ingest::Options::default().dir(dir);
    Ok(go_ingest::ingest(&patterns, &opts)?.into_surface()?)
}

fn ingest_cmd(patterns: &[String], dir: &Path, json: bool) -> Result<(), Fail> {
    let surface = ingest(patterns, dir)?;
    if json {
        print!("{}", surface_json(&surface));
    } else {
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
    }
    Ok(())
}

fn surface_json(s: &apisurface::Surface) -> String {
    let mut t = serde_json::to_string_pretty(s).expect("surface serializes");
    t.push('\n');
    t
}

fn policy(name: &str) -> Result<tinygo_check::Policy, Fail> {
    match name
        .parse::<gobridge::config::PolicyName>()
        .map_err(Fail::Error)?
    {
        gobridge::config::PolicyName::Tinygo => Ok(tinygo_check::Policy::tinygo(
            tinygo_check::StdTable::newest(),
        )),
        gobridge::config::PolicyName::Mep74 => Ok(tinygo_check::Policy::mep74()),
    }
}

fn check(
    patterns: &[String],
    dir: &Path,
    profile: &str,
    policy_name: &str,
    json: bool,
) -> Result<(), Fail> {
    let profile: tinygo_check::Profile = profile.parse()?;
    let policy = policy(policy_name)?;
    let surface = ingest(patterns, dir)?;
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
        Err(Fail::Found(format!(
            "{} violation(s) of the {profile} profile",
            all.len()
        )))
    }
}

fn generate(a: GenerateArgs) -> Result<(), Fail> {
    let example = a.dir.is_none() && a.surface.is_none() && a.patterns.is_empty();
    let dir = match &a.dir {
        Some(d) => d.clone(),
        None if example => example_dir(),
        None => PathBuf::from("."),
    };
    let out = a.out.clone().unwrap_or_else(|| {
        if example {
            default_out()
        } else {
            PathBuf::from("gobridge-out")
        }
    });
    let config_path = a.config.clone().or_else(|| {
        let p = dir.join("gobridge.toml");
        p.exists().then_some(p)
    });
    let config = match &config_path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    eprintln!(
        "gobridge: reading {}",
        if let Some(s) = &a.surface {
            s.display().to_string()
        } else {
            dir.display().to_string()
        }
    );
    let surface: apisurface::Surface = match &a.surface {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let s: apisurface::Surface =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            s.check_schema()?;
            s
        }
        None => ingest(&a.patterns, &dir)?,
    };
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // A local main module is replaced by its directory; a dependency (it has a version) comes
    // from the module proxy.
    let source_replace = if a.surface.is_none() && surface.version.is_empty() {
        relative(&out, &dir)
    } else {
        None
    };
    let generated = match synthesize(
        &surface,
        &config,
        &Options {
            wrapper_module: None,
            source_replace,
        },
    ) {
        Ok(g) => g,
        Err(e @ SynthError::Subset(_)) => return Err(Fail::Found(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let lock = Lockfile::new(
        &surface.go_version,
        surface_json(&surface).as_bytes(),
        &config.canonical_toml(),
        &generated.files,
    );
    if a.locked {
        let old = Lockfile::read(&out)?;
        let drift = old.diff(&lock);
        if !drift.is_empty() {
            return Err(Fail::Found(drift_message(
                "output would differ from gobridge.lock",
                &drift,
            )));
        }
        let on_disk = old.verify_dir(&out)?;
        if !on_disk.is_empty() {
            return Err(Fail::Found(drift_message(
                "files on disk differ from gobridge.lock",
                &on_disk,
            )));
        }
    }
    lock::write_output(&out, &generated.files, &lock)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&generated.report)?);
    } else {
        print!("{}", generated.report.summary());
        println!(
            "  wrote    {} ({} files)",
            out.join(lock::LOCK_FILE).display(),
            generated.files.len()
        );
    }
    Ok(())
}

fn drift_message(what: &str, drift: &[Drift]) -> String {
    let mut s = format!("{what}:");
    for d in drift {
        s.push_str(&format!("\n  {d}"));
    }
    s
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
        Err(Fail::Found(drift_message(
            "files differ from gobridge.lock",
            &drift,
        )))
    }
}

fn explain(symbol: &str, patterns: &[String], dir: &Path) -> Result<(), Fail> {
    let surface = ingest(patterns, dir)?;
    let (pkg_filter, name) = match symbol.rsplit_once('/') {
        Some(_) => {
            // `example.com/x.Func` or `example.com/x.Type.Method`: the package ends at the first
            // dot after the last slash.
            let slash = symbol.rfind('/').unwrap_or(0);
            let dot = symbol[slash..]
                .find('.')
                .map(|i| slash + i)
                .ok_or_else(|| Fail::Error(format!("{symbol:?}: expected path.Symbol")))?;
            (Some(&symbol[..dot]), &symbol[dot + 1..])
        }
        None => (None, symbol),
    };
    let policy = tinygo_check::Policy::default();
    let mut found = false;
    for p in &surface.packages {
        if pkg_filter.is_some_and(|f| f != p.import_path) {
            continue;
        }
        let reasons: Vec<_> = goroutine_render::runtime_reasons(p)
            .into_iter()
            .filter(|r| r.symbol == name)
            .collect();
        let exists = p.func(name).is_some()
            || p.type_(name).is_some()
            || name.split_once('.').is_some_and(|(t, m)| {
                p.type_(t).is_some_and(|t| {
                    t.methods
                        .iter()
                        .chain(&t.interface_methods)
                        .any(|x| x.name == m)
                })
            });
        if !exists {
            continue;
        }
        found = true;
        println!("{}.{name}:", p.import_path);
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
            tinygo_check::check_package(tinygo_check::Profile::Embedded, &policy, p)
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
    if found {
        Ok(())
    } else {
        Err(Fail::Error(format!(
            "no symbol {symbol:?} in the ingested packages"
        )))
    }
}

/// `to` relative to `from` (both made absolute), `/`-separated, for a go.mod replace.
fn relative(from: &Path, to: &Path) -> Option<String> {
    let from = std::fs::canonicalize(from).ok()?;
    let to = std::fs::canonicalize(to).ok()?;
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let rel = if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    };
    // A go.mod replace needs ./ or ../ to mean a directory.
    Some(if rel.starts_with("..") || rel == "." {
        rel
    } else {
        format!("./{rel}")
    })
}
