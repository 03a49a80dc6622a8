//! The surface model: what a Go package exports, as JSON-friendly data.
//!
//! Field names are exactly the snake_case names of the gobridge SPEC. Every field defaults when it
//! is absent on input, so older or smaller producers still deserialize. Type strings are kept as
//! go/types prints them (full import path as qualifier, the package's own names unqualified) and
//! parsed on demand with [`crate::parse_type`].

use serde::{Deserialize, Serialize};

/// Version of the JSON schema written by this crate. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A module (or a set of packages) as read by an ingester.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Surface {
    /// Schema version of this document; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Module path (`example.com/lib`), or `std` for the standard library.
    pub module: String,
    /// Module version (`v1.2.3`), empty when unknown or for a main module.
    pub version: String,
    /// Output of `go version` for the toolchain that produced this surface.
    pub go_version: String,
    /// Tool that produced this document (`go-ingest 0.1.0`).
    pub generated_by: String,
    /// Packages, sorted by import path.
    pub packages: Vec<Package>,
}

/// One Go package's exported API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Package {
    /// Full import path (`encoding/json`).
    pub import_path: String,
    /// Package name from the package clause (`json`).
    pub name: String,
    /// True for `package main`.
    pub is_main: bool,
    /// Doc synopsis (first sentence of the package doc).
    pub doc: String,
    /// Import paths of packages referenced by the exported API, sorted.
    pub imports: Vec<String>,
    /// The package's full transitive import list when known, sorted.
    pub deps: Vec<String>,
    /// Exported package-level functions, sorted by name.
    pub funcs: Vec<Func>,
    /// Exported types, sorted by name.
    pub types: Vec<Type>,
    /// Exported constants, sorted by name.
    pub consts: Vec<Value>,
    /// Exported variables, sorted by name.
    pub vars: Vec<Value>,
    /// Objects the ingester saw but could not represent, with the reason.
    pub skipped: Vec<SkipNote>,
}

/// A function or a method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Func {
    /// Function or method name.
    pub name: String,
    /// Doc synopsis.
    pub doc: String,
    /// `file:line:col` of the declaration, when known.
    pub position: String,
    /// Receiver type name for a method (`Buffer`), empty for a function.
    pub receiver: String,
    /// True when the receiver is a pointer (`*Buffer`).
    pub receiver_pointer: bool,
    /// True when the last parameter is variadic (its type string is written `...T`).
    pub variadic: bool,
    /// Type parameters (for a method: its receiver's type parameters).
    pub type_params: Vec<TypeParam>,
    /// Parameters in declaration order.
    pub params: Vec<Param>,
    /// Results in declaration order.
    pub results: Vec<Param>,
}

/// A parameter or a result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Param {
    /// Name, empty when unnamed.
    pub name: String,
    /// Type string; a variadic parameter is written `...T`.
    #[serde(rename = "type")]
    pub type_: String,
}

/// A named type (declared or alias).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Type {
    /// Type name.
    pub name: String,
    /// Kind of the underlying type: `struct`, `interface`, `func`, `map`, `slice`, `array`,
    /// `chan`, `pointer`, `basic`, or `alias`.
    pub kind: String,
    /// Type string of the underlying type.
    pub underlying: String,
    /// For an alias: the aliased type string; empty otherwise.
    pub alias_of: String,
    /// Type parameters in declaration order.
    pub type_params: Vec<TypeParam>,
    /// Struct fields (every field, with its `exported` flag), in declaration order.
    pub fields: Vec<Field>,
    /// Exported declared methods, sorted by name.
    pub methods: Vec<Func>,
    /// Exported explicit methods of an interface, sorted by name.
    pub interface_methods: Vec<Func>,
    /// Embedded elements (interfaces: embedded types and type-set terms; structs: embedded
    /// fields' types), in declaration order.
    pub embedded_types: Vec<String>,
}

/// A struct field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Field {
    /// Field name (for an embedded field, the type's name).
    pub name: String,
    /// Type string.
    #[serde(rename = "type")]
    pub type_: String,
    /// Struct tag, unquoted (`json:"a"`), empty when absent.
    pub tag: String,
    /// True when the field name is exported.
    pub exported: bool,
    /// True for an embedded field.
    pub embedded: bool,
}

/// A constant or a variable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Value {
    /// Name.
    pub name: String,
    /// Type string (`untyped int` for untyped constants).
    #[serde(rename = "type")]
    pub type_: String,
    /// For a constant: its value as go/constant prints it (exact); empty for a variable.
    #[serde(rename = "const")]
    pub const_: String,
    /// Doc synopsis.
    pub doc: String,
}

/// A type parameter and its constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TypeParam {
    /// Name (`T`).
    pub name: String,
    /// Constraint type string (`any`, `comparable`, `~int | ~string`, `interface{String() string}`).
    pub constraint: String,
}

/// Something the ingester saw but left out, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkipNote {
    /// Symbol or package that was skipped.
    pub symbol: String,
    /// Why.
    pub reason: String,
}

impl Surface {
    /// Checks that this document's `schema_version` is one this crate reads.
    ///
    /// A document without `schema_version` (0) is accepted as the current version; a newer
    /// version than this crate knows is refused, so a consumer never misreads a future schema.
    pub fn check_schema(&self) -> Result<(), SurfaceError> {
        if self.schema_version > SCHEMA_VERSION {
            return Err(SurfaceError::SchemaVersion {
                found: self.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Finds a package by import path.
    pub fn package(&self, import_path: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.import_path == import_path)
    }
}

impl Package {
    /// Finds an exported function by name.
    pub fn func(&self, name: &str) -> Option<&Func> {
        self.funcs.iter().find(|f| f.name == name)
    }

    /// Finds an exported type by name.
    pub fn type_(&self, name: &str) -> Option<&Type> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// Errors reading a surface document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SurfaceError {
    /// The document was written by a newer schema.
    #[error("surface schema_version {found} is newer than the supported {supported}")]
    SchemaVersion {
        /// Version in the document.
        found: u32,
        /// Newest version this crate reads.
        supported: u32,
    },
}
