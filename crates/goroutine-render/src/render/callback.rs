//! One callback shim: `mochi_<module>_<base>_cb_{call,release}`.

use super::*;

/// Renders one callback shim's declarations (a fragment, like [`render_channel_shim`]).
pub fn render_callback_shim(
    shim: &CallbackShim,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, RenderError> {
    check_c_ident("module", &shim.module)?;
    check_c_ident("base", &shim.base)?;
    let symbol = shim.prefix();
    if !shim.sig.type_params.is_empty() {
        return Err(RenderError::GenericCallback { symbol });
    }
    let parts = Lowered::new(shim, &symbol, ctx, imports)?;
    let mut w = apisurface::GoWriter::new();
    write_call(&mut w, &symbol, &shim.module, &parts);
    w.blank();
    write_release(&mut w, &symbol, &parts.func_ty);
    Ok(w.finish())
}

/// A callback signature lowered to its C parameters and the Go text of each step.
struct Lowered {
    /// The func type as emitted (parameter names dropped).
    func_ty: String,
    /// `id C.uint64_t`, the inputs, the out-pointers, `msg *C.mochi_bytes`.
    c_params: Vec<String>,
    /// Argument checks (string data pointers).
    checks: String,
    /// C → Go conversions of the arguments.
    conv: String,
    /// The call's arguments (`x0`, `x1...`).
    call_args: Vec<String>,
    /// Each result's crossing.
    results: Vec<Crossing>,
    /// NULL checks of the out-pointers.
    out_nil: Vec<String>,
}

impl Lowered {
    fn new(
        shim: &CallbackShim,
        symbol: &str,
        ctx: &EmitContext<'_>,
        imports: &mut ImportSet,
    ) -> Result<Lowered, RenderError> {
        let m = shim.module.as_str();
        let contract = |e| RenderError::Contract {
            symbol: symbol.to_string(),
            source: e,
        };
        // Parameter names do not take part in type identity; dropping them keeps them from
        // shadowing an import inside the type literal.
        let mut unnamed = shim.sig.clone();
        for p in unnamed.params.iter_mut().chain(unnamed.results.iter_mut()) {
            p.name = None;
        }
        let func_ty =
            emit_type(&GoType::Func(unnamed), ctx, imports).map_err(|e| emit_err(symbol, e))?;
        let mut l = Lowered {
            func_ty,
            c_params: vec!["id C.uint64_t".to_string()],
            checks: String::new(),
            conv: String::new(),
            call_args: Vec::new(),
            results: Vec::new(),
            out_nil: Vec::new(),
        };
        let n_params = shim.sig.params.len();
        for (i, p) in shim.sig.params.iter().enumerate() {
            let (ty, spread) = match &p.ty {
                GoType::Variadic(elem) if i + 1 == n_params => (GoType::Slice(elem.clone()), true),
                t => (t.clone(), false),
            };
            let cr = crossing(&ty).map_err(contract)?;
            let text = emit_type(&ty, ctx, imports).map_err(|e| emit_err(symbol, e))?;
            let slot = Slot { cr, ty: &text, m };
            let (a, x) = (format!("a{i}"), format!("x{i}"));
            l.c_params.push(slot.in_params(&a));
            l.checks.push_str(&slot.in_check(&a));
            l.conv.push_str(&slot.in_conv(&x, &a, ""));
            l.call_args.push(if spread { format!("{x}...") } else { x });
        }
        for (i, r) in shim.sig.results.iter().enumerate() {
            let cr = crossing(&r.ty).map_err(contract)?;
            let text = emit_type(&r.ty, ctx, imports).map_err(|e| emit_err(symbol, e))?;
            let slot = Slot { cr, ty: &text, m };
            let r = format!("r{i}");
            l.c_params.push(slot.out_params(&r));
            l.out_nil.push(slot.out_nil(&r));
            l.results.push(cr);
        }
        l.c_params.push("msg *C.mochi_bytes".to_string());
        Ok(l)
    }
}

/// `<symbol>_call`: guard, argument checks, the func ID, conversions, the call, the results.
fn write_call(w: &mut apisurface::GoWriter, symbol: &str, m: &str, l: &Lowered) {
    w.comment(&format!(
        "{symbol}_call calls the Go func behind id with the arguments and writes its results\n\
         through the out-pointers. A panic in the func is recovered and reported as MOCHI_PANIC\n\
         with its text in *msg (msg may be NULL); on every other status *msg is {{NULL, 0}}."
    ));
    w.line("//");
    w.line(format!("//export {symbol}_call"));
    w.block(
        format!(
            "func {symbol}_call({}) (st C.mochi_status)",
            l.c_params.join(", ")
        ),
        |w| {
            w.line(format!("defer mochi_{m}_guard(&st, msg)"));
            // Arguments first (out-pointers, string data), then the func ID, then value IDs.
            if !l.out_nil.is_empty() {
                w.block(format!("if {}", l.out_nil.join(" || ")), |w| {
                    w.line("return C.MOCHI_BAD_ARG");
                });
            }
            for line in l.checks.lines() {
                w.line(line);
            }
            write_resolve(w, &l.func_ty, "f");
            w.line(l.conv.trim_end());
            let call = format!("f({})", l.call_args.join(", "));
            if l.results.is_empty() {
                w.line(call);
            } else {
                let ys: Vec<String> = (0..l.results.len()).map(|i| format!("y{i}")).collect();
                w.line(format!("{} := {call}", ys.join(", ")));
            }
            write_results(w, m, &l.results);
            w.line("return C.MOCHI_OK");
        },
    );
}

/// Resolves `id` to a func of exactly `func_ty` named `var`.
fn write_resolve(w: &mut apisurface::GoWriter, func_ty: &str, var: &str) {
    w.line("v, ok := mochiResolveHandle(uint64(id))");
    w.block("if !ok", |w| {
        w.line("return C.MOCHI_UNKNOWN_HANDLE");
    });
    w.line(format!("{var}, ok := v.({func_ty})"));
    w.block("if !ok", |w| {
        w.line("return C.MOCHI_WRONG_KIND");
    });
}

/// Handles first: if one cannot be acquired, the earlier ones are released and nothing is
/// written, so a failed call leaves nothing for C to free; then scalars and strings.
fn write_results(w: &mut apisurface::GoWriter, m: &str, results: &[Crossing]) {
    let mut acquired: Vec<String> = Vec::new();
    for (i, cr) in results.iter().enumerate() {
        if *cr == Crossing::Handle {
            w.line(format!("h{i}, st := mochi_{m}_toHandle(y{i})"));
            w.block("if st != C.MOCHI_OK", |w| {
                for h in &acquired {
                    w.line(format!("mochiReleaseHandle(uint64({h}))"));
                }
                w.line("return st");
            });
            acquired.push(format!("h{i}"));
        }
    }
    for (i, cr) in results.iter().enumerate() {
        match cr {
            Crossing::Scalar(s) => {
                w.line(format!("*r{i} = C.{}(y{i})", s.c));
            }
            Crossing::String => {
                w.line(format!("*r{i} = mochi_{m}_cString(y{i})"));
                w.line(format!("*r{i}Len = C.size_t(len(y{i}))"));
            }
            Crossing::Handle => {
                w.line(format!("*r{i} = h{i}"));
            }
        }
    }
}

/// `<symbol>_release`: releases a func ID of this kind only.
fn write_release(w: &mut apisurface::GoWriter, symbol: &str, func_ty: &str) {
    w.comment(&format!(
        "{symbol}_release releases a func ID of this kind (MOCHI_WRONG_KIND for other IDs)."
    ));
    w.line("//");
    w.line(format!("//export {symbol}_release"));
    w.block(
        format!("func {symbol}_release(id C.uint64_t) C.mochi_status"),
        |w| {
            w.line("v, ok := mochiResolveHandle(uint64(id))");
            w.block("if !ok", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.block(format!("if _, ok := v.({func_ty}); !ok"), |w| {
                w.line("return C.MOCHI_WRONG_KIND");
            });
            w.block("if !mochiReleaseHandle(uint64(id))", |w| {
                w.line("return C.MOCHI_UNKNOWN_HANDLE");
            });
            w.line("return C.MOCHI_OK");
        },
    );
}
