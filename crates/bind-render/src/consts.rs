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
    let (kind, newtype) = const_kind(pkg, &c.type_, &lookup)?;
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
        go_name: c.name.clone(),
        rust_name: rust_const_name(&c.name),
        rust_type,
        literal,
        newtype,
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

/// The constant's kind, and the bound named basic type it has (if any).
fn const_kind(
    pkg: &Package,
    ty: &str,
    lookup: &impl Fn(&str, &str) -> Option<(TypeRef, TypeKind)>,
) -> Result<(ConstKind, Option<TypeRef>), Refusal> {
    let unsupported = |why: String| (SkipKind::ConstantValue, why);
    let untyped = |k| Ok((k, None));
    match ty {
        "untyped bool" => return untyped(ConstKind::Bool),
        "untyped string" => return untyped(ConstKind::String),
        "untyped int" => return untyped(ConstKind::UntypedInt),
        "untyped rune" => return untyped(ConstKind::Int("i32")),
        "untyped float" => return untyped(ConstKind::Float("f64")),
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
    let (basic, newtype) = match &n.package {
        None if apisurface::validate::is_predeclared_type(&n.name) => (n.name.to_string(), None),
        other => {
            let path = other.as_deref().unwrap_or(pkg.import_path.as_str());
            match lookup(path, &n.name) {
                Some((t, TypeKind::Scalar { scalar })) => (scalar.go.to_string(), Some(t)),
                Some((_, TypeKind::String)) => ("string".into(), None),
                _ => {
                    return Err(unsupported(format!(
                        "constant of type {ty}, whose underlying type is not known here \
                         (bind its package to bind it)"
                    )));
                }
            }
        }
    };
    let kind = match basic.as_str() {
        "bool" => ConstKind::Bool,
        "string" => ConstKind::String,
        "float32" => ConstKind::Float("f32"),
        "float64" => ConstKind::Float("f64"),
        b => scalar(b)
            .map(|s| ConstKind::Int(s.rust))
            .ok_or_else(|| unsupported(format!("constant of type {ty}")))?,
    };
    Ok((kind, newtype))
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

/// An exact float constant (`ExactString`: an integer or `num/den`) as an `f64`/`f32` literal,
/// correctly rounded: the rational is written as an exact decimal (possible when the denominator
/// is `2^a * 5^b`) and parsed by Rust's correctly rounding float parser. Other denominators
/// (`1/3`) are refused unless numerator and denominator fit the mantissa (one exact division).
fn float_literal(value: &str, rust: &'static str) -> Result<(&'static str, String), String> {
    let (num, den) = value.split_once('/').unwrap_or((value, "1"));
    let (sign, num) = match num.strip_prefix('-') {
        Some(n) => ("-", n),
        None => ("", num),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(num) || !digits(den) || den.bytes().all(|b| b == b'0') {
        return Err(format!("{value}: not an exact rational"));
    }
    let decimal = match exact_decimal(num, den) {
        Some(d) => d,
        None => {
            let limit: u128 = if rust == "f32" { 1 << 24 } else { 1 << 53 };
            let (n, d) = (num.parse::<u128>(), den.parse::<u128>());
            match (n, d) {
                (Ok(n), Ok(d)) if n <= limit && d <= limit => {
                    let q = if rust == "f32" {
                        format!("{:?}", n as f32 / d as f32)
                    } else {
                        format!("{:?}", n as f64 / d as f64)
                    };
                    return Ok((rust, format!("{sign}{q}")));
                }
                _ => {
                    return Err(format!(
                        "{value} has no finite decimal form and does not fit one exact {rust} \
                         division, so its nearest {rust} is not computed here"
                    ));
                }
            }
        }
    };
    let text = if rust == "f32" {
        let f: f32 = decimal
            .parse()
            .map_err(|_| format!("{value}: not a float"))?;
        if !f.is_finite() {
            return Err(format!("{value} overflows {rust}"));
        }
        format!("{f:?}")
    } else {
        let f: f64 = decimal
            .parse()
            .map_err(|_| format!("{value}: not a float"))?;
        if !f.is_finite() {
            return Err(format!("{value} overflows {rust}"));
        }
        format!("{f:?}")
    };
    Ok((rust, format!("{sign}{text}")))
}

/// `num/den` as an exact decimal string (`"0.0625"`), when `den` is `2^a * 5^b`.
fn exact_decimal(num: &str, den: &str) -> Option<String> {
    // Factor the denominator (decimal digits, most significant first) into 2s and 5s.
    let mut d: Vec<u8> = den.bytes().map(|b| b - b'0').collect();
    let (mut twos, mut fives) = (0usize, 0usize);
    while d.len() > 1 || d[0] > 1 {
        if divide_small(&mut d, 2) {
            twos += 1;
        } else if divide_small(&mut d, 5) {
            fives += 1;
        } else {
            return None;
        }
        if twos + fives > 4000 {
            return None;
        }
    }
    // num / (2^a 5^b) = num * 5^(k-b) * 2^(k-a) / 10^k with k = max(a, b).
    let k = twos.max(fives);
    let mut n: Vec<u8> = num.bytes().map(|b| b - b'0').collect();
    for _ in 0..k - fives {
        multiply_small(&mut n, 5);
    }
    for _ in 0..k - twos {
        multiply_small(&mut n, 2);
    }
    let s: String = n.iter().map(|d| (b'0' + d) as char).collect();
    Some(format!("{s}e-{k}"))
}

/// Divides a decimal digit vector by `q` in place when it divides exactly; else leaves it.
fn divide_small(d: &mut Vec<u8>, q: u32) -> bool {
    let mut out = Vec::with_capacity(d.len());
    let mut rem = 0u32;
    for &digit in d.iter() {
        let cur = rem * 10 + digit as u32;
        out.push((cur / q) as u8);
        rem = cur % q;
    }
    if rem != 0 {
        return false;
    }
    let first = out.iter().position(|&x| x != 0).unwrap_or(out.len() - 1);
    *d = out[first..].to_vec();
    true
}

fn multiply_small(d: &mut Vec<u8>, m: u32) {
    let mut carry = 0u32;
    for digit in d.iter_mut().rev() {
        let cur = *digit as u32 * m + carry;
        *digit = (cur % 10) as u8;
        carry = cur / 10;
    }
    while carry > 0 {
        d.insert(0, (carry % 10) as u8);
        carry /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time_pkg() -> Package {
        Package {
            import_path: "time".into(),
            name: "time".into(),
            ..Package::default()
        }
    }

    fn value(name: &str, ty: &str, v: &str) -> Value {
        Value {
            name: name.into(),
            type_: ty.into(),
            const_: v.into(),
            doc: String::new(),
        }
    }

    /// Finds `time.Duration` as a bound named basic type and `time.Month` as unbound.
    fn lookup(path: &str, name: &str) -> Option<(TypeRef, TypeKind)> {
        let int64 = scalar("int64")?;
        (path == "time" && name == "Duration").then(|| {
            let t = TypeRef {
                rust_mod: "time".into(),
                rust_name: "Duration".into(),
            };
            (t, TypeKind::Scalar { scalar: int64 })
        })
    }

    #[test]
    fn a_constant_of_a_bound_named_basic_type_is_its_newtype() {
        let c = plan_const(
            &time_pkg(),
            &value("Second", "time.Duration", "1000000000"),
            lookup,
        )
        .unwrap();
        assert_eq!(c.rust_name, "SECOND");
        assert_eq!(c.rust_type, "i64");
        assert_eq!(c.literal, "1000000000");
        assert_eq!(c.newtype.map(|t| t.rust_name), Some("Duration".to_string()));
        // Untyped and predeclared-typed constants stay plain scalars.
        let u = plan_const(&time_pkg(), &value("N", "untyped int", "7"), lookup).unwrap();
        assert_eq!((u.rust_type, u.newtype), ("i64", None));
        let p = plan_const(&time_pkg(), &value("P", "int32", "7"), lookup).unwrap();
        assert_eq!((p.rust_type, p.newtype), ("i32", None));
        // A named type that is not bound is skipped with the reason.
        let e = plan_const(&time_pkg(), &value("January", "time.Month", "1"), lookup).unwrap_err();
        assert_eq!(e.0, SkipKind::ConstantValue);
        assert!(e.1.contains("time.Month"), "{}", e.1);
    }

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
        assert_eq!(
            float_literal("1/3", "f64").unwrap().1,
            format!("{:?}", 1.0 / 3.0)
        );
        // math.Pi as go/constant's ExactString writes it
        let pi = "314159265358979323846264338327950288419716939937510582097494459/\
                  100000000000000000000000000000000000000000000000000000000000000";
        assert_eq!(
            float_literal(pi, "f64").unwrap().1,
            format!("{:?}", std::f64::consts::PI)
        );
        // math.SmallestNonzeroFloat64 = 1/2^1074
        let den = (0..1074).fold(vec![1u8], |mut d, _| {
            multiply_small(&mut d, 2);
            d
        });
        let den: String = den.iter().map(|d| (b'0' + d) as char).collect();
        assert_eq!(
            float_literal(&format!("1/{den}"), "f64").unwrap().1,
            "5e-324"
        );
        assert_eq!(float_literal("16777217", "f32").unwrap().1, "16777216.0");
        // a non-terminating fraction too large for one exact division
        assert!(
            float_literal(
                "10000000000000000000000/23025850929940456840179914546843",
                "f64"
            )
            .is_err()
        );
        assert!(float_literal("1e5", "f64").is_err());
    }
}
