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
/// (`1/3`, `math.Log10E`, `math.Pi / 180`): one exact division when numerator and denominator
/// fit the mantissa, else the nearest float found by bracketing ([`nearest_of_rational`]).
/// Go converts an untyped constant to `float64` the same way (to the nearest).
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
        None => return nearest_of_rational(num, den, rust).map(|t| (rust, format!("{sign}{t}"))),
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

/// The nearest `f64`/`f32` to `num/den` (both decimal digit strings, `den` not of the form
/// `2^a * 5^b`), as a Rust literal. The value lies in `[q, q + 1) * 10^-k` with
/// `q = floor(num * 10^k / den)`; both ends are exact decimals that Rust's parser rounds
/// correctly, and rounding is monotone, so when the two ends round to the same float the value
/// does too. `k` grows until they agree (a value of this kind is never a midpoint between two
/// floats: midpoints are finite decimals, so the bracket eventually excludes them).
fn nearest_of_rational(num: &str, den: &str, rust: &str) -> Result<String, String> {
    let n: Vec<u8> = num.bytes().map(|b| b - b'0').collect();
    let d: Vec<u8> = den.bytes().map(|b| b - b'0').collect();
    if n.iter().all(|&x| x == 0) {
        return Ok("0.0".into());
    }
    // Enough digits for the quotient to carry ~40 significant ones to start with.
    let mut k = (d.len() + 40).saturating_sub(n.len());
    while k <= 2000 {
        let mut scaled = n.clone();
        scaled.resize(n.len() + k, 0);
        let q = divide_big(&scaled, &d);
        let mut q1 = q.clone();
        increment(&mut q1);
        let text = |digits: &[u8]| -> String {
            let s: String = digits.iter().map(|x| (b'0' + x) as char).collect();
            format!("{s}e-{k}")
        };
        let (lo, hi) = (text(&q), text(&q1));
        let same = if rust == "f32" {
            parse_pair::<f32>(&lo, &hi)
        } else {
            parse_pair::<f64>(&lo, &hi)
        };
        if let Some(v) = same {
            return match v {
                Some(t) => Ok(t),
                None => Err(format!("{num}/{den} overflows or underflows {rust}")),
            };
        }
        k += 40;
    }
    Err(format!(
        "{num}/{den}: its nearest {rust} was not settled within 2000 digits"
    ))
}

/// `Some(Some(literal))` when both decimals parse to the same finite, non-zero float;
/// `Some(None)` when they agree on an infinite or zero one; `None` when they differ.
fn parse_pair<F>(lo: &str, hi: &str) -> Option<Option<String>>
where
    F: std::str::FromStr + PartialEq + std::fmt::Debug + Copy + Into<f64>,
{
    let (a, b): (F, F) = (lo.parse().ok()?, hi.parse().ok()?);
    if a != b {
        return None;
    }
    let f: f64 = a.into();
    Some((f.is_finite() && f != 0.0).then(|| format!("{a:?}")))
}

/// `floor(a / b)` of decimal digit vectors (most significant first, `b` non-zero), by long
/// division: each quotient digit is how many times `b` still fits the running remainder.
fn divide_big(a: &[u8], b: &[u8]) -> Vec<u8> {
    let b = trim(b);
    let mut rem: Vec<u8> = Vec::new();
    let mut q = Vec::with_capacity(a.len());
    for &digit in a {
        rem.push(digit);
        rem = trim(&rem).to_vec();
        let mut times = 0u8;
        while !less(&rem, b) {
            rem = subtract(&rem, b);
            times += 1;
        }
        q.push(times);
    }
    trim(&q).to_vec()
}

/// Without leading zeros (`[0]` stays).
fn trim(d: &[u8]) -> &[u8] {
    let first = d
        .iter()
        .position(|&x| x != 0)
        .unwrap_or(d.len().saturating_sub(1));
    &d[first..]
}

/// `a < b` for trimmed digit vectors.
fn less(a: &[u8], b: &[u8]) -> bool {
    a.len() < b.len() || (a.len() == b.len() && a < b)
}

/// `a - b` for `a >= b`.
fn subtract(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut borrow = 0i16;
    for i in 0..out.len() {
        let ai = out.len() - 1 - i;
        let bd = if i < b.len() {
            b[b.len() - 1 - i] as i16
        } else {
            0
        };
        let mut v = out[ai] as i16 - bd - borrow;
        borrow = i16::from(v < 0);
        if v < 0 {
            v += 10;
        }
        out[ai] = v as u8;
    }
    trim(&out).to_vec()
}

/// `d + 1` in place.
fn increment(d: &mut Vec<u8>) {
    for x in d.iter_mut().rev() {
        if *x < 9 {
            *x += 1;
            return;
        }
        *x = 0;
    }
    d.insert(0, 1);
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
    *d = trim(&out).to_vec();
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
        // Non-terminating fractions too large for one exact division: the nearest float, found
        // by bracketing (math.Log10E and math.Log2E as go/constant writes them, Pi/180).
        let log10e = "10000000000000000000000000000000000000000000000000000000000000/\
                      23025850929940456840179914546843642076011014886287729760333279";
        assert_eq!(
            float_literal(log10e, "f64").unwrap().1,
            format!("{:?}", std::f64::consts::LOG10_E)
        );
        let log2e = "1000000000000000000000000000000000000000000000000000000000000000/\
                     693147180559945309417232121458176568075500134360255254120680009";
        assert_eq!(
            float_literal(log2e, "f64").unwrap().1,
            format!("{:?}", std::f64::consts::LOG2_E)
        );
        let pi_180 = "314159265358979323846264338327950288419716939937510582097494459/\
                      18000000000000000000000000000000000000000000000000000000000000000";
        assert_eq!(
            float_literal(pi_180, "f64").unwrap().1,
            "0.017453292519943295"
        );
        assert_eq!(
            float_literal(&format!("-{log10e}"), "f32").unwrap().1,
            format!("{:?}", -std::f32::consts::LOG10_E)
        );
        // Small ones the one-division path also takes agree with it (checked against Python's
        // exact Fraction → float).
        let big7 = format!("1{}/7{}", "0".repeat(60), "0".repeat(60));
        assert_eq!(
            float_literal(&big7, "f64").unwrap().1,
            "0.14285714285714285"
        );
        assert_eq!(float_literal(&big7, "f32").unwrap().1, "0.14285715");
        let big23 = format!("2{}/3{}", "0".repeat(60), "0".repeat(60));
        assert_eq!(float_literal(&big23, "f32").unwrap().1, "0.6666667");
        // Out of range is refused, not rounded to infinity or zero.
        let huge = format!("1{}/3", "0".repeat(400));
        assert!(float_literal(&huge, "f64").is_err());
        assert!(float_literal(&format!("1/3{}", "0".repeat(400)), "f64").is_err());
        assert!(float_literal("1e5", "f64").is_err());
    }

    proptest::proptest! {
        /// The bracketing path against IEEE division, which rounds `a / b` correctly when both
        /// are exact `f64`s: scaled by `10^40` (and by 3 or 7 below, so no finite decimal),
        /// `a / b` only reaches the bracketing.
        #[test]
        fn bracketing_matches_ieee_division(a in 1u64..(1 << 53), b in 1u64..(1 << 53), p in 0u8..3) {
            let b = b * [1, 3, 7][p as usize];
            proptest::prop_assume!(b < 1 << 53);
            let zeros = "0".repeat(40);
            let got = nearest_of_rational(&format!("{a}{zeros}"), &format!("{b}{zeros}"), "f64");
            let want = a as f64 / b as f64;
            match exact_decimal(&a.to_string(), &b.to_string()) {
                Some(_) => {} // a finite decimal: the other path (and so not this one's job)
                None => proptest::prop_assert_eq!(got.unwrap(), format!("{want:?}")),
            }
        }
    }
}
