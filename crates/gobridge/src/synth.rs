//! Synthesis: a surface plus a [`Config`] becomes the generated files and a [`Report`].
//!
//! Output layout (paths relative to the output directory):
//!
//! | path | when | what |
//! |---|---|---|
//! | `go.mod` | a wrapper module path is known | module of the generated code, requiring (and, for a local source, replacing) the source module |
//! | `cgo/mochi_rt.go` | target `cgo` and some standard-profile package needs the runtime | the handle runtime (`package main`: a c-archive must be) |
//! | `cgo/mochi_shims.go` | same | every channel and callback shim, with `import "C"` |
//! | `cgo/main.go` | same | the empty `func main()` a c-archive needs |
//! | `rust/mochi_<module>.rs` | same | the safe Rust API over the shims (`host-render`): `GoChan<T>`, `GoValue`, ... |
//! | `linkname/<pkg>/mochi_linkname.go` | embedded-profile package | `//go:linkname` wrappers (`!mochi_no_linkname`) |
//! | `linkname/<pkg>/mochi_fallback.go` | same | the same API under `mochi_no_linkname` |
//! | `wasm/<pkg>/main.go` | embedded-profile package and target `wasip1` | `//go:wasmexport` of every wasm-ABI wrapper |
//!
//! Channel shims are keyed by element type and named by it (`int64`, `ptr_example_event`), so
//! `[go.channels.<module>.<base>]` overrides can be written before generating; callback shims are
//! keyed by signature and named after the first function and parameter that use it
//! (`countif_keep`). A type the C boundary contract or the emitter cannot honour is listed in the
//! report with the reason; an embedded-profile package with subset violations fails the run.

use crate::config::{Config, PolicyName, ProfileName, Target};
use apisurface::{
    EmitContext, GoType, ImportSet, Package, ParamDecl, Signature, Surface, TypeName, Walk,
    emit_type, parse_type, validate,
};
use goroutine_render::{
    CallbackShim, ChannelShim, RuntimeOptions, ShimFile, crossing, render_runtime, render_shim_file,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tinygo_check::{Policy, Profile, StdTable, Violation, check_package};
use tinygo_render::{
    Compiler, RenderOptions, check_wasm, render_fallback_file, render_file, render_wasm_file,
    specs_for_package,
};

/// What synthesis needs besides the surface and the config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Import path of the generated module (default: `<surface module>/gobridge`).
    pub wrapper_module: Option<String>,
    /// Relative path from the output directory to the source module's directory, for a
    /// `replace` directive in the generated `go.mod` (local sources).
    pub source_replace: Option<String>,
}

/// The generated files (relative path → contents) and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Files, by `/`-separated relative path.
    pub files: BTreeMap<String, String>,
    /// What was generated, skipped and why.
    pub report: Report,
    /// The binding plan of every bound package (the wrappers in `cgo/mochi_bind.go`).
    pub bindings: Vec<bind_render::BoundPackage>,
}

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
    /// Symbols or types left out, with the reason.
    pub skipped: Vec<Skipped>,
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
    /// `go.mod`, `runtime`, `shims`, `c-archive main`, `linkname`, `fallback`, `wasmexport`.
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

/// Something left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Symbol and position (`func Events result 0`, `example.com/x.(*T).M`).
    pub symbol: String,
    /// The type involved, when there is one.
    pub go_type: String,
    /// Why.
    pub reason: String,
}

/// Why synthesis failed (nothing is written).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// Embedded-profile packages violate the subset.
    #[error("{} TinyGo subset violation(s):\n{}", .0.len(), .0.iter().map(|(p, v)| format!("  {p}: {v}")).collect::<Vec<_>>().join("\n"))]
    Subset(Vec<(String, Violation)>),
    /// A configuration value that cannot be used with this surface.
    #[error("config: {0}")]
    Config(String),
    /// A renderer refused its input.
    #[error("rendering {what}: {message}")]
    Render {
        /// Which file.
        what: String,
        /// The renderer's error.
        message: String,
    },
    /// The surface has no packages.
    #[error("the surface has no packages to generate for")]
    Empty,
}

/// Runs synthesis. Deterministic: the same inputs give byte-identical files and report.
pub fn synthesize(
    surface: &Surface,
    config: &Config,
    options: &Options,
) -> Result<Generated, SynthError> {
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
        .unwrap_or_else(|| format!("{}/gobridge", surface.module));
    validate::check_import_path(&wrapper_module)
        .map_err(|e| SynthError::Config(format!("wrapper module: {e}")))?;
    let names: BTreeMap<String, String> = surface
        .packages
        .iter()
        .map(|p| (p.import_path.clone(), p.name.clone()))
        .collect();
    let constraints = apisurface::constraint_names(surface);

    let mut out = Generated {
        files: BTreeMap::new(),
        report: Report::default(),
        bindings: Vec::new(),
    };
    out.report.module_flat_name = module_flat.clone();
    out.report.wrapper_module = wrapper_module.clone();

    if !surface.module.is_empty() && surface.module != "std" {
        let mut gomod = format!("module {wrapper_module}\n\ngo 1.21\n");
        let version = if surface.version.is_empty() {
            "v0.0.0"
        } else {
            &surface.version
        };
        gomod.push_str(&format!("\nrequire {} {version}\n", surface.module));
        if let Some(rel) = &options.source_replace {
            if rel.contains(['\n', '"', ' ']) {
                return Err(SynthError::Config(format!(
                    "source path {rel:?} cannot be written"
                )));
            }
            gomod.push_str(&format!("\nreplace {} => {rel}\n", surface.module));
        }
        add_file(&mut out, "go.mod", "go.mod", gomod);
    }

    let policy = policy_for(config)?;
    let mut violations = Vec::new();
    let mut shims = ShimFile::new(module_flat.clone());
    shims.package = "main".into();
    let mut chan_keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut cb_keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut used_dirs = BTreeSet::new();

    for pkg in &packages {
        let profile = config.profile_for(&pkg.import_path);
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
            ProfileName::Standard => {
                if config.go.targets.contains(&Target::Cgo) {
                    collect_shims(
                        pkg,
                        config,
                        &module_flat,
                        &constraints,
                        &mut shims,
                        &mut chan_keys,
                        &mut cb_keys,
                        &mut out.report,
                    );
                }
            }
            ProfileName::Embedded => {
                let found = check_package(Profile::Embedded, &policy, pkg);
                if !found.is_empty() {
                    violations.extend(found.into_iter().map(|v| (pkg.import_path.clone(), v)));
                    continue;
                }
                embedded_files(
                    pkg,
                    config,
                    &wrapper_module,
                    &names,
                    &mut used_dirs,
                    &mut pr,
                    &mut out,
                )?;
            }
        }
        out.report.packages.push(pr);
    }
    if !violations.is_empty() {
        return Err(SynthError::Subset(violations));
    }

    let bound: Vec<&str> = if config.go.targets.contains(&Target::Cgo) {
        packages
            .iter()
            .filter(|p| config.profile_for(&p.import_path) == ProfileName::Standard)
            .map(|p| p.import_path.as_str())
            .collect()
    } else {
        Vec::new()
    };
    if !bound.is_empty() {
        let (plan, text) =
            crate::bind::bind(surface, &bound, &module_flat, &wrapper_module, &shims)
                .map_err(|e| render_err("cgo/mochi_bind.go", e))?;
        add_file(&mut out, "cgo/mochi_bind.go", "bindings", text);
        out.bindings = plan;
    }
    if !bound.is_empty() || !shims.channels.is_empty() || !shims.callbacks.is_empty() {
        let rt = render_runtime(&RuntimeOptions {
            package: "main".into(),
            max_handles: config.go.max_handles,
        })
        .map_err(|e| render_err("cgo/mochi_rt.go", e))?;
        add_file(&mut out, "cgo/mochi_rt.go", "runtime", rt);
        let ctx = EmitContext::new()
            .package_names(&names)
            .constraint_names(&constraints);
        let text =
            render_shim_file(&shims, &ctx).map_err(|e| render_err("cgo/mochi_shims.go", e))?;
        add_file(&mut out, "cgo/mochi_shims.go", "shims", text);
        let main = apisurface::GoFile::new("main")
            .build_tag(goroutine_render::BUILD_TAG)
            .body("// main is required for -buildmode=c-archive; the host calls the exports.\nfunc main() {}\n")
            .render()
            .map_err(|e| render_err("cgo/main.go", e))?;
        add_file(&mut out, "cgo/main.go", "c-archive main", main);
        // The safe Rust API over the same shims and the bound packages, for Rust hosts
        // (host-render); Rust closures can be the func values it supports.
        let host = crate::bind::host_file(&shims, &out.bindings, &ctx);
        if !host.host_callbacks.is_empty() {
            let text = host_render::render_host_go(&host, &ctx)
                .map_err(|e| render_err("cgo/mochi_host.go", e))?;
            add_file(&mut out, "cgo/mochi_host.go", "host callbacks", text);
        }
        let rust_path = format!("rust/mochi_{module_flat}.rs");
        match host_render::render_rust_module(&host) {
            Ok(text) => add_file(&mut out, &rust_path, "rust host module", text),
            Err(e) => out.report.skipped.push(Skipped {
                symbol: rust_path,
                go_type: String::new(),
                reason: format!("Rust host module not rendered: {e}"),
            }),
        }
        for c in &shims.channels {
            out.report
                .channels
                .iter_mut()
                .filter(|s| s.prefix == c.prefix())
                .for_each(|_| {});
        }
    }
    out.report.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
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

fn render_err(what: &str, e: impl std::fmt::Display) -> SynthError {
    SynthError::Render {
        what: what.to_string(),
        message: e.to_string(),
    }
}

fn policy_for(config: &Config) -> Result<Policy, SynthError> {
    let mut policy = match config.go.policy {
        PolicyName::Tinygo => Policy::tinygo(StdTable::newest()),
        PolicyName::Mep74 => Policy::mep74(),
    };
    for (path, reason) in &config.go.bans.packages {
        policy
            .ban_package(&path.0, reason)
            .map_err(|e| SynthError::Config(format!("bans.packages {:?}: {e}", path.0)))?;
    }
    for (prefix, reason) in &config.go.bans.type_prefixes {
        policy
            .ban_type_prefix(prefix, reason)
            .map_err(|e| SynthError::Config(format!("bans.type_prefixes {prefix:?}: {e}")))?;
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

/// Replaces the names of `home` (unqualified, not predeclared, not a type parameter) with
/// qualified names, so a type can be emitted outside its package.
fn qualify(ty: &mut GoType, home: &str, type_params: &[&str]) {
    match ty {
        GoType::Named(TypeName {
            package,
            name,
            type_args,
        }) => {
            if package.is_none()
                && !validate::is_predeclared_type(name)
                && !type_params.contains(&name.as_str())
            {
                *package = Some(home.into());
            }
            type_args
                .iter_mut()
                .for_each(|a| qualify(a, home, type_params));
        }
        GoType::Untyped(_) => {}
        GoType::Pointer(e) | GoType::Slice(e) | GoType::Variadic(e) => {
            qualify(e, home, type_params)
        }
        GoType::Array { elem, .. } | GoType::Chan { elem, .. } => qualify(elem, home, type_params),
        GoType::Map { key, value } => {
            qualify(key, home, type_params);
            qualify(value, home, type_params);
        }
        GoType::Func(sig) => qualify_sig(sig, home, type_params),
        GoType::Struct(fields) => fields
            .iter_mut()
            .for_each(|f| qualify(&mut f.ty, home, type_params)),
        GoType::Interface(elems) => elems.iter_mut().for_each(|e| match e {
            apisurface::InterfaceElem::Method { sig, .. } => qualify_sig(sig, home, type_params),
            apisurface::InterfaceElem::Embedded(t) => qualify(t, home, type_params),
        }),
        GoType::Union(terms) => terms
            .iter_mut()
            .for_each(|t| qualify(&mut t.ty, home, type_params)),
    }
}

fn qualify_sig(sig: &mut Signature, home: &str, type_params: &[&str]) {
    for p in sig.params.iter_mut().chain(sig.results.iter_mut()) {
        qualify(&mut p.ty, home, type_params);
    }
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

/// Every `chan` and `func` type in the exported signatures of `pkg`, as shims.
#[allow(clippy::too_many_arguments)]
fn collect_shims(
    pkg: &Package,
    config: &Config,
    module: &str,
    constraints: &BTreeSet<String>,
    shims: &mut ShimFile,
    chan_keys: &mut BTreeMap<String, usize>,
    cb_keys: &mut BTreeMap<String, usize>,
    report: &mut Report,
) {
    let methods = pkg
        .types
        .iter()
        .flat_map(|t| t.methods.iter().map(move |m| (Some(t), m)));
    let funcs = pkg.funcs.iter().map(|f| (None, f)).chain(methods);
    for (owner, f) in funcs {
        let symbol = match owner {
            Some(t) => format!("method {}.{}", t.name, f.name),
            None => format!("func {}", f.name),
        };
        let tps: Vec<&str> = f.type_params.iter().map(|t| t.name.as_str()).collect();
        let positions = f
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("param {i}"), p))
            .chain(
                f.results
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("result {i}"), p)),
            );
        for (pos, p) in positions {
            let Ok(mut ty) = parse_type(&p.type_) else {
                report.skipped.push(Skipped {
                    symbol: format!("{}: {symbol} {pos}", pkg.import_path),
                    go_type: p.type_.clone(),
                    reason: "type string does not parse".into(),
                });
                continue;
            };
            qualify(&mut ty, &pkg.import_path, &tps);
            let mut found: Vec<GoType> = Vec::new();
            ty.walk(&mut |t| {
                if matches!(t, GoType::Chan { .. } | GoType::Func(_)) {
                    found.push(t.clone());
                }
                Walk::Continue
            });
            for t in found {
                let at = format!("{}: {symbol} {pos}", pkg.import_path);
                let hint = format!("{}_{}", f.name, p.name);
                add_shim(
                    t,
                    &at,
                    &hint,
                    &tps,
                    config,
                    module,
                    constraints,
                    shims,
                    chan_keys,
                    cb_keys,
                    report,
                );
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn add_shim(
    t: GoType,
    at: &str,
    hint: &str,
    tps: &[&str],
    config: &Config,
    module: &str,
    constraints: &BTreeSet<String>,
    shims: &mut ShimFile,
    chan_keys: &mut BTreeMap<String, usize>,
    cb_keys: &mut BTreeMap<String, usize>,
    report: &mut Report,
) {
    let skip = |report: &mut Report, reason: String| {
        report.skipped.push(Skipped {
            symbol: at.to_string(),
            go_type: t.to_string(),
            reason,
        });
    };
    // A type parameter cannot cross: the shim is not generic.
    let ctx = EmitContext::new()
        .type_params(tps, false)
        .constraint_names(constraints);
    match &t {
        GoType::Chan { elem, .. } => {
            let elem = (**elem).clone();
            if let Err(e) = crossing(&elem) {
                return skip(report, format!("element type: {e}"));
            }
            let src = match emit_type(&elem, &ctx, &mut ImportSet::new()) {
                Ok(s) => s,
                Err(e) => return skip(report, format!("element type: {e}")),
            };
            if chan_keys.contains_key(&src) {
                return;
            }
            let base = unique_base(base_for(&src), shims, chan_keys.len() + cb_keys.len());
            let buffer = config.channel_buffer(module, &base);
            let shim = ChannelShim::new(module, elem.clone())
                .base(base)
                .buffer(buffer);
            report.channels.push(ShimReport {
                prefix: shim.prefix(),
                go_type: elem.to_string(),
                first_use: at.to_string(),
                buffer: Some(buffer),
            });
            chan_keys.insert(src, shims.channels.len());
            shims.channels.push(shim);
        }
        GoType::Func(sig) => {
            for p in sig.params.iter().chain(&sig.results) {
                let inner = match &p.ty {
                    GoType::Variadic(e) => GoType::Slice(e.clone()),
                    t => t.clone(),
                };
                if let Err(e) = crossing(&inner) {
                    return skip(report, format!("callback parameter or result: {e}"));
                }
            }
            let src = match emit_type(&t, &ctx, &mut ImportSet::new()) {
                Ok(s) => s,
                Err(e) => return skip(report, format!("callback signature: {e}")),
            };
            if cb_keys.contains_key(&src) {
                return;
            }
            // Parameter names do not matter to the shim; keep them only when all are named.
            let sig = Signature {
                type_params: Vec::new(),
                params: sig
                    .params
                    .iter()
                    .map(|p| ParamDecl {
                        name: None,
                        ty: p.ty.clone(),
                    })
                    .collect(),
                results: sig
                    .results
                    .iter()
                    .map(|p| ParamDecl {
                        name: None,
                        ty: p.ty.clone(),
                    })
                    .collect(),
            };
            let base = unique_base(base_for(hint), shims, chan_keys.len() + cb_keys.len());
            let shim = CallbackShim::new(module, sig).base(base);
            report.callbacks.push(ShimReport {
                prefix: shim.prefix(),
                go_type: t.to_string(),
                first_use: at.to_string(),
                buffer: None,
            });
            cb_keys.insert(src, shims.callbacks.len());
            shims.callbacks.push(shim);
        }
        _ => {}
    }
}

fn unique_base(base: String, shims: &ShimFile, _n: usize) -> String {
    let taken = |b: &str| {
        shims.channels.iter().any(|c| c.base == b) || shims.callbacks.iter().any(|c| c.base == b)
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|b| !taken(b))
        .expect("a free name")
}

fn embedded_files(
    pkg: &Package,
    config: &Config,
    wrapper_module: &str,
    names: &BTreeMap<String, String>,
    used_dirs: &mut BTreeSet<String>,
    pr: &mut PackageReport,
    out: &mut Generated,
) -> Result<(), SynthError> {
    let base = if validate::is_identifier(&pkg.name) {
        pkg.name.clone()
    } else {
        flat_name(&pkg.import_path)
    };
    let mut dir = base.clone();
    let mut n = 2;
    while !used_dirs.insert(dir.clone()) {
        dir = format!("{base}{n}");
        n += 1;
    }
    let wrapper_path = format!("{wrapper_module}/linkname/{dir}");
    let opts = RenderOptions::new(Compiler::Gc)
        .wrapper_import_path(wrapper_path.clone())
        .package_names(names.clone());
    let (specs, refused) = specs_for_package(pkg, Compiler::Gc);
    for (sym, e) in refused {
        out.report.skipped.push(Skipped {
            symbol: format!("{}.{sym}", pkg.import_path),
            go_type: String::new(),
            reason: e.to_string(),
        });
    }
    let mut kept = Vec::new();
    for s in specs {
        let symbol = format!("{}.{}", pkg.import_path, s.local_name);
        let reason = if config.linkname_for(&s.local_name) == Some(false) {
            Some("linkname disabled in config ([go.linkname.<symbol>] enabled = false)".to_string())
        } else {
            s.validate(&opts).err().map(|e| e.to_string())
        };
        match reason {
            Some(reason) => out.report.skipped.push(Skipped {
                symbol,
                go_type: String::new(),
                reason,
            }),
            None => kept.push(s),
        }
    }
    let specs = kept;
    if specs.is_empty() {
        return Ok(());
    }
    let wrapper = render_file(&dir, &specs, &opts).map_err(|e| render_err(&wrapper_path, e))?;
    let fallback =
        render_fallback_file(&dir, &specs, &opts).map_err(|e| render_err(&wrapper_path, e))?;
    add_file(
        out,
        &format!("linkname/{dir}/mochi_linkname.go"),
        "linkname",
        wrapper,
    );
    add_file(
        out,
        &format!("linkname/{dir}/mochi_fallback.go"),
        "fallback",
        fallback,
    );
    pr.linkname_wrappers = specs.iter().map(|s| s.local_name.clone()).collect();
    if config.go.targets.contains(&Target::Wasip1) {
        let wasm: Vec<_> = specs
            .iter()
            .filter(|s| match check_wasm(s, &opts) {
                Ok(()) => true,
                Err(e) => {
                    out.report.skipped.push(Skipped {
                        symbol: format!("{}.{} (wasmexport)", pkg.import_path, s.local_name),
                        go_type: String::new(),
                        reason: e.to_string(),
                    });
                    false
                }
            })
            .cloned()
            .collect();
        if !wasm.is_empty() {
            let text = render_wasm_file(&wrapper_path, &dir, &wasm, &opts)
                .map_err(|e| render_err(&format!("wasm/{dir}"), e))?;
            add_file(out, &format!("wasm/{dir}/main.go"), "wasmexport", text);
            pr.wasm_exports = wasm.iter().map(|s| s.local_name.clone()).collect();
        }
    }
    Ok(())
}

impl Report {
    /// A readable summary.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "gobridge: module {} (C symbols mochi_{}_...)\n",
            self.wrapper_module, self.module_flat_name
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
        for k in &self.skipped {
            let ty = if k.go_type.is_empty() {
                String::new()
            } else {
                format!(" {}", k.go_type)
            };
            s.push_str(&format!("  skipped  {}{ty}: {}\n", k.symbol, k.reason));
        }
        s
    }
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
        qualify(&mut t, "example.com/lib", &["T"]);
        assert_eq!(
            t.to_string(),
            "map[example.com/lib.Key]func(T, *example.com/lib.Thing) error"
        );
    }
}
