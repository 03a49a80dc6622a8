//! Package binding inside synthesis: plans every standard-profile package with `bind-render`
//! and renders `cgo/mochi_bind.go`, whose wrappers use the runtime and shim file next to it.

use apisurface::Surface;
use bind_render::{BoundPackage, PlanOptions, plan_packages, render_bind_file};
use goroutine_render::ShimFile;

/// Import path of the cgo package inside the wrapper module.
pub fn cgo_package_path(wrapper_module: &str) -> String {
    format!("{wrapper_module}/{}", apisurface::names::file::CGO_DIR)
}

/// Plans `packages` (import paths) and renders the binding file. Channel elements with a shim
/// in `shims` cross as that shim's channels.
pub fn bind(
    surface: &Surface,
    packages: &[&str],
    module_flat: &str,
    wrapper_module: &str,
    shims: &ShimFile,
    config: &crate::Config,
) -> Result<(Vec<BoundPackage>, String), bind_render::BindError> {
    let opts = PlanOptions {
        module: module_flat.to_string(),
        target: cgo_package_path(wrapper_module),
        chan_bases: shims
            .channels
            .iter()
            .map(|c| (c.elem.to_string(), c.base.clone()))
            .collect(),
        instantiate: config
            .go
            .instantiate
            .iter()
            .map(|(k, v)| {
                let by_suffix = v.iter().map(|(s, a)| (s.0.clone(), a.clone())).collect();
                (k.clone(), by_suffix)
            })
            .collect(),
    };
    let plan = plan_packages(surface, packages, &opts);
    let text = render_bind_file(&plan, surface, &opts)?;
    Ok((plan, text))
}
