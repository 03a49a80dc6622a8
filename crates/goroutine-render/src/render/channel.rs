//! One channel shim: `mochi_<module>_<base>_chan_*`.

use super::*;

/// Renders one channel shim's declarations (a fragment: [`render_shim_file`] adds the module
/// helpers and `select` it relies on), recording the imports its element type needs.
pub fn render_channel_shim(
    shim: &ChannelShim,
    ctx: &EmitContext<'_>,
    imports: &mut ImportSet,
) -> Result<String, RenderError> {
    check_c_ident("module", &shim.module)?;
    check_c_ident("base", &shim.base)?;
    let symbol = shim.prefix();
    if shim.buffer > MAX_BUFFER {
        return Err(RenderError::Buffer {
            symbol,
            buffer: shim.buffer,
            max: MAX_BUFFER,
        });
    }
    let cr = crossing(&shim.elem).map_err(|e| RenderError::Contract {
        symbol: symbol.clone(),
        source: e,
    })?;
    let elem_comment = comment_type(&symbol, &shim.elem)?;
    let elem = emit_type(&shim.elem, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
    let chan_ty = GoType::Chan {
        dir: ChanDir::Both,
        elem: Box::new(shim.elem.clone()),
    };
    let chan = emit_type(&chan_ty, ctx, imports).map_err(|e| emit_err(&symbol, e))?;
    let reflect = std_import(imports, "reflect")?;
    let unsafe_ = std_import(imports, "unsafe")?;
    let m = shim.module.as_str();
    let slot = Slot { cr, ty: &elem, m };
    let buf = shim.buffer.to_string();
    let in_check = slot.in_check("v");
    let in_conv = slot.in_conv("x", "v", "");
    let out_store = slot.out_store("x", "out");
    let sel_read = slot.select_read(&reflect);
    let sel_store = slot.select_store();
    let text = fill(
        CHANNEL_TPL,
        &[
            ("in_check", &in_check),
            ("in_convert", &in_conv),
            ("out_store", &out_store),
            ("select_read", &sel_read),
            ("select_store", &sel_store),
            ("prefix", &names::go::helper_prefix(m)),
            ("base", &shim.base),
            ("elem_type", &elem),
            ("elem_comment", &elem_comment),
            ("chan_type", &chan),
            ("default_buffer", &buf),
            ("in_params", &slot.in_params("v")),
            ("out_params", &slot.out_params("out")),
            ("out_nil_check", &slot.out_nil("out")),
            ("reflect_pkg", &reflect),
            ("unsafe_pkg", &unsafe_),
        ],
    )
    .map_err(template_err("channel shim"))?;
    Ok(text)
}
