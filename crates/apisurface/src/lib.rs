//! `apisurface`: the data model of a Go package's exported API, the go/types type-string grammar,
//! and the one emitter that writes those types as valid Go source.
//!
//! Every other gobridge crate stands on this one. It parses type strings exactly as go/types'
//! `TypeString` prints them (full import path as qualifier) and prints them back byte for byte
//! (the owned [`GoType`] from [`parse_type`], or the flat, borrowing [`TypeTree`] for callers
//! that only look); it emits them into `.go` files through an [`ImportSet`] with deterministic,
//! collision-free aliases; and it validates every identifier, import path and tag before it can
//! reach Go text.
//!
//! It must never: touch the file system or the network, run the Go toolchain, panic or overflow
//! the stack on any input string, or paste an unvalidated string into Go source.
//!
//! ```
//! use apisurface::{parse_type, GoType};
//! let t = parse_type("map[string]*net/http.Request").unwrap();
//! assert_eq!(t.to_string(), "map[string]*net/http.Request");
//! assert!(t.any(|t| matches!(t, GoType::Pointer(_))));
//! ```

#![warn(missing_docs)]

mod ast;
pub mod check;
pub mod emit;
mod layout;
mod model;
mod name;
pub mod names;
mod parse;
mod print;
pub mod template;
mod tree;
pub mod validate;
pub mod writer;

pub use ast::{
    ChanDir, GoType, InterfaceElem, ParamDecl, Role, Signature, StructField, Term, TypeName,
    TypeParamGroup, UntypedKind, Visitor, Walk,
};
pub use check::{Problem, ProblemKind, SurfaceInvalid};
pub use emit::{
    EmitContext, EmitError, ImportSet, constraint_names, emit_constraint, emit_param_type,
    emit_signature, emit_type,
};
pub use model::{
    Field, Func, Package, Param, SCHEMA_VERSION, SkipNote, Surface, SurfaceError, Type, TypeParam,
    Value,
};
pub use name::Name;
pub use parse::{MAX_DEPTH, MAX_INPUT_LEN, ParseError, parse_type};
pub use template::{TemplateError, fill};
pub use tree::{Children, Node, NodeKind, TypeTree};
pub use validate::ValidationError;
pub use writer::{GENERATED_LINE, GoFile, GoWriter};
