//! `mochi_rt.go`: the handle runtime.

use super::*;

/// Renders `mochi_rt.go`: the build tag, the generated-code line, the package clause and the
/// handle table with exactly `mochiAcquireHandle`, `mochiResolveHandle` and `mochiReleaseHandle`.
pub fn render_runtime(opts: &RuntimeOptions) -> Result<String, RenderError> {
    let package = package_name(&opts.package)?;
    let mut imports = ImportSet::new();
    for name in RUNTIME_NAMES {
        imports.reserve(name);
    }
    let sync = std_import(&mut imports, "sync")?;
    let atomic = std_import(&mut imports, "sync/atomic")?;
    let max = opts.max_handles.to_string();
    let cap_check = if opts.max_handles >= 0 {
        "if t.live.Load() >= mochiMaxHandles {\n\treturn 0\n}\n"
    } else {
        ""
    };
    let body = fill(
        RUNTIME_TPL,
        &[
            ("cap_check", cap_check),
            ("max_handles", &max),
            ("sync_pkg", &sync),
            ("atomic_pkg", &atomic),
        ],
    )
    .map_err(template_err("runtime"))?;
    GoFile::new(package)
        .build_tag(BUILD_TAG)
        .imports(imports)
        .body(body)
        .render()
        .map_err(|e| emit_err("file", e))
}

/// Names the runtime declares at package level.
pub(super) const RUNTIME_NAMES: [&str; 11] = [
    "mochiMaxHandles",
    "mochiChunkBits",
    "mochiChunkSize",
    "mochiMaxSlots",
    "mochiEntry",
    "mochiChunk",
    "mochiTable",
    "mochiHandles",
    names::go::ACQUIRE,
    names::go::RESOLVE,
    names::go::RELEASE,
];
