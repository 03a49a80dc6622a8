//! The Go side: one cgo file (`cgo/mochi_bind.go`) with an `//export` wrapper per
//! [`BoundFunc`] of every bound package, plus the module's binding helpers.
//!
//! Go locals of a wrapper are `st`, `msg` and `p_<name>` / `x_<name>` (C parameter / Go value),
//! all reserved in the file's [`ImportSet`], so no import name can shadow them or be shadowed.

use crate::model::{BoundFunc, BoundPackage, Class, FuncKind, ScalarKind, Value};
use crate::plan::PlanOptions;
use apisurface::names::{self, TAG_WRAP};
use apisurface::template::fill;
use apisurface::validate::check_identifier;
use apisurface::{
    EmitContext, EmitError, GoFile, GoType, GoWriter, ImportSet, Surface, TemplateError,
    constraint_names, emit_type, parse_type,
};
use std::collections::{BTreeMap, BTreeSet};

const HELPERS: &str = include_str!("go/helpers.go.tpl");

/// Why the binding file could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// A name that is not a Go identifier.
    #[error("{what} {value:?} is not a Go identifier")]
    Name {
        /// What it names.
        what: &'static str,
        /// The value.
        value: String,
        /// The validator's verdict.
        #[source]
        source: apisurface::ValidationError,
    },
    /// A type the emitter refused (the planner checks this first, so this is a bug or a plan
    /// edited by hand).
    #[error("wrapper {symbol}: cannot write type {ty}")]
    Emit {
        /// The wrapper.
        symbol: String,
        /// The type.
        ty: String,
        /// The emitter's error (boxed: it is large).
        #[source]
        source: Box<EmitError>,
    },
    /// The helper template could not be filled.
    #[error("binding helpers template")]
    Template(#[source] TemplateError),
    /// The assembled file was refused.
    #[error("assembling the binding file")]
    File(#[source] Box<EmitError>),
}

/// Renders the binding file for `plan` (from [`crate::plan_packages`] on the same surface and
/// options). The file belongs to the cgo package (`package main`) next to the runtime and shim
/// file, whose helpers (`goString`, `cString`, `fromHandle`, `toHandle`, channel shims) it uses.
pub fn render_bind_file(
    plan: &[BoundPackage],
    surface: &Surface,
    opts: &PlanOptions,
) -> Result<String, BindError> {
    check_identifier(&opts.module).map_err(|source| BindError::Name {
        what: "module flat name",
        value: opts.module.clone(),
        source,
    })?;
    let pkg_names: BTreeMap<String, String> = surface
        .packages
        .iter()
        .map(|p| (p.import_path.clone(), p.name.clone()))
        .collect();
    let constraints = constraint_names(surface);
    let mut imports = ImportSet::new();
    reserve_locals(plan, &mut imports);
    let mut std = |path: &str| imports.add(path).map(|_| ());
    for path in ["reflect", "unsafe"] {
        std(path).map_err(|e| BindError::File(Box::new(e)))?;
    }
    let mut w = GoWriter::new();
    let prefix = names::go::helper_prefix(&opts.module);
    let helpers = fill(HELPERS, &[("prefix", &prefix)]).map_err(BindError::Template)?;
    w.line(helpers.trim_end());
    for pkg in plan {
        let ctx = EmitContext::new()
            .home(&pkg.import_path)
            .target(&opts.target)
            .package_names(&pkg_names)
            .constraint_names(&constraints);
        for f in &pkg.funcs {
            let mut r = Wrapper {
                f,
                opts,
                ctx: &ctx,
                imports: &mut imports,
                pkg,
            };
            r.write(&mut w)?;
        }
    }
    GoFile::new("main")
        .build_tag(TAG_WRAP)
        .cgo_preamble(goroutine_render::preamble())
        .imports(imports)
        .body(w.finish())
        .render()
        .map_err(|e| BindError::File(Box::new(e)))
}

/// Reserves every local name a wrapper can use, so imports get other names.
fn reserve_locals(plan: &[BoundPackage], imports: &mut ImportSet) {
    let mut names: BTreeSet<String> = ["st", "msg", "ch", "err"]
        .into_iter()
        .map(String::from)
        .collect();
    for f in plan.iter().flat_map(|p| &p.funcs) {
        for v in f.receiver.iter().chain(&f.params).chain(&f.results) {
            names.insert(format!("p_{}", v.name));
            for p in ["x", "h", "s", "d", "l", "c"] {
                names.insert(format!("{p}_{}", v.name));
            }
        }
    }
    for n in names {
        imports.reserve(&n);
    }
}

/// One wrapper being written.
struct Wrapper<'a, 'c> {
    f: &'a BoundFunc,
    opts: &'a PlanOptions,
    ctx: &'a EmitContext<'c>,
    imports: &'a mut ImportSet,
    pkg: &'a BoundPackage,
}

impl Wrapper<'_, '_> {
    /// Doc, signature, guard, argument checks, conversions in, the call, conversions out.
    fn write(&mut self, w: &mut GoWriter) -> Result<(), BindError> {
        let f = self.f;
        w.blank();
        // A zero value's Go symbol already names its part (`path.T (zero value)`).
        let kind = format!("({})", kind_text(f.kind));
        let what = match f.go_symbol.ends_with(&kind) {
            true => f.go_symbol.clone(),
            false => format!("{} {kind}", f.go_symbol),
        };
        w.comment(&format!(
            "{} wraps {what}.\n\n{}",
            f.c_symbol,
            f.doc.replace('\n', " ")
        ));
        w.line("//");
        w.line(format!("//export {}", f.c_symbol));
        let sig = self.signature();
        w.line(format!("func {}({sig}) (st C.mochi_status) {{", f.c_symbol));
        w.indent();
        let hp = names::go::helper_prefix(&self.opts.module);
        w.line(format!("defer {hp}_guard(&st, msg)"));
        self.check_out_pointers(w);
        if let Some(r) = &f.receiver {
            self.convert_in(w, r)?;
        }
        for p in &f.params {
            self.convert_in(w, p)?;
        }
        self.call(w)?;
        self.convert_results(w)?;
        w.line("return C.MOCHI_OK");
        w.dedent();
        w.line("}");
        Ok(())
    }

    /// The C parameter list: receiver, params, out-params, `msg`.
    fn signature(&self) -> String {
        let f = self.f;
        let mut parts = Vec::new();
        if let (Some(r), Some(scalar)) = (&f.receiver, in_out_scalar(f)) {
            parts.push(format!("p_{} *C.{}", r.name, scalar.c));
        } else if let Some(r) = &f.receiver {
            parts.push(c_in(r));
        }
        for v in &f.params {
            parts.push(c_in(v));
        }
        for v in &f.results {
            parts.push(c_out(v));
        }
        parts.push("msg *C.mochi_bytes".into());
        parts.join(", ")
    }

    fn check_out_pointers(&self, w: &mut GoWriter) {
        let mut conds = Vec::new();
        if let (Some(r), Some(_)) = (&self.f.receiver, in_out_scalar(self.f)) {
            conds.push(format!("p_{} == nil", r.name));
        }
        for v in &self.f.results {
            conds.push(format!("p_{} == nil", v.name));
            if has_len(&v.class) {
                conds.push(format!("p_{}Len == nil", v.name));
            }
        }
        if !conds.is_empty() {
            w.block(format!("if {}", conds.join(" || ")), |w| {
                w.line("return C.MOCHI_BAD_ARG");
            });
        }
    }

    /// Whether `v` is the receiver that crosses as an in/out scalar pointer.
    fn is_in_out(&self, v: &Value) -> bool {
        in_out_scalar(self.f).is_some() && self.f.receiver.as_ref() == Some(v)
    }

    /// After a method that may change its receiver (`writes_receiver`), before an error
    /// return: a named basic type's new value goes out through its pointer, a handle's value
    /// back under its ID.
    fn write_back_receiver(&self, w: &mut GoWriter) {
        if !self.f.writes_receiver {
            return;
        }
        match in_out_scalar(self.f) {
            Some(scalar) => {
                w.line(format!("*p_recv = C.{}(x_recv)", scalar.c));
            }
            None => {
                let hp = names::go::helper_prefix(&self.opts.module);
                w.line(format!(
                    "if st := {hp}_storeHandle(p_recv, x_recv); st != C.MOCHI_OK {{\n\treturn st\n}}"
                ));
            }
        }
    }

    fn go_type(&mut self, v: &Value) -> Result<String, BindError> {
        let ty = parse_type(&v.go_type).map_err(|e| BindError::Emit {
            symbol: self.f.c_symbol.clone(),
            ty: v.go_type.clone(),
            source: Box::new(EmitError::BadFilePart {
                what: "type string",
                why: if e.offset == 0 {
                    "unparseable"
                } else {
                    "unparseable past its start"
                },
            }),
        })?;
        self.emit(&ty, &v.go_type)
    }

    fn emit(&mut self, ty: &GoType, text: &str) -> Result<String, BindError> {
        emit_type(ty, self.ctx, self.imports).map_err(|source| BindError::Emit {
            symbol: self.f.c_symbol.clone(),
            ty: text.to_string(),
            source: Box::new(source),
        })
    }

    /// `x_<name>` from the C parameter(s) `p_<name>`.
    fn convert_in(&mut self, w: &mut GoWriter, v: &Value) -> Result<(), BindError> {
        let m = self.opts.module.clone();
        let hp = names::go::helper_prefix(&self.opts.module);
        let n = &v.name;
        let t = self.go_type(v)?;
        let check = "if st != C.MOCHI_OK {\n\treturn st\n}";
        match &v.class {
            Class::Scalar { .. } if self.is_in_out(v) => w.line(format!("x_{n} := {t}(*p_{n})")),
            Class::Scalar { .. } => w.line(format!("x_{n} := {t}(p_{n})")),
            Class::String { .. } => w.line(format!(
                "s_{n}, st := {hp}_goString(p_{n}, p_{n}Len)\n{check}\nx_{n} := {t}(s_{n})"
            )),
            Class::Bytes | Class::ScalarSlice { .. } => {
                let elem = slice_elem(&t);
                w.line(format!(
                    "x_{n}, st := {hp}_goSlice[{elem}](unsafe.Pointer(p_{n}), p_{n}Len)\n{check}"
                ))
            }
            Class::StringSlice => w.line(format!(
                "x_{n}, st := {hp}_goStrings(p_{n}, p_{n}Len)\n{check}"
            )),
            Class::Handle {
                by_pointer: true, ..
            } => {
                let ptr = if t.starts_with('*') {
                    t.clone()
                } else {
                    format!("*{t}")
                };
                w.line(format!(
                    "h_{n}, st := {hp}_fromHandle[{ptr}](p_{n})\n{check}"
                ));
                if t.starts_with('*') || v.name == "recv" {
                    w.line(format!("x_{n} := h_{n}"))
                } else {
                    w.line(format!(
                        "var x_{n} {t}\nif h_{n} != nil {{\n\tx_{n} = *h_{n}\n}}"
                    ))
                }
            }
            Class::Handle { .. } | Class::Func { .. } => {
                w.line(format!("x_{n}, st := {hp}_fromHandle[{t}](p_{n})\n{check}"))
            }
            Class::Chan { base, .. } => {
                let shim = names::chan_prefix(&m, base);
                w.line(format!(
                    "var x_{n} {t}\nif p_{n} != 0 {{\n\tc_{n}, st := {shim}Of(p_{n})\n\
                     \tif st != C.MOCHI_OK {{\n\t\treturn st\n\t}}\n\tx_{n} = c_{n}.ch\n}}"
                ))
            }
        };
        Ok(())
    }

    /// The call (or field access, zero value, variable read), assigning `x_<result>` and `err`.
    fn call(&mut self, w: &mut GoWriter) -> Result<(), BindError> {
        let f = self.f;
        let mut lhs: Vec<String> = f.results.iter().map(|v| format!("x_{}", v.name)).collect();
        if f.returns_error {
            lhs.push("err".into());
        }
        let args: Vec<String> = f
            .params
            .iter()
            .map(|v| {
                if v.variadic {
                    format!("x_{}...", v.name)
                } else {
                    format!("x_{}", v.name)
                }
            })
            .collect();
        let args = args.join(", ");
        // Imported only when a wrapper names the package itself: a package whose every symbol
        // was skipped must not be imported (an unused import does not compile).
        let pkg = match f.kind {
            FuncKind::Func | FuncKind::Var => self
                .imports
                .add_with_name(&self.pkg.import_path, &self.pkg.go_name)
                .map_err(|e| BindError::File(Box::new(e)))?,
            _ => String::new(),
        };
        let targs = self.type_args()?;
        let expr = match f.kind {
            FuncKind::Func => format!("{pkg}.{}{targs}({args})", f.go_name),
            FuncKind::Method => format!("x_recv.{}({args})", f.go_name),
            FuncKind::Getter => self.addressed(&f.results[0], format!("x_recv.{}", f.go_name)),
            FuncKind::Var => self.addressed(&f.results[0], format!("{pkg}.{}", f.go_name)),
            FuncKind::Setter => {
                w.line(format!("x_recv.{} = x_v", f.go_name));
                return Ok(());
            }
            FuncKind::Zero => {
                let t = self.go_type(&f.results[0])?;
                match t.strip_prefix('*') {
                    Some(inner) => format!("new({inner})"),
                    None => {
                        w.line(format!("var x_r0 {t}"));
                        return Ok(());
                    }
                }
            }
        };
        if lhs.is_empty() {
            w.line(expr);
        } else {
            w.line(format!("{} := {expr}", lhs.join(", ")));
        }
        self.write_back_receiver(w);
        if f.returns_error {
            let hp = names::go::helper_prefix(&self.opts.module);
            w.block("if err != nil", |w| {
                w.line(format!("return {hp}_errorStatus(err, msg)"));
            });
        }
        Ok(())
    }

    /// `[T1, T2]` for an instantiated generic function, else empty.
    fn type_args(&mut self) -> Result<String, BindError> {
        if self.f.type_args.is_empty() {
            return Ok(String::new());
        }
        let mut out = Vec::new();
        for a in &self.f.type_args.clone() {
            let t = parse_type(a).map_err(|_| BindError::Emit {
                symbol: self.f.c_symbol.clone(),
                ty: a.clone(),
                source: Box::new(EmitError::BadFilePart {
                    what: "type argument",
                    why: "unparseable",
                }),
            })?;
            out.push(self.emit(&t, a)?);
        }
        Ok(format!("[{}]", out.join(", ")))
    }

    /// A field or variable of a bound struct type is handed out by address (`&x.F`): the handle
    /// then refers to the Go value itself, and no lock inside it is copied.
    fn addressed(&self, v: &Value, expr: String) -> String {
        match &v.class {
            Class::Handle {
                by_pointer: true, ..
            } if !v.go_type.starts_with('*') => format!("&{expr}"),
            _ => expr,
        }
    }

    /// Handles first, all acquired before any is checked (a failure releases the others, and
    /// every result is used on every path, as `go vet`'s lostcancel wants), then copies.
    fn convert_results(&mut self, w: &mut GoWriter) -> Result<(), BindError> {
        let f = self.f;
        let (handles, copies): (Vec<&Value>, Vec<&Value>) = f.results.iter().partition(|v| {
            matches!(
                v.class,
                Class::Handle { .. } | Class::Func { .. } | Class::Chan { .. }
            )
        });
        if !handles.is_empty() {
            for v in &handles {
                self.handle_out(w, v)?;
            }
            let hp = names::go::helper_prefix(&self.opts.module);
            let list = |p: &str| {
                handles
                    .iter()
                    .map(|v| format!("{p}_{}", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            w.block(
                format!(
                    "if st = {hp}_handlesOK([]C.mochi_status{{{}}}, []C.uint64_t{{{}}}); st != C.MOCHI_OK",
                    list("s"),
                    list("h")
                ),
                |w| {
                    w.line("return st");
                },
            );
            for v in &handles {
                w.line(format!("*p_{0} = h_{0}", v.name));
            }
        }
        for v in copies {
            self.copy_out(w, v)?;
        }
        Ok(())
    }

    /// `h_<name>, s_<name> :=` the result's new handle ID and status.
    fn handle_out(&mut self, w: &mut GoWriter, v: &Value) -> Result<(), BindError> {
        let m = self.opts.module.clone();
        let hp = names::go::helper_prefix(&self.opts.module);
        let n = &v.name;
        let by_value_struct = matches!(
            v.class,
            Class::Handle {
                by_pointer: true,
                ..
            }
        ) && !v.go_type.starts_with('*')
            && self.f.kind != FuncKind::Getter
            && self.f.kind != FuncKind::Var;
        let expr = match &v.class {
            Class::Chan { base, dir, elem } => {
                let elem_t = self.emit(&parse_type(elem).expect("planned element"), elem)?;
                let shim = names::chan_prefix(&m, base);
                let helper = match *dir {
                    "both" => "bothHandle",
                    "recv" => "recvHandle",
                    _ => "sendHandle",
                };
                format!(
                    "{hp}_{helper}(x_{n}, func(ch chan {elem_t}) any {{ return &{shim}{{ch: ch}} }})"
                )
            }
            _ if by_value_struct => format!("{hp}_toHandle(&x_{n})"),
            _ => format!("{hp}_toHandle(x_{n})"),
        };
        w.line(format!("h_{n}, s_{n} := {expr}"));
        Ok(())
    }

    fn copy_out(&mut self, w: &mut GoWriter, v: &Value) -> Result<(), BindError> {
        let hp = names::go::helper_prefix(&self.opts.module);
        let n = &v.name;
        match &v.class {
            Class::Scalar { scalar, .. } => w.line(format!("*p_{n} = C.{}(x_{n})", scalar.c)),
            Class::String { .. } => w.line(format!(
                "*p_{n} = {hp}_cString(string(x_{n}))\n*p_{n}Len = C.size_t(len(x_{n}))"
            )),
            Class::Bytes => w.line(format!(
                "d_{n}, l_{n} := {hp}_cSlice(x_{n})\n*p_{n} = (*C.uint8_t)(d_{n})\n*p_{n}Len = l_{n}"
            )),
            Class::ScalarSlice { scalar } => w.line(format!(
                "d_{n}, l_{n} := {hp}_cSlice(x_{n})\n*p_{n} = (*C.{})(d_{n})\n*p_{n}Len = l_{n}",
                scalar.c
            )),
            Class::StringSlice => w.line(format!(
                "*p_{n}, *p_{n}Len = {hp}_cStrings(x_{n})"
            )),
            _ => w,
        };
        Ok(())
    }
}

fn kind_text(k: FuncKind) -> &'static str {
    match k {
        FuncKind::Func => "function",
        FuncKind::Method => "method",
        FuncKind::Getter => "field getter",
        FuncKind::Setter => "field setter",
        FuncKind::Zero => "zero value",
        FuncKind::Var => "variable",
    }
}

/// The element type of an emitted slice type (`[]int64` → `int64`).
fn slice_elem(t: &str) -> &str {
    t.strip_prefix("[]").unwrap_or(t)
}

fn has_len(c: &Class) -> bool {
    matches!(
        c,
        Class::String { .. } | Class::Bytes | Class::ScalarSlice { .. } | Class::StringSlice
    )
}

/// The C parameter(s) of an input value.
fn c_in(v: &Value) -> String {
    let n = &v.name;
    match &v.class {
        Class::Scalar { scalar, .. } => format!("p_{n} C.{}", scalar.c),
        Class::String { .. } => format!("p_{n} *C.char, p_{n}Len C.size_t"),
        Class::Bytes => format!("p_{n} *C.uint8_t, p_{n}Len C.size_t"),
        Class::ScalarSlice { scalar } => format!("p_{n} *C.{}, p_{n}Len C.size_t", scalar.c),
        Class::StringSlice => format!("p_{n} *C.mochi_bytes, p_{n}Len C.size_t"),
        _ => format!("p_{n} C.uint64_t"),
    }
}

/// The scalar of a receiver that crosses as an in/out pointer (a pointer-receiver method of a
/// named basic type), else `None`.
fn in_out_scalar(f: &BoundFunc) -> Option<ScalarKind> {
    match f.receiver.as_ref().map(|r| &r.class) {
        Some(Class::Scalar { scalar, .. }) if f.writes_receiver => Some(*scalar),
        _ => None,
    }
}

/// The C out-parameter(s) of a result.
fn c_out(v: &Value) -> String {
    let n = &v.name;
    match &v.class {
        Class::Scalar { scalar, .. } => format!("p_{n} *C.{}", scalar.c),
        Class::String { .. } => format!("p_{n} **C.char, p_{n}Len *C.size_t"),
        Class::Bytes => format!("p_{n} **C.uint8_t, p_{n}Len *C.size_t"),
        Class::ScalarSlice { scalar } => format!("p_{n} **C.{}, p_{n}Len *C.size_t", scalar.c),
        Class::StringSlice => format!("p_{n} **C.mochi_bytes, p_{n}Len *C.size_t"),
        _ => format!("p_{n} *C.uint64_t"),
    }
}
