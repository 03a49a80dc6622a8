//! Synthesis: a surface plus a [`Config`] becomes the generated files and a [`Report`].
//!
//! Output layout (paths relative to the output directory):
//!
//! | path | when | what |
//! |---|---|---|
//! | `go.mod` | always | module of the generated code (default `gobridge.local/<flat name>`), requiring (and, for a local source, replacing) the source module; built by [`crate::gomod::GoMod`] from checked parts |
//! | `go.sum` | the module has dependencies | written by [`crate::tidy::complete_module`] (the CLI runs it), not by [`synthesize`] |
//! | `cgo/mochi_rt.go` | target `cgo` and some standard-profile package needs the runtime | the handle runtime (`package main`: a c-archive must be) |
//! | `cgo/mochi_shims.go` | same | every channel and callback shim, with `import "C"` |
//! | `cgo/main.go` | same | the empty `func main()` a c-archive needs |
//! | `rust/<module>.rs` | same | the safe Rust API over the shims and the bound packages (`host-render`): `GoChan<T>`, `GoValue`, one `pub mod` per Go package |
//! | `linkname/<pkg>/mochi_linkname.go` | embedded-profile package | `//go:linkname` wrappers (`!mochi_no_linkname`) |
//! | `linkname/<pkg>/mochi_fallback.go` | same | the same API under `mochi_no_linkname` |
//! | `wasm/<pkg>/main.go` | embedded-profile package and target `wasip1` | `//go:wasmexport` of every wasm-ABI wrapper |
//!
//! Channel shims are keyed by element type and named by it (`int64`, `ptr_example_event`), so
//! `[go.channels.<module>.<base>]` overrides can be written before generating; callback shims are
//! keyed by signature and named after the first function and parameter that use it
//! (`countif_keep`). Every exported symbol ends up in [`Report::bound`] or [`Report::skipped`]
//! with a [`SkipReason`]; an embedded-profile package with subset violations fails the run.

use crate::config::{Config, PolicyName, ProfileName, Target};
use crate::gomod::{GoMod, GoModError};
pub use crate::report::{
    BindingKind, Bound, BuildCommand, Coverage, FileReport, PackageCoverage, PackageReport, Report,
    ShimReport, SkipReason, Skipped, SymbolKind,
};
use apisurface::names::file;
use apisurface::{
    EmitContext, GoType, ImportSet, Package, Surface, Walk, emit_type, parse_type, validate,
};
use goroutine_render::{
    CallbackShim, ChannelShim, RuntimeOptions, ShimFile, crossing, render_runtime, render_shim_file,
};
use std::collections::{BTreeMap, BTreeSet};
use tinygo_check::{Policy, PolicyError, Profile, StdTable, Violation, check_package};
use tinygo_render::{
    Compiler, LinknameSpec, RenderOptions, SpecError, check_wasm, render_fallback_file,
    render_file, render_wasm_file,
};

/// The `go` line of the generated `go.mod` (the oldest Go the generated code supports).
pub const GO_LINE: &str = "1.21";
/// Host of the default wrapper module path: `gobridge.local/<module flat name>`. It is not a
/// real host, so the wrapper never sits inside (and never shadows) a dependency's namespace.
pub const WRAPPER_HOST: &str = "gobridge.local";

/// What synthesis needs besides the surface and the config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Module path of the generated module (default: `gobridge.local/<module flat name>`).
    pub wrapper_module: Option<String>,
    /// Relative path (`./x`, `../x`) from the output directory to the source module's directory,
    /// for a `replace` directive in the generated `go.mod` (local sources).
    pub source_replace: Option<String>,
}

impl Options {
    /// Options for generating into `out` from the module in `dir`: a local source module (the
    /// surface has no version) is replaced by `out`'s relative path to `dir`.
    pub fn for_module(surface: &Surface, out: &std::path::Path, dir: &std::path::Path) -> Options {
        Options {
            wrapper_module: None,
            source_replace: surface
                .version
                .is_empty()
                .then(|| crate::paths::relative(out, dir)),
        }
    }
}

/// The generated files (relative path → contents) and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Files, by `/`-separated relative path.
    pub files: BTreeMap<String, String>,
    /// What was generated, skipped and why.
    pub report: Report,
    /// The `go.mod` the `go.mod` file was rendered from (for [`crate::tidy`]).
    pub go_mod: GoMod,
    /// The binding plan of every bound package (the wrappers in `cgo/mochi_bind.go`).
    pub bindings: Vec<bind_render::BoundPackage>,
}

/// Why synthesis failed (nothing is written).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// Embedded-profile packages violate the subset.
    #[error("{} TinyGo subset violation(s):\n{}", .0.len(), .0.iter().map(|(p, v)| format!("  {p}: {v}")).collect::<Vec<_>>().join("\n"))]
    Subset(Vec<(String, Violation)>),
    /// A `[go.bans]` entry the policy refuses.
    #[error("config [go.bans] entry {entry:?}")]
    Ban {
        /// The pattern or prefix.
        entry: String,
        /// The policy's error.
        #[source]
        source: PolicyError,
    },
    /// A value that cannot be written into `go.mod` (module path, version, replace directory).
    #[error("go.mod of {module}")]
    GoMod {
        /// The wrapper module.
        module: String,
        /// Which value and rule.
        #[source]
        source: GoModError,
    },
    /// A renderer refused its input.
    #[error("rendering {what}")]
    Render {
        /// Which file.
        what: String,
        /// The renderer's error.
        #[source]
        source: Box<RenderCause>,
    },
    /// The surface has no packages.
    #[error("the surface has no packages to generate for")]
    Empty,
    /// A name, path, version, type string or tag of the surface cannot reach generated code.
    #[error("the surface is invalid")]
    Surface(#[source] apisurface::SurfaceInvalid),
}

/// The error of the renderer that failed (see [`SynthError::Render`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderCause {
    /// `goroutine-render` (runtime, shims).
    #[error(transparent)]
    Bridge(#[from] goroutine_render::RenderError),
    /// `tinygo-render` (linkname, fallback, wasm files).
    #[error(transparent)]
    Linkname(#[from] tinygo_render::RenderError),
    /// `apisurface`'s Go file writer.
    #[error(transparent)]
    Emit(#[from] apisurface::EmitError),
    /// `bind-render` (the `//export` wrappers of bound packages).
    #[error(transparent)]
    Bind(#[from] bind_render::BindError),
    /// `host-render` (the host-callback trampolines).
    #[error(transparent)]
    Host(#[from] host_render::HostError),
}

fn render_err(what: &str, e: impl Into<RenderCause>) -> SynthError {
    SynthError::Render {
        what: what.to_string(),
        source: Box::new(e.into()),
    }
}

/// What the whole run works with, worked out once.
struct Plan<'a> {
    surface: &'a Surface,
    config: &'a Config,
    packages: Vec<&'a Package>,
    module_flat: String,
    wrapper_module: String,
    names: BTreeMap<String, String>,
    constraints: BTreeSet<String>,
    policy: Policy,
}

/// Runs synthesis. Deterministic: the same inputs give byte-identical files and report.
pub fn synthesize(
    surface: &Surface,
    config: &Config,
    options: &Options,
) -> Result<Generated, SynthError> {
    surface.validate().map_err(SynthError::Surface)?;
    let plan = Plan::new(surface, config, options)?;
    check_subset(&plan)?;
    let mut out = Generated {
        files: BTreeMap::new(),
        report: Report {
            module_flat_name: plan.module_flat.clone(),
            wrapper_module: plan.wrapper_module.clone(),
            ..Report::default()
        },
        go_mod: go_mod(&plan, options)?,
        bindings: Vec::new(),
    };
    let text = out.go_mod.render();
    add_file(&mut out, "go.mod", "go.mod", text);
    let mut shims = Shims::new(&plan);
    for pkg in &plan.packages {
        let pr = generate_package(&plan, pkg, &mut shims, &mut out)?;
        out.report.packages.push(pr);
    }
    cgo_files(&plan, shims, &mut out)?;
    account_symbols(&plan, &mut out.report);
    out.report.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

impl<'a> Plan<'a> {
    fn new(
        surface: &'a Surface,
        config: &'a Config,
        options: &Options,
    ) -> Result<Self, SynthError> {
        let packages: Vec<&Package> = surface.packages.iter().filter(|p| !p.is_main).collect();
        if packages.is_empty() {
            return Err(SynthError::Empty);
        }
        let module_flat = match &config.go.module {
            Some(m) => m.0.clone(),
            None => flat_name(&surface.module),
        };
        let wrapper_module = options
            .wrapper_module
            .clone()
            .unwrap_or_else(|| format!("{WRAPPER_HOST}/{module_flat}"));
        Ok(Plan {
            surface,
            config,
            packages,
            module_flat,
            wrapper_module,
            names: surface
                .packages
                .iter()
                .map(|p| (p.import_path.clone(), p.name.clone()))
                .collect(),
            constraints: apisurface::constraint_names(surface),
            policy: policy_for(config)?,
        })
    }
}

/// The generated module's `go.mod`: every value checked by [`GoMod`].
fn go_mod(plan: &Plan<'_>, options: &Options) -> Result<GoMod, SynthError> {
    let err = |source| SynthError::GoMod {
        module: plan.wrapper_module.clone(),
        source,
    };
    let mut m = GoMod::new(&plan.wrapper_module, GO_LINE).map_err(err)?;
    let module = &plan.surface.module;
    if !module.is_empty() && module != "std" {
        if let Some(rel) = &options.source_replace {
            m.replace_dir(module, rel).map_err(err)?;
        }
        let version = match plan.surface.version.as_str() {
            "" => "v0.0.0",
            v => v,
        };
        m.require(module, version, false).map_err(err)?;
    }
    Ok(m)
}

/// Every embedded-profile package passes the subset check, or the run fails with the full list
/// before anything is rendered.
fn check_subset(plan: &Plan<'_>) -> Result<(), SynthError> {
    let mut violations = Vec::new();
    for pkg in &plan.packages {
        if plan.config.profile_for(&pkg.import_path) == ProfileName::Embedded {
            let found = check_package(Profile::Embedded, &plan.policy, pkg);
            violations.extend(found.into_iter().map(|v| (pkg.import_path.clone(), v)));
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SynthError::Subset(violations))
    }
}

/// One package: shims for a standard-profile package, linkname/wasm files for an embedded one.
fn generate_package(
    plan: &Plan<'_>,
    pkg: &Package,
    shims: &mut Shims<'_>,
    out: &mut Generated,
) -> Result<PackageReport, SynthError> {
    let profile = plan.config.profile_for(&pkg.import_path);
    let mut pr = PackageReport {
        import_path: pkg.import_path.clone(),
        profile: profile.to_string(),
        runtime_reasons: goroutine_render::runtime_reasons(pkg)
            .iter()
            .map(reason_text)
            .collect(),
        linkname_wrappers: Vec::new(),
        wasm_exports: Vec::new(),
    };
    match profile {
        ProfileName::Standard if plan.config.go.targets.contains(&Target::Cgo) => {
            shims.collect(pkg, &mut out.report)
        }
        ProfileName::Standard => {}
        ProfileName::Embedded => embedded_files(plan, pkg, &mut pr, out)?,
    }
    Ok(pr)
}

/// The cgo folder (runtime, shims, `main`) and the Rust module over it, when any shim exists.
fn cgo_files(plan: &Plan<'_>, shims: Shims<'_>, out: &mut Generated) -> Result<(), SynthError> {
    let shims = shims.file;
    let bound = bind_packages(plan, &shims, out)?;
    if !bound && shims.channels.is_empty() && shims.callbacks.is_empty() {
        return Ok(());
    }
    let rt = render_runtime(&RuntimeOptions {
        package: "main".into(),
        max_handles: plan.config.go.max_handles,
    })
    .map_err(|e| render_err(&file::cgo(file::RUNTIME), e))?;
    add_file(out, &file::cgo(file::RUNTIME), "runtime", rt);
    let ctx = EmitContext::new()
        .package_names(&plan.names)
        .constraint_names(&plan.constraints);
    let text =
        render_shim_file(&shims, &ctx).map_err(|e| render_err(&file::cgo(file::SHIMS), e))?;
    add_file(out, &file::cgo(file::SHIMS), "shims", text);
    let main = apisurface::GoFile::new("main")
        .build_tag(goroutine_render::BUILD_TAG)
        .body("// main is required for -buildmode=c-archive; the host calls the exports.\nfunc main() {}\n")
        .render()
        .map_err(|e| render_err(&file::cgo(file::MAIN), e))?;
    add_file(out, &file::cgo(file::MAIN), "c-archive main", main);
    out.report.build = Some(BuildCommand::c_archive("cgo", &plan.module_flat));
    // The safe Rust API over the shims and the bound packages (host-render); a Rust closure can
    // be a Go func value of every callback signature the host trampolines carry.
    let (host, refused) = crate::bind::host_file(&shims, &out.bindings, &ctx);
    for (prefix, why) in refused {
        out.report.skipped.push(Skipped {
            package: String::new(),
            symbol: prefix,
            kind: SymbolKind::File,
            part: Some("host callback".into()),
            go_type: String::new(),
            reason: SkipReason::UnsupportedType,
            detail: format!("no Rust closure can be this Go func: {why}"),
        });
    }
    if !host.host_callbacks.is_empty() {
        let text = host_render::render_host_go(&host, &ctx)
            .map_err(|e| render_err(&file::cgo(file::HOST), e))?;
        add_file(out, &file::cgo(file::HOST), "host callbacks", text);
    }
    // The Rust module is the product: a module that cannot be rendered fails the run.
    let rust_path = apisurface::names::file::rust_module(&plan.module_flat);
    let text = host_render::render_rust_module(&host).map_err(|e| render_err(&rust_path, e))?;
    add_file(out, &rust_path, "rust host module", text);
    Ok(())
}

/// Binds every standard-profile package (target `cgo`): `cgo/mochi_bind.go`, the plan in
/// `out.bindings`, and report entries. Returns whether anything was bound.
fn bind_packages(
    plan: &Plan<'_>,
    shims: &ShimFile,
    out: &mut Generated,
) -> Result<bool, SynthError> {
    if !plan.config.go.targets.contains(&Target::Cgo) {
        return Ok(false);
    }
    let paths: Vec<&str> = plan
        .packages
        .iter()
        .filter(|p| plan.config.profile_for(&p.import_path) == ProfileName::Standard)
        .map(|p| p.import_path.as_str())
        .collect();
    if paths.is_empty() {
        return Ok(false);
    }
    let (bindings, text) = crate::bind::bind(
        plan.surface,
        &paths,
        &plan.module_flat,
        &plan.wrapper_module,
        shims,
        plan.config,
    )
    .map_err(|e| render_err(&file::cgo(file::BIND), e))?;
    add_file(out, &file::cgo(file::BIND), "bindings", text);
    let (bound, skipped) = crate::bind::report_entries(&bindings);
    out.report.bound.extend(bound);
    out.report.skipped.extend(skipped);
    out.report.renames = crate::bind::renames(&bindings);
    out.bindings = bindings;
    Ok(true)
}

/// One exported symbol of a package, as the report names it.
struct Exported {
    symbol: String,
    kind: SymbolKind,
    go_type: String,
    generic: bool,
    unparseable: bool,
}

/// The exported funcs, methods, types, consts and vars of `pkg`, in surface order.
fn exported_symbols(pkg: &Package) -> Vec<Exported> {
    let sig = |f: &apisurface::Func| {
        let list = |ps: &[apisurface::Param]| {
            ps.iter()
                .map(|p| p.type_.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let results = list(&f.results);
        let results = match f.results.len() {
            0 => String::new(),
            1 => format!(" {results}"),
            _ => format!(" ({results})"),
        };
        format!("func({}){results}", list(&f.params))
    };
    let unparseable = |f: &apisurface::Func| {
        f.params
            .iter()
            .chain(&f.results)
            .any(|p| parse_type(&p.type_).is_err())
    };
    let mut out = Vec::new();
    for f in pkg.funcs.iter().filter(|f| validate::is_exported(&f.name)) {
        out.push(Exported {
            symbol: f.name.clone(),
            kind: SymbolKind::Func,
            go_type: sig(f),
            generic: !f.type_params.is_empty(),
            unparseable: unparseable(f),
        });
    }
    for t in pkg.types.iter().filter(|t| validate::is_exported(&t.name)) {
        out.push(Exported {
            symbol: t.name.clone(),
            kind: SymbolKind::Type,
            go_type: t.underlying.clone(),
            generic: !t.type_params.is_empty(),
            unparseable: false,
        });
        // An interface's methods (its method set, embedded ones included) are bound like a
        // concrete type's.
        let methods = t.methods.iter().chain(&t.interface_methods);
        for m in methods.filter(|m| validate::is_exported(&m.name)) {
            out.push(Exported {
                symbol: format!("{}.{}", t.name, m.name),
                kind: SymbolKind::Method,
                go_type: sig(m),
                generic: !t.type_params.is_empty() || !m.type_params.is_empty(),
                unparseable: unparseable(m),
            });
        }
    }
    for (kind, values) in [
        (SymbolKind::Const, &pkg.consts),
        (SymbolKind::Var, &pkg.vars),
    ] {
        for v in values.iter().filter(|v| validate::is_exported(&v.name)) {
            out.push(Exported {
                symbol: v.name.clone(),
                kind,
                go_type: v.type_.clone(),
                generic: false,
                unparseable: false,
            });
        }
    }
    out
}

/// Every exported symbol that nothing binds and no earlier step skipped as a whole is skipped
/// here with its reason; then the entries are sorted and counted.
fn account_symbols(plan: &Plan<'_>, report: &mut Report) {
    let mut counts = Vec::new();
    for pkg in &plan.packages {
        let symbols = exported_symbols(pkg);
        counts.push((pkg.import_path.clone(), symbols.len()));
        let embedded = plan.config.profile_for(&pkg.import_path) == ProfileName::Embedded;
        for e in symbols {
            let (bound, skipped) = report.entries_for(Some(&pkg.import_path), &e.symbol);
            if !bound.is_empty() || skipped.iter().any(|s| s.part.is_none()) {
                continue;
            }
            let (reason, detail) = if e.generic {
                (
                    SkipReason::Generic,
                    "generic: a wrapper needs an instantiation, and none is chosen".to_string(),
                )
            } else if e.unparseable {
                (
                    SkipReason::Unparseable,
                    "a parameter or result type string does not parse".to_string(),
                )
            } else {
                let detail = match (embedded, e.kind) {
                    (true, SymbolKind::Func | SymbolKind::Method) => {
                        "no linkname wrapper was rendered for it".to_string()
                    }
                    (true, _) => "linkname wrappers cover funcs and methods only".to_string(),
                    (false, _) => "the binding planner gave it neither a wrapper nor a skip \
                                   reason (a gobridge bug: please report it)"
                        .to_string(),
                };
                (SkipReason::NotYetBound, detail)
            };
            report.skipped.push(Skipped {
                package: pkg.import_path.clone(),
                symbol: e.symbol,
                kind: e.kind,
                part: None,
                go_type: e.go_type,
                reason,
                detail,
            });
        }
    }
    report
        .bound
        .sort_by(|a, b| (&a.package, &a.symbol).cmp(&(&b.package, &b.symbol)));
    report.skipped.sort_by(|a, b| {
        (&a.package, &a.symbol, &a.part, a.reason).cmp(&(&b.package, &b.symbol, &b.part, b.reason))
    });
    report.count(&counts);
}

/// A readable line for why a symbol needs the runtime: `Ticks result 0: <-chan int64 (a chan)`.
pub fn reason_text(r: &goroutine_render::Reason) -> String {
    let pos = match r.position {
        goroutine_render::Position::Param(i) => format!("param {i}"),
        goroutine_render::Position::Result(i) => format!("result {i}"),
    };
    let why = match &r.why {
        goroutine_render::Why::Chan => "a chan".to_string(),
        goroutine_render::Why::Func => "a func".to_string(),
        goroutine_render::Why::ViaNamed { name } => format!("{name} holds a chan or func"),
        goroutine_render::Why::Unparseable { error } => format!("unparseable: {error}"),
        _ => "other".to_string(),
    };
    format!("{} {pos}: {} ({why})", r.symbol, r.type_string)
}

fn add_file(out: &mut Generated, path: &str, kind: &str, text: String) {
    out.files.insert(path.to_string(), text);
    out.report.files.push(FileReport {
        path: path.to_string(),
        kind: kind.to_string(),
    });
}

fn policy_for(config: &Config) -> Result<Policy, SynthError> {
    let mut policy = match config.go.policy {
        PolicyName::Tinygo => Policy::tinygo(StdTable::newest()),
        PolicyName::Mep74 => Policy::mep74(),
    };
    let ban = |entry: &str| {
        let entry = entry.to_string();
        move |source| SynthError::Ban { entry, source }
    };
    for (path, reason) in &config.go.bans.packages {
        policy.ban_package(&path.0, reason).map_err(ban(&path.0))?;
    }
    for (prefix, reason) in &config.go.bans.type_prefixes {
        policy
            .ban_type_prefix(prefix, reason)
            .map_err(ban(prefix))?;
    }
    Ok(policy)
}

/// A module path's last element as an identifier (`example.com/gobridge/example` → `example`).
pub fn flat_name(module: &str) -> String {
    let last = module.rsplit('/').find(|e| !is_major(e)).unwrap_or(module);
    let mut s: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    s = s.trim_matches('_').to_string();
    if s.is_empty() || s.as_bytes()[0].is_ascii_digit() {
        s.insert(0, 'm');
    }
    s
}

fn is_major(e: &str) -> bool {
    e.len() > 1 && e.starts_with('v') && e[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A symbol base from an emitted Go type: `*example.Event` → `ptr_example_event`.
pub fn base_for(go_src: &str) -> String {
    let mut s = String::new();
    let mut rest = go_src;
    while !rest.is_empty() {
        let (word, n) = if let Some(r) = rest.strip_prefix('*') {
            ("ptr_", rest.len() - r.len())
        } else if rest.starts_with("[]") {
            ("slice_", 2)
        } else if rest.starts_with("map[") {
            ("map_", 4)
        } else if rest.starts_with("<-chan ") {
            ("recvchan_", 7)
        } else if rest.starts_with("chan<- ") {
            ("sendchan_", 7)
        } else if rest.starts_with("chan ") {
            ("chan_", 5)
        } else {
            let c = rest.chars().next().expect("not empty");
            if c.is_ascii_alphanumeric() {
                s.push(c.to_ascii_lowercase());
            } else if !s.ends_with('_') {
                s.push('_');
            }
            rest = &rest[c.len_utf8()..];
            continue;
        };
        s.push_str(word);
        rest = &rest[n..];
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() || s.as_bytes()[0].is_ascii_digit() {
        format!("t{s}")
    } else {
        s
    }
}

/// The shims collected from every standard-profile package, keyed so each type gets one.
struct Shims<'a> {
    config: &'a Config,
    module: &'a str,
    constraints: &'a BTreeSet<String>,
    file: ShimFile,
    chan_keys: BTreeSet<String>,
    cb_keys: BTreeSet<String>,
}

/// Where a shim type was found: the symbol and the position in it.
struct Site<'s> {
    package: &'s str,
    symbol: &'s str,
    kind: SymbolKind,
    part: &'s str,
    hint: &'s str,
    type_params: &'s [&'s str],
}

impl Site<'_> {
    fn skip(&self, go_type: String, reason: SkipReason, detail: String) -> Skipped {
        Skipped {
            package: self.package.to_string(),
            symbol: self.symbol.to_string(),
            kind: self.kind,
            part: Some(self.part.to_string()),
            go_type,
            reason: if self.type_params.is_empty() {
                reason
            } else {
                SkipReason::Generic
            },
            detail,
        }
    }

    fn first_use(&self) -> String {
        let kind = match self.kind {
            SymbolKind::Method => "method",
            _ => "func",
        };
        format!("{}: {kind} {} {}", self.package, self.symbol, self.part)
    }
}

impl<'a> Shims<'a> {
    fn new(plan: &'a Plan<'a>) -> Shims<'a> {
        let mut file = ShimFile::new(plan.module_flat.clone());
        file.package = "main".into();
        Shims {
            config: plan.config,
            module: &plan.module_flat,
            constraints: &plan.constraints,
            file,
            chan_keys: BTreeSet::new(),
            cb_keys: BTreeSet::new(),
        }
    }

    /// Every `chan` and `func` type in the exported signatures of `pkg`, as shims.
    fn collect(&mut self, pkg: &Package, report: &mut Report) {
        let methods = pkg
            .types
            .iter()
            .flat_map(|t| t.methods.iter().map(move |m| (Some(t), m)));
        let funcs = pkg.funcs.iter().map(|f| (None, f)).chain(methods);
        for (owner, f) in funcs {
            let (symbol, kind) = match owner {
                Some(t) => (format!("{}.{}", t.name, f.name), SymbolKind::Method),
                None => (f.name.clone(), SymbolKind::Func),
            };
            let tps: Vec<&str> = f.type_params.iter().map(|t| t.name.as_str()).collect();
            let positions = (f
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("param {i}"), p)))
            .chain((f.results.iter().enumerate()).map(|(i, p)| (format!("result {i}"), p)));
            for (part, p) in positions {
                let hint = format!("{}_{}", f.name, p.name);
                let site = Site {
                    package: &pkg.import_path,
                    symbol: &symbol,
                    kind,
                    part: &part,
                    hint: &hint,
                    type_params: &tps,
                };
                let Ok(mut ty) = parse_type(&p.type_) else {
                    report.skipped.push(site.skip(
                        p.type_.clone(),
                        SkipReason::Unparseable,
                        "type string does not parse".into(),
                    ));
                    continue;
                };
                ty.qualify(&pkg.import_path, &tps);
                let mut found: Vec<GoType> = Vec::new();
                ty.walk(&mut |t| {
                    if matches!(t, GoType::Chan { .. } | GoType::Func(_)) {
                        found.push(t.clone());
                    }
                    Walk::Continue
                });
                for t in found {
                    if let Err(k) = self.add(t, &site, report) {
                        report.skipped.push(*k);
                    }
                }
            }
        }
    }

    fn add(&mut self, t: GoType, site: &Site<'_>, report: &mut Report) -> Result<(), Box<Skipped>> {
        // A type parameter cannot cross: the shim is not generic.
        let ctx = EmitContext::new()
            .type_params(site.type_params, false)
            .constraint_names(self.constraints);
        let unsupported = |what: &str, e: &dyn std::fmt::Display| {
            Box::new(site.skip(
                t.to_string(),
                SkipReason::UnsupportedType,
                format!("{what}: {e}"),
            ))
        };
        match &t {
            GoType::Chan { elem, .. } => {
                let elem = (**elem).clone();
                crossing(&elem).map_err(|e| unsupported("element type", &e))?;
                let src = emit_type(&elem, &ctx, &mut ImportSet::new())
                    .map_err(|e| unsupported("element type", &e))?;
                if !self.chan_keys.insert(src.clone()) {
                    return Ok(());
                }
                let base = self.unique_base(base_for(&src));
                let buffer = self.config.channel_buffer(self.module, &base);
                let shim = ChannelShim::new(self.module, elem.clone())
                    .base(base)
                    .buffer(buffer);
                report.channels.push(ShimReport {
                    prefix: shim.prefix(),
                    go_type: elem.to_string(),
                    first_use: site.first_use(),
                    buffer: Some(buffer),
                });
                self.file.channels.push(shim);
            }
            GoType::Func(sig) => {
                for p in sig.params.iter().chain(&sig.results) {
                    let inner = match &p.ty {
                        GoType::Variadic(e) => GoType::Slice(e.clone()),
                        t => t.clone(),
                    };
                    crossing(&inner)
                        .map_err(|e| unsupported("callback parameter or result", &e))?;
                }
                // Parameter names are not part of a Go type: `func(r rune) bool` and
                // `func(rune) bool` share one shim (and one Rust closure type).
                let mut unnamed = sig.clone();
                unnamed.strip_param_names();
                unnamed.type_params.clear();
                let src = emit_type(&GoType::Func(unnamed.clone()), &ctx, &mut ImportSet::new())
                    .map_err(|e| unsupported("callback signature", &e))?;
                if !self.cb_keys.insert(src) {
                    return Ok(());
                }
                let sig = unnamed;
                let base = self.unique_base(base_for(site.hint));
                let shim = CallbackShim::new(self.module, sig).base(base);
                report.callbacks.push(ShimReport {
                    prefix: shim.prefix(),
                    go_type: t.to_string(),
                    first_use: site.first_use(),
                    buffer: None,
                });
                self.file.callbacks.push(shim);
            }
            _ => {}
        }
        Ok(())
    }

    fn unique_base(&self, base: String) -> String {
        let taken = |b: &str| {
            self.file.channels.iter().any(|c| c.base == b)
                || self.file.callbacks.iter().any(|c| c.base == b)
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|b| !taken(b))
            .expect("a free name")
    }
}

/// The reason kind for a linkname spec the renderer refuses.
fn spec_reason(e: &SpecError) -> SkipReason {
    match e {
        SpecError::Generic { .. } => SkipReason::Generic,
        SpecError::TypeParse { .. } => SkipReason::Unparseable,
        SpecError::LocalName { .. }
        | SpecError::ReservedLocalName { .. }
        | SpecError::Target(_)
        | SpecError::StdTarget { .. }
        | SpecError::ParamName { .. }
        | SpecError::DuplicateParam { .. }
        | SpecError::Receiver { .. } => SkipReason::Refused,
        _ => SkipReason::UnsupportedType,
    }
}

/// The linkname spec of every exported func and method of `pkg`, with the report's symbol name;
/// refusals go to `skipped` as whole-symbol entries.
fn linkname_specs(
    plan: &Plan<'_>,
    pkg: &Package,
    opts: &RenderOptions,
    report: &mut Report,
) -> Vec<(Exported, LinknameSpec)> {
    let mut kept = Vec::new();
    let by_name: BTreeMap<String, Exported> = exported_symbols(pkg)
        .into_iter()
        .map(|e| (e.symbol.clone(), e))
        .collect();
    let methods =
        tinygo_render::package_methods(pkg).map(|m| (format!("{}.{}", m.receiver, m.name), m));
    let funcs = pkg.funcs.iter().map(|f| (f.name.clone(), f.clone()));
    for (symbol, f) in funcs.chain(methods) {
        let Some(e) = by_name.get(&symbol) else {
            continue;
        };
        let spec = LinknameSpec::from_func(pkg, &f, Compiler::Gc).and_then(|s| {
            s.validate(opts)?;
            Ok(s)
        });
        let skip = |reason, detail| Skipped {
            package: pkg.import_path.clone(),
            symbol: symbol.clone(),
            kind: e.kind,
            part: None,
            go_type: e.go_type.clone(),
            reason,
            detail,
        };
        match spec {
            Err(err) => report
                .skipped
                .push(skip(spec_reason(&err), err.to_string())),
            Ok(s) if plan.config.linkname_for(&s.local_name) == Some(false) => {
                report.skipped.push(skip(
                    SkipReason::Disabled,
                    "linkname disabled in config ([go.linkname.<symbol>] enabled = false)".into(),
                ))
            }
            Ok(s) => kept.push((
                Exported {
                    symbol: symbol.clone(),
                    kind: e.kind,
                    go_type: e.go_type.clone(),
                    generic: e.generic,
                    unparseable: e.unparseable,
                },
                s,
            )),
        }
    }
    kept
}

/// Linkname wrapper, fallback and (target `wasip1`) wasm export files of an embedded package.
fn embedded_files(
    plan: &Plan<'_>,
    pkg: &Package,
    pr: &mut PackageReport,
    out: &mut Generated,
) -> Result<(), SynthError> {
    let dir = if validate::is_identifier(&pkg.name) {
        pkg.name.clone()
    } else {
        flat_name(&pkg.import_path)
    };
    let taken: BTreeSet<&str> = out
        .files
        .keys()
        .filter_map(|p| p.strip_prefix("linkname/")?.split('/').next())
        .collect();
    let dir = std::iter::once(dir.clone())
        .chain((2..).map(|n| format!("{dir}{n}")))
        .find(|d| !taken.contains(d.as_str()))
        .expect("a free directory");
    let wrapper_path = format!("{}/linkname/{dir}", plan.wrapper_module);
    let opts = RenderOptions::new(Compiler::Gc)
        .wrapper_import_path(wrapper_path.clone())
        .package_names(plan.names.clone());
    let kept = linkname_specs(plan, pkg, &opts, &mut out.report);
    if kept.is_empty() {
        return Ok(());
    }
    let specs: Vec<LinknameSpec> = kept.iter().map(|(_, s)| s.clone()).collect();
    let wrapper = render_file(&dir, &specs, &opts).map_err(|e| render_err(&wrapper_path, e))?;
    let fallback =
        render_fallback_file(&dir, &specs, &opts).map_err(|e| render_err(&wrapper_path, e))?;
    add_file(
        out,
        &file::linkname(&dir, file::LINKNAME),
        "linkname",
        wrapper,
    );
    add_file(
        out,
        &file::linkname(&dir, file::FALLBACK),
        "fallback",
        fallback,
    );
    pr.linkname_wrappers = specs.iter().map(|s| s.local_name.clone()).collect();
    let mut wasm = Vec::new();
    for (e, s) in &kept {
        let mut bound = Bound {
            package: pkg.import_path.clone(),
            symbol: e.symbol.clone(),
            kind: e.kind,
            binding: BindingKind::Linkname,
            go_name: format!("{wrapper_path}.{}", s.local_name),
            c_symbol: None,
            rust_name: None,
        };
        if plan.config.go.targets.contains(&Target::Wasip1) {
            match check_wasm(s, &opts) {
                Ok(()) => {
                    bound.binding = BindingKind::LinknameWasmexport;
                    bound.c_symbol = Some(s.local_name.clone());
                    wasm.push(s.clone());
                }
                Err(err) => out.report.skipped.push(Skipped {
                    package: pkg.import_path.clone(),
                    symbol: e.symbol.clone(),
                    kind: e.kind,
                    part: Some("wasmexport".into()),
                    go_type: e.go_type.clone(),
                    reason: SkipReason::UnsupportedType,
                    detail: err.to_string(),
                }),
            }
        }
        out.report.bound.push(bound);
    }
    if !wasm.is_empty() {
        let text = render_wasm_file(&wrapper_path, &dir, &wasm, &opts)
            .map_err(|e| render_err(&format!("wasm/{dir}"), e))?;
        add_file(out, &file::wasm_main(&dir), "wasmexport", text);
        pr.wasm_exports = wasm.iter().map(|s| s.local_name.clone()).collect();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(flat_name("example.com/gobridge/example"), "example");
        assert_eq!(flat_name("example.com/m/v2"), "m");
        assert_eq!(flat_name("github.com/x/go-lib"), "go_lib");
        assert_eq!(flat_name("example.com/9x"), "m9x");
        assert_eq!(base_for("int64"), "int64");
        assert_eq!(base_for("*example.Event"), "ptr_example_event");
        assert_eq!(base_for("map[string][]byte"), "map_string_slice_byte");
        assert_eq!(base_for("CountIf_keep"), "countif_keep");
        assert_eq!(base_for("<-chan int"), "recvchan_int");
        assert_eq!(base_for("[4]int"), "t4_int");
    }

    #[test]
    fn qualify_rewrites_home_names_only() {
        let mut t = parse_type("map[Key]func(T, *Thing) error").unwrap();
        t.qualify("example.com/lib", &["T"]);
        assert_eq!(
            t.to_string(),
            "map[example.com/lib.Key]func(T, *example.com/lib.Thing) error"
        );
    }
}
