//! The renderers: the runtime file, channel and callback shims, and the shim-file assembler.

use crate::boundary::{ContractError, Crossing, crossing};
use apisurface::names::{self, Status};
use apisurface::template::{TemplateError, fill};
use apisurface::validate::{ValidationError, check_identifier};
use apisurface::{
    ChanDir, EmitContext, EmitError, GoFile, GoType, ImportSet, Signature, emit_type,
};
use std::collections::BTreeSet;

/// The build tag every generated file is gated by.
pub const BUILD_TAG: &str = names::TAG_WRAP;
/// The package name used when none is given.
pub const DEFAULT_PACKAGE: &str = "gowrap";
/// Default soft cap on live Go-side handles.
pub const DEFAULT_MAX_HANDLES: i64 = 4096;
/// The symbol base used when none is given.
pub const DEFAULT_BASE: &str = "value";
/// Default channel buffer.
pub const DEFAULT_BUFFER: u32 = 1;
/// Largest channel buffer a shim accepts (at render time and from C at run time).
pub const MAX_BUFFER: u32 = 1 << 20;
/// The runtime's file name.
pub const RUNTIME_FILE: &str = names::file::RUNTIME;

const RUNTIME_TPL: &str = include_str!("go/runtime.go.tpl");
const MODULE_TPL: &str = include_str!("go/module.go.tpl");
const SELECT_TPL: &str = include_str!("go/select.go.tpl");
const CHANNEL_TPL: &str = include_str!("go/channel.go.tpl");

/// A render request that cannot become valid Go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A template of the renderer could not be filled (a placeholder without a value, or a value
    /// for a placeholder the template lacks).
    #[error("filling the {what} template")]
    Template {
        /// Which template.
        what: &'static str,
        /// The filler's error.
        #[source]
        source: TemplateError,
    },
    /// A name that must be a Go identifier is not one.
    #[error("invalid {what} {value:?}: {source}")]
    BadName {
        /// Which name (`module`, `base`, `package`).
        what: &'static str,
        /// The name (escaped by `Debug`).
        value: String,
        /// Why.
        source: ValidationError,
    },
    /// A name that becomes part of a C symbol (or the package clause) is not a plain ASCII
    /// name, or is the blank identifier `_`.
    #[error("{what} {value:?} must be ASCII letters, digits and `_`, and not `_` alone")]
    NotCIdentifier {
        /// Which name.
        what: &'static str,
        /// The name.
        value: String,
    },
    /// The C boundary contract cannot carry a type of this shim.
    #[error("{symbol}: {source}")]
    Contract {
        /// The shim's symbol prefix (`mochi_M_B_chan`).
        symbol: String,
        /// Why.
        source: ContractError,
    },
    /// The shared emitter cannot write a type of this shim as Go source.
    #[error("{symbol}: {source}")]
    Emit {
        /// The shim's symbol prefix, or `file` for file-level parts.
        symbol: String,
        /// Why.
        source: EmitError,
    },
    /// A buffer larger than [`MAX_BUFFER`].
    #[error("{symbol}: buffer {buffer} is larger than the maximum {max}")]
    Buffer {
        /// The shim's symbol prefix.
        symbol: String,
        /// The requested buffer.
        buffer: u32,
        /// [`MAX_BUFFER`].
        max: u32,
    },
    /// A type whose one-line canonical form (written into a `//` comment) holds a line break or
    /// a NUL byte.
    #[error("{symbol}: type {ty:?} cannot be written on one comment line")]
    CommentType {
        /// The shim's symbol prefix.
        symbol: String,
        /// The type's canonical form (escaped by `Debug`).
        ty: String,
    },
    /// A callback signature with type parameters.
    #[error("{symbol}: a callback signature cannot have type parameters")]
    GenericCallback {
        /// The shim's symbol prefix.
        symbol: String,
    },
    /// Two shims of one file would declare the same name.
    #[error("`{name}` would be declared twice in one file")]
    Duplicate {
        /// The name.
        name: String,
    },
    /// A shim whose module differs from its file's module.
    #[error("shim for module {found:?} in the shim file of module {expected:?}")]
    ModuleMismatch {
        /// The file's module.
        expected: String,
        /// The shim's module.
        found: String,
    },
}

/// Options of [`render_runtime`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeOptions {
    /// Package clause; empty means [`DEFAULT_PACKAGE`]. Use `main` for a `-buildmode=c-archive`
    /// build.
    pub package: String,
    /// Soft cap on live handles ([`DEFAULT_MAX_HANDLES`]); negative means unbounded.
    pub max_handles: i64,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            package: DEFAULT_PACKAGE.to_string(),
            max_handles: DEFAULT_MAX_HANDLES,
        }
    }
}

/// A `chan T` that crosses the boundary: renders `mochi_<module>_<base>_chan_*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelShim {
    /// Module flat name (an ASCII identifier).
    pub module: String,
    /// Symbol base ([`DEFAULT_BASE`] by default; an ASCII identifier).
    pub base: String,
    /// Element type `T`.
    pub elem: GoType,
    /// Default buffer of `chan_new` when C passes a negative size ([`DEFAULT_BUFFER`]).
    pub buffer: u32,
}

impl ChannelShim {
    /// A shim with the default base and buffer.
    pub fn new(module: impl Into<String>, elem: GoType) -> ChannelShim {
        ChannelShim {
            module: module.into(),
            base: DEFAULT_BASE.to_string(),
            elem,
            buffer: DEFAULT_BUFFER,
        }
    }

    /// Sets the symbol base.
    pub fn base(mut self, base: impl Into<String>) -> ChannelShim {
        self.base = base.into();
        self
    }

    /// Sets the default buffer.
    pub fn buffer(mut self, buffer: u32) -> ChannelShim {
        self.buffer = buffer;
        self
    }

    /// The symbol prefix, `mochi_<module>_<base>_chan`.
    pub fn prefix(&self) -> String {
        names::chan_prefix(&self.module, &self.base)
    }

    /// The C symbols this shim exports, in rendering order.
    pub fn symbols(&self) -> Vec<String> {
        let p = self.prefix();
        CHANNEL_OPS.iter().map(|op| format!("{p}_{op}")).collect()
    }
}

/// The operations of a channel shim (`mochi_M_B_chan_<op>`).
pub const CHANNEL_OPS: [&str; 7] = [
    "new", "send", "try_send", "recv", "try_recv", "close", "free",
];

/// A `func(...)` value that C can call: renders `mochi_<module>_<base>_cb_{call,release}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackShim {
    /// Module flat name (an ASCII identifier).
    pub module: String,
    /// Symbol base ([`DEFAULT_BASE`] by default; an ASCII identifier).
    pub base: String,
    /// The func's signature (no type parameters; may be variadic).
    pub sig: Signature,
}

impl CallbackShim {
    /// A shim with the default base.
    pub fn new(module: impl Into<String>, sig: Signature) -> CallbackShim {
        CallbackShim {
            module: module.into(),
            base: DEFAULT_BASE.to_string(),
            sig,
        }
    }

    /// Sets the symbol base.
    pub fn base(mut self, base: impl Into<String>) -> CallbackShim {
        self.base = base.into();
        self
    }

    /// The symbol prefix, `mochi_<module>_<base>_cb`.
    pub fn prefix(&self) -> String {
        names::cb_prefix(&self.module, &self.base)
    }

    /// The C symbols this shim exports.
    pub fn symbols(&self) -> Vec<String> {
        let p = self.prefix();
        vec![format!("{p}_call"), format!("{p}_release")]
    }
}

/// Everything one shim file holds: the shims of one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShimFile {
    /// Package clause; empty means [`DEFAULT_PACKAGE`].
    pub package: String,
    /// Module flat name shared by every shim.
    pub module: String,
    /// Channel shims, rendered in this order.
    pub channels: Vec<ChannelShim>,
    /// Callback shims, rendered after the channels, in this order.
    pub callbacks: Vec<CallbackShim>,
}

impl ShimFile {
    /// An empty file for `module` in the default package.
    pub fn new(module: impl Into<String>) -> ShimFile {
        ShimFile {
            package: DEFAULT_PACKAGE.to_string(),
            module: module.into(),
            channels: Vec::new(),
            callbacks: Vec::new(),
        }
    }

    /// The module-level C symbols (`free`, `release`, `live`, and `select` when there are
    /// channels).
    pub fn module_symbols(&self) -> Vec<String> {
        let m = &self.module;
        let mut v: Vec<String> = ["free", "release", "live"]
            .iter()
            .map(|s| names::module_symbol(m, s))
            .collect();
        if !self.channels.is_empty() {
            v.push(names::module_symbol(m, "select"));
        }
        v
    }

    /// Every C symbol the file exports.
    pub fn symbols(&self) -> Vec<String> {
        let mut v = self.module_symbols();
        for c in &self.channels {
            v.extend(c.symbols());
        }
        for c in &self.callbacks {
            v.extend(c.symbols());
        }
        v
    }
}

/// Renders `mochi_rt.go`: the build tag, the generated-code line, the package clause and the
/// handle table with exactly `mochiAcquireHandle`, `mochiResolveHandle` and `mochiReleaseHandle`.
pub fn render_runtime(opts: &RuntimeOptions) -> Result<String, RenderError> {
    let package = package_name(&opts.package)?;
    let mut imports = ImportSet::new();
    for name in RUNTIME_NAMES {
        imports.reserve(name);
    }
    let sync = std_import(&mut imports, "sync")?;
    let atomic = std_import(&mut imports, "sync/atomic")?;
    let max = opts.max_handles.to_string();
    let cap_check = if opts.max_handles >= 0 {
        "if t.live.Load() >= mochiMaxHandles {\n\treturn 0\n}\n"
    } else {
        ""
    };
    let body = fill(
        RUNTIME_TPL,
        &[
            ("cap_check", cap_check),
            ("max_handles", &max),
            ("sync_pkg", &sync),
            ("atomic_pkg", &atomic),
        ],
    )
    .map_err(template_err("runtime"))?;
    GoFile::new(package)
        .build_tag(BUILD_TAG)
        .imports(imports)
        .body(body)
        .render()
        .map_err(|e| emit_err("file", e))
}

/// Names the runtime declares at package level.
const RUNTIME_NAMES: [&str; 11] = [
    "mochiMaxHandles",
    "mochiChunkBits",
    "mochiChunkSize",
    "mochiMaxSlots",
    "mochiEntry",
    "mochiChunk",
    "mochiTable",
    "mochiHandles",
    names::go::ACQUIRE,
    names::go::RESOLVE,
    names::go::RELEASE,
];

/// Local names the shims and runtime use inside functions; reserved so no import takes them.
const LOCAL_NAMES: [&str; 41] = [
    "st",
    "c",
    "v",
    "ok",
    "x",
    "h",
    "hst",
    "b",
    "p",
    "n",
    "id",
    "out",
    "outLen",
    "buffer",
    "f",
    "r",
    "msg",
    "zero",
    "s",
    "cases",
    "nonblocking",
    "chosen",
    "cs",
    "chans",
    "sel",
    "i",
    "T",
    "op",
    "e",
    "t",
    "idx",
    "dir",
    "old",
    "gen",
    "slot",
    "mu",
    "ch",
    "closed",
    "live",
    "text",
    "err",
];

/// Renders one channel shim's declarations (a fragment: [`render_shim_file`] adds the module
/// helpers and `select` it relies on), recording the imports its element type needs.
pub fn render_channel_shim(
    shim: &ChannelShim,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, RenderError> {
    check_c_ident("module", &shim.module)?;
    check_c_ident("base", &shim.base)?;
    let symbol = shim.prefix();
    if shim.buffer > MAX_BUFFER {
        return Err(RenderError::Buffer {
            symbol,
            buffer: shim.buffer,
            max: MAX_BUFFER,
        });
    }
    let cr = crossing(&shim.elem).map_err(|e| RenderError::Contract {
        symbol: symbol.clone(),
        source: e,
    })?;
    let elem_comment = comment_type(&symbol, &shim.elem)?;
    let elem = emit_type(&shim.elem, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
    let chan_ty = GoType::Chan {
        dir: ChanDir::Both,
        elem: Box::new(shim.elem.clone()),
    };
    let chan = emit_type(&chan_ty, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
    let reflect = std_import(imports, "reflect")?;
    let unsafe_ = std_import(imports, "unsafe")?;
    let m = shim.module.as_str();
    let slot = Slot { cr, ty: &elem, m };
    let buf = shim.buffer.to_string();
    let in_check = slot.in_check("v");
    let in_conv = slot.in_conv("x", "v", "");
    let out_store = slot.out_store("x", "out");
    let sel_read = slot.select_read(&reflect);
    let sel_store = slot.select_store();
    let text = fill(
        CHANNEL_TPL,
        &[
            ("in_check", &in_check),
            ("in_convert", &in_conv),
            ("out_store", &out_store),
            ("select_read", &sel_read),
            ("select_store", &sel_store),
            ("module", m),
            ("base", &shim.base),
            ("elem_type", &elem),
            ("elem_comment", &elem_comment),
            ("chan_type", &chan),
            ("default_buffer", &buf),
            ("in_params", &slot.in_params("v")),
            ("out_params", &slot.out_params("out")),
            ("out_nil_check", &slot.out_nil("out")),
            ("reflect_pkg", &reflect),
            ("unsafe_pkg", &unsafe_),
        ],
    )
    .map_err(template_err("channel shim"))?;
    Ok(text)
}

/// Renders one callback shim's declarations (a fragment, like [`render_channel_shim`]).
pub fn render_callback_shim(
    shim: &CallbackShim,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, RenderError> {
    check_c_ident("module", &shim.module)?;
    check_c_ident("base", &shim.base)?;
    let symbol = shim.prefix();
    if !shim.sig.type_params.is_empty() {
        return Err(RenderError::GenericCallback { symbol });
    }
    let m = shim.module.as_str();
    // Parameter names do not take part in type identity; dropping them keeps them from
    // shadowing an import inside the type literal.
    let mut unnamed = shim.sig.clone();
    for p in unnamed.params.iter_mut().chain(unnamed.results.iter_mut()) {
        p.name = None;
    }
    let func_ty =
        emit_type(&GoType::Func(unnamed), ctx, imports).map_err(|e| emit_err(&symbol, e))?;
    let n_params = shim.sig.params.len();
    let mut c_params = vec!["id C.uint64_t".to_string()];
    let mut conv = String::new();
    let mut checks = String::new();
    let mut call_args = Vec::new();
    for (i, p) in shim.sig.params.iter().enumerate() {
        let (ty, spread) = match &p.ty {
            GoType::Variadic(elem) if i + 1 == n_params => (GoType::Slice(elem.clone()), true),
            t => (t.clone(), false),
        };
        let cr = crossing(&ty).map_err(|e| RenderError::Contract {
            symbol: symbol.clone(),
            source: e,
        })?;
        let text = emit_type(&ty, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
        let slot = Slot { cr, ty: &text, m };
        let a = format!("a{i}");
        let x = format!("x{i}");
        c_params.push(slot.in_params(&a));
        checks.push_str(&slot.in_check(&a));
        conv.push_str(&slot.in_conv(&x, &a, ""));
        call_args.push(if spread { format!("{x}...") } else { x });
    }
    let mut results = Vec::new();
    for r in &shim.sig.results {
        let cr = crossing(&r.ty).map_err(|e| RenderError::Contract {
            symbol: symbol.clone(),
            source: e,
        })?;
        let text = emit_type(&r.ty, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
        results.push((cr, text));
    }
    let mut out_nil = Vec::new();
    for (i, (cr, text)) in results.iter().enumerate() {
        let slot = Slot {
            cr: *cr,
            ty: text,
            m,
        };
        let r = format!("r{i}");
        c_params.push(slot.out_params(&r));
        out_nil.push(slot.out_nil(&r));
    }

    c_params.push("msg *C.mochi_bytes".to_string());

    let mut w = apisurface::GoWriter::new();
    w.comment(&format!(
        "{symbol}_call calls the Go func behind id with the arguments and writes its results\n\
         through the out-pointers. A panic in the func is recovered and reported as MOCHI_PANIC\n\
         with its text in *msg (msg may be NULL); on every other status *msg is {{NULL, 0}}."
    ));
    w.line("//");
    w.line(format!("//export {symbol}_call"));
    w.block(
        format!(
            "func {symbol}_call({}) (st C.mochi_status)",
            c_params.join(", ")
        ),
        |w| {
            w.line(format!("defer mochi_{m}_guard(&st, msg)"));
            // Arguments first (out-pointers, string data), then the func ID, then value IDs.
            if !out_nil.is_empty() {
                w.block(format!("if {}", out_nil.join(" || ")), |w| {
                    w.line("return C.MOCHI_BAD_ARG");
                });
            }
            for l in checks.lines() {
                w.line(l);
            }
            w.line("v, ok := mochiResolveHandle(uint64(id))");
            w.block("if !ok", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.line(format!("f, ok := v.({func_ty})"));
            w.block("if !ok", |w| {
                w.line("return C.MOCHI_WRONG_KIND");
            });
            w.line(conv.trim_end());
            let call = format!("f({})", call_args.join(", "));
            if results.is_empty() {
                w.line(call);
            } else {
                let ys: Vec<String> = (0..results.len()).map(|i| format!("y{i}")).collect();
                w.line(format!("{} := {call}", ys.join(", ")));
            }
            // Handles first: if one cannot be acquired, release the earlier ones and write
            // nothing, so a failed call leaves nothing for C to free.
            let mut acquired: Vec<String> = Vec::new();
            for (i, (cr, _)) in results.iter().enumerate() {
                if *cr == Crossing::Handle {
                    w.line(format!("h{i}, st := mochi_{m}_toHandle(y{i})"));
                    w.block("if st != C.MOCHI_OK", |w| {
                        for h in &acquired {
                            w.line(format!("mochiReleaseHandle(uint64({h}))"));
                        }
                        w.line("return st");
                    });
                    acquired.push(format!("h{i}"));
                }
            }
            for (i, (cr, _)) in results.iter().enumerate() {
                match cr {
                    Crossing::Scalar(s) => {
                        w.line(format!("*r{i} = C.{}(y{i})", s.c));
                    }
                    Crossing::String => {
                        w.line(format!("*r{i} = mochi_{m}_cString(y{i})"));
                        w.line(format!("*r{i}Len = C.size_t(len(y{i}))"));
                    }
                    Crossing::Handle => {
                        w.line(format!("*r{i} = h{i}"));
                    }
                }
            }
            w.line("return C.MOCHI_OK");
        },
    );
    w.blank();
    w.comment(&format!(
        "{symbol}_release releases a func ID of this kind (MOCHI_WRONG_KIND for other IDs)."
    ));
    w.line("//");
    w.line(format!("//export {symbol}_release"));
    w.block(
        format!("func {symbol}_release(id C.uint64_t) C.mochi_status"),
        |w| {
            w.line("v, ok := mochiResolveHandle(uint64(id))");
            w.block("if !ok", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.block(format!("if _, ok := v.({func_ty}); !ok"), |w| {
                w.line("return C.MOCHI_WRONG_KIND");
            });
            w.block("if !mochiReleaseHandle(uint64(id))", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.line("return C.MOCHI_OK");
        },
    );
    Ok(w.finish())
}

/// Assembles a complete shim file: build tag, generated-code line, package, `import "C"` with the
/// preamble (the `mochi_status` enum and the select-case types), the imports the element types
/// need, the module helpers (`free`, `release`, `live`, `select`) and every
/// shim.
pub fn render_shim_file(file: &ShimFile, ctx: &EmitContext<'_>) -> Result<String, RenderError> {
    let package = package_name(&file.package)?;
    check_c_ident("module", &file.module)?;
    let m = file.module.as_str();
    // Every package-level name this file declares, checked for duplicates and reserved so no
    // import takes it.
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut declare = |name: String| -> Result<(), RenderError> {
        if declared.insert(name.clone()) {
            Ok(())
        } else {
            Err(RenderError::Duplicate { name })
        }
    };
    for s in [
        "setMsg",
        "panicText",
        "errorStatus",
        "guard",
        "goString",
        "cString",
        "fromHandle",
        "toHandle",
        "maxBuffer",
        "maxSelectCases",
        "chanCore",
        "selectable",
        "freer",
    ] {
        declare(names::module_symbol(m, s))?;
    }
    for s in file.module_symbols() {
        declare(s)?;
    }
    for c in &file.channels {
        if c.module != file.module {
            return Err(RenderError::ModuleMismatch {
                expected: file.module.clone(),
                found: c.module.clone(),
            });
        }
        check_c_ident("base", &c.base)?;
        let p = c.prefix();
        declare(p.clone())?;
        declare(format!("{p}Of"))?;
        for s in c.symbols() {
            declare(s)?;
        }
    }
    let mut max_params = 0;
    for c in &file.callbacks {
        if c.module != file.module {
            return Err(RenderError::ModuleMismatch {
                expected: file.module.clone(),
                found: c.module.clone(),
            });
        }
        check_c_ident("base", &c.base)?;
        for s in c.symbols() {
            declare(s)?;
        }
        max_params = max_params.max(c.sig.params.len().max(c.sig.results.len()));
    }
    let mut imports = ImportSet::new();
    for name in declared
        .iter()
        .map(String::as_str)
        .chain(RUNTIME_NAMES)
        .chain(LOCAL_NAMES)
    {
        imports.reserve(name);
    }
    for i in 0..max_params {
        for prefix in ["a", "x", "y", "r", "h"] {
            imports.reserve(&format!("{prefix}{i}"));
        }
        imports.reserve(&format!("a{i}Len"));
        imports.reserve(&format!("r{i}Len"));
    }
    let fmt = std_import(&mut imports, "fmt")?;
    let unsafe_ = std_import(&mut imports, "unsafe")?;
    let mut body = fill(
        MODULE_TPL,
        &[("module", m), ("fmt_pkg", &fmt), ("unsafe_pkg", &unsafe_)],
    )
    .map_err(template_err("module helpers"))?;
    if !file.channels.is_empty() {
        let atomic = std_import(&mut imports, "sync/atomic")?;
        let reflect = std_import(&mut imports, "reflect")?;
        body.push('\n');
        body.push_str(
            &fill(
                SELECT_TPL,
                &[
                    ("module", m),
                    ("atomic_pkg", &atomic),
                    ("unsafe_pkg", &unsafe_),
                    ("reflect_pkg", &reflect),
                ],
            )
            .map_err(template_err("select"))?,
        );
    }
    for c in &file.channels {
        body.push('\n');
        body.push_str(&render_channel_shim(c, ctx, &mut imports)?);
    }
    for c in &file.callbacks {
        body.push('\n');
        body.push_str(&render_callback_shim(c, ctx, &mut imports)?);
    }
    GoFile::new(package)
        .build_tag(BUILD_TAG)
        .cgo_preamble(preamble())
        .imports(imports)
        .body(body)
        .render()
        .map_err(|e| emit_err("file", e))
}

/// The C preamble of a shim file: standard headers, then (guarded, so several shim files can be
/// in one package) the status enum, the select operations and the select-case types.
pub fn preamble() -> String {
    let mut s = String::new();
    s.push_str(
        "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n\n",
    );
    s.push_str("#ifndef MOCHI_BRIDGE_TYPES\n#define MOCHI_BRIDGE_TYPES\n\n");
    s.push_str(&format!(
        "// Status of every gobridge shim call.\ntypedef enum {0} {{\n",
        names::c::STATUS
    ));
    for st in Status::ALL {
        s.push_str(&format!("\t{} = {},\n", st.c_name(), st.value()));
    }
    s.push_str(&format!("}} {};\n\n", names::c::STATUS));
    s.push_str("// Operation of a select case.\nenum {\n\tMOCHI_SELECT_SEND = 1,\n\tMOCHI_SELECT_RECV = 2,\n};\n\n");
    s.push_str(
        "// A string value in a select case: SEND borrows data (copied into Go); RECV gets\n\
         // C-allocated bytes (NUL-terminated) to free with mochi_<module>_free.\n\
         typedef struct mochi_bytes {\n\tchar *data;\n\tsize_t len;\n} mochi_bytes;\n\n",
    );
    s.push_str(
        "// One case of mochi_<module>_select. value points to the element in its C form\n\
         // (scalar, mochi_bytes or uint64_t handle ID): read for SEND, written for RECV.\n\
         typedef struct mochi_select_case {\n\tuint64_t id;\n\tint32_t op;\n\tvoid *value;\n} mochi_select_case;\n\n",
    );
    s.push_str("#endif\n");
    s
}

/// How one value is lowered between its C form and Go.
struct Slot<'a> {
    cr: Crossing,
    /// The Go type as emitted.
    ty: &'a str,
    m: &'a str,
}

impl Slot<'_> {
    /// C parameters taking the value in, named after `name`.
    fn in_params(&self, name: &str) -> String {
        match self.cr {
            Crossing::Scalar(s) => format!("{name} C.{}", s.c),
            Crossing::String => format!("{name} *C.char, {name}Len C.size_t"),
            Crossing::Handle => format!("{name} C.uint64_t"),
        }
    }

    /// Statements returning `MOCHI_BAD_ARG` when C parameter(s) `name` cannot hold a value
    /// (string data NULL with a non-zero length, or a length beyond `int`); run before any ID
    /// is resolved, so every shim checks its arguments first. Empty for other crossings.
    fn in_check(&self, name: &str) -> String {
        match self.cr {
            Crossing::String => format!(
                "if ({name} == nil && {name}Len != 0) || int({name}Len) < 0 {{\n\treturn C.MOCHI_BAD_ARG\n}}\n"
            ),
            _ => String::new(),
        }
    }

    /// Statements declaring Go value `x` from C parameter(s) `name`; on failure they return
    /// `{ret_prefix}st`.
    fn in_conv(&self, x: &str, name: &str, ret_prefix: &str) -> String {
        let m = self.m;
        let check = format!("if st != C.MOCHI_OK {{\n\treturn {ret_prefix}st\n}}\n");
        match self.cr {
            Crossing::Scalar(_) => format!("{x} := {}({name})\n", self.ty),
            Crossing::String => {
                format!("{x}, st := mochi_{m}_goString({name}, {name}Len)\n{check}")
            }
            Crossing::Handle => {
                format!(
                    "{x}, st := mochi_{m}_fromHandle[{}]({name})\n{check}",
                    self.ty
                )
            }
        }
    }

    /// C out-parameters for the value, named after `name`.
    fn out_params(&self, name: &str) -> String {
        match self.cr {
            Crossing::Scalar(s) => format!("{name} *C.{}", s.c),
            Crossing::String => format!("{name} **C.char, {name}Len *C.size_t"),
            Crossing::Handle => format!("{name} *C.uint64_t"),
        }
    }

    /// The condition that is true when an out-pointer is NULL.
    fn out_nil(&self, name: &str) -> String {
        match self.cr {
            Crossing::String => format!("{name} == nil || {name}Len == nil"),
            _ => format!("{name} == nil"),
        }
    }

    /// Statements writing Go value `x` through out-parameter(s) `name`.
    fn out_store(&self, x: &str, name: &str) -> String {
        let m = self.m;
        match self.cr {
            Crossing::Scalar(s) => format!("*{name} = C.{}({x})\n", s.c),
            Crossing::String => {
                format!("*{name} = mochi_{m}_cString({x})\n*{name}Len = C.size_t(len({x}))\n")
            }
            Crossing::Handle => format!(
                "h, hst := mochi_{m}_toHandle({x})\nif hst != C.MOCHI_OK {{\n\treturn hst\n}}\n*{name} = h\n"
            ),
        }
    }

    /// Statements declaring `x` from the select case's value pointer `p`.
    fn select_read(&self, reflect: &str) -> String {
        let m = self.m;
        let check = format!("if st != C.MOCHI_OK {{\n\treturn {reflect}.SelectCase{{}}, st\n}}\n");
        match self.cr {
            Crossing::Scalar(s) => format!("x := {}(*(*C.{})(p))\n", self.ty, s.c),
            Crossing::String => format!(
                "b := (*C.mochi_bytes)(p)\nx, st := mochi_{m}_goString(b.data, b.len)\n{check}"
            ),
            Crossing::Handle => format!(
                "x, st := mochi_{m}_fromHandle[{}](*(*C.uint64_t)(p))\n{check}",
                self.ty
            ),
        }
    }

    /// Statements writing `x` through the select case's value pointer `p`.
    fn select_store(&self) -> String {
        let m = self.m;
        match self.cr {
            Crossing::Scalar(s) => format!("*(*C.{c})(p) = C.{c}(x)\n", c = s.c),
            Crossing::String => format!(
                "b := (*C.mochi_bytes)(p)\nb.data = mochi_{m}_cString(x)\nb.len = C.size_t(len(x))\n"
            ),
            Crossing::Handle => format!(
                "h, st := mochi_{m}_toHandle(x)\nif st != C.MOCHI_OK {{\n\treturn st\n}}\n*(*C.uint64_t)(p) = h\n"
            ),
        }
    }
}

fn package_name(p: &str) -> Result<&str, RenderError> {
    let p = if p.is_empty() { DEFAULT_PACKAGE } else { p };
    check_identifier(p).map_err(|e| RenderError::BadName {
        what: "package",
        value: p.to_string(),
        source: e,
    })?;
    if p == "_" {
        return Err(RenderError::NotCIdentifier {
            what: "package",
            value: p.to_string(),
        });
    }
    Ok(p)
}

/// A module flat name or base: a Go identifier made of ASCII letters, digits and `_` (it is
/// part of C symbol names).
fn check_c_ident(what: &'static str, s: &str) -> Result<(), RenderError> {
    check_identifier(s).map_err(|e| RenderError::BadName {
        what,
        value: s.to_string(),
        source: e,
    })?;
    if s == "_" || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(RenderError::NotCIdentifier {
            what,
            value: s.to_string(),
        });
    }
    Ok(())
}

/// The one-line canonical (go/types) form of `ty` for a `//` comment. The emitted form can span
/// lines (a struct or interface literal) and would end the comment; this one cannot, which is
/// checked rather than assumed.
fn comment_type(symbol: &str, ty: &GoType) -> Result<String, RenderError> {
    let s = ty.to_string();
    if s.contains(['\n', '\r', '\0']) {
        return Err(RenderError::CommentType {
            symbol: symbol.to_string(),
            ty: s,
        });
    }
    Ok(s)
}

fn std_import(imports: &mut ImportSet, path: &str) -> Result<String, RenderError> {
    imports.add(path).map_err(|e| emit_err("file", e))
}

/// A template that could not be filled: a renderer bug, reported as an error, never as Go text.
fn template_err(what: &'static str) -> impl Fn(TemplateError) -> RenderError {
    move |source| RenderError::Template { what, source }
}

fn emit_err(symbol: &str, e: EmitError) -> RenderError {
    RenderError::Emit {
        symbol: symbol.to_string(),
        source: e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_identifiers_are_ascii_go_identifiers() {
        for ok in ["lib", "Lib_2", "_x", "a1"] {
            assert!(check_c_ident("module", ok).is_ok(), "{ok}");
        }
        for bad in ["", "_", "1a", "a-b", "a b", "func", "é", "a*/", "a\n"] {
            assert!(check_c_ident("module", bad).is_err(), "{bad:?}");
        }
        assert!(matches!(
            check_c_ident("base", "αβ"),
            Err(RenderError::NotCIdentifier { what: "base", .. })
        ));
    }

    #[test]
    fn package_names_default_and_validate() {
        assert_eq!(package_name("").unwrap(), DEFAULT_PACKAGE);
        assert_eq!(package_name("main").unwrap(), "main");
        assert!(package_name("a.b").is_err());
    }

    #[test]
    fn symbols_follow_the_naming_scheme() {
        let c = ChannelShim::new("m", GoType::name("int")).base("b");
        assert_eq!(c.prefix(), "mochi_m_b_chan");
        assert_eq!(c.symbols()[0], "mochi_m_b_chan_new");
        let cb = CallbackShim::new("m", Signature::default());
        assert_eq!(
            cb.symbols(),
            ["mochi_m_value_cb_call", "mochi_m_value_cb_release"]
        );
    }
}
