//! [`LinknameSpec`]: one wrapper function bound to one target symbol, and its validation.

use crate::RenderOptions;
use crate::symbol::{Compiler, Receiver, SymbolError, TargetSymbol};
use apisurface::validate::{ValidationError, check_identifier, is_keyword, is_predeclared};
use apisurface::{
    EmitContext, EmitError, Func, GoType, ImportSet, Package, Param, ParseError, emit_param_type,
    parse_type,
};
use std::collections::BTreeSet;
use std::fmt;

/// One `//go:linkname` wrapper: a local bodyless function bound to a target symbol.
///
/// Type strings are go/types strings as in the surface: names of the target's own package are
/// unqualified (`*Thing`), other packages are qualified by their full import path
/// (`example.com/lnfixture/geom.Point`). For a method target the receiver is the first
/// parameter. Build specs with [`LinknameSpec::from_func`] so the signature comes from the
/// surface: a hand-typed signature that differs from the target still links, then crashes or
/// corrupts values at run time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinknameSpec {
    /// Name of the wrapper function declared in the generated package.
    pub local_name: String,
    /// The target in the form of the compiler being rendered for (see [`TargetSymbol`]).
    pub target_symbol: String,
    /// Parameters (for a method, the receiver first). Unnamed ones are rendered `p0, p1, ...`.
    pub params: Vec<Param>,
    /// Results. Their names are not rendered.
    pub results: Vec<Param>,
    /// True when the last parameter is variadic; its type is written `...T` (or `[]T`).
    pub variadic: bool,
}

/// Which parameter or result a type error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Parameter `i` (for a method, 0 is the receiver).
    Param(usize),
    /// Result `i`.
    Result(usize),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Param(i) => write!(f, "parameter {i}"),
            Position::Result(i) => write!(f, "result {i}"),
        }
    }
}

/// Why one spec cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The local name is not a usable Go identifier.
    #[error("local name {name:?}: {source}")]
    LocalName {
        /// The name.
        name: String,
        /// Why.
        source: ValidationError,
    },
    /// The local name is `_` or `init`, which cannot be declared without a body.
    #[error("local name {name:?} cannot be a linkname wrapper")]
    ReservedLocalName {
        /// The name.
        name: String,
    },
    /// The target symbol is not in the compiler's form.
    #[error(transparent)]
    Target(#[from] SymbolError),
    /// The target is generic: neither gc nor TinyGo can link to an instantiation.
    #[error(
        "target {symbol} is generic; neither gc nor TinyGo can link to an instantiation \
         (its symbol name is chosen by the compiler)"
    )]
    Generic {
        /// The target.
        symbol: String,
    },
    /// The target is in the standard library and the caller did not opt in.
    #[error(
        "target {symbol} is in the standard library: since Go 1.23 the linker (-checklinkname) \
         rejects pull linknames to standard-library symbols that are not marked for it, so the \
         build fails unless linked with -ldflags=-checklinkname=0; opt in with \
         RenderOptions::allow_std if that is intended"
    )]
    StdTarget {
        /// The target.
        symbol: String,
    },
    /// A parameter name that is not an identifier.
    #[error("parameter {index} name {name:?}: {source}")]
    ParamName {
        /// Parameter index.
        index: usize,
        /// The name.
        name: String,
        /// Why.
        source: ValidationError,
    },
    /// A method target whose first parameter is not its receiver (`T` or `*T` of the target's
    /// package, as the target's receiver is a value or a pointer).
    #[error(
        "target {symbol} is a method: parameter 0 must be its receiver {expected}, found {found:?}"
    )]
    Receiver {
        /// The target.
        symbol: String,
        /// The receiver type expected (`*Thing`).
        expected: String,
        /// The first parameter's type string, or `none`.
        found: String,
    },
    /// An import the file needs could not be added.
    #[error("import {path:?}: {source}")]
    Import {
        /// The import path.
        path: String,
        /// The emitter's error.
        source: Box<EmitError>,
    },
    /// Two parameters with the same name.
    #[error("parameter {index} repeats the name {name:?}")]
    DuplicateParam {
        /// Index of the second one.
        index: usize,
        /// The name.
        name: String,
    },
    /// A type string that does not parse.
    #[error("{position} type {ty:?} does not parse: {source}")]
    TypeParse {
        /// Where.
        position: Position,
        /// The type string.
        ty: String,
        /// The parser's error.
        source: ParseError,
    },
    /// A type that cannot be written as Go source in the wrapper package.
    #[error("{position} type {ty:?} cannot be written in the wrapper: {source}")]
    TypeEmit {
        /// Where.
        position: Position,
        /// The type string.
        ty: String,
        /// The emitter's error.
        source: Box<EmitError>,
    },
    /// `variadic` disagrees with the parameter types.
    #[error("variadic: {why}")]
    Variadic {
        /// What disagrees.
        why: &'static str,
    },
    /// A type that `//go:wasmexport` cannot carry.
    #[error(
        "{position} type {ty:?} cannot cross the wasm ABI: //go:wasmexport allows bool, int32, \
         uint32, int64, uint64, float32, float64, uintptr, unsafe.Pointer and pointers to the \
         sized scalars"
    )]
    WasmType {
        /// Where.
        position: Position,
        /// The type string.
        ty: String,
    },
    /// More than one result: a wasm export returns at most one value.
    #[error("{count} results: a //go:wasmexport function returns at most one value")]
    WasmResults {
        /// How many results the spec has.
        count: usize,
    },
    /// A variadic spec cannot be exported to wasm (a slice cannot cross the ABI).
    #[error("a variadic function cannot be a //go:wasmexport (a slice cannot cross the wasm ABI)")]
    WasmVariadic,
    /// The wasm main package calls the wrapper from outside its package.
    #[error("local name {name:?} is not exported, so the wasm main package cannot call it")]
    WasmUnexported {
        /// The name.
        name: String,
    },
}

/// A spec after validation: parsed target, resolved parameter names, parsed types.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub target: TargetSymbol,
    /// `(name, type)`; the last type is [`GoType::Variadic`] when variadic.
    pub params: Vec<(String, GoType)>,
    /// `(original type string, type)`.
    pub results: Vec<(String, GoType)>,
    /// The original parameter type strings (for error messages).
    pub param_strings: Vec<String>,
}

impl LinknameSpec {
    /// Derives a spec from a function or method of `pkg`'s surface, with the target written in
    /// `compiler`'s form.
    ///
    /// The local name is the function's name with its first letter upper-cased (`secret` →
    /// `Secret`); for a method, receiver type then method name (`(*Thing).Scale` →
    /// `ThingScale`), and the receiver becomes the first parameter, named after the type's
    /// lower-cased initial (`t *Thing`). Generic functions and methods of generic types are
    /// refused.
    pub fn from_func(
        pkg: &Package,
        f: &Func,
        compiler: Compiler,
    ) -> Result<LinknameSpec, SpecError> {
        let target = if f.receiver.is_empty() {
            TargetSymbol::func(&pkg.import_path, &f.name)
        } else {
            TargetSymbol::method(&pkg.import_path, &f.receiver, f.receiver_pointer, &f.name)
        };
        let symbol = target.symbol(compiler);
        if !f.type_params.is_empty() || f.receiver.contains('[') {
            return Err(SpecError::Generic { symbol });
        }
        // Validates the parts (path, identifiers) by parsing the symbol back.
        TargetSymbol::parse(&symbol, compiler)?;
        let mut params = Vec::with_capacity(f.params.len() + 1);
        let mut local_name = upper_first(&f.name);
        if let Some(r) = &target.receiver {
            local_name = format!("{}{}", upper_first(&r.type_name), local_name);
            let taken: BTreeSet<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
            let initial: String = r
                .type_name
                .chars()
                .next()
                .map(|c| c.to_lowercase().collect())
                .unwrap_or_default();
            let name = [initial, "recv".to_string()]
                .into_iter()
                .chain((0..).map(|i| format!("recv{i}")))
                .find(|n| usable_name(n) && !taken.contains(n.as_str()))
                .unwrap_or_default();
            let ty = if r.pointer {
                format!("*{}", r.type_name)
            } else {
                r.type_name.clone()
            };
            params.push(Param { name, type_: ty });
        }
        params.extend(f.params.iter().cloned());
        Ok(LinknameSpec {
            local_name,
            target_symbol: symbol,
            params,
            results: f.results.clone(),
            variadic: f.variadic,
        })
    }

    /// Checks the spec for `opts` (compiler form of the target, identifiers, types, std policy)
    /// without rendering it.
    pub fn validate(&self, opts: &RenderOptions) -> Result<(), SpecError> {
        self.check(opts).map(|_| ())
    }

    /// The parsed target symbol for `compiler`.
    pub fn target(&self, compiler: Compiler) -> Result<TargetSymbol, SpecError> {
        Ok(TargetSymbol::parse(&self.target_symbol, compiler)?)
    }

    pub(crate) fn check(&self, opts: &RenderOptions) -> Result<Checked, SpecError> {
        check_identifier(&self.local_name).map_err(|e| SpecError::LocalName {
            name: self.local_name.clone(),
            source: e,
        })?;
        if matches!(self.local_name.as_str(), "_" | "init") {
            return Err(SpecError::ReservedLocalName {
                name: self.local_name.clone(),
            });
        }
        let target = self.target(opts.compiler)?;
        if target.is_std() && !opts.allow_std {
            return Err(SpecError::StdTarget {
                symbol: self.target_symbol.clone(),
            });
        }

        // Parameter names: given ones validated and unique, missing ones `p<i>`.
        let mut taken = BTreeSet::new();
        for (i, p) in self.params.iter().enumerate() {
            if p.name.is_empty() || p.name == "_" {
                continue;
            }
            check_identifier(&p.name).map_err(|e| SpecError::ParamName {
                index: i,
                name: p.name.clone(),
                source: e,
            })?;
            if !taken.insert(p.name.clone()) {
                return Err(SpecError::DuplicateParam {
                    index: i,
                    name: p.name.clone(),
                });
            }
        }
        let mut names = Vec::with_capacity(self.params.len());
        for (i, p) in self.params.iter().enumerate() {
            if !p.name.is_empty() && p.name != "_" {
                names.push(p.name.clone());
                continue;
            }
            let mut n = format!("p{i}");
            let mut k = 0;
            while taken.contains(&n) {
                k += 1;
                n = format!("p{i}_{k}");
            }
            taken.insert(n.clone());
            names.push(n);
        }

        if let Some(r) = &target.receiver {
            check_receiver(&target, r, self.params.first(), &self.target_symbol)?;
        }
        let ctx = emit_context(&target, opts);
        let mut scratch = ImportSet::new();
        let last = self.params.len().checked_sub(1);
        let mut params = Vec::with_capacity(self.params.len());
        for (i, (p, name)) in self.params.iter().zip(names).enumerate() {
            let position = Position::Param(i);
            let mut ty = parse(&p.type_, position)?;
            let is_last = Some(i) == last;
            ty = match ty {
                GoType::Variadic(_) if !(self.variadic && is_last) => {
                    return Err(SpecError::Variadic {
                        why: "`...T` is allowed only as the last parameter of a variadic spec",
                    });
                }
                GoType::Slice(elem) if self.variadic && is_last => GoType::Variadic(elem),
                GoType::Variadic(_) => ty,
                _ if self.variadic && is_last => {
                    return Err(SpecError::Variadic {
                        why: "the last parameter of a variadic spec must be `...T` or `[]T`",
                    });
                }
                other => other,
            };
            emit_param_type(&ty, &ctx, &mut scratch).map_err(|e| SpecError::TypeEmit {
                position,
                ty: p.type_.clone(),
                source: Box::new(e),
            })?;
            params.push((name, ty));
        }
        if self.variadic && self.params.is_empty() {
            return Err(SpecError::Variadic {
                why: "a variadic spec needs at least one parameter",
            });
        }
        let mut results = Vec::with_capacity(self.results.len());
        for (i, r) in self.results.iter().enumerate() {
            let position = Position::Result(i);
            let ty = parse(&r.type_, position)?;
            apisurface::emit_type(&ty, &ctx, &mut scratch).map_err(|e| SpecError::TypeEmit {
                position,
                ty: r.type_.clone(),
                source: Box::new(e),
            })?;
            results.push((r.type_.clone(), ty));
        }
        Ok(Checked {
            target,
            params,
            results,
            param_strings: self.params.iter().map(|p| p.type_.clone()).collect(),
        })
    }
}

/// A method's first parameter must be its receiver: `T` or `*T` (matching the symbol), named
/// unqualified (the target's package is the types' home) or qualified by the target's package.
fn check_receiver(
    target: &TargetSymbol,
    r: &Receiver,
    first: Option<&Param>,
    symbol: &str,
) -> Result<(), SpecError> {
    let expected = format!("{}{}", if r.pointer { "*" } else { "" }, r.type_name);
    let err = |found: &str| SpecError::Receiver {
        symbol: symbol.to_string(),
        expected: expected.clone(),
        found: found.to_string(),
    };
    let Some(first) = first else {
        return Err(err("none"));
    };
    let ty = parse(&first.type_, Position::Param(0))?;
    let named = match (&ty, r.pointer) {
        (GoType::Pointer(inner), true) => inner.as_ref(),
        (t, false) => t,
        _ => return Err(err(&first.type_)),
    };
    let ok = matches!(named, GoType::Named(n)
        if n.name == r.type_name
            && n.type_args.is_empty()
            && n.package.as_deref().is_none_or(|p| p == target.package));
    if ok { Ok(()) } else { Err(err(&first.type_)) }
}

/// The emit context for a spec's types: unqualified names belong to the target's package.
pub(crate) fn emit_context<'a>(
    target: &'a TargetSymbol,
    opts: &'a RenderOptions,
) -> EmitContext<'a> {
    let mut ctx = EmitContext::new()
        .home(&target.package)
        .type_params(&[], false)
        .package_names(&opts.package_names);
    if let Some(w) = &opts.wrapper_import_path {
        ctx = ctx.target(w);
    }
    ctx
}

fn parse(ty: &str, position: Position) -> Result<GoType, SpecError> {
    parse_type(ty).map_err(|e| SpecError::TypeParse {
        position,
        ty: ty.to_string(),
        source: e,
    })
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn usable_name(n: &str) -> bool {
    check_identifier(n).is_ok() && !is_keyword(n) && !is_predeclared(n) && n != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_first_handles_unicode_and_empty() {
        assert_eq!(upper_first("secret"), "Secret");
        assert_eq!(upper_first("ärger"), "Ärger");
        assert_eq!(upper_first(""), "");
    }

    #[test]
    fn position_display() {
        assert_eq!(Position::Param(2).to_string(), "parameter 2");
        assert_eq!(Position::Result(0).to_string(), "result 0");
    }
}
