//! Integration tests for tinygo-check.

mod data;
mod parity;
mod policies;
mod transitive;
mod walker;

use apisurface::{Field, Func, Package, Param, Type};

/// A function with unnamed-or-named params and results given as `(name, type)` pairs.
pub fn func(name: &str, params: &[(&str, &str)], results: &[(&str, &str)]) -> Func {
    let p = |xs: &[(&str, &str)]| {
        xs.iter()
            .map(|(n, t)| Param {
                name: n.to_string(),
                type_: t.to_string(),
            })
            .collect()
    };
    Func {
        name: name.into(),
        params: p(params),
        results: p(results),
        ..Func::default()
    }
}

/// An exported struct type with exported fields `(name, type)`.
pub fn struct_type(name: &str, fields: &[(&str, &str)]) -> Type {
    Type {
        name: name.into(),
        kind: "struct".into(),
        underlying: "struct{}".into(),
        fields: fields
            .iter()
            .map(|(n, t)| Field {
                name: n.to_string(),
                type_: t.to_string(),
                exported: true,
                ..Field::default()
            })
            .collect(),
        ..Type::default()
    }
}

/// A package with just an import path.
pub fn package(path: &str) -> Package {
    Package {
        import_path: path.into(),
        name: path.rsplit('/').next().unwrap_or(path).into(),
        ..Package::default()
    }
}
