//! The report of a synthesis run: data first (every entry has typed fields), prose second
//! ([`Report::summary`]).
//!
//! Accounting rule: every exported func, method, type, const and var of every non-main package in
//! the surface is either in [`Report::bound`] (something generated makes it callable) or in
//! [`Report::skipped`] with `part: None` and a [`SkipReason`]. Entries with a `part` (a parameter
//! position, a target such as `wasmexport`) say what was left out *of* a symbol and do not count
//! in [`Report::coverage`].

use serde::Serialize;
use std::fmt;
use std::path::Path;

/// What a run did. Serialized for `--json`; [`Report::summary`] for people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Module flat name used in C symbols.
    pub module_flat_name: String,
    /// Import path of the generated module.
    pub wrapper_module: String,
    /// Per source package: its profile and what was made of it.
    pub packages: Vec<PackageReport>,
    /// Generated files with their kind.
    pub files: Vec<FileReport>,
    /// Channel shims (symbol prefix → Go element type).
    pub channels: Vec<ShimReport>,
    /// Callback shims (symbol prefix → Go signature).
    pub callbacks: Vec<ShimReport>,
    /// Exported symbols something generated makes callable.
    pub bound: Vec<Bound>,
    /// Exported symbols (or parts of them) left out, with the reason.
    pub skipped: Vec<Skipped>,
    /// Bound / skipped counts per package and in total.
    pub coverage: Coverage,
    /// Rust names that differ from the plain conversion of their Go names (a collision, or a
    /// second package with the same Go name).
    pub renames: Vec<Renamed>,
    /// The lockfile written, once the output is on disk ([`Report::locate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockfile: Option<String>,
    /// How to build the cgo output, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildCommand>,
}

/// A Rust name chosen to avoid a collision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// Import path of the symbol's package.
    pub package: String,
    /// The Go symbol (or the package itself for a Rust module name).
    pub go_symbol: String,
    /// The name the plain rules gave.
    pub wanted: String,
    /// The name used.
    pub used: String,
}

/// One source package in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageReport {
    /// Import path.
    pub import_path: String,
    /// `standard` or `embedded`.
    pub profile: String,
    /// Why it needs the runtime (`func Ticks result 0: <-chan int64`), empty when it does not.
    pub runtime_reasons: Vec<String>,
    /// Linkname wrappers rendered (embedded profile).
    pub linkname_wrappers: Vec<String>,
    /// wasm exports rendered (embedded profile, `wasip1` target).
    pub wasm_exports: Vec<String>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// Relative path.
    pub path: String,
    /// `go.mod`, `go.sum`, `runtime`, `shims`, `c-archive main`, `linkname`, `fallback`,
    /// `wasmexport`, `rust host module`.
    pub kind: String,
}

/// One shim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShimReport {
    /// C symbol prefix (`mochi_example_int64_chan`).
    pub prefix: String,
    /// The Go type (element or func signature) as go/types prints it, qualified.
    pub go_type: String,
    /// Where it was found first (`func Ticks result 0`).
    pub first_use: String,
    /// Buffer default (channels only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buffer: Option<u32>,
}

/// What kind of exported symbol an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SymbolKind {
    /// A package-level function.
    Func,
    /// A method (symbol `Type.Method`).
    Method,
    /// A named type.
    Type,
    /// A constant.
    Const,
    /// A variable.
    Var,
    /// A struct field (symbol `Type.Field`): a part of its type, not counted in coverage.
    Field,
    /// Not a Go symbol: a generated file that could not be rendered (symbol = its path).
    File,
}

impl SymbolKind {
    /// The stable spelling (`func`, `method`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolKind::Func => "func",
            SymbolKind::Method => "method",
            SymbolKind::Type => "type",
            SymbolKind::Const => "const",
            SymbolKind::Var => "var",
            SymbolKind::Field => "field",
            SymbolKind::File => "file",
        }
    }
}

impl fmt::Display for SymbolKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why something was skipped; serialized as a stable snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// Nothing generated a wrapper or a skip reason for it: linkname wrappers cover functions
    /// and methods only; for a standard-profile package it is a gobridge bug.
    NotYetBound,
    /// A type the C boundary contract, the wasm ABI or the emitter cannot carry.
    UnsupportedType,
    /// Generic: no wrapper can link to or export an uninstantiated function or type.
    Generic,
    /// A type string in the surface that does not parse.
    Unparseable,
    /// Left out by the configuration (`[go.linkname.<symbol>] enabled = false`).
    Disabled,
    /// The wrapper renderer refused the symbol (a name or target it cannot write).
    Refused,
    /// A generated file that could not be rendered.
    RenderFailed,
}

impl SkipReason {
    /// The stable spelling (`not_yet_bound`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotYetBound => "not_yet_bound",
            SkipReason::UnsupportedType => "unsupported_type",
            SkipReason::Generic => "generic",
            SkipReason::Unparseable => "unparseable",
            SkipReason::Disabled => "disabled",
            SkipReason::Refused => "refused",
            SkipReason::RenderFailed => "render_failed",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a bound symbol is made callable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BindingKind {
    /// A `//go:linkname` wrapper function in the generated module (embedded profile).
    Linkname,
    /// The linkname wrapper, also exported to a wasm host with `//go:wasmexport`.
    LinknameWasmexport,
    /// A cgo `//export` wrapper (`cgo/mochi_bind.go`) and a safe Rust item over it.
    Export,
}

impl BindingKind {
    /// The stable spelling (`linkname`, `linkname_wasmexport`).
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::Linkname => "linkname",
            BindingKind::LinknameWasmexport => "linkname_wasmexport",
            BindingKind::Export => "export",
        }
    }
}

impl fmt::Display for BindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exported symbol that generated code makes callable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bound {
    /// Import path of the symbol's package.
    pub package: String,
    /// `Func`, `Type.Method`, `Type`, `Const`, `Var`.
    pub symbol: String,
    /// What the symbol is.
    pub kind: SymbolKind,
    /// How it is bound.
    pub binding: BindingKind,
    /// The Go function that calls it (`gobridge.local/example/linkname/tiny.Double`).
    pub go_name: String,
    /// The C (or wasm export) symbol, when there is one.
    pub c_symbol: Option<String>,
    /// The Rust item in the generated Rust module, when there is one.
    pub rust_name: Option<String>,
}

/// Something left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Import path of the symbol's package (empty for a [`SymbolKind::File`]).
    pub package: String,
    /// `Func`, `Type.Method`, `Type`, `Type.Field`, `Const`, `Var` (a path for a file).
    pub symbol: String,
    /// What the symbol is.
    pub kind: SymbolKind,
    /// `None`: the whole symbol; else the part left out (`param 1`, `result 0`, `wasmexport`).
    pub part: Option<String>,
    /// The Go type involved (a func's signature, a type's underlying type, a value's type).
    pub go_type: String,
    /// Why, as a stable kind.
    pub reason: SkipReason,
    /// Why, in words.
    pub detail: String,
}

/// Counts of exported symbols.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Per package, in surface order.
    pub packages: Vec<PackageCoverage>,
    /// Exported symbols in all packages.
    pub exported: usize,
    /// Of those, bound.
    pub bound: usize,
    /// Of those, skipped.
    pub skipped: usize,
}

/// Counts for one package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PackageCoverage {
    /// Import path.
    pub import_path: String,
    /// Exported funcs, methods, types, consts and vars.
    pub exported: usize,
    /// Of those, bound.
    pub bound: usize,
    /// Of those, skipped.
    pub skipped: usize,
}

/// The command that builds the cgo output into a c-archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildCommand {
    /// Directory to run it in, relative to the output directory (`cgo`).
    pub dir: String,
    /// The `go` arguments.
    pub argv: Vec<String>,
    /// The archive it writes, relative to `dir` (`libexample.a`).
    pub archive: String,
    /// The whole shell command: `cd <out>/cgo && go build ...` (relative to the current
    /// directory once [`Report::locate`] has been called, else to the output directory).
    pub shell: String,
}

impl BuildCommand {
    /// `go build -tags mochi_wrap -buildmode=c-archive -o lib<name>.a .` in `cgo/`.
    pub fn c_archive(dir: &str, name: &str) -> BuildCommand {
        let archive = format!("lib{name}.a");
        let argv: Vec<String> = [
            "go",
            "build",
            "-tags",
            goroutine_render::BUILD_TAG,
            "-buildmode=c-archive",
            "-o",
            &archive,
            ".",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let shell = format!("cd {} && {}", shell_quote(dir), argv.join(" "));
        BuildCommand {
            dir: dir.to_string(),
            argv,
            archive,
            shell,
        }
    }
}

/// `s` as one POSIX shell word: bare when it has only safe characters, else single-quoted.
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '/' | '.' | '_' | '-' | '+' | ',' | ':' | '@' | '%')
        });
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

impl Report {
    /// Recomputes [`Report::coverage`] from `bound` and the whole-symbol `skipped` entries
    /// (fields are parts of their type and not counted, as their bound accessors are not).
    pub fn count(&mut self, exported: &[(String, usize)]) {
        let mut cov = Coverage::default();
        for (pkg, n) in exported {
            let bound = self.bound.iter().filter(|b| &b.package == pkg).count();
            let skipped = self
                .skipped
                .iter()
                .filter(|s| {
                    &s.package == pkg
                        && s.part.is_none()
                        && !matches!(s.kind, SymbolKind::File | SymbolKind::Field)
                })
                .count();
            cov.exported += n;
            cov.bound += bound;
            cov.skipped += skipped;
            cov.packages.push(PackageCoverage {
                import_path: pkg.clone(),
                exported: *n,
                bound,
                skipped,
            });
        }
        self.coverage = cov;
    }

    /// Records where the output went: the lockfile path, and the build command made relative to
    /// the current directory (`cd <out>/cgo && ...`).
    pub fn locate(&mut self, out: &Path) {
        self.lockfile = Some(out.join(crate::lock::LOCK_FILE).display().to_string());
        if let Some(b) = &mut self.build {
            let dir = out.join(&b.dir);
            b.shell = format!(
                "cd {} && {}",
                shell_quote(&dir.to_string_lossy()),
                b.argv.join(" ")
            );
        }
    }

    /// Entries (bound and skipped) for `symbol` (`Func`, `Type.Method`), in `package` if given.
    pub fn entries_for(&self, package: Option<&str>, symbol: &str) -> (Vec<&Bound>, Vec<&Skipped>) {
        let pkg_ok = |p: &str| package.is_none_or(|want| want == p);
        (
            self.bound
                .iter()
                .filter(|b| b.symbol == symbol && pkg_ok(&b.package))
                .collect(),
            self.skipped
                .iter()
                .filter(|s| s.symbol == symbol && pkg_ok(&s.package))
                .collect(),
        )
    }

    /// A readable summary.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "gobridge: module {} (C symbols {}_...)\n",
            self.wrapper_module,
            apisurface::names::go::helper_prefix(&self.module_flat_name)
        );
        for p in &self.packages {
            s.push_str(&format!("  package {} [{}]", p.import_path, p.profile));
            if !p.runtime_reasons.is_empty() {
                s.push_str(&format!(
                    ", needs the runtime ({} reasons)",
                    p.runtime_reasons.len()
                ));
            }
            if !p.linkname_wrappers.is_empty() {
                s.push_str(&format!(
                    ", {} linkname wrappers",
                    p.linkname_wrappers.len()
                ));
            }
            if !p.wasm_exports.is_empty() {
                s.push_str(&format!(", {} wasm exports", p.wasm_exports.len()));
            }
            if let Some(c) = self
                .coverage
                .packages
                .iter()
                .find(|c| c.import_path == p.import_path)
            {
                s.push_str(&format!(
                    "; {} exported: {} bound, {} skipped",
                    c.exported, c.bound, c.skipped
                ));
            }
            s.push('\n');
        }
        for c in &self.channels {
            s.push_str(&format!(
                "  channel  {}_* for {} (buffer {})\n",
                c.prefix,
                c.go_type,
                c.buffer.unwrap_or(1)
            ));
        }
        for c in &self.callbacks {
            s.push_str(&format!("  callback {}_* for {}\n", c.prefix, c.go_type));
        }
        for f in &self.files {
            s.push_str(&format!("  wrote    {} ({})\n", f.path, f.kind));
        }
        for b in &self.bound {
            s.push_str(&format!(
                "  bound    {}.{} ({}) as {}",
                b.package, b.symbol, b.binding, b.go_name
            ));
            if let Some(c) = &b.c_symbol {
                s.push_str(&format!(", C/wasm symbol {c}"));
            }
            if let Some(r) = &b.rust_name {
                s.push_str(&format!(", Rust {r}"));
            }
            s.push('\n');
        }
        for k in &self.skipped {
            s.push_str(&format!("  skipped  {}\n", k.text()));
        }
        for r in &self.renames {
            s.push_str(&format!(
                "  renamed  {} in Rust: {} (not {})\n",
                r.go_symbol, r.used, r.wanted
            ));
        }
        let c = &self.coverage;
        s.push_str(&format!(
            "  coverage {} exported symbols: {} bound, {} skipped\n",
            c.exported, c.bound, c.skipped
        ));
        if let Some(l) = &self.lockfile {
            s.push_str(&format!("  wrote    {l} ({} files)\n", self.files.len()));
        }
        if let Some(b) = &self.build {
            s.push_str(&format!("  build    {}\n", b.shell));
        }
        s
    }
}

impl Skipped {
    /// One line: `example.com/x.Ticks (func) param 0 [unsupported_type] <-chan T: why`.
    pub fn text(&self) -> String {
        let mut s = if self.package.is_empty() {
            self.symbol.clone()
        } else {
            format!("{}.{}", self.package, self.symbol)
        };
        s.push_str(&format!(" ({})", self.kind));
        if let Some(p) = &self.part {
            s.push_str(&format!(" {p}"));
        }
        s.push_str(&format!(" [{}]", self.reason));
        if !self.go_type.is_empty() {
            s.push_str(&format!(" {}", self.go_type));
        }
        s.push_str(&format!(": {}", self.detail));
        s
    }
}
