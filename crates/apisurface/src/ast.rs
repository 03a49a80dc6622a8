//! The Go type tree: what [`crate::parse_type`] returns and what `Display` prints.
//!
//! The tree mirrors go/types' `TypeString` output, not Go source syntax: qualified names carry the
//! full import path, struct tags keep their quoted literal, interface elements keep their printed
//! order, and a top-level `...T` (variadic parameter) or union (`~int | ~string`, a constraint)
//! is representable because go/types prints those too.

pub use crate::name::Name;

/// A Go type as go/types prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GoType {
    /// A type name: predeclared (`int`, `error`, `any`, `comparable`), a type of the package the
    /// string came from (`Thing`), a type parameter (`T`), or qualified by the full import path
    /// (`encoding/json.RawMessage`, `unsafe.Pointer`); optionally instantiated (`iter.Seq2[K, V]`).
    Named(TypeName),
    /// The type of an untyped constant (`untyped int`, `untyped nil`, ...).
    Untyped(UntypedKind),
    /// `*T`
    Pointer(Box<GoType>),
    /// `[]T`
    Slice(Box<GoType>),
    /// `[N]T`
    Array {
        /// Length `N` (decimal).
        len: u64,
        /// Element type.
        elem: Box<GoType>,
    },
    /// `map[K]V`
    Map {
        /// Key type.
        key: Box<GoType>,
        /// Value type.
        value: Box<GoType>,
    },
    /// `chan T`, `<-chan T`, `chan<- T`; `chan (<-chan T)` is printed with parentheses.
    Chan {
        /// Direction.
        dir: ChanDir,
        /// Element type.
        elem: Box<GoType>,
    },
    /// `func(params) results`
    Func(Signature),
    /// `struct{A int "json:\"a\""; io.Reader}`
    Struct(Vec<StructField>),
    /// `interface{String() string; io.Reader; ~int | ~string}`, elements in printed order.
    Interface(Vec<InterfaceElem>),
    /// A type-set union or a single tilde term (`~int | ~string`, `~int`, `int | string`): what
    /// go/types prints for an implicit constraint interface. Has at least one term; a single
    /// term always has `tilde == true` (a lone non-tilde term is just that type).
    Union(Vec<Term>),
    /// `...T`: a variadic parameter's type as written in a surface `Param`. Only valid at the
    /// top level of a parsed string or as the last parameter of a signature.
    Variadic(Box<GoType>),
}

/// A (possibly qualified, possibly instantiated) type name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeName {
    /// Full import path of the declaring package; `None` for predeclared names, type parameters
    /// and the names of the package the type string belongs to.
    pub package: Option<Name>,
    /// The identifier.
    pub name: Name,
    /// Type arguments of an instantiated generic type; empty when not instantiated.
    pub type_args: Vec<GoType>,
}

/// The kind of an untyped constant's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UntypedKind {
    /// `untyped bool`
    Bool,
    /// `untyped int`
    Int,
    /// `untyped rune`
    Rune,
    /// `untyped float`
    Float,
    /// `untyped complex`
    Complex,
    /// `untyped string`
    String,
    /// `untyped nil`
    Nil,
}

impl UntypedKind {
    /// All kinds, in declaration order.
    pub const ALL: [UntypedKind; 7] = [
        UntypedKind::Bool,
        UntypedKind::Int,
        UntypedKind::Rune,
        UntypedKind::Float,
        UntypedKind::Complex,
        UntypedKind::String,
        UntypedKind::Nil,
    ];

    /// The word after `untyped ` (`int`, `nil`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            UntypedKind::Bool => "bool",
            UntypedKind::Int => "int",
            UntypedKind::Rune => "rune",
            UntypedKind::Float => "float",
            UntypedKind::Complex => "complex",
            UntypedKind::String => "string",
            UntypedKind::Nil => "nil",
        }
    }
}

/// Channel direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChanDir {
    /// `chan T`
    Both,
    /// `chan<- T`
    Send,
    /// `<-chan T`
    Recv,
}

/// A function signature (also used for interface methods, without the `func` keyword).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Signature {
    /// Type parameter groups of a generic signature (`func[K comparable, V any](...)`); go/types
    /// (Go 1.26) prints names of one group and the groups themselves separated by `, `, each
    /// group's shared constraint after its last name.
    pub type_params: Vec<TypeParamGroup>,
    /// Parameters. When `variadic`, the last parameter's type is a [`GoType::Variadic`].
    pub params: Vec<ParamDecl>,
    /// Results. A single unnamed result prints without parentheses.
    pub results: Vec<ParamDecl>,
}

impl Signature {
    /// Qualifies the names of package `home` in every parameter and result (see
    /// [`GoType::qualify`]); the signature's own type parameters stay unqualified.
    pub fn qualify(&mut self, home: &str, type_params: &[&str]) {
        let own: Vec<String> = self
            .type_params
            .iter()
            .flat_map(|g| g.names.iter().map(|n| n.to_string()))
            .collect();
        let mut all: Vec<&str> = type_params.to_vec();
        all.extend(own.iter().map(String::as_str));
        for p in self.params.iter_mut().chain(self.results.iter_mut()) {
            p.ty.qualify(home, &all);
        }
    }

    /// Drops every parameter and result name, also inside nested function types (see
    /// [`GoType::strip_param_names`]).
    pub fn strip_param_names(&mut self) {
        for p in self.params.iter_mut().chain(self.results.iter_mut()) {
            p.name = None;
            p.ty.strip_param_names();
        }
    }

    /// True when the last parameter is `...T`.
    pub fn is_variadic(&self) -> bool {
        matches!(self.params.last(), Some(p) if matches!(p.ty, GoType::Variadic(_)))
    }
}

/// A group of type parameters sharing one constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeParamGroup {
    /// Names, at least one.
    pub names: Vec<Name>,
    /// The shared constraint.
    pub constraint: GoType,
}

/// A parameter or result of a signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParamDecl {
    /// Name; `None` when unnamed.
    pub name: Option<Name>,
    /// Type (for the variadic last parameter: [`GoType::Variadic`]).
    pub ty: GoType,
}

/// A struct field as go/types prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructField {
    /// Field name; `None` for an embedded field (printed as its type alone).
    pub name: Option<Name>,
    /// Field type.
    pub ty: GoType,
    /// The tag exactly as printed: a quoted Go string literal (`"json:\"a\""`), or `None`.
    pub tag: Option<String>,
}

/// An element of an interface literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterfaceElem {
    /// An explicit method: `Name(params) results`.
    Method {
        /// Method name.
        name: Name,
        /// Signature (never has type parameters).
        sig: Signature,
    },
    /// An embedded type or type-set union (`io.Reader`, `~int | ~string`).
    Embedded(GoType),
}

/// One term of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// True for `~T`.
    pub tilde: bool,
    /// The term's type.
    pub ty: GoType,
}

/// What a [`Visitor`]'s callback tells the walk to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Visit this node's children.
    Continue,
    /// Do not visit this node's children; continue with its siblings.
    SkipChildren,
    /// Stop the walk.
    Stop,
}

/// Where a sub-type sits relative to its parent; reported by [`GoType::walk_with_role`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// The root of the walk.
    Root,
    /// Pointer, slice, array, channel or variadic element.
    Elem,
    /// Map key.
    MapKey,
    /// Map value.
    MapValue,
    /// Type argument `i` of an instantiated name.
    TypeArg(usize),
    /// Parameter `i` of a signature.
    Param(usize),
    /// Result `i` of a signature.
    Result(usize),
    /// Constraint of a type-parameter group.
    Constraint,
    /// Struct field `i`.
    Field(usize),
    /// Interface element `i` (method signatures are walked as their params/results; an embedded
    /// element is this role).
    Embedded(usize),
    /// Union term `i`.
    Term(usize),
}

/// Alias kept for readers who look for a visitor type.
pub type Visitor<'a> = dyn FnMut(&'a GoType) -> Walk + 'a;

impl GoType {
    /// Qualifies the names of package `home` in place: every unqualified name that is not
    /// predeclared and not one of `type_params` gets `home` as its package, so the type means the
    /// same outside its package (`*Event` in `example.com/x` → `*example.com/x.Event`).
    pub fn qualify(&mut self, home: &str, type_params: &[&str]) {
        match self {
            GoType::Named(TypeName {
                package,
                name,
                type_args,
            }) => {
                if package.is_none()
                    && !crate::validate::is_predeclared_type(name)
                    && !type_params.contains(&name.as_str())
                {
                    *package = Some(home.into());
                }
                type_args
                    .iter_mut()
                    .for_each(|a| a.qualify(home, type_params));
            }
            GoType::Untyped(_) => {}
            GoType::Pointer(e) | GoType::Slice(e) | GoType::Variadic(e) => {
                e.qualify(home, type_params)
            }
            GoType::Array { elem, .. } | GoType::Chan { elem, .. } => {
                elem.qualify(home, type_params)
            }
            GoType::Map { key, value } => {
                key.qualify(home, type_params);
                value.qualify(home, type_params);
            }
            GoType::Func(sig) => sig.qualify(home, type_params),
            GoType::Struct(fields) => fields
                .iter_mut()
                .for_each(|f| f.ty.qualify(home, type_params)),
            GoType::Interface(elems) => elems.iter_mut().for_each(|e| match e {
                InterfaceElem::Method { sig, .. } => sig.qualify(home, type_params),
                InterfaceElem::Embedded(t) => t.qualify(home, type_params),
            }),
            GoType::Union(terms) => terms
                .iter_mut()
                .for_each(|t| t.ty.qualify(home, type_params)),
        }
    }

    /// Drops the parameter and result names of every function type inside (at any depth):
    /// Go's type identity ignores them, so `func(r rune) bool` and `func(rune) bool` are one
    /// type and print the same afterwards.
    pub fn strip_param_names(&mut self) {
        match self {
            GoType::Named(n) => n.type_args.iter_mut().for_each(GoType::strip_param_names),
            GoType::Untyped(_) => {}
            GoType::Pointer(e) | GoType::Slice(e) | GoType::Variadic(e) => e.strip_param_names(),
            GoType::Array { elem, .. } | GoType::Chan { elem, .. } => elem.strip_param_names(),
            GoType::Map { key, value } => {
                key.strip_param_names();
                value.strip_param_names();
            }
            GoType::Func(sig) => sig.strip_param_names(),
            GoType::Struct(fields) => fields.iter_mut().for_each(|f| f.ty.strip_param_names()),
            GoType::Interface(elems) => elems.iter_mut().for_each(|e| match e {
                InterfaceElem::Method { sig, .. } => sig.strip_param_names(),
                InterfaceElem::Embedded(t) => t.strip_param_names(),
            }),
            GoType::Union(terms) => terms.iter_mut().for_each(|t| t.ty.strip_param_names()),
        }
    }

    /// Shorthand for an unqualified, uninstantiated name (`int`, `T`, `Thing`).
    pub fn name(name: impl Into<Name>) -> GoType {
        GoType::Named(TypeName {
            package: None,
            name: name.into(),
            type_args: Vec::new(),
        })
    }

    /// Shorthand for a qualified, uninstantiated name (`encoding/json`, `RawMessage`).
    pub fn qualified(package: impl Into<Name>, name: impl Into<Name>) -> GoType {
        GoType::Named(TypeName {
            package: Some(package.into()),
            name: name.into(),
            type_args: Vec::new(),
        })
    }

    /// Visits this type and every sub-type in pre-order (parents before children, children in
    /// printed order). Signature parameters, results and type-parameter constraints, struct field
    /// types, interface method signatures, embedded elements, union terms and type arguments are
    /// all visited. The callback decides whether to descend; returns `false` if it stopped.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a GoType) -> Walk) -> bool {
        self.walk_with_role(&mut |t, _| f(t))
    }

    /// Like [`GoType::walk`], also telling the callback each node's [`Role`] in its parent.
    pub fn walk_with_role<'a>(&'a self, f: &mut dyn FnMut(&'a GoType, Role) -> Walk) -> bool {
        walk_node(self, Role::Root, f)
    }

    /// True when `pred` holds for this type or any sub-type.
    pub fn any(&self, mut pred: impl FnMut(&GoType) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |t| {
            if pred(t) {
                found = true;
                Walk::Stop
            } else {
                Walk::Continue
            }
        });
        found
    }

    /// Every sub-type (this one included) in pre-order.
    pub fn descendants(&self) -> Vec<&GoType> {
        let mut out = Vec::new();
        self.walk(&mut |t| {
            out.push(t);
            Walk::Continue
        });
        out
    }
}

fn walk_node<'a>(t: &'a GoType, role: Role, f: &mut dyn FnMut(&'a GoType, Role) -> Walk) -> bool {
    match f(t, role) {
        Walk::Stop => return false,
        Walk::SkipChildren => return true,
        Walk::Continue => {}
    }
    match t {
        GoType::Named(n) => {
            for (i, a) in n.type_args.iter().enumerate() {
                if !walk_node(a, Role::TypeArg(i), f) {
                    return false;
                }
            }
            true
        }
        GoType::Untyped(_) => true,
        GoType::Pointer(e) | GoType::Slice(e) | GoType::Variadic(e) => walk_node(e, Role::Elem, f),
        GoType::Array { elem, .. } | GoType::Chan { elem, .. } => walk_node(elem, Role::Elem, f),
        GoType::Map { key, value } => {
            walk_node(key, Role::MapKey, f) && walk_node(value, Role::MapValue, f)
        }
        GoType::Func(sig) => walk_sig(sig, f),
        GoType::Struct(fields) => {
            for (i, fl) in fields.iter().enumerate() {
                if !walk_node(&fl.ty, Role::Field(i), f) {
                    return false;
                }
            }
            true
        }
        GoType::Interface(elems) => {
            for (i, el) in elems.iter().enumerate() {
                let ok = match el {
                    InterfaceElem::Method { sig, .. } => walk_sig(sig, f),
                    InterfaceElem::Embedded(ty) => walk_node(ty, Role::Embedded(i), f),
                };
                if !ok {
                    return false;
                }
            }
            true
        }
        GoType::Union(terms) => {
            for (i, term) in terms.iter().enumerate() {
                if !walk_node(&term.ty, Role::Term(i), f) {
                    return false;
                }
            }
            true
        }
    }
}

fn walk_sig<'a>(sig: &'a Signature, f: &mut dyn FnMut(&'a GoType, Role) -> Walk) -> bool {
    for g in &sig.type_params {
        if !walk_node(&g.constraint, Role::Constraint, f) {
            return false;
        }
    }
    for (i, p) in sig.params.iter().enumerate() {
        if !walk_node(&p.ty, Role::Param(i), f) {
            return false;
        }
    }
    for (i, r) in sig.results.iter().enumerate() {
        if !walk_node(&r.ty, Role::Result(i), f) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chan_of(t: GoType) -> GoType {
        GoType::Chan {
            dir: ChanDir::Recv,
            elem: Box::new(t),
        }
    }

    #[test]
    fn walk_visits_map_keys_type_args_and_signatures() {
        // map[[2]func()]G[<-chan int]
        let t = GoType::Map {
            key: Box::new(GoType::Array {
                len: 2,
                elem: Box::new(GoType::Func(Signature::default())),
            }),
            value: Box::new(GoType::Named(TypeName {
                package: None,
                name: "G".into(),
                type_args: vec![chan_of(GoType::name("int"))],
            })),
        };
        let kinds: Vec<&str> = t
            .descendants()
            .iter()
            .map(|t| match t {
                GoType::Map { .. } => "map",
                GoType::Array { .. } => "array",
                GoType::Func(_) => "func",
                GoType::Named(n) => n.name.as_str(),
                GoType::Chan { .. } => "chan",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["map", "array", "func", "G", "chan", "int"]);
        assert!(t.any(|t| matches!(t, GoType::Chan { .. })));
        assert!(!t.any(|t| matches!(t, GoType::Pointer(_))));
    }

    #[test]
    fn walk_reports_roles_and_can_stop_or_skip() {
        let sig = Signature {
            type_params: vec![],
            params: vec![ParamDecl {
                name: Some("x".into()),
                ty: GoType::name("int"),
            }],
            results: vec![ParamDecl {
                name: None,
                ty: GoType::Pointer(Box::new(GoType::name("T"))),
            }],
        };
        let t = GoType::Func(sig);
        let mut roles = Vec::new();
        t.walk_with_role(&mut |_, r| {
            roles.push(r);
            Walk::Continue
        });
        assert_eq!(
            roles,
            [Role::Root, Role::Param(0), Role::Result(0), Role::Elem]
        );

        let mut seen = 0;
        let finished = t.walk(&mut |_| {
            seen += 1;
            if seen == 2 {
                Walk::Stop
            } else {
                Walk::Continue
            }
        });
        assert!(!finished);
        assert_eq!(seen, 2);

        let mut seen = 0;
        t.walk(&mut |t| {
            seen += 1;
            if matches!(t, GoType::Func(_)) {
                Walk::SkipChildren
            } else {
                Walk::Continue
            }
        });
        assert_eq!(seen, 1);
    }
}
