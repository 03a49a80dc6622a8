//! `tinygo-check`: is a Go package's API usable on TinyGo targets (wasm, wasip1, bare metal)?
//!
//! It checks an [`apisurface::Package`] under a [`Profile`] against a [`Policy`]: banned
//! packages (the package itself, the imports its exported API references, and everything in its
//! `deps` or reachable through an [`ImportGraph`], with the shortest import chain), and banned
//! named types anywhere in the exported API, found by parsing each type string and walking the
//! whole type tree (map keys, channel elements, func params and results, struct fields,
//! interface methods and embeds, generic type arguments, constraints). The default policy is
//! TinyGo's own published importability table ([`StdTable`], one per release, embedded at
//! compile time); the seed's hand-written MEP-74 list is kept as [`Policy::mep74`] for parity.
//! The two disagree in both directions (MEP-74 bans `reflect`, `unsafe`, `text/template`, ...,
//! which TinyGo imports, and allows `hash/maphash`, `time/tzdata`, ..., which it cannot); the
//! exact lists, computed from the tables by a test, are in [`Policy::mep74`]'s documentation.
//! Users add bans (packages, `module/...` trees, type prefixes) with [`Policy::ban_package`] and
//! [`Policy::ban_type_prefix`].
//!
//! It must never: run a tool, read a file or the network at run time, panic on any surface,
//! pass a type string it cannot parse, or decide by peeling type strings as text.
//!
//! ```
//! use apisurface::{Func, Package, Param};
//! use tinygo_check::{Policy, Profile, ViolationKind, check_package, is_compatible};
//!
//! let pkg = Package {
//!     import_path: "example.com/lib".into(),
//!     funcs: vec![Func {
//!         name: "Keys".into(),
//!         params: vec![Param { name: "m".into(), type_: "map[[2]plugin.Symbol]int".into() }],
//!         ..Func::default()
//!     }],
//!     ..Package::default()
//! };
//! let found = check_package(Profile::Embedded, &Policy::default(), &pkg);
//! assert_eq!(found[0].kind, ViolationKind::ParamType);
//! assert_eq!(found[0].where_, "func Keys param 0 (m)");
//! assert!(is_compatible(Profile::Standard, &Policy::default(), &pkg));
//! ```

#![warn(missing_docs)]

mod check;
mod graph;
mod policy;
mod profile;
mod table;

pub use check::{Violation, ViolationKind, check_package, check_package_with_graph, is_compatible};
pub use graph::ImportGraph;
pub use policy::{Ban, MEP74_PATTERNS, PackagePattern, Policy, PolicyError};
pub use profile::{Profile, ProfileError};
pub use table::{StdTable, TableEntry, TableError, TableVersion, TableVersionError};
