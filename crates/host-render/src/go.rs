//! The Go side of host callbacks: a cgo file with one trampoline per [`HostCallback`].

use crate::model::{
    HostCallback, HostError, HostFile, Kind, callback_kind, check_c_ident, split_error,
};
use apisurface::{EmitContext, GoFile, GoType, GoWriter, ImportSet, emit_type};
use goroutine_render::{BUILD_TAG, DEFAULT_PACKAGE, preamble};
use std::collections::BTreeSet;

/// Bytes of a host panic message Go keeps (longer messages are cut at a UTF-8 boundary).
pub const HOST_MSG_CAP: usize = 256;

/// Renders the Go file of `file`'s host callbacks (`mochi_<module>_host.go`, same package and
/// build tag as the shim file; the runtime and shim file must be in the package too).
///
/// Per callback `B` with Go type `func(P...) R` it declares, in the cgo preamble, the C function
/// pointer type `mochi_M_B_host_fn` (`mochi_status (uint64_t host_id, P-in..., R *r0, char *msg,
/// size_t msg_cap, size_t *msg_len)`), `mochi_M_B_host_drop_fn` (`void (uint64_t host_id)`) and
/// static inline helpers that call them; and exports
///
/// * `mochi_M_B_host_new(call, drop, host_id, uint64_t *out)`: puts a Go `func(P...) R` that calls
///   `call(host_id, ...)` into the handle table and writes its ID;
/// * `mochi_M_B_host_release(id)`: releases that ID and calls `drop(host_id)` once.
///
/// A Go value parameter crosses as a new ID the host closure owns; a last `error` result is
/// the host's `MOCHI_GO_ERROR` with its text (see `docs/c-boundary.md`). Any other non-OK
/// status from the host (a caught Rust panic, a released closure) becomes a Go panic whose
/// message names the callback and carries the host's message: Go code that calls the func sees
/// it like any panicking func (the shims' guards turn it into `MOCHI_PANIC`).
pub fn render_host_go(file: &HostFile, ctx: &EmitContext<'_>) -> Result<String, HostError> {
    let m = file.shims.module.as_str();
    check_c_ident("module", m)?;
    let package = if file.shims.package.is_empty() {
        DEFAULT_PACKAGE
    } else {
        file.shims.package.as_str()
    };
    let mut imports = ImportSet::new();
    for h in &file.host_callbacks {
        if h.module != m {
            return Err(HostError::ModuleMismatch {
                symbol: h.prefix(),
                expected: m.to_string(),
                found: h.module.clone(),
            });
        }
        check_c_ident("base", &h.base)?;
        let p = h.prefix();
        for s in [
            format!("{p}Rec"),
            format!("{p}s"),
            format!("{p}_new"),
            format!("{p}_release"),
        ] {
            imports.reserve(&s);
        }
    }
    for n in [
        "r", "res", "st", "id", "out", "f", "v", "ok", "call", "drop", "msg", "n", "sym", "h",
        "text",
    ] {
        imports.reserve(n);
    }
    for h in [
        "hostFailure",
        "hostArg",
        "hostError",
        "hostText",
        "hostValue",
        "hostStruct",
        "hostBytes",
    ] {
        imports.reserve(&apisurface::names::go::helper(m, h));
    }
    imports.reserve("zero");
    for i in 0..16 {
        imports.reserve(&format!("x{i}"));
    }
    let sync = if file.host_callbacks.is_empty() {
        String::new()
    } else {
        imports.add("sync").map_err(|e| emit_err("file", e))?
    };
    let unsafe_ = imports.add("unsafe").map_err(|e| emit_err("file", e))?;
    let fmt = imports.add("fmt").map_err(|e| emit_err("file", e))?;
    let errors = imports.add("errors").map_err(|e| emit_err("file", e))?;

    let mut c = preamble();
    c.push_str("#include <string.h>\n");
    let mut w = GoWriter::new();
    let hf = apisurface::names::go::helper(m, "hostFailure");
    w.comment(&format!(
        "{hf} is the panic message of a host callback that did not return\nMOCHI_OK; it frees msg (C memory the invoke helper allocated, or NULL)."
    ));
    w.block(
        format!("func {hf}(sym string, st C.mochi_status, msg *C.char, n C.size_t) string"),
        |w| {
            w.line(format!(
                "text := {}(msg, n)",
                apisurface::names::go::helper(m, "hostText")
            ));
            w.block("if st == C.MOCHI_PANIC", |w| {
                w.line(format!(
                    "return {fmt}.Sprintf(\"%s: the host callback panicked: %s\", sym, text)"
                ));
            });
            w.line(format!(
                "return {fmt}.Sprintf(\"%s: the host callback returned status %d\", sym, int(st))"
            ));
        },
    );
    write_value_helpers(&mut w, m, &unsafe_, &errors, &fmt);
    let boxed = crate::rust::bound_struct_values(&file.bound);
    let fc = FileCtx {
        m,
        sync: &sync,
        boxed: &boxed,
    };
    for h in &file.host_callbacks {
        render_one(h, &fc, ctx, &mut imports, &mut c, &mut w)?;
    }
    let body = w.finish();
    GoFile::new(package)
        .build_tag(BUILD_TAG)
        .cgo_preamble(c)
        .imports(imports)
        .body(body)
        .render()
        .map_err(|e| emit_err("file", e))
}

/// `hostArg` (a Go value crossing into a host closure gets an ID the closure owns) and
/// `hostError` (a host closure's error text becomes a Go `error`).
fn write_value_helpers(w: &mut GoWriter, m: &str, unsafe_: &str, errors: &str, fmt: &str) {
    let arg = apisurface::names::go::helper(m, "hostArg");
    let err = apisurface::names::go::helper(m, "hostError");
    let text = apisurface::names::go::helper(m, "hostText");
    w.blank();
    w.comment(&format!(
        "{text} copies n bytes of C memory at p (a host string or message) into a Go string\n\
         and frees p; NULL is the empty string."
    ));
    w.block(format!("func {text}(p *C.char, n C.size_t) string"), |w| {
        w.block("if p == nil", |w| {
            w.line("return \"\"");
        });
        w.line(format!(
            "s := string({unsafe_}.Slice((*byte)({unsafe_}.Pointer(p)), int(n)))"
        ));
        w.line(format!("C.free({unsafe_}.Pointer(p))"));
        w.line("return s");
    });
    let bytes = apisurface::names::go::helper(m, "hostBytes");
    w.blank();
    w.comment(&format!(
        "{bytes} copies n bytes of C memory at p (a host closure's []byte result) into a Go\n\
         slice and frees p; NULL (what an empty result is written as) is nil."
    ));
    w.block(format!("func {bytes}(p *C.char, n C.size_t) []byte"), |w| {
        w.block("if p == nil", |w| {
            w.line("return nil");
        });
        w.line("b := make([]byte, int(n))");
        w.line(format!(
            "copy(b, {unsafe_}.Slice((*byte)({unsafe_}.Pointer(p)), int(n)))"
        ));
        w.line(format!("C.free({unsafe_}.Pointer(p))"));
        w.line("return b");
    });
    w.blank();
    w.comment(&format!(
        "{arg} gives a Go value passed to a host closure an ID the closure owns (0 for a nil\n\
         interface). When the handle table is full the host closure cannot be called: it panics."
    ));
    w.block(format!("func {arg}(v any) C.uint64_t"), |w| {
        w.block("if v == nil", |w| {
            w.line("return 0");
        });
        w.line(format!("id := {}(v)", apisurface::names::go::ACQUIRE));
        w.block("if id == 0", |w| {
            w.line("panic(\"gobridge: the handle table is full: a Go value cannot be passed to a host closure\")");
        });
        w.line("return C.uint64_t(id)");
    });
    w.blank();
    w.comment(&format!(
        "{err} is the error a host closure returned (status MOCHI_GO_ERROR): its text, which\n\
         it frees (C memory the invoke helper allocated, or NULL for an empty text)."
    ));
    w.block(format!("func {err}(msg *C.char, n C.size_t) error"), |w| {
        w.line(format!("return {errors}.New({text}(msg, n))"));
    });
    let value = apisurface::names::go::helper(m, "hostValue");
    w.blank();
    w.comment(&format!(
        "{value} is the Go value a host closure returned as an ID the host gave up: resolved\n\
         and released (ID 0 is T's zero value). An unknown ID or a value of another type panics."
    ));
    w.block(format!("func {value}[T any](id C.uint64_t) T"), |w| {
        w.line("var zero T");
        w.block("if id == 0", |w| {
            w.line("return zero");
        });
        w.line(format!("v, ok := {}(uint64(id))", apisurface::names::go::RESOLVE));
        w.line(format!("{}(uint64(id))", apisurface::names::go::RELEASE));
        w.block("if !ok", |w| {
            w.line("panic(\"gobridge: a host closure returned an unknown handle\")");
        });
        w.line("x, ok := v.(T)");
        w.block("if !ok", |w| {
            w.line(format!(
                "panic({fmt}.Sprintf(\"gobridge: a host closure returned a %T where a %T is wanted\", v, zero))"
            ));
        });
        w.line("return x");
    });
    let st = apisurface::names::go::helper(m, "hostStruct");
    w.blank();
    w.comment(&format!(
        "{st} is a struct value a host closure returned: its typed Rust value holds a *T, which\n\
         is copied out (ID 0 is T's zero value; a nil *T panics, as dereferencing it would)."
    ));
    w.block(format!("func {st}[T any](id C.uint64_t) T"), |w| {
        w.line(format!("p := {value}[*T](id)"));
        w.block("if p != nil", |w| {
            w.line("return *p");
        });
        w.line("var zero T");
        w.block("if id != 0", |w| {
            w.line(format!(
                "panic({fmt}.Sprintf(\"gobridge: a host closure returned a nil *%T where a %T is wanted\", zero, zero))"
            ));
        });
        w.line("return zero");
    });
}

/// What every callback of one host file shares.
struct FileCtx<'a> {
    /// The module's flat name.
    m: &'a str,
    /// The local name of the `sync` import.
    sync: &'a str,
    /// Go types of bound structs by value (`log/slog.Attr`): their Rust type holds a `*T`, so
    /// such a value crosses a host closure as a pointer to a copy (see `bound_struct_values`).
    boxed: &'a BTreeSet<String>,
}

fn render_one(
    h: &HostCallback,
    fc: &FileCtx<'_>,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
    c: &mut String,
    w: &mut GoWriter,
) -> Result<(), HostError> {
    let (m, sync) = (fc.m, fc.sync);
    let l = Lowered::new(h, ctx, imports, fc.boxed)?;
    write_c_helpers(c, &l);
    write_record(w, &l, m, sync);
    write_new(w, &l);
    write_release(w, &l.p);
    Ok(())
}

/// One host callback lowered to its C and Go parameter lists.
struct Lowered {
    /// The symbol prefix (`mochi_<M>_<B>_host`).
    p: String,
    /// C parameters of the host's function (after `host_id`), and the invoke helper's arguments.
    c_params: Vec<String>,
    c_args: Vec<String>,
    /// Go parameters of `call` and the invoke helper's Go arguments.
    go_params: Vec<String>,
    go_args: Vec<String>,
    /// The result's C type and Go type, if any (`char *` for a string).
    result: Option<(&'static str, String)>,
    string_result: bool,
    /// That string-shaped result is a `[]byte` (`hostBytes`).
    bytes_result: bool,
    /// The result is a Go value the host returns as an ID.
    handle_result: bool,
    /// That value is a bound struct by value: the ID holds a `*T` (`hostStruct`).
    struct_result: bool,
    /// The Go func's last result is `error` (the host reports one with `MOCHI_GO_ERROR`).
    error_result: bool,
    /// The Go func type (parameter names dropped).
    func_ty: String,
}

impl Lowered {
    fn new(
        h: &HostCallback,
        ctx: &EmitContext<'_>,
        imports: &mut ImportSet,
        boxed: &BTreeSet<String>,
    ) -> Result<Lowered, HostError> {
        let p = h.prefix();
        let unsupported = |what: String| HostError::Unsupported {
            symbol: p.clone(),
            what,
        };
        if !h.sig.type_params.is_empty() || h.sig.is_variadic() {
            return Err(unsupported(
                "a host callback cannot be generic or variadic".into(),
            ));
        }
        if h.sig.params.len() > 16 {
            return Err(unsupported("more than 16 parameters".into()));
        }
        // C side.
        let mut c_params = vec!["uint64_t host_id".to_string()];
        let mut c_args = vec!["host_id".to_string()];
        let mut go_params = Vec::new();
        let mut go_args = vec!["r.hostFn".to_string(), "r.hostID".to_string()];
        for (i, prm) in h.sig.params.iter().enumerate() {
            let ty = emit_type(&prm.ty, ctx, imports).map_err(|e| emit_err(&p, e))?;
            go_params.push(format!("x{i} {ty}"));
            let (k, is_bytes) = callback_kind(&p, &prm.ty)?;
            match k {
                Kind::Scalar { c: ct, .. } => {
                    c_params.push(format!("{ct} a{i}"));
                    c_args.push(format!("a{i}"));
                    go_args.push(format!("C.{ct}(x{i})"));
                }
                Kind::Str => {
                    c_params.push(format!("char *a{i}"));
                    c_params.push(format!("size_t a{i}_len"));
                    c_args.push(format!("a{i}"));
                    c_args.push(format!("a{i}_len"));
                    // A `[]byte` crosses the same way, its backing array borrowed for the call.
                    let data = if is_bytes { "SliceData" } else { "StringData" };
                    go_args.push(format!("(*C.char)(unsafe.Pointer(unsafe.{data}(x{i})))"));
                    go_args.push(format!("C.size_t(len(x{i}))"));
                }
                Kind::Handle => {
                    // The closure gets its own ID of the value (a `GoValue` it owns); a bound
                    // struct's value goes as a pointer to the parameter (a copy already), which
                    // is what its Rust type holds.
                    c_params.push(format!("uint64_t a{i}"));
                    c_args.push(format!("a{i}"));
                    let amp = if boxed.contains(&prm.ty.to_string()) {
                        "&"
                    } else {
                        ""
                    };
                    go_args.push(format!(
                        "{}({amp}x{i})",
                        apisurface::names::go::helper(&h.module, "hostArg")
                    ));
                }
            }
        }
        let (values, error_result) = split_error(&h.sig.results);
        // The result's C and Go types, its kind, and whether it is a `[]byte` or a bound
        // struct by value (each read back by its own helper in `call`).
        let (result, result_kind, bytes_result, struct_result) = match values {
            [] => (None, None, false, false),
            [r] => {
                let (k, is_bytes) = callback_kind(&p, &r.ty)?;
                let ct = match &k {
                    Kind::Scalar { c, .. } => *c,
                    // The host writes malloc'd bytes (`char *r0`, `size_t r0_len`).
                    Kind::Str => "char *",
                    // Any other Go value: the host hands over an ID Go resolves and releases.
                    Kind::Handle => "uint64_t",
                };
                let boxed = k == Kind::Handle && boxed.contains(&r.ty.to_string());
                let t = emit_type(&r.ty, ctx, imports).map_err(|e| emit_err(&p, e))?;
                (Some((ct, t)), Some(k), is_bytes, boxed)
            }
            _ => {
                return Err(unsupported(
                    "host callbacks return at most one value (and a last `error`)".into(),
                ));
            }
        };
        let handle_result = result_kind == Some(Kind::Handle);
        let string_result = result_kind == Some(Kind::Str);
        let mut unnamed = h.sig.clone();
        unnamed.strip_param_names();
        let func_ty =
            emit_type(&GoType::Func(unnamed), ctx, imports).map_err(|e| emit_err(&p, e))?;
        let unsafe_ = imports.local_name("unsafe").unwrap_or("unsafe").to_string();
        let go_args: Vec<String> = go_args
            .into_iter()
            .map(|a| a.replace("unsafe.", &format!("{unsafe_}.")))
            .collect();
        Ok(Lowered {
            p,
            c_params,
            c_args,
            go_params,
            go_args,
            result,
            string_result,
            bytes_result,
            struct_result,
            handle_result,
            error_result,
            func_ty,
        })
    }
}

/// The C side: the host function and drop typedefs, the result struct, the static inline
/// invoke and drop helpers (the message buffer lives on the C stack; only a failed call copies
/// it to the heap).
fn write_c_helpers(c: &mut String, l: &Lowered) {
    let (p, c_params, c_args, result, string_result) =
        (&l.p, &l.c_params, &l.c_args, &l.result, l.string_result);
    let mut fn_params = c_params.clone();
    if string_result {
        fn_params.push("char **r0".to_string());
        fn_params.push("size_t *r0_len".to_string());
    } else if let Some((ct, _)) = &result {
        fn_params.push(format!("{ct} *r0"));
    }
    fn_params.extend([
        "char *msg".to_string(),
        "size_t msg_cap".to_string(),
        "size_t *msg_len".to_string(),
    ]);
    c.push_str(&format!(
        "\n// Host callback {p}: the host's trampoline and release function.\n"
    ));
    c.push_str(&format!(
        "typedef mochi_status (*{p}_fn)({});\n",
        fn_params.join(", ")
    ));
    c.push_str(&format!("typedef void (*{p}_drop_fn)(uint64_t host_id);\n"));
    c.push_str(&format!("typedef struct {p}_ret {{\n\tmochi_status st;\n"));
    if string_result {
        c.push_str("\tchar *r0;\n\tsize_t r0_len;\n");
    } else if let Some((ct, _)) = &result {
        c.push_str(&format!("\t{ct} r0;\n"));
    }
    c.push_str(&format!("\tchar *msg;\n\tsize_t msg_len;\n}} {p}_ret;\n"));
    let mut inv_params = vec![format!("{p}_fn f")];
    inv_params.extend(c_params.iter().cloned());
    let mut call_args = c_args.clone();
    if result.is_some() {
        call_args.push("&r.r0".into());
    }
    if string_result {
        call_args.push("&r.r0_len".into());
    }
    call_args.extend(["msg".into(), "sizeof msg".into(), "&n".into()]);
    // The message buffer lives on the C stack; only a failed call copies it to the heap, so
    // the struct Go gets back stays small.
    c.push_str(&format!(
        "static inline {p}_ret {p}_invoke({}) {{\n\t{p}_ret r;\n\tchar msg[{HOST_MSG_CAP}];\n\tsize_t n = 0;\n\tr.msg = NULL;\n\tr.msg_len = 0;\n",
        inv_params.join(", ")
    ));
    if string_result {
        c.push_str("\tr.r0 = NULL;\n\tr.r0_len = 0;\n");
    } else if result.is_some() {
        c.push_str("\tr.r0 = 0;\n");
    }
    c.push_str(&format!(
        "\tr.st = f({});\n\tif (r.st != MOCHI_OK && n > 0 && n <= sizeof msg) {{\n\t\tr.msg = malloc(n);\n\t\tif (r.msg != NULL) {{\n\t\t\tmemcpy(r.msg, msg, n);\n\t\t\tr.msg_len = n;\n\t\t}}\n\t}}\n\treturn r;\n}}\n",
        call_args.join(", ")
    ));
    c.push_str(&format!(
        "static inline void {p}_drop({p}_drop_fn f, uint64_t host_id) {{\n\tf(host_id);\n}}\n"
    ));
}

/// The Go record of a host closure, its map, and `call` (a non-OK status becomes a Go panic).
fn write_record(w: &mut GoWriter, l: &Lowered, m: &str, sync: &str) {
    let (p, func_ty, go_params, result, string_result) =
        (&l.p, &l.func_ty, &l.go_params, &l.result, l.string_result);
    let go_args = &l.go_args;
    w.blank();
    w.comment(&format!(
        "{p}Rec is a host closure of Go type {func_ty}, reached through C function pointers."
    ));
    w.block(format!("type {p}Rec struct"), |w| {
        w.line(format!("hostFn C.{p}_fn"));
        w.line(format!("dropFn C.{p}_drop_fn"));
        w.line("hostID C.uint64_t");
    });
    w.blank();
    w.comment(&format!(
        "{p}s maps the handle ID of each live host func of this kind to its record."
    ));
    w.line(format!("var {p}s {sync}.Map"));
    w.blank();
    w.comment("call runs the host closure; a status other than MOCHI_OK becomes a Go panic.");
    let ret = match (result, l.error_result) {
        (Some((_, t)), true) => format!(" ({t}, error)"),
        (Some((_, t)), false) => format!(" {t}"),
        (None, true) => " error".to_string(),
        (None, false) => String::new(),
    };
    // With an `error` result every value return carries a nil error after it.
    let nil_err = if l.error_result { ", nil" } else { "" };
    w.block(
        format!("func (r *{p}Rec) call({}){ret}", go_params.join(", ")),
        |w| {
            w.line(format!("res := C.{p}_invoke({})", go_args.join(", ")));
            if l.error_result {
                let he = apisurface::names::go::helper(m, "hostError");
                w.block("if res.st == C.MOCHI_GO_ERROR", |w| match result {
                    Some((_, t)) => {
                        w.line(format!("var zero {t}"));
                        w.line(format!("return zero, {he}(res.msg, res.msg_len)"));
                    }
                    None => {
                        w.line(format!("return {he}(res.msg, res.msg_len)"));
                    }
                });
            }
            w.block("if res.st != C.MOCHI_OK", |w| {
                w.line(format!(
                    "panic({}(\"{p}\", res.st, res.msg, res.msg_len))",
                    apisurface::names::go::helper(m, "hostFailure")
                ));
            });
            if l.bytes_result {
                let bytes = apisurface::names::go::helper(m, "hostBytes");
                w.line(format!("return {bytes}(res.r0, res.r0_len){nil_err}"));
            } else if string_result {
                let (_, t) = result.as_ref().expect("a string result");
                let text = apisurface::names::go::helper(m, "hostText");
                w.line(format!("return {t}({text}(res.r0, res.r0_len)){nil_err}"));
            } else if let (Some((_, t)), true) = (&result, l.handle_result) {
                let helper = if l.struct_result {
                    "hostStruct"
                } else {
                    "hostValue"
                };
                let value = apisurface::names::go::helper(m, helper);
                w.line(format!("return {value}[{t}](res.r0){nil_err}"));
            } else if let Some((_, t)) = &result {
                w.line(format!("return {t}(res.r0){nil_err}"));
            } else if l.error_result {
                w.line("return nil");
            }
        },
    );
}

/// `<p>_new`: stores a Go func that calls the host closure.
fn write_new(w: &mut GoWriter, l: &Lowered) {
    let (p, func_ty) = (&l.p, &l.func_ty);
    w.blank();
    w.comment(&format!(
        "{p}_new puts a Go {func_ty} that calls the host closure host_id through call into the\n\
         handle table and writes its ID to *out. Releasing the ID calls drop(host_id) once."
    ));
    w.line("//");
    w.line(format!("//export {p}_new"));
    w.block(
        format!(
            "func {p}_new(call C.{p}_fn, drop C.{p}_drop_fn, id C.uint64_t, out *C.uint64_t) C.mochi_status"
        ),
        |w| {
            w.block("if call == nil || drop == nil || out == nil", |w| {
                w.line("return C.MOCHI_BAD_ARG");
            });
            w.line(format!("r := &{p}Rec{{hostFn: call, dropFn: drop, hostID: id}}"));
            w.line(format!("var f {func_ty} = r.call"));
            w.line("h := mochiAcquireHandle(f)");
            w.block("if h == 0", |w| {
                w.line("return C.MOCHI_EXHAUSTED");
            });
            w.line(format!("{p}s.Store(h, r)"));
            w.line("*out = C.uint64_t(h)");
            w.line("return C.MOCHI_OK");
        },
    );
}

/// `<p>_release`: releases the Go func and drops the host closure once.
fn write_release(w: &mut GoWriter, p: &str) {
    w.blank();
    w.comment(&format!(
        "{p}_release releases a host func ID of this kind and tells the host to drop its closure.\n\
         A func value Go code kept still exists; calling it then panics."
    ));
    w.line("//");
    w.line(format!("//export {p}_release"));
    w.block(
        format!("func {p}_release(id C.uint64_t) C.mochi_status"),
        |w| {
            w.line(format!("v, ok := {p}s.LoadAndDelete(uint64(id))"));
            w.block("if !ok", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.line("mochiReleaseHandle(uint64(id))");
            w.line(format!("r := v.(*{p}Rec)"));
            w.line(format!("C.{p}_drop(r.dropFn, r.hostID)"));
            w.line("return C.MOCHI_OK");
        },
    );
}

fn emit_err(symbol: &str, e: apisurface::EmitError) -> HostError {
    HostError::Emit {
        symbol: symbol.to_string(),
        source: e,
    }
}
