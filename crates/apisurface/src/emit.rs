//! Writing a [`GoType`] as valid Go source.
//!
//! A go/types type string names other packages by their full import path
//! (`*github.com/foo/lib.Thing`), which is not Go syntax. [`emit_type`] writes the type with each
//! qualifier replaced by a local package name recorded in an [`ImportSet`], which picks
//! deterministic, collision-free names and writes the `import` declaration. Everything that
//! cannot be written is a typed [`EmitError`]: an unexported name from another package, an
//! untyped constant's type, a type parameter that is not in scope, a constraint-only type in a
//! value position.
//!
//! ```
//! use apisurface::{emit::emit_type, parse_type, EmitContext, ImportSet};
//! let t = parse_type("map[string]*github.com/foo/go-lib.Thing").unwrap();
//! let mut imports = ImportSet::new();
//! let src = emit_type(&t, &EmitContext::new(), &mut imports).unwrap();
//! assert_eq!(src, "map[string]*golib.Thing");
//! ```

use crate::ast::{ChanDir, GoType, InterfaceElem, Name, ParamDecl, Signature, TypeName};
use crate::layout::{ElemText, FieldText, interface_literal, struct_literal};
use crate::validate::{
    ValidationError, check_conventional_tag, check_identifier, check_import_path, check_struct_tag,
    is_exported, is_keyword, is_predeclared, is_predeclared_type,
};
use crate::writer::GoWriter;
use std::collections::{BTreeMap, BTreeSet};

/// A type (or file part) that cannot be written as Go source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// A part of the type failed validation (identifier, import path, tag).
    #[error("invalid {what}: {source}")]
    Invalid {
        /// Which part.
        what: &'static str,
        /// The validation failure.
        source: ValidationError,
    },
    /// A name from another package that is not exported cannot be referenced.
    #[error("`{package}.{name}` is not exported and cannot be named outside its package")]
    Unexported {
        /// The declaring package's import path.
        package: String,
        /// The name.
        name: String,
    },
    /// A struct field or interface method of another package that is not exported: the literal
    /// type written elsewhere would be a different type.
    #[error(
        "`{name}` is an unexported {member} of package {package}; the type cannot be rewritten outside it"
    )]
    UnexportedMember {
        /// `field` or `method`.
        member: &'static str,
        /// Its name.
        name: String,
        /// The package the type string belongs to.
        package: String,
    },
    /// The type of an untyped constant has no Go syntax.
    #[error(
        "`untyped {kind}` is the type of an untyped constant and cannot be written in Go source"
    )]
    Untyped {
        /// `int`, `nil`, ...
        kind: &'static str,
    },
    /// A type parameter used where it is not declared.
    #[error("type parameter `{name}` is not in scope here")]
    FreeTypeParam {
        /// Its name.
        name: String,
    },
    /// An unqualified name that is neither predeclared nor a type parameter, with no home
    /// package to qualify it with.
    #[error("`{name}` is not predeclared and no home package was given to qualify it")]
    UnresolvedName {
        /// The name.
        name: String,
    },
    /// A type that can only be a constraint (a union, `~T`, `comparable`, or an interface with a
    /// type set) used as a value type.
    #[error("`{ty}` can only be used as a type constraint")]
    ConstraintOnly {
        /// The type as go/types prints it.
        ty: String,
    },
    /// `...T` somewhere other than the last parameter.
    #[error("`...{elem}` is only valid as the type of a final parameter")]
    MisplacedVariadic {
        /// The element type as go/types prints it.
        elem: String,
    },
    /// A parameter list mixing named and unnamed parameters (not Go syntax).
    #[error("parameter list mixes named and unnamed parameters")]
    MixedParamNames,
    /// A package that the generated file is not allowed to import (`internal` outside its
    /// tree, `vendor/`, or `main`).
    #[error("package {package} cannot be imported here: {why}")]
    NotImportable {
        /// The import path.
        package: String,
        /// Why.
        why: &'static str,
    },
    /// An array length Go's `int` cannot represent.
    #[error("array length {len} does not fit in Go's int")]
    ArrayTooLong {
        /// The length.
        len: u64,
    },
    /// A generic signature used as a function type literal.
    #[error("a function type literal cannot have type parameters")]
    GenericFuncLiteral,
    /// A part of a generated file that would inject text (package name, build tag, preamble).
    #[error("invalid {what}: {why}")]
    BadFilePart {
        /// Which part.
        what: &'static str,
        /// Why.
        why: &'static str,
    },
}

/// The imports of one generated Go file, with deterministic, collision-free local names.
///
/// Local names are taken in the order paths are first added: the package's name when known (see
/// [`ImportSet::add_with_name`]), else one derived from the path (`gopkg.in/yaml.v3` → `yaml`,
/// `math/rand/v2` → `rand`, `github.com/x/go-lib` → `golib`). A name that collides with an
/// earlier import, a keyword, a predeclared identifier, `C`, `init`, or a name [`reserve`](Self::reserve)d
/// by the file gets the smallest numeric suffix that is free (`yaml2`). The declaration is written
/// sorted by path, as gofmt sorts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSet {
    named: BTreeMap<String, Local>,
    blank: BTreeSet<String>,
    used: BTreeSet<String>,
    reserved: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Local {
    name: String,
    /// True when the import must spell the name (`name "path"`) because the package's own name
    /// is not known to equal it.
    explicit: bool,
}

impl ImportSet {
    /// An empty set.
    pub fn new() -> ImportSet {
        ImportSet::default()
    }

    /// Keeps `ident` (a package-level name the file declares, like `mochiAcquireHandle`) from
    /// being used as an import name. Reserve before adding imports.
    pub fn reserve(&mut self, ident: &str) {
        self.reserved.insert(ident.to_string());
    }

    /// Imports `path`, returning the local name to qualify its names with. Adding the same path
    /// again returns the same name.
    pub fn add(&mut self, path: &str) -> Result<String, EmitError> {
        self.add_inner(path, None)
    }

    /// Imports `path` whose package clause says `package_name` (from the surface), preferring that
    /// name as the local name.
    pub fn add_with_name(&mut self, path: &str, package_name: &str) -> Result<String, EmitError> {
        check_identifier(package_name).map_err(|e| EmitError::Invalid {
            what: "package name",
            source: e,
        })?;
        self.add_inner(path, Some(package_name))
    }

    /// Adds `import _ "path"` (linked for its side effects or symbols). Dropped from the output
    /// when the same path is also imported by name.
    pub fn add_blank(&mut self, path: &str) -> Result<(), EmitError> {
        check_import_path(path).map_err(|e| EmitError::Invalid {
            what: "import path",
            source: e,
        })?;
        self.blank.insert(path.to_string());
        Ok(())
    }

    /// True when nothing is imported.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty() && self.blank.is_empty()
    }

    /// The named imports as `(path, local name)`, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.named
            .iter()
            .map(|(p, l)| (p.as_str(), l.name.as_str()))
    }

    /// The local name of `path`, if it was added by name.
    pub fn local_name(&self, path: &str) -> Option<&str> {
        self.named.get(path).map(|l| l.name.as_str())
    }

    /// Writes the `import` declaration (nothing when empty), gofmt style.
    pub fn write_decl(&self, w: &mut GoWriter) {
        let mut specs: BTreeMap<&str, String> = BTreeMap::new();
        for (path, local) in &self.named {
            let spec = if local.explicit {
                format!("{} \"{path}\"", local.name)
            } else {
                format!("\"{path}\"")
            };
            specs.insert(path, spec);
        }
        for path in &self.blank {
            specs.entry(path).or_insert_with(|| format!("_ \"{path}\""));
        }
        match specs.len() {
            0 => {}
            1 => {
                w.line(format!(
                    "import {}",
                    specs.values().next().expect("one spec")
                ));
            }
            _ => {
                w.line("import (");
                w.indent();
                for spec in specs.values() {
                    w.line(spec);
                }
                w.dedent();
                w.line(")");
            }
        }
    }

    fn add_inner(&mut self, path: &str, known: Option<&str>) -> Result<String, EmitError> {
        if let Some(l) = self.named.get(path) {
            return Ok(l.name.clone());
        }
        check_import_path(path).map_err(|e| EmitError::Invalid {
            what: "import path",
            source: e,
        })?;
        let (base, name_is_certain) = match known {
            Some(n) => (n.to_string(), true),
            None => (derive_name(path), crate::validate::is_std_path(path)),
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        let explicit = !(name_is_certain && name == base);
        self.used.insert(name.clone());
        self.named.insert(
            path.to_string(),
            Local {
                name: name.clone(),
                explicit,
            },
        );
        Ok(name)
    }

    fn taken(&self, name: &str) -> bool {
        name == "C"
            || name == "_"
            // Go: "cannot import package as init"; `main` cannot be imported at all.
            || name == "init"
            || is_keyword(name)
            || is_predeclared(name)
            || self.used.contains(name)
            || self.reserved.contains(name)
    }
}

fn is_major_suffix(s: &str) -> bool {
    s.len() > 1 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Derives a package name from an import path.
fn derive_name(path: &str) -> String {
    let elems: Vec<&str> = path.split('/').collect();
    let mut last = *elems.last().unwrap_or(&"");
    if is_major_suffix(last) && elems.len() > 1 {
        last = elems[elems.len() - 2];
    }
    // gopkg.in/yaml.v3 → yaml
    if let Some((head, tail)) = last.rsplit_once('.') {
        if is_major_suffix(tail) {
            last = head;
        }
    }
    let mut name: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        name = "pkg".into();
    }
    if name.as_bytes()[0].is_ascii_digit() {
        name.insert(0, 'p');
    }
    name
}

/// Where a type is being emitted: which package its unqualified names belong to, which package
/// the generated file is in, which names are type parameters and whether they are declared.
#[derive(Debug, Clone, Default)]
pub struct EmitContext<'a> {
    home: Option<&'a str>,
    target: Option<&'a str>,
    type_params: Vec<&'a str>,
    type_params_in_scope: bool,
    package_names: Option<&'a BTreeMap<String, String>>,
    constraint_names: Option<&'a BTreeSet<String>>,
}

impl<'a> EmitContext<'a> {
    /// A context with no home package, no type parameters, emitting outside any package.
    pub fn new() -> EmitContext<'a> {
        EmitContext::default()
    }

    /// The import path of the package the type strings come from: its unqualified names
    /// (`Thing`) are qualified with it.
    pub fn home(mut self, import_path: &'a str) -> EmitContext<'a> {
        self.home = Some(import_path);
        self
    }

    /// The import path of the package the generated file belongs to: names from it are written
    /// unqualified.
    pub fn target(mut self, import_path: &'a str) -> EmitContext<'a> {
        self.target = Some(import_path);
        self
    }

    /// Names that are type parameters, and whether the emitted code declares them (a generic
    /// function's body) or not (a non-generic wrapper, where they are refused).
    pub fn type_params(mut self, names: &[&'a str], in_scope: bool) -> EmitContext<'a> {
        self.type_params = names.to_vec();
        self.type_params_in_scope = in_scope;
        self
    }

    /// Named types (`path.Name`) known to be constraint interfaces (interfaces with a type set,
    /// like `cmp.Ordered`): a type string alone cannot tell, so callers with a surface pass
    /// [`constraint_names`]; those names are refused in value positions.
    pub fn constraint_names(mut self, names: &'a BTreeSet<String>) -> EmitContext<'a> {
        self.constraint_names = Some(names);
        self
    }

    /// Known package names by import path (from the surface), used as import names.
    pub fn package_names(mut self, names: &'a BTreeMap<String, String>) -> EmitContext<'a> {
        self.package_names = Some(names);
        self
    }
}

/// Writes `ty` as Go source for a value position (a variable, field, parameter or result type),
/// recording the imports it needs.
pub fn emit_type(
    ty: &GoType,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, EmitError> {
    emit_with(ctx, imports, false, |e, out| e.ty(ty, out))
}

/// Writes the type of a parameter: like [`emit_type`], but a top-level `...T` is allowed (the
/// caller puts it last).
pub fn emit_param_type(
    ty: &GoType,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, EmitError> {
    emit_with(ctx, imports, false, |e, out| match ty {
        GoType::Variadic(elem) => {
            out.push_str("...");
            e.ty(elem, out)
        }
        _ => e.ty(ty, out),
    })
}

/// Writes `ty` as a type constraint (unions, `~T`, `comparable` and type-set interfaces allowed).
pub fn emit_constraint(
    ty: &GoType,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, EmitError> {
    emit_with(ctx, imports, true, |e, out| e.ty(ty, out))
}

/// Writes a signature without the `func` keyword: `(a int, b ...string) (int, error)`.
pub fn emit_signature(
    sig: &Signature,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, EmitError> {
    emit_with(ctx, imports, false, |e, out| e.signature(sig, out))
}

/// Runs one emission into a fresh string.
fn emit_with(
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
    constraint: bool,
    f: impl FnOnce(&mut Emitter<'_, '_>, &mut String) -> Result<(), EmitError>,
) -> Result<String, EmitError> {
    let mut out = String::new();
    f(
        &mut Emitter {
            ctx,
            imports,
            constraint,
        },
        &mut out,
    )?;
    Ok(out)
}

struct Emitter<'c, 'a> {
    ctx: &'c EmitContext<'a>,
    imports: &'c mut ImportSet,
    constraint: bool,
}

impl Emitter<'_, '_> {
    fn ty(&mut self, ty: &GoType, out: &mut String) -> Result<(), EmitError> {
        match ty {
            GoType::Named(n) => self.named(n, out),
            GoType::Untyped(k) => Err(EmitError::Untyped { kind: k.as_str() }),
            GoType::Pointer(e) => {
                out.push('*');
                self.value(e, out)
            }
            GoType::Slice(e) => {
                out.push_str("[]");
                self.value(e, out)
            }
            GoType::Array { len, elem } => {
                if *len > i64::MAX as u64 {
                    return Err(EmitError::ArrayTooLong { len: *len });
                }
                out.push_str(&format!("[{len}]"));
                self.value(elem, out)
            }
            GoType::Map { key, value } => {
                out.push_str("map[");
                self.value(key, out)?;
                out.push(']');
                self.value(value, out)
            }
            GoType::Chan { dir, elem } => {
                let paren = *dir == ChanDir::Both
                    && matches!(
                        **elem,
                        GoType::Chan {
                            dir: ChanDir::Recv,
                            ..
                        }
                    );
                out.push_str(match dir {
                    ChanDir::Both => "chan ",
                    ChanDir::Send => "chan<- ",
                    ChanDir::Recv => "<-chan ",
                });
                if paren {
                    out.push('(');
                }
                self.value(elem, out)?;
                if paren {
                    out.push(')');
                }
                Ok(())
            }
            GoType::Func(sig) => {
                if !sig.type_params.is_empty() {
                    return Err(EmitError::GenericFuncLiteral);
                }
                out.push_str("func");
                self.signature(sig, out)
            }
            GoType::Struct(fields) => {
                let mut rows = Vec::with_capacity(fields.len());
                for f in fields {
                    if let Some(name) = &f.name {
                        check_identifier(name).map_err(|e| EmitError::Invalid {
                            what: "field name",
                            source: e,
                        })?;
                        self.member_visible("field", name)?;
                    }
                    if let Some(tag) = &f.tag {
                        // Valid Go, and in the key:"value" form go vet requires.
                        check_struct_tag(tag)
                            .and_then(|v| check_conventional_tag(&v))
                            .map_err(|e| EmitError::Invalid {
                                what: "struct tag",
                                source: e,
                            })?;
                    }
                    let mut t = String::new();
                    self.value(&f.ty, &mut t)?;
                    rows.push(FieldText {
                        name: f.name.as_ref().map(Name::to_string),
                        ty: t,
                        tag: f.tag.clone(),
                    });
                }
                struct_literal(&rows, out);
                Ok(())
            }
            GoType::Interface(elems) => {
                if !self.constraint && interface_has_type_set(elems) {
                    return Err(EmitError::ConstraintOnly { ty: ty.to_string() });
                }
                let mut rows = Vec::with_capacity(elems.len());
                for el in elems {
                    match el {
                        InterfaceElem::Method { name, sig } => {
                            check_identifier(name).map_err(|e| EmitError::Invalid {
                                what: "method name",
                                source: e,
                            })?;
                            self.member_visible("method", name)?;
                            let mut s = String::new();
                            self.signature(sig, &mut s)?;
                            rows.push(ElemText::Method(name.to_string(), s));
                        }
                        InterfaceElem::Embedded(t) => {
                            let saved = self.constraint;
                            self.constraint = true;
                            let mut s = String::new();
                            let r = self.ty(t, &mut s);
                            self.constraint = saved;
                            r?;
                            rows.push(ElemText::Embedded(s));
                        }
                    }
                }
                interface_literal(&rows, out);
                Ok(())
            }
            GoType::Union(terms) => {
                if !self.constraint {
                    return Err(EmitError::ConstraintOnly { ty: ty.to_string() });
                }
                for (i, t) in terms.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    if t.tilde {
                        out.push('~');
                    }
                    self.value(&t.ty, out)?;
                }
                Ok(())
            }
            GoType::Variadic(e) => Err(EmitError::MisplacedVariadic {
                elem: e.to_string(),
            }),
        }
    }

    /// A nested type in value position (constraint-only forms refused even inside a constraint).
    fn value(&mut self, ty: &GoType, out: &mut String) -> Result<(), EmitError> {
        let saved = self.constraint;
        self.constraint = false;
        let r = self.ty(ty, out);
        self.constraint = saved;
        r
    }

    fn member_visible(&self, member: &'static str, name: &str) -> Result<(), EmitError> {
        let foreign = match (self.ctx.home, self.ctx.target) {
            (Some(h), Some(t)) => h != t,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if foreign && !is_exported(name) && name != "_" {
            return Err(EmitError::UnexportedMember {
                member,
                name: name.to_string(),
                package: self.ctx.home.unwrap_or_default().to_string(),
            });
        }
        Ok(())
    }

    fn named(&mut self, n: &TypeName, out: &mut String) -> Result<(), EmitError> {
        check_identifier(&n.name).map_err(|e| EmitError::Invalid {
            what: "type name",
            source: e,
        })?;
        let package: Option<&str> = match &n.package {
            Some(p) => Some(p.as_str()),
            None if is_predeclared_type(&n.name) => {
                if n.name == "comparable" && !self.constraint {
                    return Err(EmitError::ConstraintOnly {
                        ty: n.name.to_string(),
                    });
                }
                None
            }
            None if self.ctx.type_params.contains(&n.name.as_str()) => {
                if !self.ctx.type_params_in_scope {
                    return Err(EmitError::FreeTypeParam {
                        name: n.name.to_string(),
                    });
                }
                None
            }
            None => match self.ctx.home {
                Some(h) => Some(h),
                None => {
                    return Err(EmitError::UnresolvedName {
                        name: n.name.to_string(),
                    });
                }
            },
        };
        if let (Some(p), Some(set), false) = (package, self.ctx.constraint_names, self.constraint) {
            if set.contains(&format!("{p}.{}", n.name)) {
                return Err(EmitError::ConstraintOnly {
                    ty: format!("{p}.{}", n.name),
                });
            }
        }
        match package {
            Some(p) if Some(p) != self.ctx.target => {
                if !is_exported(&n.name) {
                    return Err(EmitError::Unexported {
                        package: p.to_string(),
                        name: n.name.to_string(),
                    });
                }
                check_importable(p, self.ctx.target)?;
                let known = self.ctx.package_names.and_then(|m| m.get(p));
                let local = match known {
                    Some(k) => self.imports.add_with_name(p, k)?,
                    None => self.imports.add(p)?,
                };
                out.push_str(&local);
                out.push('.');
            }
            _ => {}
        }
        out.push_str(&n.name);
        if !n.type_args.is_empty() {
            out.push('[');
            for (i, a) in n.type_args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                self.value(a, out)?;
            }
            out.push(']');
        }
        Ok(())
    }

    fn signature(&mut self, sig: &Signature, out: &mut String) -> Result<(), EmitError> {
        self.params(&sig.params, true, out)?;
        match sig.results.as_slice() {
            [] => {}
            [ParamDecl { name: None, ty }] => {
                out.push(' ');
                self.value(ty, out)?;
            }
            rs => {
                out.push(' ');
                self.params(rs, false, out)?;
            }
        }
        Ok(())
    }

    fn params(
        &mut self,
        ps: &[ParamDecl],
        allow_variadic: bool,
        out: &mut String,
    ) -> Result<(), EmitError> {
        let named = ps.iter().filter(|p| p.name.is_some()).count();
        if named != 0 && named != ps.len() {
            return Err(EmitError::MixedParamNames);
        }
        out.push('(');
        for (i, p) in ps.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if let Some(name) = &p.name {
                // gc export data names unnamed results `#rv1`, `#rv2`, ...: not Go syntax, and
                // unnamed in the source, so they become blank names.
                let rv = name.strip_prefix("#rv");
                let name =
                    if rv.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
                        "_"
                    } else {
                        name.as_str()
                    };
                if name != "_" {
                    check_identifier(name).map_err(|e| EmitError::Invalid {
                        what: "parameter name",
                        source: e,
                    })?;
                }
                out.push_str(name);
                out.push(' ');
            }
            match &p.ty {
                GoType::Variadic(elem) if allow_variadic && i + 1 == ps.len() => {
                    out.push_str("...");
                    self.value(elem, out)?;
                }
                t => self.value(t, out)?,
            }
        }
        out.push(')');
        Ok(())
    }
}

/// Go's import restrictions: `a/b/internal/c` only from within `a/b`; `vendor/...` paths are
/// never imported by that name.
fn check_importable(path: &str, target: Option<&str>) -> Result<(), EmitError> {
    let bad = |why| {
        Err(EmitError::NotImportable {
            package: path.to_string(),
            why,
        })
    };
    let elems: Vec<&str> = path.split('/').collect();
    if elems.first() == Some(&"vendor") || elems.contains(&"vendor") {
        return bad("vendored packages are imported by their original path");
    }
    if let Some(i) = elems.iter().rposition(|e| *e == "internal") {
        let parent = elems[..i].join("/");
        let allowed = target.is_some_and(|t| {
            parent.is_empty() && !t.split('/').next().unwrap_or("").contains('.')
                || t == parent
                || t.starts_with(&format!("{parent}/"))
        });
        if !allowed {
            return bad("an internal package is importable only from within its parent tree");
        }
    }
    Ok(())
}

/// The named constraint interfaces of a surface, as `path.Name`: interface types whose
/// underlying type has a type set (a union, `~T`, `comparable`, a non-interface element) or that
/// embed such a named interface, transitively. Feed it to [`EmitContext::constraint_names`].
pub fn constraint_names(surface: &crate::Surface) -> BTreeSet<String> {
    let mut candidates: Vec<(String, &str, GoType)> = Vec::new();
    for p in &surface.packages {
        for t in &p.types {
            if t.kind != "interface" {
                continue;
            }
            if let Ok(GoType::Interface(elems)) = crate::parse_type(&t.underlying) {
                candidates.push((
                    format!("{}.{}", p.import_path, t.name),
                    p.import_path.as_str(),
                    GoType::Interface(elems),
                ));
            }
        }
    }
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for (name, home, ty) in &candidates {
            if set.contains(name) {
                continue;
            }
            let GoType::Interface(elems) = ty else {
                continue;
            };
            let embeds_constraint = elems.iter().any(|e| match e {
                InterfaceElem::Embedded(GoType::Named(n)) => {
                    let path = n.package.as_deref().unwrap_or(home);
                    set.contains(&format!("{path}.{}", n.name))
                }
                _ => false,
            });
            if embeds_constraint || interface_has_type_set(elems) {
                set.insert(name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn interface_has_type_set(elems: &[InterfaceElem]) -> bool {
    elems.iter().any(|e| match e {
        InterfaceElem::Method { .. } => false,
        InterfaceElem::Embedded(GoType::Union(_)) => true,
        InterfaceElem::Embedded(GoType::Named(n)) => n.package.is_none() && n.name == "comparable",
        InterfaceElem::Embedded(GoType::Interface(inner)) => interface_has_type_set(inner),
        InterfaceElem::Embedded(_) => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{StructField, Term, UntypedKind};

    fn q(p: &str, n: &str) -> GoType {
        GoType::qualified(p, n)
    }
    fn ptr(t: GoType) -> GoType {
        GoType::Pointer(Box::new(t))
    }

    #[test]
    fn derives_names() {
        for (path, name) in [
            ("encoding/json", "json"),
            ("math/rand/v2", "rand"),
            ("gopkg.in/yaml.v3", "yaml"),
            ("github.com/x/go-lib", "golib"),
            ("example.com/m/v2", "m"),
            ("example.com/9lives", "p9lives"),
            ("example.com/Upper", "upper"),
        ] {
            assert_eq!(derive_name(path), name, "{path}");
        }
    }

    #[test]
    fn qualifies_and_imports() {
        let mut im = ImportSet::new();
        let t = GoType::Map {
            key: Box::new(GoType::name("string")),
            value: Box::new(ptr(q("net/http", "Request"))),
        };
        assert_eq!(
            emit_type(&t, &EmitContext::new(), &mut im).unwrap(),
            "map[string]*http.Request"
        );
        let mut w = GoWriter::new();
        im.write_decl(&mut w);
        assert_eq!(w.finish(), "import \"net/http\"\n");
    }

    #[test]
    fn a_package_named_init_is_imported_under_another_name() {
        // Go: "cannot import package as init".
        let mut im = ImportSet::new();
        let t = q("example.com/init", "T");
        let names = BTreeMap::from([("example.com/init".to_string(), "init".to_string())]);
        let ctx = EmitContext::new().package_names(&names);
        assert_eq!(emit_type(&t, &ctx, &mut im).unwrap(), "init2.T");
        let mut w = GoWriter::new();
        im.write_decl(&mut w);
        assert_eq!(w.finish(), "import init2 \"example.com/init\"\n");
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut im = ImportSet::new();
        im.reserve("mochiAcquireHandle");
        im.reserve("yaml");
        assert_eq!(im.add("gopkg.in/yaml.v3").unwrap(), "yaml2");
        assert_eq!(im.add("example.com/other/yaml").unwrap(), "yaml3");
        assert_eq!(im.add("math/rand").unwrap(), "rand");
        assert_eq!(im.add("math/rand/v2").unwrap(), "rand2");
        assert_eq!(im.add("example.com/string").unwrap(), "string2");
        assert_eq!(im.add("example.com/func").unwrap(), "func2");
        assert_eq!(im.add("example.com/C").unwrap(), "c");
        assert_eq!(im.add("math/rand").unwrap(), "rand");
        im.add_blank("unsafe").unwrap();
        im.add_blank("math/rand").unwrap();
        let mut w = GoWriter::new();
        im.write_decl(&mut w);
        assert_eq!(
            w.finish(),
            "import (\n\tc \"example.com/C\"\n\tfunc2 \"example.com/func\"\n\
             \tyaml3 \"example.com/other/yaml\"\n\tstring2 \"example.com/string\"\n\
             \tyaml2 \"gopkg.in/yaml.v3\"\n\t\"math/rand\"\n\trand2 \"math/rand/v2\"\n\
             \t_ \"unsafe\"\n)\n"
        );
    }

    #[test]
    fn known_package_names_are_used() {
        let names: BTreeMap<String, String> =
            [("github.com/x/go-lib".to_string(), "lib".to_string())].into();
        let ctx = EmitContext::new().package_names(&names);
        let mut im = ImportSet::new();
        assert_eq!(
            emit_type(&q("github.com/x/go-lib", "T"), &ctx, &mut im).unwrap(),
            "lib.T"
        );
        let mut w = GoWriter::new();
        im.write_decl(&mut w);
        assert_eq!(w.finish(), "import \"github.com/x/go-lib\"\n");
    }

    #[test]
    fn home_and_target() {
        let mut im = ImportSet::new();
        let thing = ptr(GoType::name("Thing"));
        let ctx = EmitContext::new().home("example.com/lib");
        assert_eq!(emit_type(&thing, &ctx, &mut im).unwrap(), "*lib.Thing");
        let ctx = EmitContext::new()
            .home("example.com/lib")
            .target("example.com/lib");
        assert_eq!(
            emit_type(&thing, &ctx, &mut ImportSet::new()).unwrap(),
            "*Thing"
        );
        assert_eq!(
            emit_type(&thing, &EmitContext::new(), &mut ImportSet::new()),
            Err(EmitError::UnresolvedName {
                name: "Thing".into()
            })
        );
        let unexported = GoType::name("thing");
        assert!(matches!(
            emit_type(
                &unexported,
                &EmitContext::new().home("example.com/lib"),
                &mut im
            ),
            Err(EmitError::Unexported { .. })
        ));
    }

    #[test]
    fn refusals() {
        let mut im = ImportSet::new();
        let ctx = EmitContext::new();
        assert_eq!(
            emit_type(&GoType::Untyped(UntypedKind::Int), &ctx, &mut im),
            Err(EmitError::Untyped { kind: "int" })
        );
        let tp = GoType::Slice(Box::new(GoType::name("T")));
        let ctx_tp = EmitContext::new().type_params(&["T"], false);
        assert_eq!(
            emit_type(&tp, &ctx_tp, &mut im),
            Err(EmitError::FreeTypeParam { name: "T".into() })
        );
        let ctx_tp = EmitContext::new().type_params(&["T"], true);
        assert_eq!(emit_type(&tp, &ctx_tp, &mut im).unwrap(), "[]T");
        let union = GoType::Union(vec![Term {
            tilde: true,
            ty: GoType::name("int"),
        }]);
        assert!(matches!(
            emit_type(&union, &ctx, &mut im),
            Err(EmitError::ConstraintOnly { .. })
        ));
        assert_eq!(emit_constraint(&union, &ctx, &mut im).unwrap(), "~int");
        assert!(matches!(
            emit_type(&GoType::name("comparable"), &ctx, &mut im),
            Err(EmitError::ConstraintOnly { .. })
        ));
        let var = GoType::Variadic(Box::new(GoType::name("int")));
        assert!(matches!(
            emit_type(&var, &ctx, &mut im),
            Err(EmitError::MisplacedVariadic { .. })
        ));
        assert_eq!(emit_param_type(&var, &ctx, &mut im).unwrap(), "...int");
        let foreign_struct = GoType::Struct(vec![StructField {
            name: Some("x".into()),
            ty: GoType::name("int"),
            tag: None,
        }]);
        let ctx_home = EmitContext::new().home("example.com/lib");
        assert!(matches!(
            emit_type(&foreign_struct, &ctx_home, &mut im),
            Err(EmitError::UnexportedMember { .. })
        ));
        let bad_tag = GoType::Struct(vec![StructField {
            name: Some("X".into()),
            ty: GoType::name("int"),
            tag: Some("\"a\" + os.Exit(1)".into()),
        }]);
        assert!(matches!(
            emit_type(&bad_tag, &ctx, &mut im),
            Err(EmitError::Invalid { .. })
        ));
        let bad_path = q("example.com/a b", "T");
        assert!(matches!(
            emit_type(&bad_path, &ctx, &mut im),
            Err(EmitError::Invalid { .. })
        ));
        let bad_name = q("example.com/a", "T\n//go:linkname");
        assert!(matches!(
            emit_type(&bad_name, &ctx, &mut im),
            Err(EmitError::Invalid { .. })
        ));
    }

    #[test]
    fn internal_and_vendor_are_refused_outside_their_tree() {
        let t = q("example.com/m/internal/x", "T");
        let refused = |ctx: &EmitContext<'_>| {
            matches!(
                emit_type(&t, ctx, &mut ImportSet::new()),
                Err(EmitError::NotImportable { .. })
            )
        };
        assert!(refused(&EmitContext::new()));
        assert!(refused(&EmitContext::new().target("example.com/other")));
        assert!(refused(&EmitContext::new().target("example.com/mm")));
        assert!(!refused(&EmitContext::new().target("example.com/m")));
        assert!(!refused(&EmitContext::new().target("example.com/m/wrap")));
        let v = q("vendor/golang.org/x/net/http2/hpack", "Field");
        assert!(matches!(
            emit_type(&v, &EmitContext::new(), &mut ImportSet::new()),
            Err(EmitError::NotImportable { .. })
        ));
    }

    #[test]
    fn named_constraints_are_refused_in_value_position() {
        let mut surface = crate::Surface::default();
        let mut p = crate::Package {
            import_path: "cmp".into(),
            ..Default::default()
        };
        for (name, underlying) in [
            ("Ordered", "interface{~int | ~string}"),
            ("Plain", "interface{String() string}"),
            ("Wrapper", "interface{Ordered; String() string}"),
        ] {
            p.types.push(crate::Type {
                name: name.into(),
                kind: "interface".into(),
                underlying: underlying.into(),
                ..Default::default()
            });
        }
        surface.packages.push(p);
        let names = constraint_names(&surface);
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            ["cmp.Ordered", "cmp.Wrapper"]
        );
        let ctx = EmitContext::new().constraint_names(&names);
        let mut im = ImportSet::new();
        assert!(matches!(
            emit_type(&q("cmp", "Ordered"), &ctx, &mut im),
            Err(EmitError::ConstraintOnly { .. })
        ));
        assert_eq!(
            emit_constraint(&q("cmp", "Ordered"), &ctx, &mut im).unwrap(),
            "cmp.Ordered"
        );
        assert_eq!(
            emit_type(&q("cmp", "Plain"), &ctx, &mut im).unwrap(),
            "cmp.Plain"
        );
    }

    #[test]
    fn struct_and_interface_literals_use_gofmt_layout() {
        let ctx = EmitContext::new();
        let emit = |s: &str| {
            emit_type(&crate::parse_type(s).unwrap(), &ctx, &mut ImportSet::new()).unwrap()
        };
        assert_eq!(emit("struct{}"), "struct{}");
        assert_eq!(emit("struct{A int}"), "struct{ A int }");
        assert_eq!(
            emit("interface{String() string}"),
            "interface{ String() string }"
        );
        assert_eq!(
            emit("struct{A int \"json:\\\"a\\\"\"; LongName []string; io.Reader}"),
            "struct {\n\tA        int \"json:\\\"a\\\"\"\n\tLongName []string\n\tio.Reader\n}"
        );
        assert_eq!(
            emit("struct{A struct{X int; Y int}; B int}"),
            "struct {\n\tA struct {\n\t\tX int\n\t\tY int\n\t}\n\tB int\n}"
        );
        assert_eq!(
            emit("interface{Read(p []byte) (n int, err error); Close() error}"),
            "interface {\n\tRead(p []byte) (n int, err error)\n\tClose() error\n}"
        );
    }

    #[test]
    fn export_data_result_names_become_blank() {
        let ctx = EmitContext::new();
        let t = crate::parse_type("func() (#rv1 bool, #rv2 error)").unwrap();
        assert_eq!(
            emit_type(&t, &ctx, &mut ImportSet::new()).unwrap(),
            "func() (_ bool, _ error)"
        );
        let bad = crate::parse_type("func() (#x bool)");
        if let Ok(bad) = bad {
            assert!(emit_type(&bad, &ctx, &mut ImportSet::new()).is_err());
        }
    }

    #[test]
    fn signatures_and_chans() {
        let mut im = ImportSet::new();
        let ctx = EmitContext::new();
        let sig = Signature {
            type_params: vec![],
            params: vec![
                ParamDecl {
                    name: Some("ctx".into()),
                    ty: q("context", "Context"),
                },
                ParamDecl {
                    name: Some("xs".into()),
                    ty: GoType::Variadic(Box::new(GoType::name("int"))),
                },
            ],
            results: vec![
                ParamDecl {
                    name: None,
                    ty: GoType::name("int"),
                },
                ParamDecl {
                    name: None,
                    ty: GoType::name("error"),
                },
            ],
        };
        assert_eq!(
            emit_signature(&sig, &ctx, &mut im).unwrap(),
            "(ctx context.Context, xs ...int) (int, error)"
        );
        let recv = GoType::Chan {
            dir: ChanDir::Recv,
            elem: Box::new(GoType::name("int")),
        };
        let both = GoType::Chan {
            dir: ChanDir::Both,
            elem: Box::new(recv),
        };
        assert_eq!(
            emit_type(&both, &ctx, &mut im).unwrap(),
            "chan (<-chan int)"
        );
        let mixed = Signature {
            params: vec![
                ParamDecl {
                    name: Some("a".into()),
                    ty: GoType::name("int"),
                },
                ParamDecl {
                    name: None,
                    ty: GoType::name("int"),
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            emit_signature(&mixed, &ctx, &mut im),
            Err(EmitError::MixedParamNames)
        );
    }
}
