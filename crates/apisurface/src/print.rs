//! `Display` for [`GoType`]: the canonical go/types form (see [`crate::parse_type`] for the rules).
//!
//! Printing never panics. Any tree prints; trees that [`crate::parse_type`] returned print back
//! to exactly the string they came from. Hand-built trees that go/types could not have printed
//! (an empty name, a `Union` nested in a pointer, ...) print their parts as faithfully as the
//! grammar allows and may not parse again. Sub-trees nested deeper than [`PRINT_MAX_DEPTH`]
//! levels print as `…`, so a hand-built, absurdly deep tree cannot exhaust the stack.

use crate::ast::{ChanDir, GoType, InterfaceElem, ParamDecl, Signature, StructField, Term};
use crate::parse::MAX_DEPTH;
use std::fmt::{self, Write};

/// Nesting depth beyond which `Display` elides a sub-tree as `…` (parsed trees are never deeper
/// than [`MAX_DEPTH`], so they always print in full).
pub(crate) const PRINT_MAX_DEPTH: usize = 4 * MAX_DEPTH;

impl fmt::Display for GoType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ty(f, self, 0)
    }
}

fn ty<W: Write>(w: &mut W, t: &GoType, depth: usize) -> fmt::Result {
    if depth >= PRINT_MAX_DEPTH {
        return w.write_str("…");
    }
    let d = depth + 1;
    match t {
        GoType::Named(n) => {
            if let Some(p) = &n.package {
                w.write_str(p)?;
                w.write_char('.')?;
            }
            w.write_str(&n.name)?;
            if !n.type_args.is_empty() {
                w.write_char('[')?;
                for (i, a) in n.type_args.iter().enumerate() {
                    if i > 0 {
                        w.write_str(", ")?;
                    }
                    ty(w, a, d)?;
                }
                w.write_char(']')?;
            }
            Ok(())
        }
        GoType::Untyped(k) => {
            w.write_str("untyped ")?;
            w.write_str(k.as_str())
        }
        GoType::Pointer(e) => {
            w.write_char('*')?;
            ty(w, e, d)
        }
        GoType::Slice(e) => {
            w.write_str("[]")?;
            ty(w, e, d)
        }
        GoType::Array { len, elem } => {
            write!(w, "[{len}]")?;
            ty(w, elem, d)
        }
        GoType::Map { key, value } => {
            w.write_str("map[")?;
            ty(w, key, d)?;
            w.write_char(']')?;
            ty(w, value, d)
        }
        GoType::Chan { dir, elem } => {
            let parens = *dir == ChanDir::Both
                && matches!(
                    elem.as_ref(),
                    GoType::Chan {
                        dir: ChanDir::Recv,
                        ..
                    }
                );
            w.write_str(match dir {
                ChanDir::Both => "chan ",
                ChanDir::Send => "chan<- ",
                ChanDir::Recv => "<-chan ",
            })?;
            if parens {
                w.write_char('(')?;
                ty(w, elem, d)?;
                w.write_char(')')
            } else {
                ty(w, elem, d)
            }
        }
        GoType::Func(sig) => {
            w.write_str("func")?;
            signature(w, sig, d)
        }
        GoType::Struct(fields) => {
            w.write_str("struct{")?;
            for (i, fl) in fields.iter().enumerate() {
                if i > 0 {
                    w.write_str("; ")?;
                }
                field(w, fl, d)?;
            }
            w.write_char('}')
        }
        GoType::Interface(elems) => {
            w.write_str("interface{")?;
            for (i, el) in elems.iter().enumerate() {
                if i > 0 {
                    w.write_str("; ")?;
                }
                match el {
                    InterfaceElem::Method { name, sig } => {
                        w.write_str(name)?;
                        signature(w, sig, d)?;
                    }
                    InterfaceElem::Embedded(t) => ty(w, t, d)?,
                }
            }
            w.write_char('}')
        }
        GoType::Union(terms) => {
            for (i, Term { tilde, ty: t }) in terms.iter().enumerate() {
                if i > 0 {
                    w.write_str(" | ")?;
                }
                if *tilde {
                    w.write_char('~')?;
                }
                ty(w, t, d)?;
            }
            Ok(())
        }
        GoType::Variadic(e) => {
            w.write_str("...")?;
            ty(w, e, d)
        }
    }
}

fn field<W: Write>(w: &mut W, f: &StructField, d: usize) -> fmt::Result {
    if let Some(n) = &f.name {
        w.write_str(n)?;
        w.write_char(' ')?;
    }
    ty(w, &f.ty, d)?;
    if let Some(tag) = &f.tag {
        w.write_char(' ')?;
        w.write_str(tag)?;
    }
    Ok(())
}

/// `[tparams](params) results` (after `func` or a method name).
fn signature<W: Write>(w: &mut W, sig: &Signature, d: usize) -> fmt::Result {
    if !sig.type_params.is_empty() {
        w.write_char('[')?;
        for (i, g) in sig.type_params.iter().enumerate() {
            if i > 0 {
                w.write_str(", ")?;
            }
            for (j, n) in g.names.iter().enumerate() {
                if j > 0 {
                    w.write_str(", ")?;
                }
                w.write_str(n)?;
            }
            w.write_char(' ')?;
            ty(w, &g.constraint, d)?;
        }
        w.write_char(']')?;
    }
    params(w, &sig.params, d)?;
    match sig.results.as_slice() {
        [] => Ok(()),
        [ParamDecl { name: None, ty: t }] => {
            w.write_char(' ')?;
            ty(w, t, d)
        }
        rs => {
            w.write_char(' ')?;
            params(w, rs, d)
        }
    }
}

fn params<W: Write>(w: &mut W, ps: &[ParamDecl], d: usize) -> fmt::Result {
    w.write_char('(')?;
    for (i, p) in ps.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        if let Some(n) = &p.name {
            w.write_str(n)?;
            w.write_char(' ')?;
        }
        ty(w, &p.ty, d)?;
    }
    w.write_char(')')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{TypeName, TypeParamGroup};

    #[test]
    fn prints_hand_built_trees() {
        let t = GoType::Chan {
            dir: ChanDir::Both,
            elem: Box::new(GoType::Chan {
                dir: ChanDir::Recv,
                elem: Box::new(GoType::name("int")),
            }),
        };
        assert_eq!(t.to_string(), "chan (<-chan int)");
        let sig = Signature {
            type_params: vec![TypeParamGroup {
                names: vec!["K".into(), "V".into()],
                constraint: GoType::name("any"),
            }],
            params: vec![ParamDecl {
                name: Some("m".into()),
                ty: GoType::Map {
                    key: Box::new(GoType::name("K")),
                    value: Box::new(GoType::name("V")),
                },
            }],
            results: vec![ParamDecl {
                name: None,
                ty: GoType::Named(TypeName {
                    package: Some("iter".into()),
                    name: "Seq2".into(),
                    type_args: vec![GoType::name("K"), GoType::name("V")],
                }),
            }],
        };
        assert_eq!(
            GoType::Func(sig).to_string(),
            "func[K, V any](m map[K]V) iter.Seq2[K, V]"
        );
    }

    #[test]
    fn absurd_depth_is_elided_not_overflowed() {
        let mut t = GoType::name("int");
        for _ in 0..(PRINT_MAX_DEPTH + 10) {
            t = GoType::Slice(Box::new(t));
        }
        let s = t.to_string();
        assert!(s.ends_with("[]…"), "{}", &s[s.len() - 10..]);
        assert_eq!(s.matches("[]").count(), PRINT_MAX_DEPTH);
    }
}
