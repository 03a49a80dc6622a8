//! The Rust module renderer.

use crate::model::{
    GoExport, HostCallback, HostError, HostFile, Kind, callback_kind, camel, check_c_ident, kind,
};
use apisurface::{ChanDir, EmitContext, GoType, Signature};
use goroutine_render::{Status, render_shim_file};
use std::collections::{BTreeMap, BTreeSet};

const PRELUDE: &str = include_str!("tpl/prelude.rs.tpl");
const CHAN_CORE: &str = include_str!("tpl/chan_core.rs.tpl");
const CHAN_SCALAR: &str = include_str!("tpl/chan_scalar.rs.tpl");
const CHAN_STRING: &str = include_str!("tpl/chan_string.rs.tpl");
const CHAN_HANDLE: &str = include_str!("tpl/chan_handle.rs.tpl");
const CALLBACK_CORE: &str = include_str!("tpl/callback_core.rs.tpl");

/// Hands a host closure's `String` result to Go as C memory Go frees.
const HOST_BYTES_OUT: &str = "/// Writes a host closure's string or byte-slice result as `malloc`ed bytes (NULL when empty)\n/// that Go copies and frees.\nfn host_bytes_out(y: &[u8], r0: *mut *mut u8, r0_len: *mut usize) -> RawStatus {\n    if r0.is_null() || r0_len.is_null() {\n        return Status::BadArg.raw();\n    }\n    let mut p: *mut u8 = std::ptr::null_mut();\n    if !y.is_empty() {\n        // SAFETY: a plain C allocation of `y.len()` bytes, checked for NULL below.\n        p = unsafe { libc::malloc(y.len()) }.cast::<u8>();\n        if p.is_null() {\n            return Status::Exhausted.raw();\n        }\n        // SAFETY: `p` is a fresh allocation of `y.len()` bytes; the regions cannot overlap.\n        unsafe { std::ptr::copy_nonoverlapping(y.as_ptr(), p, y.len()) };\n    }\n    // SAFETY: Go passes writable `r0` and `r0_len` for this call (checked non-NULL).\n    unsafe {\n        r0.write(p);\n        r0_len.write(y.len());\n    }\n    OK\n}\n";

/// rustfmt's default line width.
pub(crate) const WIDTH: usize = 100;
/// rustfmt's default `fn_call_width`: wider argument lists are broken one per line.
pub(crate) const CALL_WIDTH: usize = 60;

/// One `extern "C"` declaration.
#[derive(Debug, Clone)]
pub(crate) struct Extern {
    pub(crate) safe: bool,
    /// The nested module that declares it (`ffi`, `chan0`, `host0`, `exports`).
    pub(crate) group: String,
    /// The C symbol.
    pub(crate) link: String,
    /// The Rust name inside its module.
    pub(crate) name: String,
    pub(crate) params: Vec<String>,
    pub(crate) ret: Option<String>,
    /// A `#[cfg(..)]` predicate when the declaration exists on some targets only.
    pub(crate) cfg: Option<&'static str>,
}

/// Element of a channel, as the host sees it.
struct Chan<'a> {
    base: &'a str,
    elem: &'a GoType,
    kind: Kind,
    rust: String,
}

/// Renders the Rust module of `file`: the `extern "C"` declarations matching the Go shims, the
/// status enum, and the safe API (`GoChan<T>` per channel element, `Select`, `GoValue`,
/// `GoCallback` per host callback, a function per export). The module depends on `std` and
/// `handlepool` only; it is rustfmt-clean and compiles with `-D warnings`.
pub fn render_rust_module(file: &HostFile) -> Result<String, HostError> {
    // The Go side must accept the same description.
    render_shim_file(&file.shims, &EmitContext::new())?;
    let m = file.shims.module.as_str();
    check_c_ident("module", m)?;
    let mut names = Declared::new();
    let chans = resolve_channels(file, &mut names)?;
    let cbs = resolve_callbacks(file, m, &mut names)?;
    let mut ext = module_externs(m, !chans.is_empty());
    ext.extend(channel_externs(m, &chans));
    ext.extend(callback_externs(&cbs));
    let exports = resolve_exports(file, &chans, &cbs, &mut names)?;
    let go_funcs = resolve_go_funcs(file, &chans, &cbs);
    check_unique_links(&ext, exports.iter().chain(&go_funcs))?;
    let mut out = render_prelude(m, &ext, &chans, &cbs)?;
    out.push_str(&render_channels(&chans)?);
    out.push_str(&render_callbacks(&cbs)?);
    out.push_str(&render_exports(&exports));
    out.push_str(&render_go_funcs(&go_funcs));
    out.push_str(&crate::bind::render_bound(
        m,
        &file.bound,
        &bound_known(&chans, &cbs),
        &names.0,
    )?);
    Ok(out)
}

/// Rust item names taken in the module (the fixed ones first): a second declaration of a name
/// is an error, never a silently shadowed item.
struct Declared(BTreeSet<String>);

impl Declared {
    fn new() -> Declared {
        Declared(
            apisurface::names::RUST_ROOT_NAMES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    }

    fn declare(&mut self, n: String) -> Result<(), HostError> {
        if self.0.insert(n.clone()) {
            Ok(())
        } else {
            Err(HostError::Duplicate { name: n })
        }
    }
}

/// The channel shims with their Rust element types (one channel per Rust type).
fn resolve_channels<'f>(
    file: &'f HostFile,
    names: &mut Declared,
) -> Result<Vec<Chan<'f>>, HostError> {
    let mut chans: Vec<Chan<'_>> = Vec::new();
    let mut by_rust: BTreeMap<String, &str> = BTreeMap::new();
    for c in &file.shims.channels {
        let k = kind(&c.prefix(), &c.elem)?;
        let rust = match &k {
            Kind::Scalar { rust, .. } => rust.to_string(),
            Kind::Str => "String".to_string(),
            Kind::Handle => {
                let n = format!("{}Value", camel(&c.base));
                names.declare(n.clone())?;
                n
            }
        };
        if let Some(first) = by_rust.insert(rust.clone(), &c.base) {
            return Err(HostError::SameElement {
                rust,
                first: first.to_string(),
                second: c.base.clone(),
            });
        }
        chans.push(Chan {
            base: &c.base,
            elem: &c.elem,
            kind: k,
            rust,
        });
    }

    Ok(chans)
}

/// The Rust closure type of host callback `h` (`dyn Fn(i32) -> bool + Send + Sync`) in a module
/// binding `bound`: one Rust type can serve one Go func type only, so a caller choosing which
/// callbacks to render keeps one per closure type.
pub fn closure_type(
    h: &HostCallback,
    bound: &[bind_render::BoundPackage],
) -> Result<String, HostError> {
    Cb::new(h, 0, &bound_handle_types(bound)).map(|c| c.dyn_ty)
}

/// Go types (as go/types prints them) that cross as a bound package's handle type, with that
/// type's path from the module root: `*flag.Flag` → `flag::Flag` (a struct's handle holds a
/// pointer), `go/ast.Node` → `ast::Node`, and a struct by value too (`log/slog.Attr` →
/// `slog::Attr`: the Go side passes a pointer to a copy, see [`bound_struct_values`]). A host
/// closure gets such a parameter or result typed.
fn bound_handle_types(bound: &[bind_render::BoundPackage]) -> BTreeMap<String, String> {
    use bind_render::TypeKind;
    let mut out = BTreeMap::new();
    for p in bound {
        for t in &p.types {
            let go = format!("{}.{}", p.import_path, t.go_name);
            let rust = format!("{}::{}", p.rust_mod, t.rust.rust_name);
            match t.kind {
                TypeKind::Struct => {
                    out.insert(format!("*{go}"), rust.clone());
                    out.insert(go, rust);
                }
                TypeKind::Interface | TypeKind::Other => {
                    out.insert(go, rust);
                }
                _ => {}
            }
        }
    }
    out
}

/// Bound struct types by value (`log/slog.Attr`): their Rust type holds a handle to a `*T`, so
/// a host closure's parameter of such a type crosses as a pointer to a copy, and its result is
/// copied out of the pointer the closure hands back.
pub(crate) fn bound_struct_values(bound: &[bind_render::BoundPackage]) -> BTreeSet<String> {
    bound
        .iter()
        .flat_map(|p| {
            p.types
                .iter()
                .filter(|t| t.kind == bind_render::TypeKind::Struct)
                .map(move |t| format!("{}.{}", p.import_path, t.go_name))
        })
        .collect()
}

/// The Rust type a Go value of type `ty` crosses a host closure as: the bound type of
/// [`bound_handle_types`], else `GoValue`.
fn handle_type(bound: &BTreeMap<String, String>, ty: &GoType) -> String {
    bound
        .get(&ty.to_string())
        .cloned()
        .unwrap_or_else(|| "GoValue".into())
}

/// The host callbacks of module `m` (one per Rust closure type).
fn resolve_callbacks<'f>(
    file: &'f HostFile,
    m: &str,
    names: &mut Declared,
) -> Result<Vec<Cb<'f>>, HostError> {
    let mut cbs: Vec<Cb<'_>> = Vec::new();
    let mut by_fn: BTreeMap<String, &str> = BTreeMap::new();
    let typed = bound_handle_types(&file.bound);
    for h in &file.host_callbacks {
        if h.module != *m {
            return Err(HostError::ModuleMismatch {
                symbol: h.prefix(),
                expected: m.to_string(),
                found: h.module.clone(),
            });
        }
        check_c_ident("base", &h.base)?;
        let cb = Cb::new(h, cbs.len(), &typed)?;
        names.declare(cb.alias.clone())?;
        names.declare(format!("{}CallFn", camel(&h.base)))?;
        if let Some(first) = by_fn.insert(cb.dyn_ty.clone(), &h.base) {
            return Err(HostError::SameCallback {
                rust: cb.dyn_ty,
                first: first.to_string(),
                second: h.base.clone(),
            });
        }
        cbs.push(cb);
    }

    Ok(cbs)
}

/// Targets where the c-archive's `C.malloc` and the host's C library `free` are one heap (a
/// static archive linked into a Unix program); elsewhere (Windows, where Go's C runtime may not
/// be the host's) memory Go returns is freed through the module's `free` export.
const SHARED_HEAP: &str = "unix";
/// The complement of [`SHARED_HEAP`].
const NOT_SHARED_HEAP: &str = "not(unix)";

/// The module-wide shims (`free`, `release`, `live`, and `select` when there are channels).
fn module_externs(m: &str, select: bool) -> Vec<Extern> {
    let mut ext: Vec<Extern> = vec![
        Extern {
            safe: false,
            group: "ffi".into(),
            link: apisurface::names::module_symbol(m, "free"),
            name: "free".into(),
            params: vec!["p: *mut c_void".into()],
            ret: None,
            cfg: Some(NOT_SHARED_HEAP),
        },
        // Where the archive and the host share one C heap, Go's `C.malloc` memory is freed
        // with the C library's `free`: one cgo crossing per string result instead of two.
        Extern {
            safe: false,
            group: "libc".into(),
            link: "free".into(),
            name: "free".into(),
            params: vec!["p: *mut c_void".into()],
            ret: None,
            cfg: Some(SHARED_HEAP),
        },
        Extern {
            safe: true,
            group: "ffi".into(),
            link: apisurface::names::module_symbol(m, "release"),
            name: "release".into(),
            params: vec!["id: u64".into()],
            ret: Some("RawStatus".into()),
            cfg: None,
        },
        Extern {
            safe: true,
            group: "ffi".into(),
            link: apisurface::names::module_symbol(m, "live"),
            name: "live".into(),
            params: vec![],
            ret: Some("i64".into()),
            cfg: None,
        },
    ];
    if select {
        ext.push(Extern {
            safe: false,
            group: "ffi".into(),
            link: apisurface::names::module_symbol(m, "select"),
            name: "select".into(),
            params: vec![
                "cases: *mut RawSelectCase".into(),
                "n: i32".into(),
                "nonblocking: bool".into(),
                "chosen: *mut i32".into(),
            ],
            ret: Some("RawStatus".into()),
            cfg: None,
        });
    }
    ext
}

/// Every channel shim's `new`, `send`, `try_send`, `recv`, `try_recv`, `close`, `free`.
fn channel_externs(m: &str, chans: &[Chan<'_>]) -> Vec<Extern> {
    let mut ext = Vec::new();
    for (ci, c) in chans.iter().enumerate() {
        let p = apisurface::names::chan_prefix(m, c.base);
        let group = format!("chan{ci}");
        let (input, output, in_safe): (Vec<String>, Vec<String>, bool) = match &c.kind {
            Kind::Scalar { rust, .. } => (
                vec![format!("v: {rust}")],
                vec![format!("out: *mut {rust}")],
                true,
            ),
            Kind::Str => (
                vec!["v: *const u8".into(), "v_len: usize".into()],
                vec!["out: *mut *mut u8".into(), "out_len: *mut usize".into()],
                false,
            ),
            Kind::Handle => (vec!["v: u64".into()], vec!["out: *mut u64".into()], true),
        };
        let st = Some("RawStatus".to_string());
        ext.push(Extern {
            safe: false,
            group: group.clone(),
            link: format!("{p}_new"),
            name: "new".into(),
            params: vec!["buffer: i64".into(), "out: *mut u64".into()],
            ret: st.clone(),
            cfg: None,
        });
        for op in ["send", "try_send"] {
            let mut params = vec!["id: u64".to_string()];
            params.extend(input.iter().cloned());
            ext.push(Extern {
                safe: in_safe,
                group: group.clone(),
                link: format!("{p}_{op}"),
                name: op.into(),
                params,
                ret: st.clone(),
                cfg: None,
            });
        }
        for op in ["recv", "try_recv"] {
            let mut params = vec!["id: u64".to_string()];
            params.extend(output.iter().cloned());
            ext.push(Extern {
                safe: false,
                group: group.clone(),
                link: format!("{p}_{op}"),
                name: op.into(),
                params,
                ret: st.clone(),
                cfg: None,
            });
        }
        for op in ["close", "free"] {
            ext.push(Extern {
                safe: true,
                group: group.clone(),
                link: format!("{p}_{op}"),
                name: op.into(),
                params: vec!["id: u64".into()],
                ret: st.clone(),
                cfg: None,
            });
        }
    }
    ext
}

/// Every host callback's trampoline `new`/`release` (and `malloc` for string results).
fn callback_externs(cbs: &[Cb<'_>]) -> Vec<Extern> {
    let mut ext = Vec::new();
    for (hi, cb) in cbs.iter().enumerate() {
        let p = cb.h.prefix();
        let group = format!("host{hi}");
        ext.push(Extern {
            safe: false,
            group: group.clone(),
            link: format!("{p}_new"),
            name: "new".into(),
            params: vec![
                format!("call: {}CallFn", camel(&cb.h.base)),
                "drop: HostDropFn".into(),
                "id: u64".into(),
                "out: *mut u64".into(),
            ],
            ret: Some("RawStatus".into()),
            cfg: None,
        });
        ext.push(Extern {
            safe: true,
            group: group.clone(),
            link: format!("{p}_release"),
            name: "release".into(),
            params: vec!["id: u64".into()],
            ret: Some("RawStatus".into()),
            cfg: None,
        });
    }
    if cbs.iter().any(Cb::bytes_out) {
        ext.push(Extern {
            safe: false,
            group: "libc".into(),
            link: "malloc".into(),
            name: "malloc".into(),
            params: vec!["size: usize".into()],
            ret: Some("*mut c_void".into()),
            cfg: None,
        });
    }
    ext
}

/// The wrapper's own exports, checked and named.
fn resolve_exports(
    file: &HostFile,
    chans: &[Chan<'_>],
    cbs: &[Cb<'_>],
    names: &mut Declared,
) -> Result<Vec<Export>, HostError> {
    let handle_names = HandleNames { chans, cbs };
    let mut exports = Vec::new();
    for e in &file.exports {
        check_c_ident("export symbol", &e.symbol)?;
        // The symbol is also the Rust function's name: `_` and Rust keywords cannot be.
        crate::bind::check_rust_ident("export symbol", &e.symbol)?;
        names.declare(e.symbol.clone())?;
        let x = Export::new(e, &handle_names, "exports")?;
        exports.push(x);
    }
    Ok(exports)
}

/// No two declarations link the same C symbol.
fn check_unique_links<'a>(
    ext: &[Extern],
    exports: impl Iterator<Item = &'a Export>,
) -> Result<(), HostError> {
    let mut seen = BTreeSet::new();
    for e in ext.iter().chain(exports.map(|x| &x.ext)) {
        if !seen.insert(e.link.clone()) {
            return Err(HostError::Duplicate {
                name: e.link.clone(),
            });
        }
    }

    Ok(())
}

/// The prelude: the status enum and every `extern "C"` block, grouped.
fn render_prelude(
    m: &str,
    ext: &[Extern],
    chans: &[Chan<'_>],
    cbs: &[Cb<'_>],
) -> Result<String, HostError> {
    let mut variants = String::new();
    let mut from = String::new();
    for st in Status::ALL {
        let name = st.rust_name();
        variants.push_str(&format!(
            "    /// `{}` ({}).\n    {name} = {},\n",
            st.c_name(),
            st.value(),
            st.value()
        ));
        from.push_str(&format!(
            "            {} => Some(Status::{name}),\n",
            st.value()
        ));
    }
    let mut externs = String::new();
    let mut groups: Vec<&str> = Vec::new();
    for e in ext {
        if !groups.contains(&e.group.as_str()) {
            groups.push(&e.group);
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        if gi > 0 {
            externs.push('\n');
        }
        let doc = if *g == "ffi" {
            format!("The module-level shims of `{m}`.")
        } else if let Some(i) = g.strip_prefix("chan") {
            let c = &chans[i.parse::<usize>().unwrap_or(0)];
            format!("The shims of channel `{}` (`chan {}`).", c.base, c.elem)
        } else if *g == "libc" {
            "The C library's allocator: `free` for memory Go returns (Unix), `malloc` for \
             strings host closures return to Go."
                .to_string()
        } else if let Some(i) = g.strip_prefix("host") {
            let h = cbs[i.parse::<usize>().unwrap_or(0)].h;
            format!("The Go trampoline of host callback `{}`.", h.base)
        } else {
            String::new()
        };
        externs.push_str(&extern_module(
            g,
            &doc,
            ext.iter().filter(|e| e.group == *g),
        ));
    }
    fill(
        PRELUDE,
        &[
            ("status_variants", variants.as_str()),
            ("status_from_arms", from.as_str()),
            ("extern_decls", externs.as_str()),
            ("module", m),
        ],
    )
}

/// `GoChan` and `Select` (when there are channels) and each channel's element impl.
fn render_channels(chans: &[Chan<'_>]) -> Result<String, HostError> {
    let mut out = String::new();
    if !chans.is_empty() {
        out.push('\n');
        let mut call = String::new();
        push_let_st(
            &mut call,
            8,
            "ffi::select(self.cases.as_mut_ptr(), n, nonblocking, &mut chosen)",
            true,
        );
        out.push_str(&fill(CHAN_CORE, &[("select_call", call.as_str())])?);
    }
    for (ci, c) in chans.iter().enumerate() {
        out.push('\n');
        let cm = format!("chan{ci}");
        let zero = match c.rust.as_str() {
            "bool" => "false",
            "f32" | "f64" => "0.0",
            _ => "0",
        };
        let go = c.elem.to_string();
        let r = c.rust.as_str();
        let text = match c.kind {
            Kind::Scalar { .. } => fill(
                CHAN_SCALAR,
                &[
                    ("chan_mod", &cm),
                    ("rust_elem_type", r),
                    ("rust_zero_value", zero),
                ],
            )?,
            Kind::Str => fill(CHAN_STRING, &[("chan_mod", &cm)])?,
            // Inside its impls the element is `Self`, so a long name cannot widen a line.
            Kind::Handle => fill(
                CHAN_HANDLE,
                &[
                    ("chan_mod", &cm),
                    ("rust_elem_type", r),
                    ("base", c.base),
                    ("go_elem_type", &go),
                ],
            )?,
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// `GoCallback` and each host callback's trampoline and pool.
fn render_callbacks(cbs: &[Cb<'_>]) -> Result<String, HostError> {
    let mut out = String::new();
    if !cbs.is_empty() {
        out.push('\n');
        out.push_str(&fill(CALLBACK_CORE, &[])?);
        if cbs.iter().any(Cb::bytes_out) {
            out.push('\n');
            out.push_str(HOST_BYTES_OUT);
        }
        for cb in cbs {
            out.push('\n');
            out.push_str(&cb.render());
        }
        out.push('\n');
        out.push_str(
            "/// How many Rust closures Go can reach (live host-pool entries of every kind).\n",
        );
        out.push_str("pub fn host_live() -> usize {\n");
        let sum: Vec<String> = cbs.iter().map(|c| format!("{}.live()", c.pool)).collect();
        let one = format!("    {}", sum.join(" + "));
        if one.len() <= WIDTH {
            out.push_str(&one);
        } else {
            // rustfmt breaks a long sum before each `+`, one indent deeper.
            out.push_str(&format!("    {}", sum.join("\n        + ")));
        }
        out.push_str("\n}\n");
    }
    Ok(out)
}

/// Go func values Rust can call: every callback shim whose signature the export machinery
/// carries becomes `GoValue::call_<base>` over its `cb_call` (the value's own func, resolved and
/// type-checked by Go: another func type is `GoError::WrongKind`). Others stay opaque values.
fn resolve_go_funcs(file: &HostFile, chans: &[Chan<'_>], cbs: &[Cb<'_>]) -> Vec<Export> {
    let handle_names = HandleNames { chans, cbs };
    file.shims
        .callbacks
        .iter()
        .filter_map(|c| {
            let mut sig = c.sig.clone();
            sig.params.insert(
                0,
                apisurface::ParamDecl {
                    name: None,
                    ty: GoType::name("any"),
                },
            );
            let e = GoExport {
                symbol: apisurface::names::cb_symbol(&c.module, &c.base, "call"),
                sig,
                doc: format!(
                    "Calls the Go func value (Go type `{}`).",
                    GoType::Func(c.sig.clone())
                ),
            };
            let mut x = Export::new(&e, &handle_names, "go_funcs").ok()?;
            x.method = Some(format!("call_{}", c.base));
            Some(x)
        })
        .collect()
}

/// `GoValue::call_<base>` methods over the callback shims' `cb_call`.
fn render_go_funcs(go_funcs: &[Export]) -> String {
    if go_funcs.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n");
    out.push_str(&extern_module(
        "go_funcs",
        "The callback shims that call Go func values.",
        go_funcs.iter().map(|x| &x.ext),
    ));
    for x in go_funcs {
        out.push('\n');
        out.push_str(&x.render());
    }
    out.push_str("\nimpl GoValue {\n");
    for (i, x) in go_funcs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&x.render_method());
    }
    out.push_str("}\n");
    out
}

/// The safe functions over the wrapper's own exports.
fn render_exports(exports: &[Export]) -> String {
    let mut out = String::new();
    if !exports.is_empty() {
        out.push('\n');
        out.push_str(&extern_module(
            "exports",
            "The wrapper's exported Go functions.",
            exports.iter().map(|x| &x.ext),
        ));
    }
    for x in exports {
        out.push('\n');
        out.push_str(&x.render());
    }
    out
}

/// The channels and host callbacks bound signatures can use.
fn bound_known(chans: &[Chan<'_>], cbs: &[Cb<'_>]) -> crate::bind::Known {
    crate::bind::Known {
        chans: chans
            .iter()
            .map(|c| crate::bind::KnownChan {
                base: c.base.to_string(),
                rust: c.rust.clone(),
                elem: c.elem.to_string(),
                handle: c.kind == Kind::Handle,
            })
            .collect(),
        callbacks: cbs
            .iter()
            .map(|c| (GoType::Func(unnamed(&c.h.sig)).to_string(), c.alias.clone()))
            .collect(),
    }
}

/// A nested module declaring `items` (each with its C symbol as `link_name` when it differs
/// from its Rust name), so that call sites use short, fixed names.
pub(crate) fn extern_module<'e>(
    name: &str,
    doc: &str,
    items: impl Iterator<Item = &'e Extern>,
) -> String {
    let mut s =
        format!("/// {doc}\nmod {name} {{\n    use super::*;\n\n    unsafe extern \"C\" {{\n");
    for e in items {
        if let Some(cfg) = e.cfg {
            s.push_str(&format!("        #[cfg({cfg})]\n"));
        }
        if e.link != e.name {
            s.push_str(&format!("        #[link_name = \"{}\"]\n", e.link));
        }
        let head = format!(
            "pub(super) {}fn {}",
            if e.safe { "safe " } else { "" },
            e.name
        );
        s.push_str(&fn_sig(8, &head, &e.params, e.ret.as_deref(), ";"));
    }
    s.push_str("    }\n}\n");
    s
}

/// Fills a template with apisurface's single-pass filler (values are never rescanned; a
/// placeholder without a value, or a value without a placeholder, is an error).
fn fill(tpl: &str, values: &[(&str, &str)]) -> Result<String, HostError> {
    apisurface::template::fill(tpl, values).map_err(HostError::Template)
}

/// A function signature as rustfmt lays it out (measured; see the layout tests): an item with a
/// body stays on one line up to [`WIDTH`]; a declaration (`;`) up to one column less, and one
/// that is exactly [`WIDTH`] keeps its parameters on the line and moves `-> R;` to the next;
/// anything longer has one parameter per line.
pub(crate) fn fn_sig(
    indent: usize,
    head: &str,
    params: &[String],
    ret: Option<&str>,
    end: &str,
) -> String {
    let pad = " ".repeat(indent);
    let line = format!("{pad}{head}({})", params.join(", "));
    let ret_text = ret.map(|r| format!(" -> {r}")).unwrap_or_default();
    let one = format!("{line}{ret_text}{end}");
    let decl = end == ";";
    if one.len() <= WIDTH - usize::from(decl) {
        return one + "\n";
    }
    if let (true, Some(r)) = (decl && one.len() == WIDTH, ret) {
        return format!("{line}\n{pad}-> {r}{end}\n");
    }
    vertical(&pad, head, params, ret, end)
}

/// The Rust type of a call's results: `()`, the one type, or a tuple.
pub(crate) fn result_type<'a>(types: impl ExactSizeIterator<Item = &'a str>) -> String {
    let one = types.len() == 1;
    let list: Vec<&str> = types.collect();
    if one {
        list[0].to_string()
    } else {
        format!("({})", list.join(", "))
    }
}

/// One parameter per line, `) -> R` on the last.
fn vertical(pad: &str, head: &str, params: &[String], ret: Option<&str>, end: &str) -> String {
    let ret = ret.map(|r| format!(" -> {r}")).unwrap_or_default();
    let mut s = format!("{pad}{head}(\n");
    for p in params {
        s.push_str(&format!("{pad}    {p},\n"));
    }
    s.push_str(&format!("{pad}){ret}{end}\n"));
    s
}

/// A host callback, resolved for rendering.
struct Cb<'a> {
    h: &'a HostCallback,
    /// `dyn Fn(...) -> R + Send + Sync`.
    dyn_ty: String,
    /// The alias of `dyn_ty`.
    alias: String,
    /// The static host pool.
    pool: String,
    /// Position among the file's host callbacks (names `host<index>` items).
    index: usize,
    params: Vec<Kind>,
    /// Per parameter: a `[]byte` (crossing like a string, `&[u8]` in Rust).
    bytes: Vec<bool>,
    /// Per parameter: the bound Rust type a handle parameter converts to (else a `GoValue`).
    typed: Vec<Option<String>>,
    result: Option<&'static str>,
    /// A Go-value result: the Rust type the closure returns (the bound type or `GoValue`),
    /// handed to Go as its ID (`result` is then `u64`).
    handle_result: Option<String>,
    /// The Go func's last result is `error`: the closure returns `Result<_, String>`.
    error: bool,
}

impl<'a> Cb<'a> {
    /// The result is a string or `[]byte`, written as `malloc`ed bytes (`host_bytes_out`).
    fn bytes_out(&self) -> bool {
        matches!(self.result, Some("String" | "Vec<u8>"))
    }

    fn new(
        h: &'a HostCallback,
        index: usize,
        bound: &BTreeMap<String, String>,
    ) -> Result<Cb<'a>, HostError> {
        let symbol = h.prefix();
        let unsupported = |what: &str| HostError::Unsupported {
            symbol: symbol.clone(),
            what: what.to_string(),
        };
        if !h.sig.type_params.is_empty() {
            return Err(unsupported("a host callback cannot be generic"));
        }
        if h.sig.is_variadic() {
            return Err(unsupported("a variadic host callback is not supported"));
        }
        let mut params = Vec::new();
        let mut bytes = Vec::new();
        let mut rust_params = Vec::new();
        let mut typed = Vec::new();
        for p in &h.sig.params {
            let (k, is_bytes) = callback_kind(&symbol, &p.ty)?;
            let mut ty = None;
            match &k {
                Kind::Scalar { rust, .. } => rust_params.push(rust.to_string()),
                Kind::Str if is_bytes => rust_params.push("&[u8]".to_string()),
                Kind::Str => rust_params.push("&str".to_string()),
                // Any other Go value: the closure owns an ID of it, as the bound package's
                // Rust type when there is one, else as a `GoValue`.
                Kind::Handle => {
                    ty = bound.get(&p.ty.to_string()).cloned();
                    rust_params.push(handle_type(bound, &p.ty));
                }
            }
            params.push(k);
            bytes.push(is_bytes);
            typed.push(ty);
        }
        let (values, error) = crate::model::split_error(&h.sig.results);
        let (result, handle_result) = match values {
            [] => (None, None),
            [r] => match callback_kind(&symbol, &r.ty)? {
                (Kind::Scalar { rust, .. }, _) => (Some(rust), None),
                (Kind::Str, true) => (Some("Vec<u8>"), None),
                (Kind::Str, false) => (Some("String"), None),
                (Kind::Handle, _) => (Some("u64"), Some(handle_type(bound, &r.ty))),
            },
            _ => {
                return Err(unsupported(
                    "host callbacks return at most one value (and a last `error`)",
                ));
            }
        };
        let value = handle_result.as_deref().or(result);
        let ret = match (value, error) {
            (r, true) => format!(" -> Result<{}, String>", r.unwrap_or("()")),
            (Some(r), false) => format!(" -> {r}"),
            (None, false) => String::new(),
        };
        Ok(Cb {
            h,
            dyn_ty: format!("dyn Fn({}){ret} + Send + Sync", rust_params.join(", ")),
            alias: format!("{}Fn", camel(&h.base)),
            pool: format!("HOST_POOL_{index}"),
            index,
            params,
            bytes,
            typed,
            result,
            handle_result,
            error,
        })
    }

    /// The C parameter list of the trampoline, with Rust types (named, or unnamed for the
    /// function-pointer alias).
    fn c_params(&self, named: bool) -> Vec<String> {
        let mut v = vec![("host_id", "u64".to_string())];
        let mut owned: Vec<(String, String)> = Vec::new();
        for (i, k) in self.params.iter().enumerate() {
            match k {
                Kind::Scalar { rust, .. } => owned.push((format!("a{i}"), rust.to_string())),
                Kind::Str => {
                    owned.push((format!("a{i}"), "*const u8".into()));
                    owned.push((format!("a{i}_len"), "usize".into()));
                }
                Kind::Handle => owned.push((format!("a{i}"), "u64".into())),
            }
        }
        match self.result {
            Some("String" | "Vec<u8>") => {
                owned.push(("r0".into(), "*mut *mut u8".into()));
                owned.push(("r0_len".into(), "*mut usize".into()));
            }
            Some(r) => owned.push(("r0".into(), format!("*mut {r}"))),
            None => {}
        }
        owned.push(("msg".into(), "*mut u8".into()));
        owned.push(("msg_cap".into(), "usize".into()));
        owned.push(("msg_len".into(), "*mut usize".into()));
        let mut out: Vec<String> = Vec::new();
        for (n, t) in v.drain(..) {
            out.push(if named { format!("{n}: {t}") } else { t });
        }
        for (n, t) in owned {
            out.push(if named { format!("{n}: {t}") } else { t });
        }
        out
    }

    fn render(&self) -> String {
        let b = &self.h.base;
        let i = self.index;
        let c = camel(b);
        let alias = &self.alias;
        let pool = &self.pool;
        let go = GoType::Func(unnamed(&self.h.sig)).to_string();
        let mut s = String::new();
        let dyn_ty = &self.dyn_ty;
        // As rustfmt lays it out: one line, else broken after `=`.
        let one_line = format!("pub type {alias} = {dyn_ty};");
        let decl = if one_line.len() <= WIDTH {
            one_line
        } else {
            format!("pub type {alias} =\n    {dyn_ty};")
        };
        s.push_str(&format!(
            "/// The closure type of host callback `{b}` (Go `{go}`).\n{decl}\n\n"
        ));
        let rhs = format!(
            "unsafe extern \"C\" fn({}) -> RawStatus;",
            self.c_params(false).join(", ")
        );
        let alias_fn = if format!("type {c}CallFn = {rhs}").len() <= WIDTH {
            format!("type {c}CallFn = {rhs}\n")
        } else if rhs.len() + 4 <= WIDTH {
            format!("type {c}CallFn =\n    {rhs}\n")
        } else {
            fn_sig(
                0,
                &format!("type {c}CallFn = unsafe extern \"C\" fn"),
                &self.c_params(false),
                Some("RawStatus"),
                ";",
            )
        };
        s.push_str("/// The trampoline Go calls for a closure of kind `");
        s.push_str(b);
        s.push_str("`.\n");
        s.push_str(&alias_fn);
        s.push('\n');
        let pool_line = format!(
            "static {pool}: HostPool<{alias}> = HostPool::new(handlepool::HandlePool::new);"
        );
        if pool_line.len() <= WIDTH {
            s.push_str(&pool_line);
            s.push('\n');
        } else {
            s.push_str(&format!(
                "static {pool}: HostPool<{alias}> =\n    HostPool::new(handlepool::HandlePool::new);\n"
            ));
        }
        s.push('\n');
        // Constructor.
        let impl_bound = self.dyn_ty.trim_start_matches("dyn ").to_string();
        s.push_str(&format!("impl GoCallback<{alias}> {{\n"));
        s.push_str(&format!(
            "    /// Hands `f` to Go as a Go `{go}` (Go calls it from any goroutine, so it is\n    /// `Send + Sync`).\n"
        ));
        s.push_str(&fn_sig(
            4,
            "pub fn new",
            &[format!("f: impl {impl_bound} + 'static")],
            Some("Result<Self, GoError>"),
            " {",
        ));
        s.push_str(&format!(
            "        let host = {pool}\n            .acquire(Box::new(f))\n            .map_err(|_| GoError::HostExhausted {{\n                op: \"GoCallback::new\",\n            }})?;\n"
        ));
        s.push_str("        let mut id = 0;\n");
        s.push_str(
            "        // SAFETY: both function pointers are this module's trampolines, which never unwind;\n        // `id` is a live local.\n",
        );
        push_let_st(
            &mut s,
            8,
            &format!("host{i}::new(host{i}_call, host{i}_drop, host.get(), &mut id)"),
            true,
        );
        s.push_str(&format!(
            "        if let Err(e) = check(\"GoCallback::new\", st) {{\n            {pool}.release(host);\n            return Err(e);\n        }}\n"
        ));
        s.push_str(&format!(
            "        Ok(GoCallback {{\n            id,\n            release: host{i}::release,\n            _f: std::marker::PhantomData,\n        }})\n    }}\n}}\n\n"
        ));
        // Call trampoline.
        s.push_str(
            "/// Go → Rust: runs the closure behind `host_id`; a panic is caught and reported as\n/// `Panic` with its message, never unwound into Go.\n",
        );
        s.push_str(&fn_sig(
            0,
            &format!("extern \"C\" fn host{i}_call"),
            &self.c_params(true),
            Some("RawStatus"),
            " {",
        ));
        // Go handed over an ID per value argument: owned first, so that every path releases it.
        for (i, k) in self.params.iter().enumerate() {
            if *k == Kind::Handle {
                let v = format!("GoValue::from_owned_id(a{i})");
                match &self.typed[i] {
                    Some(t) => s.push_str(&format!("    let a{i} = {t}::from({v});\n")),
                    None => s.push_str(&format!("    let a{i} = {v};\n")),
                }
            }
        }
        let mut args = Vec::new();
        for (i, k) in self.params.iter().enumerate() {
            match k {
                Kind::Str if self.bytes[i] => {
                    s.push_str(&format!(
                        "    // SAFETY: Go passes `a{i}_len` readable bytes of a live Go slice for this call.\n    let a{i} = unsafe {{ host_bytes(a{i}, a{i}_len) }};\n"
                    ));
                    args.push(format!("a{i}"));
                }
                Kind::Str => {
                    s.push_str(&format!(
                        "    // SAFETY: Go passes `a{i}_len` readable bytes of a live Go string for this call.\n    let a{i} = unsafe {{ host_str(a{i}, a{i}_len) }};\n"
                    ));
                    args.push(format!("&a{i}"));
                }
                _ => args.push(format!("a{i}")),
            }
        }
        // Without arguments the closure is `f` itself (clippy: redundant_closure).
        let call = if args.is_empty() {
            "f".to_string()
        } else {
            format!("|| f({})", args.join(", "))
        };
        // The closure is read in place (`HandlePool::with`: one atomic read-modify-write; a
        // guard from `resolve` costs two), and a panic is caught inside, so `with` returns.
        s.push_str(&format!(
            "    let Some(id) = handlepool::HandleId::new(host_id) else {{\n        return Status::UnknownHandle.raw();\n    }};\n    let ran = {pool}.with(id, |f| {{\n        let f: &{alias} = &**f;\n        std::panic::catch_unwind(std::panic::AssertUnwindSafe({call}))\n    }});\n    let Some(ran) = ran else {{\n        return Status::UnknownHandle.raw();\n    }};\n    match ran {{\n"
        ));
        // The closure's value (inside `Ok(..)` when it also returns an error).
        let (ok, pad) = if self.error {
            ("Ok(Ok", ")")
        } else {
            ("Ok", "")
        };
        if self.result == Some("String") {
            s.push_str(&format!(
                "        {ok}(y){pad} => host_bytes_out(y.as_bytes(), r0, r0_len),\n"
            ));
        } else if self.result == Some("Vec<u8>") {
            s.push_str(&format!(
                "        {ok}(y){pad} => host_bytes_out(&y, r0, r0_len),\n"
            ));
        } else if let Some(t) = &self.handle_result {
            // The closure's value goes to Go as its ID (Go releases it).
            let v = if t == "GoValue" {
                "y".to_string()
            } else {
                "GoValue::from(y)".to_string()
            };
            s.push_str(&format!("        {ok}(y){pad} => {{\n            let y = {v}.into_owned_id();\n            if r0.is_null() {{\n                drop(GoValue::from_owned_id(y));\n                return Status::BadArg.raw();\n            }}\n            // SAFETY: Go passes a writable `r0` for this call (checked non-NULL).\n            unsafe {{ r0.write(y) }};\n            OK\n        }}\n"));
        } else if self.result.is_some() {
            s.push_str(&format!("        {ok}(y){pad} => {{\n            if r0.is_null() {{\n                return Status::BadArg.raw();\n            }}\n            // SAFETY: Go passes a writable `r0` for this call (checked non-NULL).\n            unsafe {{ r0.write(y) }};\n            OK\n        }}\n"));
        } else {
            s.push_str(&format!("        {ok}(()){pad} => OK,\n"));
        }
        if self.error {
            s.push_str("        Ok(Err(e)) => {\n            host_text(&e, msg, msg_cap, msg_len);\n            Status::GoError.raw()\n        }\n");
        }
        s.push_str("        Err(p) => {\n            host_panic(p, msg, msg_cap, msg_len);\n            Status::Panic.raw()\n        }\n    }\n}\n\n");
        // Drop trampoline.
        s.push_str(&format!(
            "/// Go → Rust: Go released the func of `host_id`; drops the closure (never unwinding).\nextern \"C\" fn host{i}_drop(host_id: u64) {{\n    host_release(&{pool}, host_id);\n}}\n"
        ));
        s
    }
}

fn unnamed(sig: &Signature) -> Signature {
    let mut s = sig.clone();
    s.strip_param_names();
    s
}

/// Rust names of handle-crossing Go types the module knows.
struct HandleNames<'a> {
    chans: &'a [Chan<'a>],
    cbs: &'a [Cb<'a>],
}

impl HandleNames<'_> {
    /// The Rust type of a handle parameter (borrowed).
    fn param(&self, ty: &GoType) -> String {
        if let GoType::Func(sig) = ty {
            if let Some(cb) = self.cbs.iter().find(|c| unnamed(&c.h.sig) == unnamed(sig)) {
                return format!("GoCallback<{}>", cb.alias);
            }
        }
        if let GoType::Chan {
            dir: ChanDir::Both,
            elem,
        } = ty
        {
            if let Some(c) = self.chans.iter().find(|c| c.elem == elem.as_ref()) {
                return format!("GoChan<{}>", c.rust);
            }
        }
        self.result(ty)
    }

    /// The Rust type of a handle result (owned).
    fn result(&self, ty: &GoType) -> String {
        self.chans
            .iter()
            .find(|c| c.kind == Kind::Handle && c.elem == ty)
            .map(|c| c.rust.clone())
            .unwrap_or_else(|| "GoValue".to_string())
    }
}

/// A bound export.
struct Export {
    ext: Extern,
    /// Rendered as this `GoValue` method (the first parameter is `self`) instead of a free
    /// function.
    method: Option<String>,
    doc: String,
    params: Vec<String>,
    args: Vec<String>,
    /// (local declarations, out-arguments, value expression, Rust type) per result.
    results: Vec<(String, Vec<String>, String, String)>,
}

impl Export {
    fn new(e: &GoExport, names: &HandleNames<'_>, group: &str) -> Result<Export, HostError> {
        let sym = &e.symbol;
        if !e.sig.type_params.is_empty() || e.sig.is_variadic() {
            return Err(HostError::Unsupported {
                symbol: sym.clone(),
                what: "an export cannot be generic or variadic".into(),
            });
        }
        let mut c_params = Vec::new();
        let mut params = Vec::new();
        let mut args = Vec::new();
        for (i, p) in e.sig.params.iter().enumerate() {
            match kind(sym, &p.ty)? {
                Kind::Scalar { rust, .. } => {
                    c_params.push(format!("a{i}: {rust}"));
                    params.push(format!("a{i}: {rust}"));
                    args.push(format!("a{i}"));
                }
                Kind::Str => {
                    c_params.push(format!("a{i}: *const u8"));
                    c_params.push(format!("a{i}_len: usize"));
                    params.push(format!("a{i}: &str"));
                    args.push(format!("a{i}.as_ptr()"));
                    args.push(format!("a{i}.len()"));
                }
                Kind::Handle => {
                    c_params.push(format!("a{i}: u64"));
                    params.push(format!("a{i}: &{}", names.param(&p.ty)));
                    args.push(format!("a{i}.handle_id()"));
                }
            }
        }
        let mut results = Vec::new();
        for (i, r) in e.sig.results.iter().enumerate() {
            match kind(sym, &r.ty)? {
                Kind::Scalar { rust, .. } => {
                    let zero = match rust {
                        "bool" => "false",
                        "f32" | "f64" => "0.0",
                        _ => "0",
                    };
                    c_params.push(format!("r{i}: *mut {rust}"));
                    results.push((
                        format!("    let mut r{i}: {rust} = {zero};\n"),
                        vec![format!("&mut r{i}")],
                        format!("r{i}"),
                        rust.to_string(),
                    ));
                }
                Kind::Str => {
                    c_params.push(format!("r{i}: *mut *mut u8"));
                    c_params.push(format!("r{i}_len: *mut usize"));
                    results.push((
                        format!(
                            "    let mut r{i}: *mut u8 = std::ptr::null_mut();\n    let mut r{i}_len: usize = 0;\n"
                        ),
                        vec![format!("&mut r{i}"), format!("&mut r{i}_len")],
                        format!("take_string(r{i}, r{i}_len)"),
                        "String".into(),
                    ));
                }
                Kind::Handle => {
                    let t = names.result(&r.ty);
                    c_params.push(format!("r{i}: *mut u64"));
                    let value = if t == "GoValue" {
                        format!("GoValue::from_owned_id(r{i})")
                    } else {
                        format!("{t}(GoValue::from_owned_id(r{i}))")
                    };
                    results.push((
                        format!("    let mut r{i}: u64 = 0;\n"),
                        vec![format!("&mut r{i}")],
                        value,
                        t,
                    ));
                }
            }
        }
        // The call's own message slot (`mochi_bytes *msg`): a panic's or an error's text.
        c_params.push("msg: *mut CBytes".into());
        let doc = if e.doc.trim().is_empty() {
            format!("Calls the exported Go function `{sym}`.")
        } else {
            e.doc.lines().next().unwrap_or_default().trim().to_string()
        };
        Ok(Export {
            method: None,
            ext: Extern {
                safe: false,
                group: group.into(),
                link: sym.clone(),
                name: sym.clone(),
                params: c_params,
                ret: Some("RawStatus".into()),
                cfg: None,
            },
            doc,
            params,
            args,
            results,
        })
    }

    /// `pub fn call_<base>(&self, ...)` in `impl GoValue`, over the private function.
    fn render_method(&self) -> String {
        let name = self.method.as_deref().unwrap_or_default();
        let sym = &self.ext.name;
        let ret_ty = result_type(self.results.iter().map(|r| r.3.as_str()));
        let mut params = vec!["&self".to_string()];
        params.extend(self.params.iter().skip(1).cloned());
        let mut s = format!("    /// {}\n", self.doc);
        s.push_str(&fn_sig(
            4,
            &format!("pub fn {name}"),
            &params,
            Some(&format!("Result<{ret_ty}, GoError>")),
            " {",
        ));
        let mut args = vec!["self".to_string()];
        args.extend(
            self.params
                .iter()
                .skip(1)
                .map(|p| p.split(':').next().unwrap_or_default().to_string()),
        );
        let joined = args.join(", ");
        let line = format!("        {sym}({joined})");
        if line.len() <= WIDTH && joined.len() <= CALL_WIDTH {
            s.push_str(&line);
            s.push('\n');
        } else {
            s.push_str(&format!("        {sym}(\n"));
            for a in &args {
                s.push_str(&format!("            {a},\n"));
            }
            s.push_str("        )\n");
        }
        s.push_str("    }\n");
        s
    }

    fn render(&self) -> String {
        let sym = &self.ext.name;
        let ret_ty = result_type(self.results.iter().map(|r| r.3.as_str()));
        let mut s = format!("/// {}\n", self.doc);
        // A Go func value's call is private: `GoValue::call_<base>` is its public form.
        let vis = if self.method.is_some() { "" } else { "pub " };
        s.push_str(&fn_sig(
            0,
            &format!("{vis}fn {sym}"),
            &self.params,
            Some(&format!("Result<{ret_ty}, GoError>")),
            " {",
        ));
        for r in &self.results {
            s.push_str(&r.0);
        }
        s.push_str("    let mut msg = CBytes::empty();\n");
        let mut args = self.args.clone();
        for r in &self.results {
            args.extend(r.1.iter().cloned());
        }
        args.push("&mut msg".into());
        let call = format!("{}::{sym}({})", self.ext.group, args.join(", "));
        if self.ext.safe {
            push_let_st(&mut s, 4, &call, false);
        } else {
            let strings = self.args.iter().any(|a| a.ends_with(".as_ptr()"));
            s.push_str(if strings {
                "    // SAFETY: string arguments point to their bytes for the call (Go copies them);\n    // out-pointers (results, message slot) are live locals of the declared C types.\n"
            } else {
                "    // SAFETY: out-pointers (results, message slot) are live locals of the declared C\n    // types.\n"
            });
            push_let_st(&mut s, 4, &call, true);
        }
        let check = format!("    check_msg(\"{sym}\", st, msg)?;");
        if check.len() <= WIDTH && sym.len() + 11 <= CALL_WIDTH {
            s.push_str(&check);
            s.push('\n');
        } else {
            s.push_str(&format!(
                "    check_msg(\n        \"{sym}\",\n        st,\n        msg,\n    )?;\n"
            ));
        }
        let value = match self.results.len() {
            0 => "()".to_string(),
            1 => self.results[0].2.clone(),
            _ => format!(
                "({})",
                self.results
                    .iter()
                    .map(|r| r.2.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let line = format!("    Ok({value})");
        let inner_len =
            (self.results.iter().map(|r| r.2.len() + 2).sum::<usize>()).saturating_sub(2);
        if (line.len() <= WIDTH && inner_len <= CALL_WIDTH) || self.results.len() < 2 {
            s.push_str(&line);
            s.push('\n');
        } else {
            s.push_str("    Ok((\n");
            for r in &self.results {
                s.push_str(&format!("        {},\n", r.2));
            }
            s.push_str("    ))\n");
        }
        s.push_str("}\n");
        s
    }
}

/// An argument rustfmt counts as simple (a name or a field of one, possibly borrowed): only
/// lists of those are put on one line of their own when a call breaks.
fn simple_arg(a: &str) -> bool {
    let a = a
        .strip_prefix("&mut ")
        .or_else(|| a.strip_prefix('&'))
        .unwrap_or(a);
    !a.is_empty()
        && a.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// rustfmt's `short_array_element_width_threshold`: a broken call whose arguments are all
/// simple and at most this wide packs them into lines ("mixed" layout).
const SHORT_ITEM: usize = 10;

/// Arguments packed into lines of at most `WIDTH` columns at `at` + 4, each ending in `,`.
fn push_mixed(s: &mut String, at: &str, args: &[&str]) {
    let indent = at.len() + 4;
    let mut line = String::new();
    for a in args {
        let next = if line.is_empty() {
            a.to_string()
        } else {
            format!("{line}, {a}")
        };
        if !line.is_empty() && indent + next.len() + 1 > WIDTH {
            s.push_str(&format!("{at}    {line},\n"));
            line = a.to_string();
        } else {
            line = next;
        }
    }
    s.push_str(&format!("{at}    {line},\n"));
}

/// `let st = [unsafe { ]call[ }];` at `indent`, laid out as rustfmt does (default
/// `max_width` 100 and `fn_call_width` 60: a call whose arguments are wider than 60 columns
/// gets one argument per line).
pub(crate) fn push_let_st(s: &mut String, indent: usize, call: &str, unsafe_: bool) {
    let pad = " ".repeat(indent);
    let (head, rest) = call.split_once('(').unwrap_or((call, ")"));
    let inner = rest.strip_suffix(')').unwrap_or(rest);
    let narrow = inner.len() <= CALL_WIDTH;
    let expr = if unsafe_ {
        format!("unsafe {{ {call} }}")
    } else {
        call.to_string()
    };
    let one = format!("{pad}let st = {expr};");
    if narrow && one.len() <= WIDTH {
        s.push_str(&one);
        s.push('\n');
        return;
    }
    if narrow && indent + 4 + expr.len() < WIDTH {
        s.push_str(&format!("{pad}let st =\n{pad}    {expr};\n"));
        return;
    }
    // The call broken at `at`: arguments on one line of their own when they are narrow,
    // else one per line.
    let broken = |s: &mut String, at: &str| {
        s.push_str(head);
        s.push_str("(\n");
        let args: Vec<&str> = inner.split(", ").collect();
        if narrow && args.iter().all(|a| simple_arg(a)) {
            s.push_str(&format!("{at}    {inner},\n"));
        } else if args.iter().all(|a| simple_arg(a) && a.len() <= SHORT_ITEM) {
            push_mixed(s, at, &args);
        } else {
            for a in inner.split(", ") {
                s.push_str(&format!("{at}    {a},\n"));
            }
        }
        s.push_str(&format!("{at})"));
    };
    if unsafe_ {
        s.push_str(&format!("{pad}let st = unsafe {{\n{pad}    "));
        if narrow && indent + 4 + call.len() <= WIDTH {
            s.push_str(call);
        } else {
            broken(s, &format!("{pad}    "));
        }
        s.push_str(&format!("\n{pad}}};\n"));
    } else {
        s.push_str(&format!("{pad}let st = "));
        broken(s, &pad);
        s.push_str(";\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_calls_of_short_simple_arguments_pack_like_rustfmt() {
        let args = "year, month.0, day, hour, a4, sec, nsec, loc.0.id, &mut o_r0, &mut msg";
        let mut s = String::new();
        push_let_st(&mut s, 8, &format!("ffi::w67({args})"), true);
        assert_eq!(
            s,
            format!(
                "        let st = unsafe {{\n            ffi::w67(\n                {args},\n            )\n        }};\n"
            )
        );
        // One argument wider than 10 columns: one per line.
        let mut s = String::new();
        let long = format!("{args}, long_argument");
        push_let_st(&mut s, 8, &format!("ffi::w67({long})"), true);
        assert!(s.contains("\n                year,\n                month.0,\n"));
    }

    #[test]
    fn signatures_fit_or_break_one_parameter_per_line() {
        let short = fn_sig(4, "fn f", &["a: u8".into()], Some("i32"), ";");
        assert_eq!(short, "    fn f(a: u8) -> i32;\n");
        let params: Vec<String> = (0..12).map(|i| format!("argument_{i}: u64")).collect();
        let long = fn_sig(0, "pub fn g", &params, None, " {");
        assert!(long.starts_with("pub fn g(\n    argument_0: u64,\n"));
        assert!(long.ends_with("    argument_11: u64,\n) {\n"));
        assert!(long.lines().all(|l| l.len() <= WIDTH));
    }

    #[test]
    fn let_statements_follow_rustfmt_breaks() {
        let mut s = String::new();
        push_let_st(&mut s, 4, "f(a, b)", true);
        assert_eq!(s, "    let st = unsafe { f(a, b) };\n");
        // Breaks after `=` when the expression then fits.
        let call = format!("some_function({})", ["x"; 20].join(", "));
        let mut s = String::new();
        push_let_st(&mut s, 8, &call, true);
        assert!(
            s.starts_with("        let st =\n            unsafe { some_function("),
            "{s}"
        );
        // Otherwise the block opens and the arguments go one per line.
        let call = format!("some_function({})", ["an_argument"; 12].join(", "));
        let mut s = String::new();
        push_let_st(&mut s, 4, &call, true);
        assert!(s.starts_with(
            "    let st = unsafe {\n        some_function(\n            an_argument,\n"
        ));
        assert!(s.ends_with("        )\n    };\n"), "{s}");
        let mut s = String::new();
        push_let_st(&mut s, 4, &call, false);
        assert!(s.starts_with("    let st = some_function(\n        an_argument,\n"));
        assert!(s.ends_with("    );\n"), "{s}");
    }

    /// The layouts rustfmt 1.95 gives (measured with `rustfmt --emit stdout` on these lines).
    #[test]
    fn fn_sig_follows_rustfmt() {
        let p: Vec<String> = [
            "call: VisitCallFn",
            "drop: HostDropFn",
            "id: u64",
            "out: *mut u64",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let sig = |name: &str, end: &str| {
            fn_sig(
                8,
                &format!("pub(super) fn {name}"),
                &p,
                Some("RawStatus"),
                end,
            )
        };
        // 99 columns: one line; exactly 100: `-> R;` moves; 101: vertical.
        assert_eq!(sig("ne", ";").lines().count(), 1);
        assert_eq!(
            sig("new", ";"),
            "        pub(super) fn new(call: VisitCallFn, drop: HostDropFn, id: u64, out: *mut u64)\n        -> RawStatus;\n"
        );
        assert_eq!(sig("new1", ";").lines().count(), 6);
        // With a body (` {` is one column more than `;`), 100 columns still fit, 101 do not.
        assert_eq!(sig("ne", " {").lines().count(), 1);
        assert_eq!(sig("new", " {").lines().count(), 6);
    }

    #[test]
    fn fill_is_single_pass_and_strict() {
        assert_eq!(
            fill(
                "@module@ @x@ @module@",
                &[("x", "@module@"), ("module", "m")]
            )
            .unwrap(),
            "m @module@ m"
        );
        assert!(fill("@x@", &[]).is_err());
    }
}
