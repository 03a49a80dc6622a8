//! Package binding inside synthesis: plans every standard-profile package with `bind-render`
//! and renders `cgo/mochi_bind.go`, whose wrappers use the runtime and shim file next to it.

use apisurface::EmitContext;
use apisurface::Surface;
use bind_render::{BoundPackage, PlanOptions, plan_packages, render_bind_file};
use goroutine_render::ShimFile;
use host_render::{HostCallback, HostFile};

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
) -> Result<(Vec<BoundPackage>, String), bind_render::BindError> {
    let opts = PlanOptions {
        module: module_flat.to_string(),
        target: cgo_package_path(wrapper_module),
        chan_bases: shims
            .channels
            .iter()
            .map(|c| (c.elem.to_string(), c.base.clone()))
            .collect(),
    };
    let plan = plan_packages(surface, packages, &opts);
    let text = render_bind_file(&plan, surface, &opts)?;
    Ok((plan, text))
}

/// The host-render input: the shims, the bound packages, and a host callback (a Rust closure
/// as a Go func) for every callback shim whose signature host-render's trampolines carry.
pub fn host_file(shims: &ShimFile, bound: &[BoundPackage], ctx: &EmitContext<'_>) -> HostFile {
    let mut f = HostFile::new(shims.clone());
    for cb in &shims.callbacks {
        let h = HostCallback::new(shims.module.clone(), cb.base.clone(), cb.sig.clone());
        let mut one = HostFile::new(ShimFile::new(shims.module.clone()));
        one.shims.package = shims.package.clone();
        one.host_callbacks = vec![h.clone()];
        if host_render::render_host_go(&one, ctx).is_ok()
            && host_render::render_rust_module(&one).is_ok()
        {
            f.host_callbacks.push(h);
        }
    }
    f.bound = bound.to_vec();
    f
}
