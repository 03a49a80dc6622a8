//! The C boundary contract: how each Go type crosses between C and Go in a shim.
//!
//! | Go type | crosses as | C in | C out |
//! |---|---|---|---|
//! | `bool` | value | `bool` | `bool *` |
//! | `int8`..`int64`, `uint8`..`uint64`, `byte`, `rune` | value | `intN_t` / `uintN_t` | pointer to it |
//! | `int`, `uint`, `uintptr` | value | `intptr_t`, `uintptr_t`, `uintptr_t` | pointer to it |
//! | `float32`, `float64` | value | `float`, `double` | pointer to it |
//! | `string` | copy in; C-allocated bytes out | `char *p, size_t n` (copied) | `char **p, size_t *n` (free with `mochi_<M>_free`) |
//! | everything else | handle ID | `uint64_t` (0 = zero value) | `uint64_t *` (0 = nil interface) |
//!
//! A Go `string` is never handed to C (under the default cgocheck that aborts the process), and
//! neither is any other Go pointer: pointers, structs, slices, maps, interfaces, `error`, `chan`,
//! `func` and named types from any package (`*example.com/lib.Thing`) stay in Go and C holds
//! their handle ID. A type that cannot be a value at all (a variadic `...T` where an element is
//! expected, a constraint, an untyped constant's type) is a [`ContractError`]; a type the shared
//! emitter refuses is reported by the renderer as an emit error.

use apisurface::GoType;

/// How one Go type crosses the C boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Crossing {
    /// Crosses by value as a C scalar.
    Scalar(Scalar),
    /// A Go `string`: copied in from `(char *, size_t)`, returned as C-allocated bytes + length.
    String,
    /// Stays in Go; C holds a handle ID (`uint64_t`).
    Handle,
}

/// A Go scalar type and the C type it crosses as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scalar {
    /// The Go type name (`int64`, `float64`, `bool`, ...).
    pub go: &'static str,
    /// The C type name (`int64_t`, `double`, `bool`, ...), usable from Go as `C.<name>`.
    pub c: &'static str,
}

impl Scalar {
    /// The Rust type of the C type, for hosts written in Rust (`int64_t` → `i64`, `intptr_t` →
    /// `isize`, `double` → `f64`).
    pub fn rust(&self) -> &'static str {
        match self.c {
            "bool" => "bool",
            "int8_t" => "i8",
            "int16_t" => "i16",
            "int32_t" => "i32",
            "int64_t" => "i64",
            "uint8_t" => "u8",
            "uint16_t" => "u16",
            "uint32_t" => "u32",
            "uint64_t" => "u64",
            "intptr_t" => "isize",
            "uintptr_t" => "usize",
            "float" => "f32",
            "double" => "f64",
            other => unreachable!("{other} is not a C type of SCALARS"),
        }
    }
}

/// The Go scalar types that cross by value, with their C types (`complex64`/`complex128` are
/// deliberately absent: they cross as handles).
pub const SCALARS: [Scalar; 16] = [
    Scalar {
        go: "bool",
        c: "bool",
    },
    Scalar {
        go: "int8",
        c: "int8_t",
    },
    Scalar {
        go: "int16",
        c: "int16_t",
    },
    Scalar {
        go: "int32",
        c: "int32_t",
    },
    Scalar {
        go: "rune",
        c: "int32_t",
    },
    Scalar {
        go: "int64",
        c: "int64_t",
    },
    Scalar {
        go: "uint8",
        c: "uint8_t",
    },
    Scalar {
        go: "byte",
        c: "uint8_t",
    },
    Scalar {
        go: "uint16",
        c: "uint16_t",
    },
    Scalar {
        go: "uint32",
        c: "uint32_t",
    },
    Scalar {
        go: "uint64",
        c: "uint64_t",
    },
    Scalar {
        go: "int",
        c: "intptr_t",
    },
    Scalar {
        go: "uint",
        c: "uintptr_t",
    },
    Scalar {
        go: "uintptr",
        c: "uintptr_t",
    },
    Scalar {
        go: "float32",
        c: "float",
    },
    Scalar {
        go: "float64",
        c: "double",
    },
];

/// A type the contract cannot carry across the boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// The type cannot be a value (variadic marker, constraint, untyped constant type).
    #[error("`{ty}` is not a value type and cannot cross the C boundary: {why}")]
    NotAValue {
        /// The type, as go/types prints it.
        ty: String,
        /// Why.
        why: &'static str,
    },
}

/// Classifies `ty` by the contract.
pub fn crossing(ty: &GoType) -> Result<Crossing, ContractError> {
    match ty {
        GoType::Named(n) if n.package.is_none() && n.type_args.is_empty() => {
            if n.name == "string" {
                return Ok(Crossing::String);
            }
            if let Some(s) = SCALARS.iter().find(|s| s.go == n.name) {
                return Ok(Crossing::Scalar(*s));
            }
            Ok(Crossing::Handle)
        }
        GoType::Variadic(_) => Err(ContractError::NotAValue {
            ty: ty.to_string(),
            why: "`...T` is only a parameter form",
        }),
        GoType::Union(_) => Err(ContractError::NotAValue {
            ty: ty.to_string(),
            why: "a union is a constraint",
        }),
        GoType::Untyped(_) => Err(ContractError::NotAValue {
            ty: ty.to_string(),
            why: "the type of an untyped constant has no Go syntax",
        }),
        _ => Ok(Crossing::Handle),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apisurface::{ChanDir, Signature, Term};

    #[test]
    fn scalars_strings_and_handles() {
        let c = |s: &str| crossing(&GoType::name(s)).unwrap();
        assert_eq!(
            c("int64"),
            Crossing::Scalar(Scalar {
                go: "int64",
                c: "int64_t"
            })
        );
        assert!(matches!(
            c("float64"),
            Crossing::Scalar(Scalar { c: "double", .. })
        ));
        assert!(matches!(
            c("bool"),
            Crossing::Scalar(Scalar { c: "bool", .. })
        ));
        assert!(matches!(
            c("uintptr"),
            Crossing::Scalar(Scalar { c: "uintptr_t", .. })
        ));
        assert!(matches!(
            c("rune"),
            Crossing::Scalar(Scalar { c: "int32_t", .. })
        ));
        assert_eq!(c("string"), Crossing::String);
        for h in ["error", "any", "complex128", "Thing"] {
            assert_eq!(c(h), Crossing::Handle, "{h}");
        }
        let ptr = GoType::Pointer(Box::new(GoType::qualified("example.com/lib", "Thing")));
        assert_eq!(crossing(&ptr).unwrap(), Crossing::Handle);
        let ch = GoType::Chan {
            dir: ChanDir::Both,
            elem: Box::new(GoType::name("int")),
        };
        assert_eq!(crossing(&ch).unwrap(), Crossing::Handle);
        assert_eq!(
            crossing(&GoType::Func(Signature::default())).unwrap(),
            Crossing::Handle
        );
        // A qualified `string` is some package's named type, not the predeclared one.
        assert_eq!(
            crossing(&GoType::qualified("example.com/lib", "string")).unwrap(),
            Crossing::Handle
        );
    }

    #[test]
    fn every_scalar_has_a_rust_type() {
        let rust: Vec<&str> = SCALARS.iter().map(Scalar::rust).collect();
        assert_eq!(rust[0], "bool");
        assert!(
            SCALARS
                .iter()
                .any(|s| s.go == "uintptr" && s.rust() == "usize")
        );
        assert!(
            SCALARS
                .iter()
                .any(|s| s.go == "float32" && s.rust() == "f32")
        );
    }

    #[test]
    fn non_values_are_refused() {
        let v = GoType::Variadic(Box::new(GoType::name("int")));
        assert!(matches!(crossing(&v), Err(ContractError::NotAValue { .. })));
        let u = GoType::Union(vec![Term {
            tilde: true,
            ty: GoType::name("int"),
        }]);
        assert!(matches!(crossing(&u), Err(ContractError::NotAValue { .. })));
    }
}
