//! The renderers: the runtime file, channel and callback shims, and the shim-file assembler.

use crate::boundary::{ContractError, Crossing, crossing};
use apisurface::names::{self, Status};
use apisurface::template::{TemplateError, fill};
use apisurface::validate::{ValidationError, check_identifier};
use apisurface::{
    ChanDir, EmitContext, EmitError, GoFile, GoType, ImportSet, Signature, emit_type,
};
use std::collections::BTreeSet;

mod callback;
mod channel;
mod file;
mod runtime;
mod slot;

pub use callback::render_callback_shim;
pub use channel::render_channel_shim;
pub use file::{preamble, render_shim_file};
use runtime::RUNTIME_NAMES;
pub use runtime::render_runtime;
use slot::Slot;

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

const RUNTIME_TPL: &str = include_str!("../go/runtime.go.tpl");
const MODULE_TPL: &str = include_str!("../go/module.go.tpl");
const SELECT_TPL: &str = include_str!("../go/select.go.tpl");
const CHANNEL_TPL: &str = include_str!("../go/channel.go.tpl");

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
