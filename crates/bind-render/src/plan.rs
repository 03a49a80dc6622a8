//! Planning: every exported symbol of the bound packages becomes a [`BoundFunc`], [`BoundType`]
//! or [`BoundConst`], or a [`Skip`] with its reason. Nothing is dropped silently.

use crate::consts::plan_const;
use crate::model::{
    BoundFunc, BoundPackage, BoundType, Class, FuncKind, Rename, ScalarKind, Skip, SkipKind,
    SymbolKind, TypeKind, TypeRef, Value,
};
use apisurface::names::{self, rust_fn_name, rust_ident};
use apisurface::validate::{check_identifier, is_exported};
use apisurface::{
    ChanDir, EmitContext, Func, GoType, ImportSet, Package, Surface, Type, emit_param_type,
    parse_type,
};
use std::collections::{BTreeMap, BTreeSet};

/// What planning needs besides the surface.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The module flat name `M` of the C symbols.
    pub module: String,
    /// Import path of the generated cgo package (types must be importable from there).
    pub target: String,
    /// Channel shim bases by element type (as go/types prints it, qualified): a `chan E` whose
    /// element has a shim crosses as that shim's channel; other channels as plain values.
    pub chan_bases: BTreeMap<String, String>,
    /// Instantiations of generic functions: `import/path.Func` → suffix → type arguments (go/types
    /// strings, qualified by full import path). Each binds `<func>_<suffix>`.
    pub instantiate: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The scalar of a predeclared Go type name, if it is one.
/// (The table is the C boundary contract's, `goroutine_render::boundary::SCALARS`.)
pub fn scalar(go: &str) -> Option<ScalarKind> {
    goroutine_render::boundary::SCALARS
        .iter()
        .find(|s| s.go == go)
        .map(|s| ScalarKind {
            go: s.go,
            c: s.c,
            rust: s.rust(),
        })
}

/// Plans the packages of `surface` whose import paths are in `packages` (all non-main packages
/// when empty), in surface order. Rust module names are unique: a second package with the same
/// Go name gets a suffix from its import path.
pub fn plan_packages(
    surface: &Surface,
    packages: &[&str],
    opts: &PlanOptions,
) -> Vec<BoundPackage> {
    let chosen: Vec<&Package> = surface
        .packages
        .iter()
        .filter(|p| !p.is_main)
        .filter(|p| packages.is_empty() || packages.contains(&p.import_path.as_str()))
        .collect();
    let mods = rust_mod_names(&chosen);
    let index = TypeIndex::new(surface, &chosen, &mods);
    let pkg_names: BTreeMap<String, String> = surface
        .packages
        .iter()
        .map(|p| (p.import_path.clone(), p.name.clone()))
        .collect();
    let constraints = apisurface::constraint_names(surface);
    chosen
        .iter()
        .zip(&mods)
        .map(|(p, m)| {
            let ctx = EmitContext::new()
                .home(&p.import_path)
                .target(&opts.target)
                .package_names(&pkg_names)
                .constraint_names(&constraints);
            Planner::new(p, m, &index, opts, ctx).run()
        })
        .collect()
}

/// Rust module names: the Go package name, moved aside from keywords and the module root's own
/// names (`names::rust_module_name`); on a clash, every package of that name after the first
/// (in import-path order) gets `_` plus the flattened import path.
fn rust_mod_names(pkgs: &[&Package]) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in pkgs {
        by_name.entry(&p.name).or_default().push(&p.import_path);
    }
    pkgs.iter()
        .map(|p| {
            let mut paths = by_name[p.name.as_str()].clone();
            paths.sort_unstable();
            if paths[0] == p.import_path {
                names::rust_module_name(&p.name)
            } else {
                format!("{}_{}", p.name, flatten(&p.import_path))
            }
        })
        .collect()
}

/// An import path as an identifier part: every non-alphanumeric byte becomes `_`, lower-cased.
pub fn flatten(path: &str) -> String {
    path.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase() as char
            } else {
                '_'
            }
        })
        .collect()
}

/// Bound named types of every chosen package, by (import path, name).
struct TypeIndex<'s> {
    types: BTreeMap<(String, String), (TypeRef, TypeKind)>,
    /// Every type of the surface (bound or not), for the lock check.
    all: BTreeMap<(&'s str, &'s str), &'s Type>,
}

/// Types `go vet`'s copylocks check treats as locks (they hold a `noCopy` or are `sync` locks).
const LOCK_TYPES: [(&str, &str); 14] = [
    ("sync", "Mutex"),
    ("sync", "RWMutex"),
    ("sync", "Once"),
    ("sync", "WaitGroup"),
    ("sync", "Cond"),
    ("sync", "Pool"),
    ("sync", "Map"),
    ("sync/atomic", "Bool"),
    ("sync/atomic", "Int32"),
    ("sync/atomic", "Int64"),
    ("sync/atomic", "Uint32"),
    ("sync/atomic", "Uint64"),
    ("sync/atomic", "Uintptr"),
    ("sync/atomic", "Pointer"),
];

impl<'s> TypeIndex<'s> {
    /// True when a value of `ty` (of package `home`) holds a lock, so copying it is a bug that
    /// `go vet` reports: a known lock type, a type with pointer-receiver `Lock` and `Unlock`
    /// methods, or a struct or array holding one (not through pointers).
    fn holds_lock(&self, ty: &GoType, home: &str, seen: &mut BTreeSet<(String, String)>) -> bool {
        match ty {
            GoType::Named(n) => {
                let path = n.package.as_deref().unwrap_or(home);
                if n.package.is_none() && apisurface::validate::is_predeclared_type(&n.name) {
                    return false;
                }
                if LOCK_TYPES.contains(&(path, n.name.as_str())) {
                    return true;
                }
                if !seen.insert((path.to_string(), n.name.to_string())) {
                    return false;
                }
                let Some(t) = self.all.get(&(path, n.name.as_str())) else {
                    return false;
                };
                let has = |m: &str| t.methods.iter().any(|f| f.name == m && f.receiver_pointer);
                if has("Lock") && has("Unlock") {
                    return true;
                }
                if t.kind == "struct" {
                    return t.fields.iter().any(|f| {
                        parse_type(&f.type_).is_ok_and(|ft| self.holds_lock(&ft, path, seen))
                    });
                }
                parse_type(&t.underlying).is_ok_and(|u| {
                    matches!(u, GoType::Array { .. } | GoType::Struct(_))
                        && self.holds_lock(&u, path, seen)
                })
            }
            GoType::Array { elem, .. } => self.holds_lock(elem, home, seen),
            GoType::Struct(fields) => fields.iter().any(|f| self.holds_lock(&f.ty, home, seen)),
            _ => false,
        }
    }

    fn new(surface: &'s Surface, pkgs: &[&Package], mods: &[String]) -> TypeIndex<'s> {
        let all = surface
            .packages
            .iter()
            .flat_map(|p| {
                p.types
                    .iter()
                    .map(move |t| ((p.import_path.as_str(), t.name.as_str()), t))
            })
            .collect();
        let mut types = BTreeMap::new();
        for (p, m) in pkgs.iter().zip(mods) {
            for t in &p.types {
                if let Some(kind) = type_kind(t) {
                    let rust = TypeRef {
                        rust_mod: m.clone(),
                        rust_name: rust_ident(&t.name),
                    };
                    types.insert((p.import_path.clone(), t.name.clone()), (rust, kind));
                }
            }
        }
        TypeIndex { types, all }
    }

    fn get(&self, path: &str, name: &str) -> Option<&(TypeRef, TypeKind)> {
        self.types.get(&(path.to_string(), name.to_string()))
    }
}

/// The kind of a bindable named type; `None` for aliases, generic and unexported types.
fn type_kind(t: &Type) -> Option<TypeKind> {
    if !is_exported(&t.name) || !t.type_params.is_empty() || !t.alias_of.is_empty() {
        return None;
    }
    match t.kind.as_str() {
        "struct" => Some(TypeKind::Struct),
        "interface" => Some(TypeKind::Interface),
        // A basic type without a scalar form (`complex128`, `unsafe.Pointer`) is a handle.
        "basic" if t.underlying == "string" => Some(TypeKind::String),
        "basic" => Some(
            scalar(&t.underlying)
                .map(|scalar| TypeKind::Scalar { scalar })
                .unwrap_or(TypeKind::Other),
        ),
        _ => match t.underlying.as_str() {
            "string" => Some(TypeKind::String),
            u => Some(
                scalar(u)
                    .map(|scalar| TypeKind::Scalar { scalar })
                    .unwrap_or(TypeKind::Other),
            ),
        },
    }
}

/// Inherent methods the Rust API gives every handle type (`host-render`); a Go method of the
/// same Rust name is renamed.
pub const HANDLE_METHODS: [&str; 1] = ["is_nil"];

/// A refusal while classifying: kind and reason.
type Refusal = (SkipKind, String);

struct Planner<'a> {
    pkg: &'a Package,
    out: BoundPackage,
    index: &'a TypeIndex<'a>,
    opts: &'a PlanOptions,
    ctx: EmitContext<'a>,
    /// Rust names taken per namespace: `""` is the module's value namespace, else a type name.
    taken: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Planner<'a> {
    fn new(
        pkg: &'a Package,
        rust_mod: &str,
        index: &'a TypeIndex<'a>,
        opts: &'a PlanOptions,
        ctx: EmitContext<'a>,
    ) -> Planner<'a> {
        Planner {
            pkg,
            out: BoundPackage {
                import_path: pkg.import_path.clone(),
                go_name: pkg.name.clone(),
                rust_mod: rust_mod.to_string(),
                types: Vec::new(),
                funcs: Vec::new(),
                consts: Vec::new(),
                skipped: Vec::new(),
                renames: Vec::new(),
            },
            index,
            opts,
            ctx,
            taken: BTreeMap::new(),
        }
    }

    /// Types first (their methods keep Go's names), then functions, fields, helpers, variables
    /// and constants.
    fn run(mut self) -> BoundPackage {
        let pkg = self.pkg;
        if let Err((kind, why)) = self.check_emit(&GoType::qualified(pkg.import_path.as_str(), "X"))
        {
            self.skip_everything(kind, &why);
            return self.out;
        }
        for t in &pkg.types {
            self.plan_type(t);
        }
        for t in &pkg.types {
            self.plan_methods(t);
        }
        for f in &pkg.funcs {
            self.plan_func(f);
        }
        for t in &pkg.types {
            self.plan_type_helpers(t);
        }
        for v in &pkg.vars {
            self.plan_var(v);
        }
        for c in &pkg.consts {
            match plan_const(pkg, c, self.index_lookup()) {
                Ok(mut bc) => {
                    bc.rust_name = self.unique("", &bc.go_symbol.clone(), bc.rust_name.clone());
                    self.out.consts.push(bc);
                }
                Err((kind, reason)) => {
                    let s = Sym::top(pkg, &c.name, SymbolKind::Const);
                    self.skip(&s, &c.type_, kind, reason)
                }
            }
        }
        self.out
    }

    /// Reports every exported symbol of a package that cannot be imported from the wrapper.
    fn skip_everything(&mut self, kind: SkipKind, why: &str) {
        let pkg = self.pkg;
        let why = format!("the package cannot be imported by the generated code: {why}");
        let mut symbols: Vec<Sym> = Vec::new();
        for f in pkg.funcs.iter().filter(|f| is_exported(&f.name)) {
            symbols.push(Sym::top(pkg, &f.name, SymbolKind::Func));
        }
        for t in pkg.types.iter().filter(|t| is_exported(&t.name)) {
            symbols.push(Sym::top(pkg, &t.name, SymbolKind::Type));
            for m in t.methods.iter().chain(&t.interface_methods) {
                if is_exported(&m.name) {
                    symbols.push(Sym::method(pkg, &t.name, m));
                }
            }
        }
        let values = [
            (&pkg.vars, SymbolKind::Var),
            (&pkg.consts, SymbolKind::Const),
        ];
        for (list, k) in values {
            for v in list.iter().filter(|v| is_exported(&v.name)) {
                symbols.push(Sym::top(pkg, &v.name, k));
            }
        }
        for s in &symbols {
            self.skip(s, "", kind, why.clone());
        }
    }

    fn index_lookup(&self) -> impl Fn(&str, &str) -> Option<(TypeRef, TypeKind)> + '_ {
        |path: &str, name: &str| self.index.get(path, name).cloned()
    }

    fn skip(&mut self, s: &Sym, go_type: &str, kind: SkipKind, reason: String) {
        self.out.skipped.push(Skip {
            go_symbol: s.go_symbol(),
            name: s.name.clone(),
            symbol_kind: s.kind,
            part: s.part.map(String::from),
            go_type: go_type.to_string(),
            kind,
            reason,
        });
    }

    /// Takes `wanted` in namespace `ns`, or the first free `wanted_<n>` (recorded as a rename).
    fn unique(&mut self, ns: &str, go_symbol: &str, wanted: String) -> String {
        let taken = self.taken.entry(ns.to_string()).or_default();
        let mut used = wanted.clone();
        let mut n = 2;
        while taken.contains(&used) {
            used = format!("{wanted}_{n}");
            n += 1;
        }
        taken.insert(used.clone());
        if used != wanted {
            self.out.renames.push(Rename {
                go_symbol: go_symbol.to_string(),
                wanted,
                used: used.clone(),
            });
        }
        used
    }

    fn plan_type(&mut self, t: &Type) {
        let symbol = Sym::top(self.pkg, &t.name, SymbolKind::Type);
        if !t.alias_of.is_empty() {
            // An alias is the type it names: its methods and fields are bound there.
            let target = t.alias_of.clone();
            self.skip(
                &symbol,
                &target,
                SkipKind::UnsupportedType,
                format!("an alias of {target}; bound where that type is bound"),
            );
            return;
        }
        if !t.type_params.is_empty() {
            self.skip(
                &symbol,
                &t.underlying,
                SkipKind::Generic,
                "a generic type (instantiate its functions in the config)".into(),
            );
            return;
        }
        let Some((rust, kind)) = self.index.get(&self.pkg.import_path, &t.name).cloned() else {
            // Every exported, non-generic, non-alias type is indexed; never drop one silently.
            self.skip(
                &symbol,
                &t.underlying,
                SkipKind::UnsupportedType,
                format!("a {} type the planner has no Rust form for", t.kind),
            );
            return;
        };
        // A Rust tuple struct's name is in the value namespace too (functions, constants), and
        // a handle type has an inherent `is_nil`: neither may be taken by a Go name.
        self.taken
            .entry(String::new())
            .or_default()
            .insert(rust.rust_name.clone());
        if matches!(
            kind,
            TypeKind::Struct | TypeKind::Interface | TypeKind::Other
        ) {
            self.taken
                .entry(rust.rust_name.clone())
                .or_default()
                .extend(HANDLE_METHODS.iter().map(|m| m.to_string()));
        }
        self.out.types.push(BoundType {
            go_name: t.name.clone(),
            rust,
            kind,
            doc: synopsis(&t.name, ""),
        });
    }

    fn bound_type(&self, t: &Type) -> Option<(TypeRef, TypeKind)> {
        self.index.get(&self.pkg.import_path, &t.name).cloned()
    }

    fn plan_methods(&mut self, t: &Type) {
        let Some((owner, kind)) = self.bound_type(t) else {
            for m in t.methods.iter().chain(&t.interface_methods) {
                if is_exported(&m.name) {
                    let s = Sym::method(self.pkg, &t.name, m);
                    self.skip(
                        &s,
                        "",
                        SkipKind::Generic,
                        format!("a method of {} (not bound: generic or alias)", t.name),
                    );
                }
            }
            return;
        };
        for m in t.methods.iter().chain(&t.interface_methods) {
            if !is_exported(&m.name) {
                continue;
            }
            let s = Sym::method(self.pkg, &t.name, m);
            if m.receiver_pointer && matches!(kind, TypeKind::String) {
                self.skip(
                    &s,
                    "",
                    SkipKind::NotAddressable,
                    "a pointer-receiver method of a named string type: its Rust newtype crosses \
                     by value, so the change the method makes could not reach the caller"
                        .into(),
                );
                continue;
            }
            let receiver = self.receiver_value(t, &owner, &kind);
            let parts = [t.name.as_str(), m.name.as_str()];
            let before = self.out.funcs.len();
            self.plan_callable(m, s, &parts, Some(owner.clone()), Some(receiver));
            // A handle of a non-struct type holds the value itself: the method runs on a copy
            // that the wrapper stores back under the same ID. A named basic type's receiver
            // crosses as a pointer to the scalar, which the wrapper writes back.
            if m.receiver_pointer && !matches!(kind, TypeKind::Struct) {
                if let Some(b) = self.out.funcs.get_mut(before) {
                    b.writes_receiver = true;
                }
            }
        }
    }

    fn receiver_value(&self, t: &Type, owner: &TypeRef, kind: &TypeKind) -> Value {
        let class = match kind {
            TypeKind::Scalar { scalar } => Class::Scalar {
                scalar: *scalar,
                named: Some(owner.clone()),
            },
            TypeKind::String => Class::String {
                named: Some(owner.clone()),
            },
            TypeKind::Struct => Class::Handle {
                typed: Some(owner.clone()),
                by_pointer: true,
            },
            _ => Class::Handle {
                typed: Some(owner.clone()),
                by_pointer: false,
            },
        };
        let go_type = match kind {
            TypeKind::Struct => format!("*{}", t.name),
            _ => t.name.clone(),
        };
        Value {
            name: "recv".into(),
            go_type,
            class,
            variadic: false,
        }
    }

    fn plan_func(&mut self, f: &Func) {
        if !is_exported(&f.name) {
            return;
        }
        let s = Sym::top(self.pkg, &f.name, SymbolKind::Func);
        if !f.type_params.is_empty() {
            if let Some(insts) = self.opts.instantiate.get(&s.qualified) {
                for (suffix, args) in insts {
                    self.plan_instance(f, &s, suffix, args);
                }
                return;
            }
        }
        self.plan_callable(f, s, &[f.name.as_str()], None, None);
    }

    /// One configured instantiation of generic function `f`: its type parameters replaced by
    /// `args`, bound as `<func>_<suffix>`.
    fn plan_instance(&mut self, f: &Func, s: &Sym, suffix: &str, args: &[String]) {
        let symbol = s.clone().instance(args);
        let refuse = |why: String| (SkipKind::Generic, why);
        let inst = (|| {
            if check_identifier(suffix).is_err() || !suffix.is_ascii() {
                return Err(refuse(format!(
                    "instantiation suffix {suffix:?} is not an identifier"
                )));
            }
            if args.len() != f.type_params.len() {
                return Err(refuse(format!(
                    "{} type argument(s) given, {} type parameter(s) declared",
                    args.len(),
                    f.type_params.len()
                )));
            }
            let mut map = BTreeMap::new();
            for (tp, a) in f.type_params.iter().zip(args) {
                let t = parse_type(a).map_err(|e| refuse(format!("type argument {a:?}: {e}")))?;
                self.check_emit(&t)
                    .map_err(|(_, why)| refuse(format!("type argument {a}: {why}")))?;
                map.insert(tp.name.clone(), t);
            }
            let mut inst = f.clone();
            inst.type_params.clear();
            for p in inst.params.iter_mut().chain(inst.results.iter_mut()) {
                let mut t =
                    parse_type(&p.type_).map_err(|e| refuse(format!("type {:?}: {e}", p.type_)))?;
                substitute(&mut t, &map);
                p.type_ = t.to_string();
            }
            Ok(inst)
        })();
        match inst {
            Ok(inst) => {
                let name = format!("{}_{suffix}", f.name);
                let before = self.out.funcs.len();
                self.plan_callable(&inst, symbol, &[name.as_str()], None, None);
                if let Some(b) = self.out.funcs.get_mut(before) {
                    b.type_args = args.to_vec();
                }
            }
            Err((kind, why)) => self.skip(&symbol, "", kind, why),
        }
    }

    /// Plans a function or method (`receiver` set): generic → skipped; every parameter and
    /// result classified. `parts` name the C symbol after the package (`[T, M]` or `[F]`).
    fn plan_callable(
        &mut self,
        f: &Func,
        sym: Sym,
        parts: &[&str],
        owner: Option<TypeRef>,
        receiver: Option<Value>,
    ) {
        if !f.type_params.is_empty() {
            let sig = signature_text(f);
            self.skip(
                &sym,
                &sig,
                SkipKind::Generic,
                "a generic function: instantiate it with [go.instantiate] in gobridge.toml".into(),
            );
            return;
        }
        match self.callable_values(f) {
            Ok((params, results, returns_error)) => {
                let ns = owner
                    .as_ref()
                    .map_or(String::new(), |o| o.rust_name.clone());
                let wanted = match receiver {
                    Some(_) => rust_fn_name(&f.name),
                    None => rust_fn_name(&parts.join("_")),
                };
                let go_symbol = sym.go_symbol();
                let rust_name = self.unique(&ns, &go_symbol, wanted);
                let kind = if receiver.is_some() {
                    FuncKind::Method
                } else {
                    FuncKind::Func
                };
                self.out.funcs.push(BoundFunc {
                    go_symbol,
                    go_name: f.name.clone(),
                    kind,
                    c_symbol: self.c_symbol(parts),
                    rust_name,
                    owner_go: receiver.as_ref().map(|_| parts[0].to_string()),
                    owner,
                    receiver,
                    params,
                    results,
                    returns_error,
                    doc: synopsis(&f.name, &f.doc),
                    type_args: Vec::new(),
                    writes_receiver: false,
                });
            }
            Err((kind, reason, ty)) => self.skip(&sym, &ty, kind, reason),
        }
    }

    fn c_symbol(&self, parts: &[&str]) -> String {
        names::bind_symbol(&self.opts.module, &self.out.rust_mod, parts)
    }

    #[allow(clippy::type_complexity)]
    fn callable_values(
        &self,
        f: &Func,
    ) -> Result<(Vec<Value>, Vec<Value>, bool), (SkipKind, String, String)> {
        let mut used = BTreeSet::from(["recv".to_string(), "msg".to_string()]);
        let mut params = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            let variadic = f.variadic && i + 1 == f.params.len();
            let v = self
                .value(&p.name, i, "a", &p.type_, variadic, true, &mut used)
                .map_err(|(k, r)| (k, format!("parameter {i}: {r}"), p.type_.clone()))?;
            if self.copies_lock(&v) {
                return Err((
                    SkipKind::UnsupportedType,
                    format!("parameter {i}: a value holding a lock cannot be copied in"),
                    p.type_.clone(),
                ));
            }
            params.push(v);
        }
        let mut results = Vec::new();
        let mut returns_error = false;
        for (i, r) in f.results.iter().enumerate() {
            if i + 1 == f.results.len() && r.type_ == "error" {
                returns_error = true;
                break;
            }
            let v = self
                .value("", i, "r", &r.type_, false, false, &mut used)
                .map_err(|(k, why)| (k, format!("result {i}: {why}"), r.type_.clone()))?;
            results.push(v);
        }
        Ok((params, results, returns_error))
    }

    /// Classifies one parameter or result and gives it a unique safe name. An `input` is
    /// converted into its Go type, so that type must be writable in the wrapper; a result is
    /// only handed out and may have a type the wrapper cannot name (an unexported type).
    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        go_name: &str,
        i: usize,
        prefix: &str,
        type_str: &str,
        variadic: bool,
        input: bool,
        used: &mut BTreeSet<String>,
    ) -> Result<Value, Refusal> {
        let ty = parse_type(type_str)
            .map_err(|e| (SkipKind::UnsupportedType, format!("unparseable type: {e}")))?;
        let ty = match (variadic, ty) {
            (true, GoType::Variadic(elem)) => GoType::Slice(elem),
            (_, t) => t,
        };
        let class = self.classify(&ty)?;
        if input || !matches!(class, Class::Handle { typed: None, .. }) {
            self.check_emit(&ty)?;
        }
        let mut name = names::snake_case(go_name);
        let plain = check_identifier(&name).is_ok()
            && name != "_"
            && !names::is_rust_keyword(&name)
            && !apisurface::validate::is_keyword(&name)
            && !apisurface::validate::is_predeclared(&name)
            && name.is_ascii();
        if !plain || used.contains(&name) || name.starts_with("mochi") {
            name = format!("{prefix}{i}");
        }
        used.insert(name.clone());
        Ok(Value {
            name,
            go_type: ty.to_string(),
            class,
            variadic,
        })
    }

    /// True for a by-value struct parameter whose type holds a lock (the wrapper would copy it).
    fn copies_lock(&self, v: &Value) -> bool {
        matches!(
            v.class,
            Class::Handle {
                by_pointer: true,
                ..
            }
        ) && !v.go_type.starts_with('*')
            && parse_type(&v.go_type).is_ok_and(|t| {
                self.index
                    .holds_lock(&t, &self.pkg.import_path, &mut BTreeSet::new())
            })
    }

    fn check_emit(&self, ty: &GoType) -> Result<(), Refusal> {
        let mut scratch = ImportSet::new();
        emit_param_type(ty, &self.ctx, &mut scratch)
            .map(|_| ())
            .map_err(|e| (SkipKind::Emit, e.to_string()))
    }

    /// How a Go type crosses in a wrapper.
    fn classify(&self, ty: &GoType) -> Result<Class, Refusal> {
        let untyped = Class::Handle {
            typed: None,
            by_pointer: false,
        };
        match ty {
            GoType::Named(n) if n.type_args.is_empty() => {
                let home = &self.pkg.import_path;
                let (path, predeclared) = match &n.package {
                    Some(p) => (p.as_str(), false),
                    None => (
                        home.as_str(),
                        apisurface::validate::is_predeclared_type(&n.name),
                    ),
                };
                if predeclared {
                    if n.name == "string" {
                        return Ok(Class::String { named: None });
                    }
                    return Ok(scalar(&n.name)
                        .map(|scalar| Class::Scalar {
                            scalar,
                            named: None,
                        })
                        .unwrap_or(untyped));
                }
                Ok(self.named_class(path, &n.name, false).unwrap_or(untyped))
            }
            GoType::Pointer(inner) => {
                if let GoType::Named(n) = inner.as_ref() {
                    if n.type_args.is_empty() && !apisurface::validate::is_predeclared_type(&n.name)
                    {
                        let path = n
                            .package
                            .as_deref()
                            .unwrap_or(self.pkg.import_path.as_str());
                        if let Some(c) = self.named_class(path, &n.name, true) {
                            return Ok(c);
                        }
                    }
                }
                Ok(untyped)
            }
            GoType::Slice(elem) => Ok(match elem.as_ref() {
                GoType::Named(e) if e.package.is_none() && e.type_args.is_empty() => {
                    match e.name.as_str() {
                        "byte" | "uint8" => Class::Bytes,
                        "string" => Class::StringSlice,
                        other => scalar(other)
                            .map(|scalar| Class::ScalarSlice { scalar })
                            .unwrap_or(untyped),
                    }
                }
                _ => untyped,
            }),
            GoType::Chan { dir, elem } => {
                let mut qualified = (**elem).clone();
                qualified.qualify(&self.pkg.import_path, &[]);
                let elem = qualified.to_string();
                Ok(match self.opts.chan_bases.get(&elem) {
                    Some(base) => Class::Chan {
                        base: base.clone(),
                        elem,
                        dir: match dir {
                            ChanDir::Both => "both",
                            ChanDir::Recv => "recv",
                            ChanDir::Send => "send",
                        },
                    },
                    None => untyped,
                })
            }
            GoType::Func(sig) if sig.type_params.is_empty() => {
                // Parameter names are not part of a Go type: `func(r rune) bool` is the host
                // callback `func(rune) bool`.
                // Qualified too: the surface spells the package's own types unqualified
                // (`func(*Flag)`), host callbacks by their full names (`func(*flag.Flag)`).
                let mut unnamed = ty.clone();
                unnamed.strip_param_names();
                unnamed.qualify(&self.pkg.import_path, &[]);
                Ok(Class::Func {
                    signature: unnamed.to_string(),
                })
            }
            GoType::Variadic(_) | GoType::Union(_) | GoType::Untyped(_) => Err((
                SkipKind::UnsupportedType,
                format!("`{ty}` is not a value type"),
            )),
            _ => Ok(untyped),
        }
    }

    /// The class of bound named type `path.name` (`pointer`: seen as `*T`).
    fn named_class(&self, path: &str, name: &str, pointer: bool) -> Option<Class> {
        let (rust, kind) = self.index.get(path, name)?;
        let typed = Some(rust.clone());
        Some(match (kind, pointer) {
            (TypeKind::Struct, _) => Class::Handle {
                typed,
                by_pointer: true,
            },
            // `*T` of a non-struct bound type: a plain value handle.
            (_, true) => Class::Handle {
                typed: None,
                by_pointer: false,
            },
            (TypeKind::Scalar { scalar }, false) => Class::Scalar {
                scalar: *scalar,
                named: typed,
            },
            (TypeKind::String, false) => Class::String { named: typed },
            (_, false) => Class::Handle {
                typed,
                by_pointer: false,
            },
        })
    }

    /// Field getters and setters, the zero-value constructor, of a bound type.
    fn plan_type_helpers(&mut self, t: &Type) {
        let Some((owner, kind)) = self.bound_type(t) else {
            return;
        };
        if matches!(kind, TypeKind::Struct) {
            for f in &t.fields {
                if f.exported {
                    self.plan_field(t, &owner, f);
                }
            }
        }
        let zero = Sym::top(self.pkg, &t.name, SymbolKind::Type).part("zero value");
        let s = zero.go_symbol();
        if unallocatable(t) {
            self.skip(
                &zero,
                &t.underlying,
                SkipKind::UnsupportedType,
                "Go cannot allocate this type (it is not-in-heap)".into(),
            );
            return;
        }
        if matches!(kind, TypeKind::Struct | TypeKind::Other) {
            let rust_name = self.unique(&owner.rust_name, &s, "zero".into());
            let results = vec![Value {
                name: "r0".into(),
                go_type: match kind {
                    TypeKind::Struct => format!("*{}", t.name),
                    _ => t.name.clone(),
                },
                class: Class::Handle {
                    typed: Some(owner.clone()),
                    by_pointer: matches!(kind, TypeKind::Struct),
                },
                variadic: false,
            }];
            self.out.funcs.push(BoundFunc {
                go_symbol: s,
                go_name: t.name.clone(),
                kind: FuncKind::Zero,
                c_symbol: self.c_symbol(&[&t.name, "zero"]),
                rust_name,
                owner: Some(owner.clone()),
                owner_go: Some(t.name.clone()),
                receiver: None,
                params: Vec::new(),
                results,
                returns_error: false,
                doc: format!("A new zero value of {}.", t.name),
                type_args: Vec::new(),
                writes_receiver: false,
            });
        }
    }

    fn plan_field(&mut self, t: &Type, owner: &TypeRef, f: &apisurface::Field) {
        let field = Sym::field(self.pkg, &t.name, &f.name);
        let s = field.go_symbol();
        let mut used = BTreeSet::from(["recv".to_string()]);
        let v = match self.value("", 0, "r", &f.type_, false, false, &mut used) {
            Ok(v) => v,
            Err((kind, why)) => return self.skip(&field, &f.type_, kind, why),
        };
        let receiver = self.receiver_value(t, owner, &TypeKind::Struct);
        let getter = self.unique(&owner.rust_name, &s, rust_fn_name(&f.name));
        let setter = self.unique(
            &owner.rust_name,
            &s,
            format!("set_{}", names::snake_case(&f.name)),
        );
        let mut value = v.clone();
        value.name = "v".into();
        let mut ops = vec![(FuncKind::Getter, getter, "get")];
        let writable = parse_type(&f.type_)
            .map_err(|e| (SkipKind::UnsupportedType, e.to_string()))
            .and_then(|t| self.check_emit(&t));
        let setter_sym = field.clone().part("setter");
        if let Err((kind, why)) = writable {
            self.skip(&setter_sym, &f.type_, kind, why);
        } else if self.copies_lock(&v) {
            self.skip(
                &setter_sym,
                &f.type_,
                SkipKind::UnsupportedType,
                "the field's type holds a lock: setting it would copy the lock".into(),
            );
        } else {
            ops.push((FuncKind::Setter, setter, "set"));
        }
        for (kind, rust_name, op) in ops {
            let getter = kind == FuncKind::Getter;
            self.out.funcs.push(BoundFunc {
                go_symbol: s.clone(),
                go_name: f.name.clone(),
                kind,
                c_symbol: self.c_symbol(&[&t.name, op, &f.name]),
                rust_name,
                owner: Some(owner.clone()),
                owner_go: Some(t.name.clone()),
                receiver: Some(receiver.clone()),
                params: if getter { vec![] } else { vec![value.clone()] },
                results: if getter { vec![v.clone()] } else { vec![] },
                returns_error: false,
                type_args: Vec::new(),
                writes_receiver: false,
                doc: format!(
                    "{} field {} of {}.",
                    if getter { "Reads" } else { "Sets" },
                    f.name,
                    t.name
                ),
            });
        }
    }

    fn plan_var(&mut self, v: &apisurface::Value) {
        if !is_exported(&v.name) {
            return;
        }
        let var = Sym::top(self.pkg, &v.name, SymbolKind::Var);
        let s = var.go_symbol();
        let mut used = BTreeSet::new();
        match self.value("", 0, "r", &v.type_, false, false, &mut used) {
            Ok(val) => {
                let rust_name = self.unique("", &s, rust_fn_name(&v.name));
                self.out.funcs.push(BoundFunc {
                    go_symbol: s,
                    go_name: v.name.clone(),
                    kind: FuncKind::Var,
                    c_symbol: self.c_symbol(&["var", &v.name]),
                    rust_name,
                    owner: None,
                    owner_go: None,
                    receiver: None,
                    params: Vec::new(),
                    results: vec![val],
                    returns_error: false,
                    doc: synopsis(&v.name, &v.doc),
                    type_args: Vec::new(),
                    writes_receiver: false,
                });
            }
            Err((kind, why)) => self.skip(&var, &v.type_, kind, why),
        }
    }
}

/// Replaces unqualified names that are type parameters by their arguments.
fn substitute(ty: &mut GoType, map: &BTreeMap<String, GoType>) {
    let sub_sig = |sig: &mut apisurface::Signature| {
        for p in sig.params.iter_mut().chain(sig.results.iter_mut()) {
            substitute(&mut p.ty, map);
        }
    };
    match ty {
        GoType::Named(n) => {
            if n.package.is_none() && n.type_args.is_empty() {
                if let Some(t) = map.get(n.name.as_str()) {
                    *ty = t.clone();
                    return;
                }
            }
            n.type_args.iter_mut().for_each(|a| substitute(a, map));
        }
        GoType::Pointer(e) | GoType::Slice(e) | GoType::Variadic(e) => substitute(e, map),
        GoType::Array { elem, .. } | GoType::Chan { elem, .. } => substitute(elem, map),
        GoType::Map { key, value } => {
            substitute(key, map);
            substitute(value, map);
        }
        GoType::Func(sig) => sub_sig(sig),
        GoType::Struct(fields) => fields.iter_mut().for_each(|f| substitute(&mut f.ty, map)),
        GoType::Interface(elems) => elems.iter_mut().for_each(|e| match e {
            apisurface::InterfaceElem::Method { sig, .. } => sub_sig(sig),
            apisurface::InterfaceElem::Embedded(t) => substitute(t, map),
        }),
        GoType::Union(terms) => terms.iter_mut().for_each(|t| substitute(&mut t.ty, map)),
        GoType::Untyped(_) => {}
    }
}

/// A type Go refuses to allocate: one holding a `NotInHeap` marker (`runtime/cgo.Incomplete`).
fn unallocatable(t: &Type) -> bool {
    t.fields
        .iter()
        .any(|f| f.type_.ends_with(".NotInHeap") || f.type_ == "NotInHeap")
        || t.underlying.contains("sys.NotInHeap")
}

/// A Go symbol as the planner names it: the qualified spelling of plans and reports
/// (`(*bytes.Buffer).Len`, `url.URL.Host (setter)`) and, for reports, its package-relative name
/// (`Buffer.Len`), its kind and the generated part it is about.
#[derive(Debug, Clone)]
struct Sym {
    qualified: String,
    name: String,
    kind: SymbolKind,
    part: Option<&'static str>,
}

impl Sym {
    /// `import/path.Name`, a function, type, constant or variable.
    fn top(p: &Package, name: &str, kind: SymbolKind) -> Sym {
        Sym {
            qualified: format!("{}.{name}", p.import_path),
            name: name.to_string(),
            kind,
            part: None,
        }
    }

    /// `(*import/path.T).M` or `import/path.T.M`.
    fn method(p: &Package, t: &str, m: &Func) -> Sym {
        let qualified = if m.receiver_pointer {
            format!("(*{}.{t}).{}", p.import_path, m.name)
        } else {
            format!("{}.{t}.{}", p.import_path, m.name)
        };
        Sym {
            qualified,
            name: format!("{t}.{}", m.name),
            kind: SymbolKind::Method,
            part: None,
        }
    }

    /// `import/path.T.F`, a struct field.
    fn field(p: &Package, t: &str, f: &str) -> Sym {
        Sym {
            qualified: format!("{}.{t}.{f}", p.import_path),
            name: format!("{t}.{f}"),
            kind: SymbolKind::Field,
            part: None,
        }
    }

    /// The same symbol, about one generated part of it (`setter`, `zero value`).
    fn part(mut self, part: &'static str) -> Sym {
        self.part = Some(part);
        self
    }

    /// An instantiation of a generic function: `path.F[int64]`.
    fn instance(mut self, args: &[String]) -> Sym {
        self.qualified = format!("{}[{}]", self.qualified, args.join(", "));
        self
    }

    /// The qualified spelling, with the part (`path.T (zero value)`).
    fn go_symbol(&self) -> String {
        match self.part {
            Some(p) => format!("{} ({p})", self.qualified),
            None => self.qualified.clone(),
        }
    }
}

fn signature_text(f: &Func) -> String {
    let ps: Vec<&str> = f.params.iter().map(|p| p.type_.as_str()).collect();
    let rs: Vec<&str> = f.results.iter().map(|p| p.type_.as_str()).collect();
    format!("func({}) ({})", ps.join(", "), rs.join(", "))
}

/// The first sentence of a doc comment (one line), or a plain description.
pub(crate) fn synopsis(name: &str, doc: &str) -> String {
    let one: String = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = match one.find(". ") {
        Some(i) => &one[..=i],
        None => one.as_str(),
    };
    if first.is_empty() {
        format!("Wraps Go's {name}.")
    } else {
        first.to_string()
    }
}
