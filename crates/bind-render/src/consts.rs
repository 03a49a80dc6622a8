//! Go constants → Rust constants with the exact value, or a skip with the reason.

use crate::model::{BoundConst, SkipKind, TypeKind, TypeRef};
use crate::plan::{scalar, synopsis};
use apisurface::names::rust_const_name;
use apisurface::{GoType, Package, Value, parse_type};

type Refusal = (SkipKind, String);

/// Plans constant `c` of package `pkg`; `lookup` finds bound named types by (path, name).
pub(crate) fn plan_const(
    pkg: &Package,
    c: &Value,
    lookup: impl Fn(&str, &str) -> Option<(TypeRef, TypeKind)>,
) -> Result<BoundConst, Refusal> {
    let bad = |why: String| (SkipKind::ConstantValue, why);
    let kind = const_kind(pkg, &c.type_, &lookup)?;
    let (rust_type, literal) = match kind {
        ConstKind::Bool => match c.const_.as_str() {
            "true" | "false" => ("bool", c.const_.clone()),
            v => return Err(bad(format!("boolean constant with value {v:?}"))),
        },
        ConstKind::String => {
            let s = apisurface::validate::unquote(&c.const_)
                .map_err(|e| bad(format!("string value: {e}")))?;
            ("&str", format!("{s:?}"))
        }
        ConstKind::Int(rust) => int_literal(&c.const_, rust).map_err(bad)?,
        ConstKind::UntypedInt => ["i64", "u64"]
            .iter()
            .find_map(|t| int_literal(&c.const_, t).ok())
            .ok_or_else(|| bad(format!("{} fits neither i64 nor u64", c.const_)))?,
        ConstKind::Float(rust) => float_literal(&c.const_, rust).map_err(bad)?,
    };
    Ok(BoundConst {
        go_symbol: format!("{}.{}", pkg.import_path, c.name),
        rust_name: rust_const_name(&c.name),
        rust_type,
        literal,
        doc: synopsis(&c.name, &c.doc),
    })
}

enum ConstKind {
    Bool,
    String,
    Int(&'static str),
    UntypedInt,
    Float(&'static str),
}

fn const_kind(
    pkg: &Package,
    ty: &str,
    lookup: &impl Fn(&str, &str) -> Option<(TypeRef, TypeKind)>,
) -> Result<ConstKind, Refusal> {
    let unsupported = |why: String| (SkipKind::ConstantValue, why);
    match ty {
        "untyped bool" => return Ok(ConstKind::Bool),
        "untyped string" => return Ok(ConstKind::String),
        "untyped int" => return Ok(ConstKind::UntypedInt),
        "untyped rune" => return Ok(ConstKind::Int("i32")),
        "untyped float" => return Ok(ConstKind::Float("f64")),
        "untyped complex" | "complex64" | "complex128" => {
            return Err(unsupported(
                "a complex constant has no Rust constant".into(),
            ));
        }
        _ => {}
    }
    let parsed = parse_type(ty).map_err(|e| unsupported(format!("type {ty:?}: {e}")))?;
    let GoType::Named(n) = parsed else {
        return Err(unsupported(format!("constant of type {ty}")));
    };
    let basic = match &n.package {
        None if apisurface::validate::is_predeclared_type(&n.name) => n.name.to_string(),
        other => {
            let path = other.as_deref().unwrap_or(pkg.import_path.as_str());
            match lookup(path, &n.name) {
                Some((_, TypeKind::Scalar { scalar })) => scalar.go.to_string(),
                Some((_, TypeKind::String)) => "string".into(),
                _ => {
                    return Err(unsupported(format!(
                        "constant of type {ty}, whose underlying type is not known here \
                         (bind its package to bind it)"
                    )));
                }
            }
        }
    };
    match basic.as_str() {
        "bool" => Ok(ConstKind::Bool),
        "string" => Ok(ConstKind::String),
        "float32" => Ok(ConstKind::Float("f32")),
        "float64" => Ok(ConstKind::Float("f64")),
        b => scalar(b)
            .map(|s| ConstKind::Int(s.rust))
            .ok_or_else(|| unsupported(format!("constant of type {ty}"))),
    }
}

/// `value` (decimal) as a literal of integer type `rust`, if it fits.
fn int_literal(value: &str, rust: &'static str) -> Result<(&'static str, String), String> {
    let v: i128 = value
        .parse()
        .map_err(|_| format!("{value} is not an integer that fits 128 bits"))?;
    let (lo, hi): (i128, i128) = match rust {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        _ => return Err(format!("{rust} is not an integer type")),
    };
    if v < lo || v > hi {
        return Err(format!("{value} does not fit {rust}"));
    }
    Ok((rust, value.to_string()))
}

/// An exact float constant (`ExactString`: an integer or `num/den`) as an `f64`/`f32` literal.
/// Exact when numerator and denominator fit 53 bits (one correctly rounded division).
fn float_literal(value: &str, rust: &'static str) -> Result<(&'static str, String), String> {
    const EXACT: u128 = 1 << 53;
    let (num, den) = value.split_once('/').unwrap_or((value, "1"));
    let neg = num.starts_with('-');
    let n: u128 = num
        .trim_start_matches('-')
        .parse()
        .map_err(|_| format!("{value}: not an exact rational the binder can convert"))?;
    let d: u128 = den
        .parse()
        .map_err(|_| format!("{value}: not an exact rational the binder can convert"))?;
    // One IEEE division of two exactly representable integers is correctly rounded.
    let (limit, bits) = if rust == "f32" {
        (1 << 24, 24)
    } else {
        (EXACT, 53)
    };
    if n > limit || d > limit || d == 0 {
        return Err(format!(
            "{value} needs more than {bits} bits of numerator or denominator; its nearest \
             {rust} is not computed exactly here"
        ));
    }
    let sign = if neg { "-" } else { "" };
    let text = if rust == "f32" {
        format!("{sign}{:?}", n as f32 / d as f32)
    } else {
        format!("{sign}{:?}", n as f64 / d as f64)
    };
    Ok((rust, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_fit_or_are_refused() {
        assert_eq!(int_literal("-128", "i8").unwrap().1, "-128");
        assert!(int_literal("128", "i8").is_err());
        assert!(int_literal("18446744073709551616", "u64").is_err());
        assert_eq!(
            int_literal("18446744073709551615", "u64").unwrap().1,
            "18446744073709551615"
        );
    }

    #[test]
    fn floats_are_exact() {
        assert_eq!(float_literal("3/2", "f64").unwrap().1, "1.5");
        assert_eq!(float_literal("-1/4", "f64").unwrap().1, "-0.25");
        assert_eq!(float_literal("10", "f64").unwrap().1, "10.0");
        assert_eq!(float_literal("1/10", "f64").unwrap().1, "0.1");
        assert_eq!(float_literal("1/10", "f32").unwrap().1, "0.1");
        assert!(float_literal("16777217/1", "f32").is_err());
        assert!(
            float_literal(
                "884279719003555/281474976710656000000000000000000000000000000",
                "f64"
            )
            .is_err()
        );
    }
}
