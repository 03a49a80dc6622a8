//! What a host module is rendered from, and the errors of rendering it.

use apisurface::validate::ValidationError;
use apisurface::{EmitError, GoType, Signature};
use goroutine_render::{ContractError, RenderError, ShimFile};

/// A Go `func` type whose values can be Rust closures: renders the Go trampoline
/// (`mochi_<module>_<base>_host_{new,release}`) and the Rust [`GoCallback`] constructor.
///
/// Parameters may be scalars and strings (the closure gets `&str`); the result may be absent,
/// one scalar or one string (the closure returns `String`).
///
/// [`GoCallback`]: crate#the-generated-rust-module
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCallback {
    /// Module flat name (an ASCII identifier), the same as the shim file's.
    pub module: String,
    /// Symbol base (an ASCII identifier).
    pub base: String,
    /// The Go func type's signature (no type parameters, not variadic).
    pub sig: Signature,
}

impl HostCallback {
    /// A host callback of `module` with symbol base `base`.
    pub fn new(module: impl Into<String>, base: impl Into<String>, sig: Signature) -> HostCallback {
        HostCallback {
            module: module.into(),
            base: base.into(),
            sig,
        }
    }

    /// The symbol prefix, `mochi_<module>_<base>_host`.
    pub fn prefix(&self) -> String {
        format!("mochi_{}_{}_host", self.module, self.base)
    }

    /// The C symbols the Go trampoline file exports.
    pub fn symbols(&self) -> Vec<String> {
        let p = self.prefix();
        vec![format!("{p}_new"), format!("{p}_release")]
    }
}

/// A C function a wrapper's own Go code exports (hand-written glue or another renderer) that
/// follows the shim convention: `mochi_status symbol(P-in..., R-out..., mochi_bytes *msg)`, each
/// value crossing by the C boundary contract, and `msg` the call's message slot (filled on
/// `MOCHI_PANIC` and `MOCHI_GO_ERROR`, `{NULL, 0}` otherwise; the deferred
/// `mochi_<M>_guard(&st, msg)` of the shim file does that). The Rust module gets a safe
/// `pub fn symbol(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoExport {
    /// The exported C symbol (an ASCII identifier).
    pub symbol: String,
    /// Parameters and results (no type parameters, not variadic).
    pub sig: Signature,
    /// One line of documentation for the Rust function.
    pub doc: String,
}

/// Everything one host module is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFile {
    /// The shim file of the module (its channels become `GoChan<T>` element types; its package
    /// is also the trampoline file's package).
    pub shims: ShimFile,
    /// Go func types whose values can be Rust closures.
    pub host_callbacks: Vec<HostCallback>,
    /// Exported Go functions of the wrapper, bound as safe Rust functions.
    pub exports: Vec<GoExport>,
    /// Bound Go packages (`bind-render`'s plan): one typed `pub mod` each, over the wrappers of
    /// `cgo/mochi_bind.go`.
    pub bound: Vec<bind_render::BoundPackage>,
}

impl HostFile {
    /// A host file over `shims`, without host callbacks or exports.
    pub fn new(shims: ShimFile) -> HostFile {
        HostFile {
            shims,
            host_callbacks: Vec::new(),
            exports: Vec::new(),
            bound: Vec::new(),
        }
    }

    /// Every C symbol the Rust module declares, in declaration order.
    pub fn symbols(&self) -> Vec<String> {
        let mut v = self.shims.module_symbols();
        for c in &self.shims.channels {
            v.extend(c.symbols());
        }
        for h in &self.host_callbacks {
            v.extend(h.symbols());
        }
        for e in &self.exports {
            v.push(e.symbol.clone());
        }
        if !self.bound.is_empty() {
            let m = &self.shims.module;
            v.push(format!("mochi_{m}_dup"));
            v.push(format!("mochi_{m}_is_nil"));
        }
        for p in &self.bound {
            v.extend(p.funcs.iter().map(|f| f.c_symbol.clone()));
        }
        v
    }
}

/// A host module that cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// A template of the renderer could not be filled (a renderer bug, never output).
    #[error("filling a Rust module template")]
    Template(#[source] apisurface::TemplateError),
    /// The Go side refuses the shim file (names, buffer, emit, contract).
    #[error(transparent)]
    Shim(#[from] RenderError),
    /// A name that is part of a C symbol or a Rust item is not a usable identifier.
    #[error("invalid {what} {value:?}")]
    BadName {
        /// Which name.
        what: &'static str,
        /// The name.
        value: String,
        /// Why.
        #[source]
        why: NameProblem,
    },
    /// A type the C boundary contract cannot carry.
    #[error("{symbol}: {source}")]
    Contract {
        /// The symbol (prefix) the type belongs to.
        symbol: String,
        /// Why.
        source: ContractError,
    },
    /// A type the shared emitter cannot write as Go source.
    #[error("{symbol}: {source}")]
    Emit {
        /// The symbol (prefix) the type belongs to.
        symbol: String,
        /// Why.
        source: EmitError,
    },
    /// A signature or position this renderer does not bind (yet).
    #[error("{symbol}: {what}")]
    Unsupported {
        /// The symbol (prefix).
        symbol: String,
        /// What is not supported.
        what: String,
    },
    /// Two channels whose elements are the same Rust type (`GoChan<T>` is keyed by `T`).
    #[error(
        "channels `{first}` and `{second}` both carry Rust type `{rust}`; one module binds one channel per element type"
    )]
    SameElement {
        /// The Rust element type.
        rust: String,
        /// The first channel's base.
        first: String,
        /// The second channel's base.
        second: String,
    },
    /// Two host callbacks with the same Rust closure type.
    #[error("host callbacks `{first}` and `{second}` have the same Rust closure type `{rust}`")]
    SameCallback {
        /// The closure type.
        rust: String,
        /// The first callback's base.
        first: String,
        /// The second callback's base.
        second: String,
    },
    /// A Rust or C name that would be declared twice.
    #[error("`{name}` would be declared twice in the host module")]
    Duplicate {
        /// The name.
        name: String,
    },
    /// A host callback or export of another module.
    #[error("{symbol} belongs to module {found:?}, not {expected:?}")]
    ModuleMismatch {
        /// The symbol.
        symbol: String,
        /// The file's module.
        expected: String,
        /// The item's module.
        found: String,
    },
}

/// Why a name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameProblem {
    /// Not a Go identifier.
    #[error(transparent)]
    Go(#[from] ValidationError),
    /// Not ASCII letters, digits and `_` (or starts with a digit).
    #[error("must be ASCII letters, digits and `_`, not starting with a digit")]
    NotAscii,
    /// A Rust keyword (or `_`), which cannot name a Rust item.
    #[error("is a Rust keyword")]
    RustKeyword,
}

pub(crate) fn check_c_ident(what: &'static str, s: &str) -> Result<(), HostError> {
    let bad = |why: NameProblem| HostError::BadName {
        what,
        value: s.to_string(),
        why,
    };
    apisurface::validate::check_identifier(s).map_err(|e| bad(e.into()))?;
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(bad(NameProblem::NotAscii));
    }
    Ok(())
}

/// How a Go type crosses, for the host side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A scalar: Rust type and C type.
    Scalar { rust: &'static str, c: &'static str },
    /// A string.
    Str,
    /// A handle.
    Handle,
}

pub(crate) fn kind(symbol: &str, ty: &GoType) -> Result<Kind, HostError> {
    use goroutine_render::Crossing;
    let cr = goroutine_render::crossing(ty).map_err(|e| HostError::Contract {
        symbol: symbol.to_string(),
        source: e,
    })?;
    Ok(match cr {
        Crossing::Scalar(s) => Kind::Scalar {
            rust: s.rust(),
            c: s.c,
        },
        Crossing::String => Kind::Str,
        _ => Kind::Handle,
    })
}

/// How a parameter or result of a host closure crosses: as [`kind`], except that `[]byte`
/// crosses like a string (`char *p, size_t n`: borrowed in, `malloc`ed out) and is `&[u8]` /
/// `Vec<u8>` in Rust. The flag says it is bytes.
pub(crate) fn callback_kind(symbol: &str, ty: &GoType) -> Result<(Kind, bool), HostError> {
    if is_byte_slice(ty) {
        return Ok((Kind::Str, true));
    }
    Ok((kind(symbol, ty)?, false))
}

/// `[]byte` (also spelled `[]uint8`).
fn is_byte_slice(ty: &GoType) -> bool {
    matches!(ty, GoType::Slice(e) if **e == GoType::name("byte") || **e == GoType::name("uint8"))
}

/// The results of a Go func type without a last `error`, and whether there was one.
pub(crate) fn split_error(results: &[apisurface::ParamDecl]) -> (&[apisurface::ParamDecl], bool) {
    match results.split_last() {
        Some((last, rest)) if last.ty == GoType::name("error") => (rest, true),
        _ => (results, false),
    }
}

/// `some_base` → `SomeBase`.
pub(crate) fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case() {
        assert_eq!(camel("thing"), "Thing");
        assert_eq!(camel("my_pred_2"), "MyPred2");
        assert_eq!(camel("_x"), "X");
    }

    #[test]
    fn c_idents() {
        assert!(check_c_ident("base", "ok_1").is_ok());
        assert!(check_c_ident("base", "héllo").is_err());
        assert!(check_c_ident("base", "func").is_err());
        assert!(check_c_ident("base", "a b").is_err());
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind("s", &GoType::name("int")).unwrap(),
            Kind::Scalar {
                rust: "isize",
                c: "intptr_t"
            }
        );
        assert_eq!(kind("s", &GoType::name("string")).unwrap(), Kind::Str);
        assert_eq!(kind("s", &GoType::name("error")).unwrap(), Kind::Handle);
        assert!(kind("s", &GoType::Variadic(Box::new(GoType::name("int")))).is_err());
    }
}
