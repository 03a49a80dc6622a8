//! The walker: a package's imports, deps and every exported type position against a policy.

use std::collections::BTreeSet;
use std::fmt;

use apisurface::validate::is_exported;
use apisurface::{Func, GoType, InterfaceElem, Package, ParseError, Type, parse_type};

use crate::graph::ImportGraph;
use crate::policy::{Ban, Policy};
use crate::profile::Profile;

/// What a [`Violation`] is about. Violations sort by this order first (declaration order, not
/// the alphabetical order of the names), then by [`Violation::where_`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// The checked package itself is banned (`package`).
    Package,
    /// A banned package in the package's `imports` (referenced by its exported API) (`import`).
    Import,
    /// A banned package in `deps` or reachable in the import graph, but not in `imports`
    /// (`transitive-import`).
    TransitiveImport,
    /// A banned type in a function parameter (`param-type`).
    ParamType,
    /// A banned type in a function result (`result-type`).
    ResultType,
    /// A banned type in a type-parameter constraint of a function or a type (`type-constraint`).
    TypeConstraint,
    /// A banned type in an exported or embedded struct field of an exported type (`field-type`).
    FieldType,
    /// A banned type embedded in an interface (or a struct, when no field lists it)
    /// (`embedded-type`).
    EmbeddedType,
    /// A banned type in the definition of an exported non-struct, non-interface type (or of a
    /// struct or interface whose fields, methods and embeds were not listed), or in an alias's
    /// target (`underlying-type`).
    UnderlyingType,
    /// A banned type in a method parameter (`method-param`).
    MethodParam,
    /// A banned type in a method result (`method-result`).
    MethodResult,
    /// A banned type in an interface method's parameter or result (`interface-method`).
    InterfaceMethod,
    /// A banned type as the type of an exported variable (`var-type`).
    VarType,
    /// A banned type as the type of an exported constant (`const-type`).
    ConstType,
    /// A type string that does not parse; reported instead of passing silently
    /// (`unparseable-type`).
    UnparseableType,
}

impl ViolationKind {
    /// Every kind, in sort order.
    pub const ALL: [ViolationKind; 15] = [
        ViolationKind::Package,
        ViolationKind::Import,
        ViolationKind::TransitiveImport,
        ViolationKind::ParamType,
        ViolationKind::ResultType,
        ViolationKind::TypeConstraint,
        ViolationKind::FieldType,
        ViolationKind::EmbeddedType,
        ViolationKind::UnderlyingType,
        ViolationKind::MethodParam,
        ViolationKind::MethodResult,
        ViolationKind::InterfaceMethod,
        ViolationKind::VarType,
        ViolationKind::ConstType,
        ViolationKind::UnparseableType,
    ];

    /// The stable string form (`transitive-import`).
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::Package => "package",
            ViolationKind::Import => "import",
            ViolationKind::TransitiveImport => "transitive-import",
            ViolationKind::ParamType => "param-type",
            ViolationKind::ResultType => "result-type",
            ViolationKind::TypeConstraint => "type-constraint",
            ViolationKind::FieldType => "field-type",
            ViolationKind::EmbeddedType => "embedded-type",
            ViolationKind::UnderlyingType => "underlying-type",
            ViolationKind::MethodParam => "method-param",
            ViolationKind::MethodResult => "method-result",
            ViolationKind::InterfaceMethod => "interface-method",
            ViolationKind::VarType => "var-type",
            ViolationKind::ConstType => "const-type",
            ViolationKind::UnparseableType => "unparseable-type",
        }
    }
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason a package is not embedded-compatible.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    /// What kind of position or import.
    pub kind: ViolationKind,
    /// Where, in a stable form: `package net/http`, `import reflect`, `func Foo param 0 (x)`,
    /// `func Foo result 1`, `func Foo type param T`, `type T field Name`,
    /// `type T method M param 0 (x)`, `type I method M result 1`, `type I embedded 0`,
    /// `type T underlying`, `type T alias`, `type T type param K`, `var X`, `const X`.
    #[serde(rename = "where")]
    pub where_: String,
    /// What was found: the banned import path, or `reflect.Value in []reflect.Value`, or the
    /// parse error of an unparseable type string.
    pub detail: String,
    /// The policy rule that matched (`reflect`, `debug/...`, `unsafe.Pointer`); empty for an
    /// unparseable type.
    pub rule: String,
    /// Why the rule exists (the policy's reason).
    pub reason: String,
    /// For imports: the shortest import chain from the checked package to the banned one
    /// (both included) when an [`ImportGraph`] that reaches it was given; empty otherwise.
    pub chain: Vec<String>,
}

impl fmt::Display for Violation {
    /// `[kind] where: detail (via a -> b) (rule R: reason)`; the chain part only when known,
    /// the rule part only when a rule matched.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.kind, self.where_, self.detail)?;
        if !self.chain.is_empty() {
            write!(f, " (via {})", self.chain.join(" -> "))?;
        }
        if !self.rule.is_empty() {
            write!(f, " (rule {}: {})", self.rule, self.reason)?;
        }
        Ok(())
    }
}

/// Checks `pkg` against `policy` under `profile`, without an import graph.
///
/// See [`check_package_with_graph`]; banned `deps` are reported with an empty chain.
pub fn check_package(profile: Profile, policy: &Policy, pkg: &Package) -> Vec<Violation> {
    check_package_with_graph(profile, policy, pkg, None)
}

/// True when [`check_package`] finds nothing.
pub fn is_compatible(profile: Profile, policy: &Policy, pkg: &Package) -> bool {
    check_package(profile, policy, pkg).is_empty()
}

/// Checks `pkg` against `policy` under `profile`; [`Profile::Standard`] returns nothing.
///
/// * the package itself, its `imports` (kind `import`), and its `deps` plus every package the
///   `graph` reaches from it that is not in `imports` (kind `transitive-import`, with the
///   shortest chain when the graph reaches it);
/// * every type string of the exported API, parsed and walked (all sub-types: pointers, slices,
///   arrays, map keys and values, channel elements, func params and results, struct fields,
///   interface methods and embeds, union terms, type arguments, constraints): function and
///   method params and results, type-parameter constraints, exported and embedded struct fields,
///   interface methods and embedded types, the definition of other exported types (of a struct
///   or interface only when its members are not listed, and then only its exported fields and
///   methods and its embeds) and alias targets, exported vars and consts. Each banned named type is reported once per position.
///   Optional strings (`underlying`, `alias_of`) are skipped when empty; any other type string
///   that does not parse (an empty one included) is an `unparseable-type` violation.
///
/// Violations are sorted by (kind, where) with a stable sort; ties keep walk order, so the
/// output is a deterministic function of the input.
pub fn check_package_with_graph(
    profile: Profile,
    policy: &Policy,
    pkg: &Package,
    graph: Option<&ImportGraph>,
) -> Vec<Violation> {
    if !profile.checks() {
        return Vec::new();
    }
    let mut c = Checker {
        policy,
        out: Vec::new(),
    };
    c.imports(pkg, graph);
    for f in &pkg.funcs {
        if f.receiver.is_empty() {
            c.func(f);
        } else {
            c.method(&f.receiver, f, false);
        }
    }
    for t in &pkg.types {
        c.type_decl(t);
    }
    for v in &pkg.vars {
        c.type_str(ViolationKind::VarType, format!("var {}", v.name), &v.type_);
    }
    for v in &pkg.consts {
        c.type_str(
            ViolationKind::ConstType,
            format!("const {}", v.name),
            &v.type_,
        );
    }
    let mut out = c.out;
    out.sort_by(|a, b| (a.kind, &a.where_).cmp(&(b.kind, &b.where_)));
    out
}

struct Checker<'p> {
    policy: &'p Policy,
    out: Vec<Violation>,
}

fn param_where(prefix: &str, what: &str, i: usize, name: &str) -> String {
    if name.is_empty() {
        format!("{prefix} {what} {i}")
    } else {
        format!("{prefix} {what} {i} ({name})")
    }
}

impl Checker<'_> {
    fn push_ban(
        &mut self,
        kind: ViolationKind,
        where_: String,
        detail: String,
        ban: Ban<'_>,
        chain: Vec<String>,
    ) {
        self.out.push(Violation {
            kind,
            where_,
            detail,
            rule: ban.rule.to_string(),
            reason: ban.reason.to_string(),
            chain,
        });
    }

    fn imports(&mut self, pkg: &Package, graph: Option<&ImportGraph>) {
        let me = pkg.import_path.as_str();
        if let Some(ban) = self.policy.package_ban(me) {
            self.push_ban(
                ViolationKind::Package,
                format!("package {me}"),
                format!("{me} is itself banned"),
                ban,
                Vec::new(),
            );
        }
        let chains = graph.map(|g| g.shortest_chains(me)).unwrap_or_default();
        let direct: BTreeSet<&str> = pkg.imports.iter().map(String::as_str).collect();
        for &imp in &direct {
            if imp == me {
                continue;
            }
            if let Some(ban) = self.policy.package_ban(imp) {
                let chain = chains.get(imp).cloned().unwrap_or_default();
                self.push_ban(
                    ViolationKind::Import,
                    format!("import {imp}"),
                    format!("the exported API references {imp}"),
                    ban,
                    chain,
                );
            }
        }
        let mut deps: BTreeSet<&str> = pkg.deps.iter().map(String::as_str).collect();
        deps.extend(chains.keys().map(String::as_str));
        for dep in deps {
            if dep == me || direct.contains(dep) {
                continue;
            }
            if let Some(ban) = self.policy.package_ban(dep) {
                let (detail, chain) = match chains.get(dep) {
                    Some(chain) => (format!("{me} reaches {dep}"), chain.clone()),
                    None if graph.is_some() => (
                        format!(
                            "{dep} is in deps but the import graph does not reach it; chain unknown"
                        ),
                        Vec::new(),
                    ),
                    None => (
                        format!("{dep} is in deps; chain unknown (no import graph given)"),
                        Vec::new(),
                    ),
                };
                self.push_ban(
                    ViolationKind::TransitiveImport,
                    format!("import {dep}"),
                    detail,
                    ban,
                    chain,
                );
            }
        }
    }

    fn func(&mut self, f: &Func) {
        let prefix = format!("func {}", f.name);
        for tp in &f.type_params {
            self.type_str(
                ViolationKind::TypeConstraint,
                format!("{prefix} type param {}", tp.name),
                &tp.constraint,
            );
        }
        self.signature(
            &prefix,
            f,
            ViolationKind::ParamType,
            ViolationKind::ResultType,
        );
    }

    /// A method of `owner`; an interface method when `interface`. Its `type_params` are the
    /// receiver's, checked once with the type.
    fn method(&mut self, owner: &str, f: &Func, interface: bool) {
        let prefix = format!("type {owner} method {}", f.name);
        let (pk, rk) = if interface {
            (
                ViolationKind::InterfaceMethod,
                ViolationKind::InterfaceMethod,
            )
        } else {
            (ViolationKind::MethodParam, ViolationKind::MethodResult)
        };
        self.signature(&prefix, f, pk, rk);
    }

    fn signature(&mut self, prefix: &str, f: &Func, pk: ViolationKind, rk: ViolationKind) {
        for (i, p) in f.params.iter().enumerate() {
            self.type_str(pk, param_where(prefix, "param", i, &p.name), &p.type_);
        }
        for (i, r) in f.results.iter().enumerate() {
            self.type_str(rk, param_where(prefix, "result", i, &r.name), &r.type_);
        }
    }

    fn type_decl(&mut self, t: &Type) {
        let prefix = format!("type {}", t.name);
        for tp in &t.type_params {
            self.type_str(
                ViolationKind::TypeConstraint,
                format!("{prefix} type param {}", tp.name),
                &tp.constraint,
            );
        }
        match t.kind.as_str() {
            // Checked through `fields` / `interface_methods` / `embedded_types`; a producer that
            // left those empty still gets its definition walked.
            "struct" if !t.fields.is_empty() || !t.embedded_types.is_empty() => {}
            "interface" if !t.interface_methods.is_empty() || !t.embedded_types.is_empty() => {}
            "alias" => {
                if !t.alias_of.is_empty() {
                    self.type_str(
                        ViolationKind::UnderlyingType,
                        format!("{prefix} alias"),
                        &t.alias_of,
                    );
                }
            }
            _ => {
                if !t.underlying.is_empty() {
                    self.definition(format!("{prefix} underlying"), &t.underlying);
                }
            }
        }
        for f in &t.fields {
            if f.exported || f.embedded {
                self.type_str(
                    ViolationKind::FieldType,
                    format!("{prefix} field {}", f.name),
                    &f.type_,
                );
            }
        }
        for (i, e) in t.embedded_types.iter().enumerate() {
            // A struct's embedded fields are also listed as fields; check those once.
            if t.fields.iter().any(|f| f.embedded && f.type_ == *e) {
                continue;
            }
            self.type_str(
                ViolationKind::EmbeddedType,
                format!("{prefix} embedded {i}"),
                e,
            );
        }
        for m in &t.methods {
            self.method(&t.name, m, false);
        }
        for m in &t.interface_methods {
            self.method(&t.name, m, true);
        }
    }

    fn type_str(&mut self, kind: ViolationKind, where_: String, s: &str) {
        match parse_type(s) {
            Ok(t) => self.walk(kind, where_, &t, s),
            Err(e) => self.unparseable(kind, where_, s, e),
        }
    }

    /// A type's definition: unexported struct fields and unexported interface methods are not
    /// part of the API (nobody outside the package can name them), so only the rest is walked.
    fn definition(&mut self, where_: String, s: &str) {
        let kind = ViolationKind::UnderlyingType;
        let t = match parse_type(s) {
            Ok(t) => t,
            Err(e) => return self.unparseable(kind, where_, s, e),
        };
        let visible = match &t {
            GoType::Struct(fields) => GoType::Struct(
                fields
                    .iter()
                    .filter(|f| f.name.as_deref().is_none_or(is_exported))
                    .cloned()
                    .collect(),
            ),
            GoType::Interface(elems) => GoType::Interface(
                elems
                    .iter()
                    .filter(|e| match e {
                        InterfaceElem::Method { name, .. } => is_exported(name),
                        InterfaceElem::Embedded(_) => true,
                    })
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        };
        self.walk(kind, where_, &visible, s);
    }

    fn unparseable(&mut self, kind: ViolationKind, where_: String, s: &str, e: ParseError) {
        self.out.push(Violation {
            kind: ViolationKind::UnparseableType,
            where_,
            detail: format!("{kind} type string {s:?} does not parse: {e}"),
            rule: String::new(),
            reason: "an unparseable type cannot be checked, so it is reported (conservative)"
                .to_string(),
            chain: Vec::new(),
        });
    }

    fn walk(&mut self, kind: ViolationKind, where_: String, t: &GoType, printed: &str) {
        for (qualified, ban) in self.policy.banned_types(t) {
            let detail = if qualified == printed {
                qualified
            } else {
                format!("{qualified} in {printed}")
            };
            self.push_ban(kind, where_.clone(), detail, ban, Vec::new());
        }
    }
}
