//! The renderers: one linkname declaration, the wrapper file, its fallback file, the wasm file.

use crate::spec::{Checked, LinknameSpec, Position, SpecError, emit_context};
use crate::symbol::{Compiler, TargetSymbol};
use apisurface::validate::{ValidationError, check_identifier, check_import_path, quote};
use apisurface::{EmitError, GoFile, GoType, GoWriter, ImportSet, emit_param_type, emit_type};
use std::collections::{BTreeMap, BTreeSet};

/// Build constraint of the linkname wrapper file.
pub const LINKNAME_BUILD_TAG: &str = apisurface::names::TAG_LINKNAME;
/// Build constraint of the fallback file (the tag that removes the linkname file).
pub const FALLBACK_BUILD_TAG: &str = apisurface::names::TAG_NO_LINKNAME;
/// Build constraint of the wasm export file: gc's `GOARCH=wasm`, or any TinyGo wasm target
/// (TinyGo's `wasm-unknown` target reports `GOARCH=arm`, so `wasm` alone would exclude it).
pub const WASM_BUILD_TAG: &str = "wasm || tinygo.wasm";

/// How to render: for which compiler, what is allowed, and where the output lives.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub(crate) compiler: Compiler,
    pub(crate) allow_std: bool,
    pub(crate) wrapper_import_path: Option<String>,
    pub(crate) package_names: BTreeMap<String, String>,
    pub(crate) wasm_main: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions::new(Compiler::Gc)
    }
}

impl RenderOptions {
    /// Options for `compiler`: standard-library targets refused, wrapper import path unknown,
    /// no known package names, wasm files with an empty `func main()`.
    pub fn new(compiler: Compiler) -> RenderOptions {
        RenderOptions {
            compiler,
            allow_std: false,
            wrapper_import_path: None,
            package_names: BTreeMap::new(),
            wasm_main: true,
        }
    }

    /// The compiler whose symbol forms are used.
    pub fn compiler(&self) -> Compiler {
        self.compiler
    }

    /// Allows standard-library targets. With gc ≥ 1.23 a pull linkname to a std symbol that is
    /// not marked for it fails to link unless `-ldflags=-checklinkname=0` is passed.
    pub fn allow_std(mut self, allow: bool) -> RenderOptions {
        self.allow_std = allow;
        self
    }

    /// The import path of the generated wrapper package: types from it are written unqualified
    /// and `internal` packages under its parent are importable.
    pub fn wrapper_import_path(mut self, path: impl Into<String>) -> RenderOptions {
        self.wrapper_import_path = Some(path.into());
        self
    }

    /// Package names by import path (from the surface), used as import names.
    pub fn package_names(mut self, names: BTreeMap<String, String>) -> RenderOptions {
        self.package_names = names;
        self
    }

    /// Whether [`render_wasm_file`] adds an empty `func main() {}` (default true; a reactor
    /// module never runs it, but package main must declare it).
    pub fn wasm_main(mut self, with_main: bool) -> RenderOptions {
        self.wasm_main = with_main;
        self
    }
}

/// Why a file could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A spec is invalid; names its index in the input and its local name.
    #[error("spec #{index} ({local_name:?}): {source}")]
    Spec {
        /// Index in the `specs` slice.
        index: usize,
        /// The spec's local name.
        local_name: String,
        /// What is wrong with it.
        source: Box<SpecError>,
    },
    /// Two specs declare the same local name.
    #[error("spec #{index} ({local_name:?}) declares the same name as spec #{first}")]
    DuplicateLocalName {
        /// Index of the later spec.
        index: usize,
        /// The name.
        local_name: String,
        /// Index of the first spec with that name.
        first: usize,
    },
    /// The package name of the generated file is not usable.
    #[error("package name {name:?}: {source}")]
    PackageName {
        /// The name.
        name: String,
        /// Why.
        source: ValidationError,
    },
    /// The wrapper package's import path (for the wasm file) is not valid.
    #[error("wrapper import path {path:?}: {source}")]
    WrapperImportPath {
        /// The path.
        path: String,
        /// Why.
        source: ValidationError,
    },
    /// Assembling the file failed.
    #[error("assembling the file: {0}")]
    File(#[from] EmitError),
}

/// What the fallback file does for one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fallback {
    /// Calls the exported target directly.
    Direct,
    /// The target cannot be called directly (unexported, or its package is not importable from
    /// the wrapper package): the wrapper panics with `message`, or, when its last result is
    /// `error`, returns zero values and an error with `message`.
    Unavailable {
        /// The panic or error text (see [`unavailable_message`]).
        message: String,
    },
}

/// The text of the "unavailable" panic or error that a fallback wrapper raises when its target
/// cannot be called without `//go:linkname`.
///
/// Always `gobridge: <symbol> is unavailable in builds with -tags mochi_no_linkname (<why>)`,
/// with the symbol in gc form.
pub fn unavailable_message(target: &TargetSymbol, why: &str) -> String {
    format!(
        "gobridge: {} is unavailable in builds with -tags mochi_no_linkname ({why})",
        target.symbol(Compiler::Gc)
    )
}

/// Decides what the fallback file does for `spec` (after validating it).
pub fn fallback(spec: &LinknameSpec, opts: &RenderOptions) -> Result<Fallback, SpecError> {
    let c = spec.check(opts)?;
    Ok(fallback_of(&c.target, opts))
}

fn fallback_of(target: &TargetSymbol, opts: &RenderOptions) -> Fallback {
    let why = if !target.is_exported() {
        Some("not exported; only //go:linkname can reach it")
    } else if !importable(&target.package, opts.wrapper_import_path.as_deref()) {
        Some("its package cannot be imported from the wrapper package")
    } else {
        None
    };
    match why {
        None => Fallback::Direct,
        Some(why) => Fallback::Unavailable {
            message: unavailable_message(target, why),
        },
    }
}

/// Go's import rules for a direct call: `a/internal/b` only from inside `a`; never `vendor/`.
fn importable(path: &str, from: Option<&str>) -> bool {
    let elems: Vec<&str> = path.split('/').collect();
    if elems.contains(&"vendor") {
        return false;
    }
    match elems.iter().rposition(|e| *e == "internal") {
        None => true,
        Some(i) => {
            let parent = elems[..i].join("/");
            from.is_some_and(|f| f == parent || f.starts_with(&format!("{parent}/")))
        }
    }
}

/// Renders one linkname declaration (doc comment, directive, bodyless `func`), recording the
/// imports it needs in `imports`: the blank import of the target package (without it the link
/// fails with "relocation target ... not defined") and the packages its types name.
///
/// Add `import _ "unsafe"` yourself, or use [`render_file`], which does.
pub fn render_linkname(
    spec: &LinknameSpec,
    opts: &RenderOptions,
    imports: &mut ImportSet,
) -> Result<String, SpecError> {
    let c = spec.check(opts)?;
    imports.reserve(&spec.local_name);
    let mut w = GoWriter::new();
    linkname_decl(&mut w, spec, &c, opts, imports)?;
    Ok(w.finish())
}

fn linkname_decl(
    w: &mut GoWriter,
    spec: &LinknameSpec,
    c: &Checked,
    opts: &RenderOptions,
    imports: &mut ImportSet,
) -> Result<(), SpecError> {
    let symbol = c.target.symbol(opts.compiler);
    imports
        .add_blank(&c.target.package)
        .map_err(|e| import_err(&c.target.package, e))?;
    let sig = signature(c, opts, imports)?;
    w.line(format!(
        "// {} is {symbol}, linked by //go:linkname.",
        spec.local_name
    ));
    w.line("//");
    w.line(format!("//go:linkname {} {symbol}", spec.local_name));
    w.line(format!("func {}{sig}", spec.local_name));
    Ok(())
}

/// Emits `(params) results`, every type through the shared emitter.
fn signature(
    c: &Checked,
    opts: &RenderOptions,
    imports: &mut ImportSet,
) -> Result<String, SpecError> {
    let ctx = emit_context(&c.target, opts);
    let mut params = Vec::with_capacity(c.params.len());
    for (i, (n, t)) in c.params.iter().enumerate() {
        let ty = emit_param_type(t, &ctx, imports)
            .map_err(|e| type_err(Position::Param(i), &c.param_strings[i], e))?;
        params.push(format!("{n} {ty}"));
    }
    let mut results = Vec::with_capacity(c.results.len());
    for (i, (s, t)) in c.results.iter().enumerate() {
        results.push(emit_type(t, &ctx, imports).map_err(|e| type_err(Position::Result(i), s, e))?);
    }
    let results = match results.len() {
        0 => String::new(),
        1 => format!(" {}", results[0]),
        _ => format!(" ({})", results.join(", ")),
    };
    Ok(format!("({}){results}", params.join(", ")))
}

fn import_err(path: &str, source: EmitError) -> SpecError {
    SpecError::Import {
        path: path.to_string(),
        source: Box::new(source),
    }
}

fn type_err(position: Position, ty: &str, source: EmitError) -> SpecError {
    SpecError::TypeEmit {
        position,
        ty: ty.to_string(),
        source: Box::new(source),
    }
}

/// Validates every spec and the package name; returns the checked specs.
fn check_all(
    pkg: &str,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
) -> Result<Vec<Checked>, RenderError> {
    check_identifier(pkg).map_err(|e| RenderError::PackageName {
        name: pkg.to_string(),
        source: e,
    })?;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(specs.len());
    for (index, spec) in specs.iter().enumerate() {
        let c = spec
            .check(opts)
            .map_err(|source| spec_err(index, spec, source))?;
        if let Some(first) = seen.insert(&spec.local_name, index) {
            return Err(RenderError::DuplicateLocalName {
                index,
                local_name: spec.local_name.clone(),
                first,
            });
        }
        out.push(c);
    }
    Ok(out)
}

/// An import set with every package-level and parameter name of the file reserved, so no import
/// name shadows or clashes with them.
fn reserved_imports(specs: &[LinknameSpec], checked: &[Checked], extra: &[String]) -> ImportSet {
    let mut imports = ImportSet::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (s, c) in specs.iter().zip(checked) {
        names.insert(&s.local_name);
        names.extend(c.params.iter().map(|(n, _)| n.as_str()));
    }
    names.extend(extra.iter().map(String::as_str));
    for n in names {
        imports.reserve(n);
    }
    imports
}

fn spec_err(index: usize, spec: &LinknameSpec, source: SpecError) -> RenderError {
    RenderError::Spec {
        index,
        local_name: spec.local_name.clone(),
        source: Box::new(source),
    }
}

/// Renders the complete linkname wrapper file of package `pkg`:
///
/// `//go:build !mochi_no_linkname`, the generated-code line, `import _ "unsafe"` (required for
/// `//go:linkname`), a blank import of each target package, the imports the types need, then
/// one bodyless declaration per spec in input order. Errors name the spec's index and local
/// name. Pair it with [`render_fallback_file`] so the package keeps its API under the tag.
pub fn render_file(
    pkg: &str,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    render_decls(pkg, specs, opts, LINKNAME_BUILD_TAG, true, linkname_decl)
}

/// Renders the fallback file: the same package API under `//go:build mochi_no_linkname`, so
/// callers of the wrapper package still compile when the linkname file is tagged away.
///
/// Each wrapper calls its target directly when the target is exported and its package can be
/// imported ([`Fallback::Direct`]); otherwise it panics with [`unavailable_message`], or, when
/// its last result is `error`, returns zero values and that message as an error.
pub fn render_fallback_file(
    pkg: &str,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    render_decls(pkg, specs, opts, FALLBACK_BUILD_TAG, false, fallback_decl)
}

/// One file of declarations, one per spec (separated by blank lines), under `build_tag`; the
/// linkname file also imports `unsafe` for its side effect.
fn render_decls(
    pkg: &str,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
    build_tag: &str,
    blank_unsafe: bool,
    decl: fn(
        &mut GoWriter,
        &LinknameSpec,
        &Checked,
        &RenderOptions,
        &mut ImportSet,
    ) -> Result<(), SpecError>,
) -> Result<String, RenderError> {
    let checked = check_all(pkg, specs, opts)?;
    let mut imports = reserved_imports(specs, &checked, &[]);
    if blank_unsafe {
        imports.add_blank("unsafe")?;
    }
    let mut w = GoWriter::new();
    for (i, (spec, c)) in specs.iter().zip(&checked).enumerate() {
        if i > 0 {
            w.blank();
        }
        decl(&mut w, spec, c, opts, &mut imports).map_err(|e| spec_err(i, spec, e))?;
    }
    Ok(GoFile::new(pkg)
        .build_tag(build_tag)
        .imports(imports)
        .body(w.finish())
        .render()?)
}

fn fallback_decl(
    w: &mut GoWriter,
    spec: &LinknameSpec,
    c: &Checked,
    opts: &RenderOptions,
    imports: &mut ImportSet,
) -> Result<(), SpecError> {
    let sig = signature(c, opts, imports)?;
    let gc_symbol = c.target.symbol(Compiler::Gc);
    let ret = if c.results.is_empty() { "" } else { "return " };
    match fallback_of(&c.target, opts) {
        Fallback::Direct => {
            w.line(format!(
                "// {} calls {gc_symbol} directly (fallback for -tags mochi_no_linkname).",
                spec.local_name
            ));
            let args: Vec<String> = c
                .params
                .iter()
                .map(|(n, t)| match t {
                    GoType::Variadic(_) => format!("{n}..."),
                    _ => n.clone(),
                })
                .collect();
            let call = match &c.target.receiver {
                Some(_) => format!("{}.{}({})", args[0], c.target.name, args[1..].join(", ")),
                None => {
                    let qual = if opts.wrapper_import_path.as_deref() == Some(&c.target.package) {
                        String::new()
                    } else {
                        let local = match opts.package_names.get(&c.target.package) {
                            Some(n) => imports.add_with_name(&c.target.package, n),
                            None => imports.add(&c.target.package),
                        }
                        .map_err(|e| import_err(&c.target.package, e))?;
                        format!("{local}.")
                    };
                    format!("{qual}{}({})", c.target.name, args.join(", "))
                }
            };
            w.block(format!("func {}{sig}", spec.local_name), |w| {
                w.line(format!("{ret}{call}"));
            });
        }
        Fallback::Unavailable { message } => {
            let returns_error = matches!(
                c.results.last(),
                Some((_, GoType::Named(n))) if n.package.is_none() && n.name == "error"
                    && n.type_args.is_empty()
            );
            w.line(format!(
                "// {} is unavailable in builds with -tags mochi_no_linkname: {gc_symbol} cannot",
                spec.local_name
            ));
            if returns_error {
                w.line(
                    "// be called without //go:linkname, so it returns zero values and an error.",
                );
            } else {
                w.line("// be called without //go:linkname, so it panics.");
            }
            let body = if returns_error {
                let errors = imports.add("errors").map_err(|e| import_err("errors", e))?;
                let ctx = emit_context(&c.target, opts);
                let mut vals = Vec::with_capacity(c.results.len());
                for (i, (s, t)) in c.results[..c.results.len() - 1].iter().enumerate() {
                    let ty = emit_type(t, &ctx, imports)
                        .map_err(|e| type_err(Position::Result(i), s, e))?;
                    vals.push(format!("*new({ty})"));
                }
                vals.push(format!("{errors}.New({})", quote(&message)));
                format!("return {}", vals.join(", "))
            } else {
                format!("panic({})", quote(&message))
            };
            w.block(format!("func {}{sig}", spec.local_name), |w| {
                w.line(body);
            });
        }
    }
    Ok(())
}

/// True when `ty` can be a `//go:wasmexport` parameter or result: bool, the sized 32/64-bit
/// integers and floats, uintptr, unsafe.Pointer, or a pointer to bool or a sized scalar.
///
/// Measured with Go 1.26 (`GOOS=wasip1 GOARCH=wasm`): `int`, `int8`, `uint16`, `[]byte`,
/// `*int`, `*uintptr`, `struct{}` are refused by the compiler; `string` is accepted as a
/// parameter (not a result) but is left out here, as older compilers refuse it.
pub fn is_wasm_abi_type(ty: &GoType) -> bool {
    fn scalar(t: &GoType, extra: &[&str]) -> bool {
        const SCALARS: [&str; 7] = [
            "bool", "int32", "uint32", "int64", "uint64", "float32", "float64",
        ];
        match t {
            GoType::Named(n) if n.type_args.is_empty() => match n.package.as_deref() {
                None => SCALARS.contains(&n.name.as_str()) || extra.contains(&n.name.as_str()),
                Some("unsafe") => extra.contains(&"unsafe.Pointer") && n.name == "Pointer",
                Some(_) => false,
            },
            _ => false,
        }
    }
    match ty {
        GoType::Pointer(elem) => scalar(elem, &[]),
        t => scalar(t, &["uintptr", "unsafe.Pointer"]),
    }
}

/// Checks that `spec` can become a `//go:wasmexport` (after validating it).
pub fn check_wasm(spec: &LinknameSpec, opts: &RenderOptions) -> Result<(), SpecError> {
    let c = spec.check(opts)?;
    wasm_check(spec, &c)
}

fn wasm_check(spec: &LinknameSpec, c: &Checked) -> Result<(), SpecError> {
    if !apisurface::validate::is_exported(&spec.local_name) {
        return Err(SpecError::WasmUnexported {
            name: spec.local_name.clone(),
        });
    }
    if spec.variadic {
        return Err(SpecError::WasmVariadic);
    }
    for (i, (_, t)) in c.params.iter().enumerate() {
        if !is_wasm_abi_type(t) {
            return Err(SpecError::WasmType {
                position: Position::Param(i),
                ty: c.param_strings[i].clone(),
            });
        }
    }
    if c.results.len() > 1 {
        return Err(SpecError::WasmResults {
            count: c.results.len(),
        });
    }
    for (i, (s, t)) in c.results.iter().enumerate() {
        if !is_wasm_abi_type(t) {
            return Err(SpecError::WasmType {
                position: Position::Result(i),
                ty: s.clone(),
            });
        }
    }
    Ok(())
}

/// Renders a `package main` file under `//go:build wasm || tinygo.wasm` that exports each spec's wrapper to
/// the wasm host with `//go:wasmexport <local name>` (gc ≥ 1.24, TinyGo ≥ 0.34), calling it in
/// the wrapper package `wrapper_package` (import path `wrapper_import_path`).
///
/// Only types the wasm ABI carries are allowed ([`is_wasm_abi_type`], at most one result, no
/// variadic); anything else is a [`SpecError`] naming the spec. Build it with
/// `GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared` for a reactor module.
pub fn render_wasm_file(
    wrapper_import_path: &str,
    wrapper_package: &str,
    specs: &[LinknameSpec],
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    check_import_path(wrapper_import_path).map_err(|e| RenderError::WrapperImportPath {
        path: wrapper_import_path.to_string(),
        source: e,
    })?;
    let checked = check_all(wrapper_package, specs, opts)?;
    for (i, (s, c)) in specs.iter().zip(&checked).enumerate() {
        wasm_check(s, c).map_err(|e| spec_err(i, s, e))?;
    }
    let funcs: Vec<String> = specs
        .iter()
        .map(|s| format!("wasm{}", s.local_name))
        .collect();
    let mut extra = funcs.clone();
    extra.push("main".to_string());
    let mut imports = reserved_imports(specs, &checked, &extra);
    let wrap = imports.add_with_name(wrapper_import_path, wrapper_package)?;
    let mut w = GoWriter::new();
    for (i, ((spec, c), func)) in specs.iter().zip(&checked).zip(&funcs).enumerate() {
        if i > 0 {
            w.blank();
        }
        let sig = signature(c, opts, &mut imports).map_err(|e| spec_err(i, spec, e))?;
        let args: Vec<&str> = c.params.iter().map(|(n, _)| n.as_str()).collect();
        let ret = if c.results.is_empty() { "" } else { "return " };
        w.line(format!(
            "// {func} exports {wrap}.{} to the wasm host as {:?}.",
            spec.local_name, spec.local_name
        ));
        w.line("//");
        w.line(format!("//go:wasmexport {}", spec.local_name));
        w.block(format!("func {func}{sig}"), |w| {
            w.line(format!(
                "{ret}{wrap}.{}({})",
                spec.local_name,
                args.join(", ")
            ));
        });
    }
    if opts.wasm_main {
        if !specs.is_empty() {
            w.blank();
        }
        w.line("// main is required in package main; a reactor module (-buildmode=c-shared) never");
        w.line("// calls it: the host calls _initialize, then the exports.");
        w.line("func main() {}");
    }
    Ok(GoFile::new("main")
        .build_tag(WASM_BUILD_TAG)
        .imports(imports)
        .body(w.finish())
        .render()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importability() {
        assert!(importable("example.com/a/b", None));
        assert!(!importable("example.com/a/internal/b", None));
        assert!(importable(
            "example.com/a/internal/b",
            Some("example.com/a")
        ));
        assert!(importable(
            "example.com/a/internal/b",
            Some("example.com/a/w")
        ));
        assert!(!importable(
            "example.com/a/internal/b",
            Some("example.com/ab")
        ));
        assert!(!importable("example.com/vendor/x", Some("example.com")));
    }

    #[test]
    fn wasm_abi_types() {
        let ok = |t: GoType| assert!(is_wasm_abi_type(&t), "{t:?}");
        let no = |t: GoType| assert!(!is_wasm_abi_type(&t), "{t:?}");
        for n in [
            "bool", "int32", "uint32", "int64", "uint64", "float32", "float64", "uintptr",
        ] {
            ok(GoType::name(n));
        }
        ok(GoType::qualified("unsafe", "Pointer"));
        ok(GoType::Pointer(Box::new(GoType::name("int64"))));
        for n in ["int", "int8", "uint16", "string", "error", "Thing"] {
            no(GoType::name(n));
        }
        no(GoType::Pointer(Box::new(GoType::name("uintptr"))));
        no(GoType::Pointer(Box::new(GoType::qualified(
            "unsafe", "Pointer",
        ))));
        no(GoType::Slice(Box::new(GoType::name("byte"))));
        no(GoType::qualified("example.com/x", "Int32"));
    }
}
