//! `needs_runtime`: does a package's exported API pass `chan` or `func` values?

use apisurface::{Func, Node, NodeKind, Package, TypeTree};
use std::collections::BTreeSet;

/// Where in a signature the type that needs the runtime sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    /// Parameter `i` (0-based).
    Param(usize),
    /// Result `i` (0-based).
    Result(usize),
}

/// What about the type needs the runtime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Why {
    /// A `chan` type appears in it.
    Chan,
    /// A `func` type appears in it.
    Func,
    /// It names a type of the same package (`name`) whose underlying type holds a `chan` or
    /// `func` (`type Stream chan int`, `type Handlers []func()`). Struct and interface types are
    /// not followed: they cross whole, and interface methods are checked on their own.
    ViaNamed {
        /// The local type's name.
        name: String,
    },
    /// The type string does not parse; treated as needing the runtime (conservative).
    Unparseable {
        /// The parse error, as text.
        error: String,
    },
}

/// One reason a package needs the goroutine runtime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reason {
    /// The symbol: `Func`, `Type.Method` or `Interface.Method`.
    pub symbol: String,
    /// Parameter or result position.
    pub position: Position,
    /// The type string as the surface has it.
    pub type_string: String,
    /// Why it needs the runtime.
    pub why: Why,
}

/// True when some exported function, method or interface method of `pkg` takes or returns a
/// `chan` or `func` anywhere inside a parameter or result type, or has a type string that does
/// not parse.
///
/// The walk sees through pointers, slices, arrays, map keys and values, variadics, struct and
/// interface literals, signatures and generic type arguments, and follows names of `pkg`'s own
/// non-struct, non-interface types (`type Stream chan int`). A named type of another package
/// (`net/http.HandlerFunc`, `iter.Seq[int]`) is not looked into: its definition is not in this
/// surface, and as a whole it crosses as a handle anyway.
pub fn needs_runtime(pkg: &Package) -> bool {
    let mut found = false;
    visit(pkg, &mut |_| {
        found = true;
        false
    });
    found
}

/// Every reason `pkg` needs the runtime, in surface order (functions, then each type's methods,
/// then its interface methods; params before results).
pub fn runtime_reasons(pkg: &Package) -> Vec<Reason> {
    let mut out = Vec::new();
    visit(pkg, &mut |r| {
        out.push(r);
        true
    });
    out
}

/// Calls `f` for each reason until it returns false.
fn visit(pkg: &Package, f: &mut dyn FnMut(Reason) -> bool) {
    let mut sigs: Vec<(String, &Func)> = pkg.funcs.iter().map(|x| (x.name.clone(), x)).collect();
    for t in &pkg.types {
        for m in t.methods.iter().chain(&t.interface_methods) {
            sigs.push((format!("{}.{}", t.name, m.name), m));
        }
    }
    for (symbol, func) in sigs {
        let slots = func
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| (Position::Param(i), &p.type_))
            .chain(
                func.results
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (Position::Result(i), &p.type_)),
            );
        for (position, ts) in slots {
            if let Some(why) = why_type_string(pkg, ts) {
                let go_on = f(Reason {
                    symbol: symbol.clone(),
                    position,
                    type_string: ts.clone(),
                    why,
                });
                if !go_on {
                    return;
                }
            }
        }
    }
}

fn why_type_string(pkg: &Package, ts: &str) -> Option<Why> {
    match TypeTree::parse(ts) {
        Err(e) => Some(Why::Unparseable {
            error: e.to_string(),
        }),
        Ok(t) => why_type(pkg, t.root(), &mut BTreeSet::new()),
    }
}

/// Finds a `chan` or `func` in `t` (pre-order, first found wins), following unqualified names
/// to the package's own types (each at most once, so recursive types terminate).
fn why_type(pkg: &Package, t: Node<'_>, seen: &mut BTreeSet<String>) -> Option<Why> {
    for n in t.descendants() {
        match n.kind() {
            NodeKind::Chan(_) => return Some(Why::Chan),
            NodeKind::Func => return Some(Why::Func),
            NodeKind::Named if n.package().is_none() => {
                let name = n.name().unwrap_or_default();
                if !seen.insert(name.to_string()) {
                    continue;
                }
                let Some(decl) = pkg.type_(name) else {
                    continue;
                };
                let under = if decl.alias_of.is_empty() {
                    &decl.underlying
                } else {
                    &decl.alias_of
                };
                if under.is_empty() {
                    continue;
                }
                let inner = match TypeTree::parse(under) {
                    Err(e) => Some(Why::Unparseable {
                        error: e.to_string(),
                    }),
                    // A struct or interface crosses whole (as a handle); its fields and methods
                    // are not parameters of this API.
                    Ok(u) if matches!(u.root().kind(), NodeKind::Struct | NodeKind::Interface) => {
                        None
                    }
                    Ok(u) => why_type(pkg, u.root(), seen),
                };
                if inner.is_some() {
                    return Some(Why::ViaNamed {
                        name: name.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    None
}
