//! `bind-render`: binds whole Go packages. It plans what every exported function, method, struct
//! field, variable and constant of a package becomes ([`plan_packages`] → [`BoundPackage`]) and
//! renders the cgo `//export` wrappers that call them ([`render_bind_file`]); `host-render`
//! turns the same plan into the typed Rust API.
//!
//! Every wrapper is `mochi_status mochi_<M>_<pkg>_<Name>(in..., out..., mochi_bytes *msg)`:
//! values cross by the C boundary contract (`docs/c-boundary.md`), extended with copied
//! `[]byte`, scalar slices and string slices; a trailing `error` result becomes status
//! `MOCHI_GO_ERROR` with `Error()` in the per-call message slot `msg`, and a panic becomes
//! `MOCHI_PANIC` with its message there — never a module-global "last message". Anything the
//! planner cannot bind is a [`Skip`] with a [`SkipKind`] and a reason; nothing is dropped.
//!
//! It must never: write a name that is not a validated identifier or a type other than through
//! `apisurface::emit`, depend on anything but its input (byte-deterministic), run the Go
//! toolchain, or panic on any surface.
//!
//! ```
//! use apisurface::Surface;
//! use bind_render::{PlanOptions, plan_packages, render_bind_file};
//! let surface: Surface = serde_json::from_str(r#"{"module":"example.com/m","packages":[
//!   {"import_path":"example.com/m","name":"m","funcs":[{"name":"Double",
//!    "params":[{"name":"x","type":"int64"}],"results":[{"name":"","type":"int64"}]}]}]}"#).unwrap();
//! let opts = PlanOptions { module: "m".into(), target: "gobridge.local/m/cgo".into(), ..Default::default() };
//! let plan = plan_packages(&surface, &[], &opts);
//! assert_eq!(plan[0].funcs[0].c_symbol, "mochi_m_m_Double");
//! assert!(render_bind_file(&plan, &surface, &opts).unwrap().contains("//export mochi_m_m_Double\n"));
//! ```

#![warn(missing_docs)]

mod consts;
pub mod model;
mod plan;
mod render;

pub use model::{
    BoundConst, BoundFunc, BoundPackage, BoundType, Class, FuncKind, Rename, ScalarKind, Skip,
    SkipKind, SymbolKind, TypeKind, TypeRef, Value,
};
pub use plan::{HANDLE_METHODS, PlanOptions, flatten, plan_packages, scalar};
pub use render::{BindError, render_bind_file};
