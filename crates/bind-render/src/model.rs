//! The binding plan: what every exported symbol of a bound package becomes, shared by the Go
//! wrapper renderer (this crate) and the Rust API renderer (`host-render`).

use serde::Serialize;

/// A Rust type generated for a bound Go named type, by module path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeRef {
    /// The Rust module of the bound package (`strings`, `url`).
    pub rust_mod: String,
    /// The Rust type name (the Go name, `Builder`, `URL`).
    pub rust_name: String,
}

/// A Go scalar as it crosses: its C type and the Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ScalarKind {
    /// Predeclared Go type the value has underneath (`int64`, `bool`, `uintptr`).
    pub go: &'static str,
    /// C type (`int64_t`, `bool`, `uintptr_t`).
    pub c: &'static str,
    /// Rust type (`i64`, `bool`, `usize`).
    pub rust: &'static str,
}

/// How one parameter, result, field or receiver crosses the C boundary in a wrapper.
///
/// C forms (in / out): `Scalar` `c` / `c *`; `String` `const char *p, size_t n` /
/// `char **p, size_t *n`; `Bytes` `const uint8_t *p, size_t n` / `uint8_t **p, size_t *n`;
/// `ScalarSlice` `const c *p, size_t n` / `c **p, size_t *n`; `StringSlice`
/// `const mochi_bytes *p, size_t n` / `mochi_bytes **p, size_t *n`; every handle form
/// `uint64_t` / `uint64_t *`. Out memory is `malloc`ed (NULL when empty) and freed with
/// `mochi_<M>_free` (for `StringSlice`: each element's `data`, then the array).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Class {
    /// A scalar by value; `named` when the Go type is a bound named basic type (a Rust newtype).
    Scalar {
        /// The scalar.
        scalar: ScalarKind,
        /// The bound named type, if any.
        named: Option<TypeRef>,
    },
    /// A string, copied; `named` for a bound named string type (a Rust newtype over `String`).
    String {
        /// The bound named type, if any.
        named: Option<TypeRef>,
    },
    /// `[]byte`, copied both ways (`&[u8]` in, `Vec<u8>` out).
    Bytes,
    /// `[]T` of a predeclared scalar, copied both ways.
    ScalarSlice {
        /// The element.
        scalar: ScalarKind,
    },
    /// `[]string`, copied both ways (`&[&str]` in, `Vec<String>` out).
    StringSlice,
    /// A value behind a handle ID. `typed`: the Rust type of a bound named type (the handle
    /// holds `*T` for a struct type `T`, else the `T` value), `None`: an untyped `GoValue`.
    Handle {
        /// The bound named type, if any.
        typed: Option<TypeRef>,
        /// True when the Go type is `*T` of a bound struct type `T`, or `T` itself (see
        /// [`Class::Handle::typed`]): the handle holds a `*T`.
        by_pointer: bool,
    },
    /// A channel behind a handle of the channel shim for its element type.
    Chan {
        /// The channel shim's base (`int64`, `ptr_example_event`).
        base: String,
        /// The element type as go/types prints it.
        elem: String,
        /// `both`, `recv` or `send`.
        dir: &'static str,
    },
    /// A func value behind a handle (a Go func, or a Rust closure through a host callback).
    Func {
        /// The signature as go/types prints it without parameter names (`func(int64) bool`,
        /// also for `func(x int64) bool`).
        signature: String,
    },
}

/// One parameter or result of a wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Value {
    /// A Rust- and Go-safe lower-case name (`s`, `sep`, `a0`), unique in its wrapper.
    pub name: String,
    /// The Go type as go/types prints it, qualified by full import path.
    pub go_type: String,
    /// How it crosses.
    #[serde(flatten)]
    pub class: Class,
    /// True for a variadic `...T` parameter (crosses as its `[]T`).
    pub variadic: bool,
}

/// What a wrapper wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FuncKind {
    /// A package-level function.
    Func,
    /// A method (`receiver` is set).
    Method,
    /// A struct field's getter.
    Getter,
    /// A struct field's setter.
    Setter,
    /// A type's zero-value constructor.
    Zero,
    /// A package-level variable's getter.
    Var,
}

/// One `//export` wrapper and the safe Rust function over it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundFunc {
    /// The Go symbol (`strings.ToUpper`, `(*bytes.Buffer).Len`, `url.URL.Host`).
    pub go_symbol: String,
    /// The Go identifier (function, method, field or variable name; the type's for `Zero`).
    pub go_name: String,
    /// What it wraps.
    pub kind: FuncKind,
    /// The C symbol (`mochi_<M>_<pkg>_<Name>`).
    pub c_symbol: String,
    /// The Rust function or method name (snake case, keyword-escaped, collision-free).
    pub rust_name: String,
    /// The Rust type the function is a method or associated function of.
    pub owner: Option<TypeRef>,
    /// The Go name of that type (`Buffer`), for reports.
    pub owner_go: Option<String>,
    /// How the receiver crosses (methods, getters, setters).
    pub receiver: Option<Value>,
    /// Parameters, in order.
    pub params: Vec<Value>,
    /// Results, in order, without a trailing `error`.
    pub results: Vec<Value>,
    /// True when the Go function's last result is `error` (non-nil → `MOCHI_GO_ERROR` with its
    /// `Error()` text in the per-call message).
    pub returns_error: bool,
    /// The Go doc comment's first sentence.
    pub doc: String,
    /// Type arguments of an instantiated generic function (go/types strings), else empty.
    pub type_args: Vec<String>,
    /// A pointer-receiver method of a non-struct type. A handle type's handle holds the value
    /// itself: the wrapper calls the method on a copy and stores the copy back under the
    /// receiver's ID (a receiver ID 0, the zero value, has nowhere to store it). A named basic
    /// type's receiver crosses as a pointer to its scalar (in and out): the wrapper calls the
    /// method on a copy and writes the copy back through the pointer (NULL is `MOCHI_BAD_ARG`).
    /// Either way the write-back happens right after the call, before an error is returned, as
    /// the caller's variable would change in Go.
    pub writes_receiver: bool,
}

/// What kind of Go named type a bound type is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TypeKind {
    /// A struct: the Rust type holds a handle to a `*T`.
    Struct,
    /// An interface: the Rust type holds a handle to the interface's dynamic value.
    Interface,
    /// Any other non-basic named type (slice, map, func, pointer, array, chan): the handle holds
    /// the `T` value.
    Other,
    /// A named basic type: a Rust newtype over the scalar, no handle.
    Scalar {
        /// The scalar underneath.
        scalar: ScalarKind,
    },
    /// A named string type: a Rust newtype over `String`, no handle.
    String,
}

/// A Go named type with a Rust type of the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundType {
    /// The Go name.
    pub go_name: String,
    /// The Rust type.
    pub rust: TypeRef,
    /// Its kind.
    #[serde(flatten)]
    pub kind: TypeKind,
    /// The doc comment's first sentence.
    pub doc: String,
}

/// A Rust constant for a Go constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundConst {
    /// The Go symbol (`math.MaxInt64`).
    pub go_symbol: String,
    /// The Go name (`MaxInt64`).
    pub go_name: String,
    /// The Rust name (`MAX_INT64`).
    pub rust_name: String,
    /// The Rust type (`i64`, `f64`, `bool`, `&str`); for a constant of a bound named basic
    /// type, the scalar inside its newtype.
    pub rust_type: &'static str,
    /// The bound named basic type of the constant (`time.Duration` for `time.Second`): the Rust
    /// constant is that newtype around [`BoundConst::literal`]. `None` for untyped and
    /// predeclared-typed constants, and for named string types (a Rust `String` newtype has no
    /// constant constructor, so those stay `&str`).
    pub newtype: Option<TypeRef>,
    /// The Rust literal (`9223372036854775807_i64`, `"a\n"`), ready to write.
    pub literal: String,
    /// The doc comment's first sentence.
    pub doc: String,
}

/// Why an exported symbol got no binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipKind {
    /// A generic function or a method of a generic type, not instantiated by the config.
    Generic,
    /// A type the boundary cannot carry here (the reason says which).
    UnsupportedType,
    /// A constant whose value has no exact Rust constant of its type.
    ConstantValue,
    /// A pointer-receiver method of a non-struct type (the value behind a handle is not
    /// addressable).
    NotAddressable,
    /// A name that could not be made unique or valid.
    Name,
    /// The emitter refused a type (unexported, internal package, ...).
    Emit,
}

/// What kind of Go symbol a skip is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SymbolKind {
    /// A package-level function.
    Func,
    /// A method (name `Type.Method`).
    Method,
    /// A named type (or its zero-value constructor).
    Type,
    /// A struct field (name `Type.Field`; its getter or setter).
    Field,
    /// A constant.
    Const,
    /// A package-level variable.
    Var,
}

/// An exported symbol that got no binding, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    /// The Go symbol, qualified, with the part in parentheses (`url.URL.Host (setter)`).
    pub go_symbol: String,
    /// The name inside its package (`F`, `T.M`, `T.F`).
    pub name: String,
    /// What the symbol is.
    pub symbol_kind: SymbolKind,
    /// The generated part the skip is about (`setter`, `zero value`), when not the whole symbol.
    pub part: Option<String>,
    /// The Go type involved, when there is one.
    pub go_type: String,
    /// The reason kind.
    pub kind: SkipKind,
    /// The reason, for people.
    pub reason: String,
}

/// A Rust name that differs from the plain conversion of its Go name (a collision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The Go symbol.
    pub go_symbol: String,
    /// The name the plain rules gave.
    pub wanted: String,
    /// The name used.
    pub used: String,
}

/// Everything bound (and skipped) of one Go package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundPackage {
    /// Import path.
    pub import_path: String,
    /// The Go package name.
    pub go_name: String,
    /// The Rust module name (the Go name; a deterministic suffix when two packages share it).
    pub rust_mod: String,
    /// Named types with a Rust type.
    pub types: Vec<BoundType>,
    /// Wrappers.
    pub funcs: Vec<BoundFunc>,
    /// Constants.
    pub consts: Vec<BoundConst>,
    /// What was not bound, with the reason.
    pub skipped: Vec<Skip>,
    /// Rust names changed to avoid a collision.
    pub renames: Vec<Rename>,
}
