//! Package binding inside synthesis: plans every standard-profile package with `bind-render`
//! and renders `cgo/mochi_bind.go`, whose wrappers use the runtime and shim file next to it.

use apisurface::EmitContext;
use apisurface::Surface;
use bind_render::{BoundPackage, PlanOptions, plan_packages, render_bind_file};
use goroutine_render::ShimFile;
use host_render::{HostCallback, HostFile};

/// Import path of the cgo package inside the wrapper module.
pub fn cgo_package_path(wrapper_module: &str) -> String {
    format!("{wrapper_module}/{}", apisurface::names::file::CGO_DIR)
}

/// Plans `packages` (import paths) and renders the binding file. Channel elements with a shim
/// in `shims` cross as that shim's channels.
pub fn bind(
    surface: &Surface,
    packages: &[&str],
    module_flat: &str,
    wrapper_module: &str,
    shims: &ShimFile,
    config: &crate::Config,
) -> Result<(Vec<BoundPackage>, String), bind_render::BindError> {
    let opts = PlanOptions {
        module: module_flat.to_string(),
        target: cgo_package_path(wrapper_module),
        chan_bases: shims
            .channels
            .iter()
            .map(|c| (c.elem.to_string(), c.base.clone()))
            .collect(),
        instantiate: config
            .go
            .instantiate
            .iter()
            .map(|(k, v)| {
                let by_suffix = v.iter().map(|(s, a)| (s.0.clone(), a.clone())).collect();
                (k.clone(), by_suffix)
            })
            .collect(),
    };
    let plan = plan_packages(surface, packages, &opts);
    let text = render_bind_file(&plan, surface, &opts)?;
    Ok((plan, text))
}

/// The host-render input: the shims, the bound packages, and a host callback (a Rust closure
/// as a Go func) for every callback shim whose signature host-render's trampolines carry. The
/// callback shims they cannot carry come back with the reason (for the report).
pub fn host_file(
    shims: &ShimFile,
    bound: &[BoundPackage],
    ctx: &EmitContext<'_>,
) -> (HostFile, Vec<(String, String)>) {
    let wanted = shims
        .callbacks
        .iter()
        .map(|cb| HostCallback::new(shims.module.clone(), cb.base.clone(), cb.sig.clone()))
        .collect();
    let (kept, refused) = host_callbacks(wanted, &shims.package, bound, ctx);
    let mut f = HostFile::new(shims.clone());
    f.host_callbacks = kept;
    f.bound = bound.to_vec();
    let refused = refused
        .into_iter()
        .map(|(h, why)| {
            let prefix = apisurface::names::cb_prefix(&h.module, &h.base);
            (prefix, why)
        })
        .collect();
    (f, refused)
}

/// Of `wanted` (in order), the host callbacks host-render can render into Go package `package`
/// next to `bound`, and the others with the reason: a signature its trampolines cannot carry, or
/// a second Go func type whose Rust closure type is taken — one Rust type serves one Go func
/// type (`func(a.T) error` and `func(b.U) error` with unbound `T`, `U` both take a `GoValue`):
/// the first keeps it, the second's funcs cross as `GoValue`.
pub fn host_callbacks(
    wanted: Vec<HostCallback>,
    package: &str,
    bound: &[BoundPackage],
    ctx: &EmitContext<'_>,
) -> (Vec<HostCallback>, Vec<(HostCallback, String)>) {
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    let mut closures: std::collections::BTreeMap<String, String> = Default::default();
    for h in wanted {
        let mut one = HostFile::new(ShimFile::new(h.module.clone()));
        one.shims.package = package.to_string();
        one.host_callbacks = vec![h.clone()];
        let checked = host_render::render_host_go(&one, ctx)
            .and_then(|_| host_render::render_rust_module(&one))
            .and_then(|_| host_render::closure_type(&h, bound))
            .map_err(|e| e.to_string())
            .and_then(|ty| match closures.get(&ty) {
                Some(first) => Err(format!(
                    "its Rust closure type `{ty}` is already the host callback `{first}`'s"
                )),
                None => {
                    closures.insert(ty, h.base.clone());
                    Ok(())
                }
            });
        match checked {
            Ok(()) => kept.push(h),
            Err(why) => refused.push((h, why)),
        }
    }
    (kept, refused)
}

/// Report entries for a binding plan: every bound function, method, type (its zero-value
/// constructor), variable and constant, and every skip with its reason.
pub fn report_entries(
    plan: &[BoundPackage],
) -> (Vec<crate::report::Bound>, Vec<crate::report::Skipped>) {
    use crate::report::{BindingKind, Bound, SkipReason, Skipped, SymbolKind};
    use bind_render::{FuncKind, SkipKind};
    let mut bound = Vec::new();
    let mut skipped = Vec::new();
    for p in plan {
        let rust = |owner: Option<&str>, name: &str| match owner {
            Some(o) => format!("{}::{o}::{name}", p.rust_mod),
            None => format!("{}::{name}", p.rust_mod),
        };
        for f in &p.funcs {
            let kind = match f.kind {
                FuncKind::Func => SymbolKind::Func,
                FuncKind::Method => SymbolKind::Method,
                FuncKind::Zero => SymbolKind::Type,
                FuncKind::Var => SymbolKind::Var,
                // Field accessors are parts of their type, which the zero constructor binds.
                _ => continue,
            };
            bound.push(Bound {
                package: p.import_path.clone(),
                symbol: match &f.owner_go {
                    Some(t) if f.kind == FuncKind::Method => format!("{t}.{}", f.go_name),
                    _ => f.go_name.clone(),
                },
                kind,
                binding: BindingKind::Export,
                go_name: f.go_symbol.clone(),
                c_symbol: Some(f.c_symbol.clone()),
                rust_name: Some(rust(
                    f.owner.as_ref().map(|o| o.rust_name.as_str()),
                    &f.rust_name,
                )),
            });
        }
        for t in &p.types {
            // A type is bound by its zero-value constructor when it has one; otherwise (basic
            // and interface types, and types Go cannot allocate) by its Rust type alone.
            let has_zero = p
                .funcs
                .iter()
                .any(|f| f.kind == FuncKind::Zero && f.owner.as_ref() == Some(&t.rust));
            if !has_zero {
                bound.push(Bound {
                    package: p.import_path.clone(),
                    symbol: t.go_name.clone(),
                    kind: SymbolKind::Type,
                    binding: BindingKind::Export,
                    go_name: format!("{}.{}", p.import_path, t.go_name),
                    c_symbol: None,
                    rust_name: Some(rust(None, &t.rust.rust_name)),
                });
            }
        }
        for c in &p.consts {
            bound.push(Bound {
                package: p.import_path.clone(),
                symbol: c.go_name.clone(),
                kind: SymbolKind::Const,
                binding: BindingKind::Export,
                go_name: c.go_symbol.clone(),
                c_symbol: None,
                rust_name: Some(rust(None, &c.rust_name)),
            });
        }
        for k in &p.skipped {
            skipped.push(Skipped {
                package: p.import_path.clone(),
                kind: match k.symbol_kind {
                    bind_render::SymbolKind::Method => SymbolKind::Method,
                    bind_render::SymbolKind::Type => SymbolKind::Type,
                    bind_render::SymbolKind::Field => SymbolKind::Field,
                    bind_render::SymbolKind::Const => SymbolKind::Const,
                    bind_render::SymbolKind::Var => SymbolKind::Var,
                    _ => SymbolKind::Func,
                },
                symbol: k.name.clone(),
                part: k.part.clone(),
                go_type: k.go_type.clone(),
                reason: match k.kind {
                    SkipKind::Generic => SkipReason::Generic,
                    _ => SkipReason::UnsupportedType,
                },
                detail: k.reason.clone(),
            });
        }
    }
    (bound, skipped)
}

/// Every Rust name the planner changed to avoid a collision, and every package whose Rust
/// module name is not its Go name.
pub fn renames(plan: &[BoundPackage]) -> Vec<crate::report::Renamed> {
    let mut out = Vec::new();
    for p in plan {
        if p.rust_mod != p.go_name {
            out.push(crate::report::Renamed {
                package: p.import_path.clone(),
                go_symbol: p.import_path.clone(),
                wanted: p.go_name.clone(),
                used: p.rust_mod.clone(),
            });
        }
        out.extend(p.renames.iter().map(|r| crate::report::Renamed {
            package: p.import_path.clone(),
            go_symbol: r.go_symbol.clone(),
            wanted: r.wanted.clone(),
            used: r.used.clone(),
        }));
    }
    out
}
