//! The shim file: preamble, module helpers, select, and every shim.

use super::*;

/// Assembles a complete shim file: build tag, generated-code line, package, `import "C"` with the
/// preamble (the `mochi_status` enum and the select-case types), the imports the element types
/// need, the module helpers (`free`, `release`, `live`, `select`) and every
/// shim.
pub fn render_shim_file(file: &ShimFile, ctx: &EmitContext<'_>) -> Result<String, RenderError> {
    let package = package_name(&file.package)?;
    check_c_ident("module", &file.module)?;
    let m = file.module.as_str();
    // Every package-level name this file declares, checked for duplicates and reserved so no
    // import takes it.
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut declare = |name: String| -> Result<(), RenderError> {
        if declared.insert(name.clone()) {
            Ok(())
        } else {
            Err(RenderError::Duplicate { name })
        }
    };
    for s in [
        "setMsg",
        "panicText",
        "errorStatus",
        "guard",
        "goString",
        "cString",
        "fromHandle",
        "toHandle",
        "maxBuffer",
        "maxSelectCases",
        "chanCore",
        "selectable",
        "freer",
    ] {
        declare(names::module_symbol(m, s))?;
    }
    for s in file.module_symbols() {
        declare(s)?;
    }
    for c in &file.channels {
        if c.module != file.module {
            return Err(RenderError::ModuleMismatch {
                expected: file.module.clone(),
                found: c.module.clone(),
            });
        }
        check_c_ident("base", &c.base)?;
        let p = c.prefix();
        declare(p.clone())?;
        declare(format!("{p}Of"))?;
        for s in c.symbols() {
            declare(s)?;
        }
    }
    let mut max_params = 0;
    for c in &file.callbacks {
        if c.module != file.module {
            return Err(RenderError::ModuleMismatch {
                expected: file.module.clone(),
                found: c.module.clone(),
            });
        }
        check_c_ident("base", &c.base)?;
        for s in c.symbols() {
            declare(s)?;
        }
        max_params = max_params.max(c.sig.params.len().max(c.sig.results.len()));
    }
    let mut imports = ImportSet::new();
    for name in declared
        .iter()
        .map(String::as_str)
        .chain(RUNTIME_NAMES)
        .chain(LOCAL_NAMES)
    {
        imports.reserve(name);
    }
    for i in 0..max_params {
        for prefix in ["a", "x", "y", "r", "h"] {
            imports.reserve(&format!("{prefix}{i}"));
        }
        imports.reserve(&format!("a{i}Len"));
        imports.reserve(&format!("r{i}Len"));
    }
    let fmt = std_import(&mut imports, "fmt")?;
    let unsafe_ = std_import(&mut imports, "unsafe")?;
    let mut body = fill(
        MODULE_TPL,
        &[
            ("module", m),
            ("prefix", &names::go::helper_prefix(m)),
            ("fmt_pkg", &fmt),
            ("unsafe_pkg", &unsafe_),
        ],
    )
    .map_err(template_err("module helpers"))?;
    if !file.channels.is_empty() {
        let atomic = std_import(&mut imports, "sync/atomic")?;
        let reflect = std_import(&mut imports, "reflect")?;
        body.push('\n');
        body.push_str(
            &fill(
                SELECT_TPL,
                &[
                    ("module", m),
                    ("prefix", &names::go::helper_prefix(m)),
                    ("atomic_pkg", &atomic),
                    ("unsafe_pkg", &unsafe_),
                    ("reflect_pkg", &reflect),
                ],
            )
            .map_err(template_err("select"))?,
        );
    }
    for c in &file.channels {
        body.push('\n');
        body.push_str(&render_channel_shim(c, ctx, &mut imports)?);
    }
    for c in &file.callbacks {
        body.push('\n');
        body.push_str(&render_callback_shim(c, ctx, &mut imports)?);
    }
    GoFile::new(package)
        .build_tag(BUILD_TAG)
        .cgo_preamble(preamble())
        .imports(imports)
        .body(body)
        .render()
        .map_err(|e| emit_err("file", e))
}

/// The C preamble of a shim file: standard headers, then (guarded, so several shim files can be
/// in one package) the status enum, the select operations and the select-case types.
pub fn preamble() -> String {
    let mut s = String::new();
    s.push_str(
        "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n\n",
    );
    s.push_str("#ifndef MOCHI_BRIDGE_TYPES\n#define MOCHI_BRIDGE_TYPES\n\n");
    s.push_str(&format!(
        "// Status of every gobridge shim call.\ntypedef enum {0} {{\n",
        names::c::STATUS
    ));
    for st in Status::ALL {
        s.push_str(&format!("\t{} = {},\n", st.c_name(), st.value()));
    }
    s.push_str(&format!("}} {};\n\n", names::c::STATUS));
    s.push_str("// Operation of a select case.\nenum {\n\tMOCHI_SELECT_SEND = 1,\n\tMOCHI_SELECT_RECV = 2,\n};\n\n");
    s.push_str(
        "// A string value in a select case: SEND borrows data (copied into Go); RECV gets\n\
         // C-allocated bytes (NUL-terminated) to free with mochi_<module>_free.\n\
         typedef struct mochi_bytes {\n\tchar *data;\n\tsize_t len;\n} mochi_bytes;\n\n",
    );
    s.push_str(
        "// One case of mochi_<module>_select. value points to the element in its C form\n\
         // (scalar, mochi_bytes or uint64_t handle ID): read for SEND, written for RECV.\n\
         typedef struct mochi_select_case {\n\tuint64_t id;\n\tint32_t op;\n\tvoid *value;\n} mochi_select_case;\n\n",
    );
    s.push_str("#endif\n");
    s
}
