//! `go-ingest`: real Go packages → the [`apisurface`] JSON model, by running the Go toolchain.
//!
//! [`ingest`] finds `go` (an explicit path, `$GOBRIDGE_GO`, or `PATH`), builds an embedded,
//! stdlib-only Go helper once per toolchain into a cache directory, and runs it in the module
//! directory. The helper runs `go list -e -json -export -deps` once, loads every requested package
//! from the export data `go list` compiled (never type-checking from source), and prints one
//! [`Surface`] document, a package per line as each is built. This side checks every line against
//! the `apisurface` model byte for byte while the helper is still loading later packages, and caches the result keyed on the toolchain, environment, patterns and a fingerprint of
//! every package directory, so an unchanged re-run costs a few file `stat`s.
//!
//! It must never: edit the module it reads (no `go get`, no `go.mod` writes), present a partial
//! document as success, or panic on bad input — every failure is an [`IngestError`] naming the
//! pattern or package with Go's own message.
//!
//! ```no_run
//! use go_ingest::{Options, ingest};
//! let surface = ingest(&["std"], &Options::default())?.into_surface()?;
//! let http = surface.package("net/http").expect("net/http is in std");
//! assert!(http.func("ListenAndServe").is_some());
//! # Ok::<(), go_ingest::IngestError>(())
//! ```
//!
//! Model rules the output follows (every consumer may rely on them):
//!
//! * Only exported objects. `methods` are the exported declared methods of exported named types
//!   (value and pointer receivers; a method's `type_params` are its receiver's). For interfaces,
//!   `interface_methods` are the exported explicit methods and `embedded_types` the embedded
//!   elements (type-set terms included); for structs, `embedded_types` are the embedded fields'
//!   types and `fields` lists every field with its `exported` flag. An alias has kind `alias`,
//!   `alias_of` (the right-hand side) and `underlying`, but no fields or methods of its own.
//! * Sets (packages, funcs, types, methods, consts, vars, imports, deps) are sorted by name;
//!   sequences (params, results, fields, type params, embedded types) keep declaration order. A
//!   variadic last parameter is written `...T`.
//! * Type strings are go/types' `TypeString` with the full import path as qualifier and the
//!   package itself unqualified. Constant values are go/constant's exact form.
//! * `imports` = the packages other than itself that the exported surface names: signatures,
//!   constraints, `alias_of`, exported and embedded fields, embedded interface elements and
//!   exported interface methods, other underlying types, const and var types (`unsafe.Pointer`
//!   counts as `unsafe`). `deps` is `go list`'s full transitive import list.
//! * Wildcard patterns over the standard library (`std`, `net/...`) leave out `vendor/`, `cmd/`,
//!   `internal` and `main` packages; a package named explicitly is always kept. `unsafe`'s
//!   builtins (which have no signature) are recorded in `skipped`.
//! * `Surface.module` is `std` when every package is in the standard library, else the module
//!   holding them (the main module first), with its `version` for a dependency;
//!   `go_version` is the release (`go1.26.0`) and `generated_by` is [`GENERATED_BY`].
//! * Doc strings are synopses of the comment directly above each declaration (or of its group);
//!   positions are `file.go:line:col` relative to the package directory, as the export data
//!   records them.
//!
//! Caching: the helper binary lives in the cache directory under a key of its source, `go
//! version` and the host platform. A result is stored under a key of the helper, the `go` binary,
//! every `GO*`/`CGO_*` environment variable and the `go env -w` file, the patterns, directory and
//! options; it is reused only while the `stat` fingerprint of every package directory (and its
//! `.go` files), every directory under a local `...` pattern's root, and the go.mod / go.sum /
//! go.work family is unchanged, and is not stored when an input changed within two seconds of
//! the run's start. Both caches are written to a temporary name and renamed into place.

#![warn(missing_docs)]

mod cache;
mod error;

pub use cache::default_cache_dir;
pub use error::IngestError;

use apisurface::{Package, SCHEMA_VERSION, Surface};
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The embedded helper's Go source.
const HELPER_SOURCE: &str = include_str!("helper/main.go");

/// Inputs modified less than this before a run started are not trusted for caching (coarse
/// file-system timestamps).
const MTIME_SLACK: std::time::Duration = std::time::Duration::from_secs(2);

/// What wrote the document: `go-ingest <version>`.
pub const GENERATED_BY: &str = concat!("go-ingest ", env!("CARGO_PKG_VERSION"));

/// How to ingest. The default finds `go` itself, works in the current directory, uses
/// [`default_cache_dir`], caches results, stops at the first package that fails, and shows
/// progress only when stderr is a terminal.
#[derive(Debug, Clone)]
pub struct Options {
    go: Option<PathBuf>,
    dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    keep_going: bool,
    result_cache: bool,
    progress: bool,
    tags: Vec<String>,
    env: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            go: None,
            dir: None,
            cache_dir: None,
            keep_going: false,
            result_cache: true,
            progress: true,
            tags: Vec::new(),
            env: Vec::new(),
        }
    }
}

impl Options {
    /// Uses this `go` binary instead of `$GOBRIDGE_GO` or `PATH`.
    pub fn go(mut self, go: impl Into<PathBuf>) -> Self {
        self.go = Some(go.into());
        self
    }
    /// Runs `go list` in this directory (the module root or a folder inside it).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }
    /// Keeps the helper binary and results here instead of [`default_cache_dir`].
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }
    /// Records packages that fail to compile as a package with a [`apisurface::SkipNote`]
    /// instead of failing.
    pub fn keep_going(mut self, yes: bool) -> Self {
        self.keep_going = yes;
        self
    }
    /// Reuses (and stores) results for unchanged inputs. On by default.
    pub fn result_cache(mut self, yes: bool) -> Self {
        self.result_cache = yes;
        self
    }
    /// Shows a package count on stderr while loading, when stderr is a terminal. On by default.
    pub fn progress(mut self, yes: bool) -> Self {
        self.progress = yes;
        self
    }
    /// Build tags for `go list` (`-tags`).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }
    /// Sets an environment variable for the `go list` run only (`GOOS`, `GOARCH`, `CGO_ENABLED`,
    /// `GOFLAGS`, ...), without touching this process's environment. The helper itself is
    /// always built for the host.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// The result of [`ingest`]: the validated surface document.
#[derive(Debug, Clone)]
pub struct Ingested {
    json: String,
    surface: Option<Surface>,
    from_cache: bool,
}

impl Ingested {
    /// The document as canonical compact JSON (no trailing newline); byte-deterministic.
    pub fn json(&self) -> &str {
        &self.json
    }
    /// True when the result came from the result cache without running Go.
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }
    /// The document as the `apisurface` model.
    pub fn into_surface(self) -> Result<Surface, IngestError> {
        match self.surface {
            Some(s) => Ok(s),
            None => parse_surface(&self.json).map(|(s, _)| s),
        }
    }
}

/// Finds the `go` binary: `explicit` if given, else `$GOBRIDGE_GO`, else `go` on `PATH`.
pub fn find_go(explicit: Option<&Path>) -> Result<PathBuf, IngestError> {
    let checked = |p: PathBuf, what: &str| {
        if p.is_file() {
            Ok(p)
        } else {
            Err(IngestError::GoNotFound {
                searched: format!("{what} {}", p.display()),
            })
        }
    };
    if let Some(p) = explicit {
        return checked(p.to_path_buf(), "explicit path");
    }
    if let Some(p) = std::env::var_os("GOBRIDGE_GO").filter(|p| !p.is_empty()) {
        return checked(PathBuf::from(p), "GOBRIDGE_GO=");
    }
    which::which("go").map_err(|_| IngestError::GoNotFound {
        searched: "PATH".to_string(),
    })
}

/// Runs `go version` in `dir` and returns its output line (`go version go1.26.0 linux/amd64`).
/// The directory matters: a `toolchain` line in its go.mod can select another Go release.
pub fn go_version(go: &Path, dir: &Path) -> Result<String, IngestError> {
    let command = format!("{} version", go.display());
    let out = Command::new(go)
        .arg("version")
        .current_dir(dir)
        .output()
        .map_err(|e| IngestError::GoCommand {
            command: command.clone(),
            message: e.to_string(),
        })?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !text.starts_with("go version ") {
        return Err(IngestError::GoCommand {
            command,
            message: format!("{text}{}", String::from_utf8_lossy(&out.stderr).trim()),
        });
    }
    Ok(text)
}

fn check_pattern(p: &str) -> Result<(), IngestError> {
    let reason = if p.is_empty() {
        "empty"
    } else if p.starts_with('-') {
        "starts with `-` (it would be read as a flag)"
    } else if p.chars().any(char::is_control) {
        "contains a control character"
    } else {
        return Ok(());
    };
    Err(IngestError::InvalidInput {
        what: "pattern",
        value: p.to_string(),
        reason,
    })
}

/// Ingests the packages matching `patterns` (as `go list` understands them: `std`, `./...`,
/// import paths) and returns the validated surface document.
pub fn ingest<S: AsRef<str>>(patterns: &[S], opts: &Options) -> Result<Ingested, IngestError> {
    let patterns: Vec<&str> = patterns.iter().map(AsRef::as_ref).collect();
    if patterns.is_empty() {
        return Err(IngestError::InvalidInput {
            what: "pattern",
            value: String::new(),
            reason: "no patterns given",
        });
    }
    for p in &patterns {
        check_pattern(p)?;
    }
    for t in &opts.tags {
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(IngestError::InvalidInput {
                what: "build tag",
                value: t.clone(),
                reason: "build tag is not [A-Za-z0-9_.-]+",
            });
        }
    }
    for (k, _) in &opts.env {
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(IngestError::InvalidInput {
                what: "environment variable",
                value: k.clone(),
                reason: "environment variable name is not [A-Za-z0-9_]+",
            });
        }
    }
    let go = find_go(opts.go.as_deref())?;
    let go = go.canonicalize().unwrap_or(go);
    let dir = match &opts.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()
            .map_err(|e| IngestError::io("reading the current directory", ".", e))?,
    };
    let dir = dir
        .canonicalize()
        .map_err(|e| IngestError::io("opening directory", &dir, e))?;
    let cache_dir = opts.cache_dir.clone().unwrap_or_else(default_cache_dir);
    let helper_hash = cache::hash_parts([HELPER_SOURCE]);

    let result_path = opts.result_cache.then(|| {
        let key = result_key(&helper_hash, &go, &dir, &patterns, opts);
        cache_dir.join("results").join(key)
    });
    if let Some(path) = &result_path {
        if let Some(json) = cache::load_result(path) {
            return Ok(Ingested {
                json,
                surface: None,
                from_cache: true,
            });
        }
    }

    let started = std::time::SystemTime::now();
    let version_line = go_version(&go, &dir)?;
    let helper = ensure_helper(&go, &version_line, &helper_hash, &cache_dir)?;
    let go_version = version_line
        .split_whitespace()
        .nth(2)
        .unwrap_or_default()
        .to_string();
    let (header, surface, json) = run_helper(&helper, &go, &go_version, &dir, &patterns, opts)?;

    if let Some(path) = &result_path {
        let mut inputs = header.inputs;
        inputs.files.extend(module_files(&dir));
        inputs.files.sort();
        inputs.files.dedup();
        inputs.dirs.extend(wildcard_dirs(&dir, &patterns));
        inputs.dirs.sort();
        inputs.dirs.dedup();
        let (fp, newest) = cache::fingerprint_and_newest(&inputs);
        // An input modified during this run (or within the file system's timestamp resolution
        // of its start) may have been read before the change: keep the result out of the cache.
        let start_ns = started
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(u128::MAX);
        if newest.saturating_add(MTIME_SLACK.as_nanos()) < start_ns {
            // A failed cache write costs the next run time, never this run its result.
            let _ = cache::store_result(path, inputs, fp, &json);
        }
    }
    Ok(Ingested {
        json,
        surface: Some(surface),
        from_cache: false,
    })
}

/// The go.mod / go.work family in `dir` and every ancestor, present or not: creating a
/// `go.work` above the module changes what `go list` sees.
fn module_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for d in dir.ancestors() {
        for name in ["go.mod", "go.sum", "go.work", "go.work.sum"] {
            out.push(d.join(name).to_string_lossy().into_owned());
        }
    }
    out
}

/// For `...` patterns over local code: every directory under the pattern's root (for import-path
/// patterns, the module root above `dir`), so that a new package in a directory that held no
/// package before invalidates the result. Skips what the go command skips: names starting with
/// `.` or `_`, and `testdata`.
fn wildcard_dirs(dir: &Path, patterns: &[&str]) -> Vec<String> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in patterns.iter().filter(|p| p.contains("...")) {
        if p.starts_with('.') {
            let prefix = &p[..p.find("...").unwrap_or(p.len())];
            let base = prefix.rfind('/').map_or("", |i| &prefix[..i]);
            roots.push(dir.join(base));
        } else if let Some(root) = dir.ancestors().find(|d| d.join("go.mod").is_file()) {
            roots.push(root.to_path_buf());
        }
    }
    roots.sort();
    roots.dedup();
    let mut out = Vec::new();
    let mut stack = roots;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        out.push(d.to_string_lossy().into_owned());
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with('_') || name == "testdata" {
                continue;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
        }
    }
    out
}

fn result_key(
    helper_hash: &str,
    go: &Path,
    dir: &Path,
    patterns: &[&str],
    opts: &Options,
) -> String {
    let mut parts: Vec<String> = vec![
        "go-ingest result v1".into(),
        GENERATED_BY.into(),
        helper_hash.into(),
        go.to_string_lossy().into_owned(),
        cache::stat_line(go),
        dir.to_string_lossy().into_owned(),
        format!("keep_going={}", opts.keep_going),
        format!("tags={}", opts.tags.join(",")),
    ];
    parts.extend(patterns.iter().map(|p| format!("pattern={p}")));
    // Every Go setting that can change what `go list` reports, from the environment and from
    // the `go env -w` file.
    let mut env: Vec<String> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let k = k.to_string_lossy().into_owned();
            (k.starts_with("GO") || k.starts_with("CGO_") || k == "CC" || k == "CXX")
                .then(|| format!("env {k}={}", v.to_string_lossy()))
        })
        .collect();
    env.sort();
    parts.extend(env);
    parts.extend(opts.env.iter().map(|(k, v)| format!("option env {k}={v}")));
    let goenv = std::env::var_os("GOENV").map(PathBuf::from).or_else(|| {
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|c| c.join("go").join("env"))
    });
    if let Some(f) = goenv {
        parts.push(format!("goenv {} {}", f.display(), cache::stat_line(&f)));
    }
    cache::hash_parts(parts)
}

/// Returns the cached helper binary for this toolchain, building it first if needed.
fn ensure_helper(
    go: &Path,
    version_line: &str,
    helper_hash: &str,
    cache_dir: &Path,
) -> Result<PathBuf, IngestError> {
    let key = cache::hash_parts([
        "go-ingest helper v1",
        helper_hash,
        version_line,
        std::env::consts::OS,
        std::env::consts::ARCH,
        &go.to_string_lossy(),
    ]);
    let helper_dir = cache_dir.join("helper");
    let bin = helper_dir.join(format!("{}{}", &key[..32], std::env::consts::EXE_SUFFIX));
    if bin.is_file() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&helper_dir)
        .map_err(|e| IngestError::io("creating", &helper_dir, e))?;
    let work = cache::unique_tmp(&helper_dir, "build");
    let result = build_helper(go, &work, &bin);
    let _ = std::fs::remove_dir_all(&work);
    result.map(|()| bin)
}

fn build_helper(go: &Path, work: &Path, bin: &Path) -> Result<(), IngestError> {
    std::fs::create_dir_all(work).map_err(|e| IngestError::io("creating", work, e))?;
    let write = |name: &str, text: &str| {
        let p = work.join(name);
        std::fs::write(&p, text).map_err(|e| IngestError::io("writing", p, e))
    };
    write(
        "go.mod",
        "module gobridge.invalid/goingesthelper\n\ngo 1.23\n",
    )?;
    write("main.go", HELPER_SOURCE)?;
    let out_name = format!("go-ingest-helper{}", std::env::consts::EXE_SUFFIX);
    // The helper runs on this machine: build for the host whatever GOOS/GOARCH the caller's
    // `go list` targets, and keep the caller's module settings out of the helper's build.
    let out = Command::new(go)
        .args(["build", "-trimpath", "-o", &out_name, "."])
        .current_dir(work)
        .env_remove("GOOS")
        .env_remove("GOARCH")
        .env("GOFLAGS", "")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("CGO_ENABLED", "0")
        .output()
        .map_err(|e| IngestError::HelperBuild {
            go: go.to_path_buf(),
            message: e.to_string(),
        })?;
    if !out.status.success() {
        return Err(IngestError::HelperBuild {
            go: go.to_path_buf(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let built = work.join(&out_name);
    if let Err(e) = std::fs::rename(&built, bin) {
        if !bin.is_file() {
            return Err(IngestError::io("renaming into", bin, e));
        }
    }
    Ok(())
}

/// The helper's first output line.
#[derive(Debug, serde::Deserialize)]
struct Header {
    #[serde(default)]
    error: Option<Failure>,
    #[serde(default)]
    inputs: cache::Inputs,
}

#[derive(Debug, serde::Deserialize)]
struct Failure {
    kind: String,
    #[serde(default)]
    pattern: String,
    #[serde(default)]
    package: String,
    #[serde(default)]
    message: String,
}

fn run_helper(
    helper: &Path,
    go: &Path,
    go_version: &str,
    dir: &Path,
    patterns: &[&str],
    opts: &Options,
) -> Result<(Header, Surface, String), IngestError> {
    let show_progress = opts.progress && std::io::stderr().is_terminal();
    let mut cmd = helper_command(helper, go, go_version, dir, patterns, opts, show_progress);
    let mut child = cmd.spawn().map_err(|e| IngestError::Helper {
        message: format!("starting {}: {e}", helper.display()),
    })?;
    let err_thread = spawn_stderr_reader(child.stderr.take());
    let stdout = child.stdout.take();
    let read = stdout.map(|out| read_output(BufReader::with_capacity(1 << 16, out)));
    let status = child.wait().map_err(|e| IngestError::Helper {
        message: e.to_string(),
    })?;
    let stderr_text = err_thread.join().unwrap_or_default();
    let out = match read {
        Some(Ok(out)) => out,
        Some(Err(e)) => {
            return Err(IngestError::Helper {
                message: format!("reading helper output: {e}"),
            });
        }
        None => Output::default(),
    };
    if !status.success() {
        return Err(IngestError::Helper {
            message: format!("{status}: {}", stderr_text.trim()),
        });
    }
    let (header, doc) = check_frame(&out, &stderr_text, dir, patterns)?;
    let (surface, json) = assemble(&doc, out.packages)?;
    Ok((header, surface, json))
}

/// The helper's command line and environment.
fn helper_command(
    helper: &Path,
    go: &Path,
    go_version: &str,
    dir: &Path,
    patterns: &[&str],
    opts: &Options,
    show_progress: bool,
) -> Command {
    let mut cmd = Command::new(helper);
    cmd.current_dir(dir).arg("-go").arg(go).args([
        "-go-version",
        go_version,
        "-generated-by",
        GENERATED_BY,
    ]);
    if opts.keep_going {
        cmd.arg("-keep-going");
    }
    if show_progress {
        cmd.arg("-progress");
    }
    if !opts.tags.is_empty() {
        cmd.args(["-tags", &opts.tags.join(",")]);
    }
    cmd.arg("--").args(patterns);
    for (k, v) in &opts.env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Reads the helper's stderr: progress lines update one terminal line, the rest is kept for
/// error messages.
fn spawn_stderr_reader(
    stderr: Option<std::process::ChildStderr>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept = String::new();
        let Some(stderr) = stderr else { return kept };
        let mut shown = false;
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("progress ") {
                let mut it = rest.split(' ');
                if let (Some(n), Some(m)) = (it.next(), it.next()) {
                    eprint!("\rgo-ingest: {n}/{m} packages");
                    shown = true;
                }
                continue;
            }
            kept.push_str(&line);
            kept.push('\n');
        }
        if shown {
            eprintln!();
        }
        kept
    })
}

/// The header and trailer lines: present, well-formed, and without a reported failure. Returns
/// the header and the surface line.
fn check_frame(
    out: &Output,
    stderr_text: &str,
    dir: &Path,
    patterns: &[&str],
) -> Result<(Header, String), IngestError> {
    let head = out.header.as_ref().ok_or_else(|| IngestError::Helper {
        message: format!(
            "no header line in helper output; stderr: {}",
            stderr_text.trim()
        ),
    })?;
    let header: Header = serde_json::from_str(head).map_err(|e| IngestError::Helper {
        message: format!("bad header line: {e}"),
    })?;
    if let Some(f) = header.error {
        return Err(failure_error(f, dir, patterns));
    }
    let (Some(doc), Some(trailer)) = (&out.surface, &out.trailer) else {
        return Err(IngestError::Helper {
            message: format!("helper output ended early; stderr: {}", stderr_text.trim()),
        });
    };
    let trailer: Header = serde_json::from_str(trailer).map_err(|e| IngestError::Helper {
        message: format!("bad trailer line: {e}"),
    })?;
    if let Some(f) = trailer.error {
        return Err(failure_error(f, dir, patterns));
    }
    Ok((header, doc.clone()))
}

/// The surface line plus the checked packages, as the model and as its canonical JSON.
fn assemble(
    doc: &str,
    packages: Vec<Result<(Package, String), IngestError>>,
) -> Result<(Surface, String), IngestError> {
    let (mut surface, head_json) = parse_surface(doc)?;
    let Some(prefix) = head_json
        .strip_suffix("[]}")
        .filter(|_| surface.packages.is_empty())
    else {
        return Err(IngestError::SchemaMismatch {
            detail: "/packages: the surface line lists packages of its own".to_string(),
        });
    };
    let mut json = String::with_capacity(
        prefix.len()
            + 2
            + packages
                .iter()
                .map(|p| p.as_ref().map_or(0, |(_, j)| j.len() + 1))
                .sum::<usize>(),
    );
    json.push_str(prefix);
    json.push('[');
    surface.packages.reserve(packages.len());
    for (i, checked) in packages.into_iter().enumerate() {
        let (package, text) = checked?;
        if i > 0 {
            json.push(',');
        }
        json.push_str(&text);
        surface.packages.push(package);
    }
    json.push_str("]}");
    Ok((surface, json))
}

/// The helper's output lines: header, surface (without packages), packages (already checked,
/// in order) and trailer.
#[derive(Default)]
struct Output {
    header: Option<String>,
    surface: Option<String>,
    packages: Vec<Result<(Package, String), IngestError>>,
    trailer: Option<String>,
}

/// Threads that check package lines while the helper still writes later ones.
const CHECK_THREADS: usize = 2;

/// Reads the helper's output to the end, checking each package line against the model on a
/// few threads as it arrives. The last line after the surface is the trailer; a line is known
/// to be a package once another follows it.
fn read_output(mut reader: impl BufRead) -> std::io::Result<Output> {
    let mut out = Output::default();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, String)>();
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|scope| {
        let checkers: Vec<_> = (0..CHECK_THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let next = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((i, line)) = next else { break };
                        done.push((
                            i,
                            check_json(&line, &format!("/packages/{i}"), |_: &Package| Ok(())),
                        ));
                    }
                    done
                })
            })
            .collect();
        let mut pending: Option<String> = None;
        let mut count = 0;
        let read = loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) => break Ok(()),
                Ok(_) => {}
                Err(e) => break Err(e),
            }
            if line.ends_with('\n') {
                line.pop();
            }
            if out.header.is_none() {
                out.header = Some(line);
            } else if out.surface.is_none() {
                out.surface = Some(line);
            } else if let Some(prev) = pending.replace(line) {
                // A send fails only when every checker is gone, which happens only on a panic.
                let _ = tx.send((count, prev));
                count += 1;
            }
        };
        drop(tx);
        out.trailer = pending;
        let mut slots: Vec<Option<Result<(Package, String), IngestError>>> =
            (0..count).map(|_| None).collect();
        for checker in checkers {
            for (i, r) in checker.join().unwrap_or_default() {
                slots[i] = Some(r);
            }
        }
        out.packages = slots
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|| {
                    Err(IngestError::Helper {
                        message: format!("package line {i} was not checked"),
                    })
                })
            })
            .collect();
        read.map(|()| out)
    })
}

fn failure_error(f: Failure, dir: &Path, patterns: &[&str]) -> IngestError {
    let pattern = if f.pattern.is_empty() {
        patterns.join(" ")
    } else {
        f.pattern
    };
    match f.kind.as_str() {
        "no_match" => IngestError::NoMatch {
            pattern,
            message: f.message,
        },
        "compile" => IngestError::Compile {
            package: f.package,
            message: f.message,
        },
        "not_in_module" => IngestError::NotInModule {
            dir: dir.to_path_buf(),
            message: f.message,
        },
        "unsupported_platform" => {
            // Go says "unsupported GOOS/GOARCH pair foo/amd64".
            let pair = f
                .message
                .split_whitespace()
                .find(|w| w.contains('/'))
                .unwrap_or("");
            let pair = f
                .message
                .split("pair ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or(pair);
            let (goos, goarch) = pair.split_once('/').unwrap_or((pair, ""));
            IngestError::UnsupportedPlatform {
                goos: goos.to_string(),
                goarch: goarch.to_string(),
                message: f.message,
            }
        }
        "list" => IngestError::GoList {
            patterns: pattern,
            message: f.message,
        },
        _ => IngestError::Helper {
            message: format!("{}: {}", f.kind, f.message),
        },
    }
}

/// Parses a surface document and checks it is exactly the model: the schema version matches
/// and serializing the parsed model gives back the same JSON (no unknown, missing or mistyped
/// field). Returns the model and the canonical JSON.
fn parse_surface(json: &str) -> Result<(Surface, String), IngestError> {
    check_json(json, "", |surface: &Surface| {
        if surface.schema_version != SCHEMA_VERSION {
            return Err(IngestError::SchemaMismatch {
                detail: format!(
                    "schema_version {} but apisurface reads {SCHEMA_VERSION}",
                    surface.schema_version
                ),
            });
        }
        Ok(())
    })
}

/// Parses `json` (the part of the document at JSON pointer `at`) as `T`, runs `validate` on it,
/// and checks it is exactly the model: re-serializing gives back the same JSON, or differs only
/// in string escaping.
fn check_json<T>(
    json: &str,
    at: &str,
    validate: impl FnOnce(&T) -> Result<(), IngestError>,
) -> Result<(T, String), IngestError>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let mismatch = |e: serde_json::Error| IngestError::SchemaMismatch {
        detail: if at.is_empty() {
            e.to_string()
        } else {
            format!("{at}: {e}")
        },
    };
    let value: T = serde_json::from_str(json).map_err(mismatch)?;
    validate(&value)?;
    let canonical = serde_json::to_string(&value).map_err(mismatch)?;
    if canonical != json {
        // Slow path: the texts differ; decide whether only string escaping differs.
        let a: serde_json::Value = serde_json::from_str(json).map_err(mismatch)?;
        let b: serde_json::Value = serde_json::from_str(&canonical).map_err(mismatch)?;
        if let Some(detail) = first_difference(&a, &b, at.to_string()) {
            return Err(IngestError::SchemaMismatch { detail });
        }
    }
    Ok((value, canonical))
}

/// The JSON pointer of the first place where `got` (helper) and `model` (re-serialized) differ.
fn first_difference(
    got: &serde_json::Value,
    model: &serde_json::Value,
    at: String,
) -> Option<String> {
    use serde_json::Value as V;
    match (got, model) {
        (V::Object(a), V::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    None => return Some(format!("{at}/{k}: field not in the model")),
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("{at}/{k}: field missing from the helper output"))
        }
        (V::Array(a), V::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, format!("{at}/{i}"))),
        _ if got == model => None,
        _ => Some(format!(
            "{at}: helper wrote {got}, the model reads it as {model}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_check_names_unknown_field() {
        let json = r#"{"schema_version":1,"module":"m","version":"","go_version":"","generated_by":"","packages":[],"extra":1}"#;
        let err = parse_surface(json).unwrap_err();
        assert!(
            matches!(&err, IngestError::SchemaMismatch { detail } if detail.contains("/extra")),
            "{err}"
        );
    }

    #[test]
    fn schema_check_names_missing_field() {
        let json =
            r#"{"schema_version":1,"module":"m","version":"","go_version":"","packages":[]}"#;
        let err = parse_surface(json).unwrap_err();
        assert!(
            matches!(&err, IngestError::SchemaMismatch { detail } if detail.contains("generated_by")),
            "{err}"
        );
    }

    #[test]
    fn schema_check_refuses_other_version_and_wrong_types() {
        let v2 = r#"{"schema_version":2,"module":"m","version":"","go_version":"","generated_by":"","packages":[]}"#;
        assert!(matches!(
            parse_surface(v2),
            Err(IngestError::SchemaMismatch { .. })
        ));
        let bad = r#"{"schema_version":1,"module":5,"version":"","go_version":"","generated_by":"","packages":[]}"#;
        assert!(matches!(
            parse_surface(bad),
            Err(IngestError::SchemaMismatch { .. })
        ));
    }

    #[test]
    fn schema_check_accepts_other_escaping() {
        let json = "{\"schema_version\":1,\"module\":\"a\\u003cb\",\"version\":\"\",\"go_version\":\"\",\"generated_by\":\"\",\"packages\":[]}";
        let (s, canonical) = parse_surface(json).unwrap();
        assert_eq!(s.module, "a<b");
        assert!(canonical.contains("\"a<b\""));
    }

    fn output(text: &str) -> Output {
        read_output(std::io::Cursor::new(text.as_bytes())).unwrap()
    }

    #[test]
    fn output_lines_are_split_and_packages_checked_in_order() {
        let p = |name: &str| {
            serde_json::to_string(&Package {
                import_path: name.to_string(),
                ..Package::default()
            })
            .unwrap()
        };
        let text = format!(
            "{{\"inputs\":{{}}}}\nSURFACE\n{}\n{}\n{{}}\n",
            p("a"),
            p("b")
        );
        let out = output(&text);
        assert_eq!(out.header.as_deref(), Some("{\"inputs\":{}}"));
        assert_eq!(out.surface.as_deref(), Some("SURFACE"));
        assert_eq!(out.trailer.as_deref(), Some("{}"));
        let names: Vec<String> = out
            .packages
            .into_iter()
            .map(|r| r.unwrap().0.import_path)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn output_package_line_with_unknown_field_is_a_mismatch_at_its_index() {
        let good = serde_json::to_string(&Package::default()).unwrap();
        let bad = good.replacen('{', "{\"extra\":1,", 1);
        let out = output(&format!("H\nS\n{good}\n{bad}\n{{}}"));
        assert!(out.packages[0].is_ok());
        let err = out.packages[1].as_ref().unwrap_err();
        assert!(
            matches!(err, IngestError::SchemaMismatch { detail } if detail.starts_with("/packages/1/extra")),
            "{err}"
        );
        assert_eq!(out.trailer.as_deref(), Some("{}"));
    }

    #[test]
    fn output_without_trailer_has_no_packages() {
        let out = output("H\nS\n");
        assert!(out.packages.is_empty());
        assert!(out.trailer.is_none());
        let out = output("H\nS\n{}\n");
        assert!(out.packages.is_empty());
        assert_eq!(out.trailer.as_deref(), Some("{}"));
    }

    #[test]
    fn patterns_are_checked() {
        assert!(check_pattern("./...").is_ok());
        assert!(matches!(
            check_pattern("-x"),
            Err(IngestError::InvalidInput { .. })
        ));
        assert!(matches!(
            check_pattern(""),
            Err(IngestError::InvalidInput { .. })
        ));
        assert!(matches!(
            check_pattern("a\nb"),
            Err(IngestError::InvalidInput { .. })
        ));
    }

    #[test]
    fn unsupported_platform_names_the_pair() {
        let f = Failure {
            kind: "unsupported_platform".into(),
            pattern: String::new(),
            package: String::new(),
            message: "go: unsupported GOOS/GOARCH pair foo/amd64".into(),
        };
        match failure_error(f, Path::new("/m"), &["./..."]) {
            IngestError::UnsupportedPlatform { goos, goarch, .. } => {
                assert_eq!((goos.as_str(), goarch.as_str()), ("foo", "amd64"));
            }
            other => panic!("{other}"),
        }
    }
}
