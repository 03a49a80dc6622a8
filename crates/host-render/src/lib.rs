//! `host-render`: the Rust host side of gobridge's goroutine bridge. From the same shim
//! descriptions `goroutine-render` turns into Go (`ShimFile`: channel and callback shims), it
//! renders
//!
//! * a **Rust module** ([`render_rust_module`]) with the `extern "C"` declarations of every shim,
//!   the status enum matching the Go side, and a safe API over them: `GoChan<T>` (`new`, `send`,
//!   `recv` → `Ok(Some(v))` / `Ok(None)` when closed and drained, `try_send`, `try_recv`,
//!   `close`, and `Select` over several channels), `GoValue` (a Go value behind a handle, released
//!   on drop), `GoCallback<dyn Fn(..)>` (a Rust closure held in a `handlepool::HandlePool` that Go
//!   calls as a Go `func`), and a safe function per exported Go function of the wrapper
//!   ([`GoExport`]);
//! * the **Go trampolines** of host callbacks ([`render_host_go`]): a cgo file that turns a C
//!   function pointer plus a host ID into a Go `func` value in the handle table;
//! * a **prototype check** ([`check_prototypes`]) that compares the Rust declarations with the
//!   header cgo writes for the c-archive, so the two sides cannot drift.
//!
//! # The generated Rust module
//!
//! It depends on `std` and `handlepool` only. Every non-OK status becomes a `GoError`; every
//! handle is freed exactly once by `Drop`; a panic in a Rust closure is caught and reported to Go
//! as `MOCHI_PANIC` with its message (Go then panics, and the shim that called Go recovers it), so
//! nothing unwinds across the boundary in either direction. Strings cross by
//! `docs/c-boundary.md`: in by borrow (Go copies), out as Go-allocated C memory the module copies
//! and frees. Types are `Send`/`Sync` only as their contents allow (`GoChan<T>` as `T`; host
//! closures must be `Send + Sync` because Go calls them from any goroutine).
//!
//! It must never: render a name that is not a validated ASCII identifier, write Go types other
//! than through `apisurface::emit`, produce output that depends on anything but its input, or
//! panic on any input.
//!
//! ```
//! use apisurface::GoType;
//! use goroutine_render::{ChannelShim, ShimFile};
//! use host_render::{HostFile, render_rust_module};
//! let mut shims = ShimFile::new("lib");
//! shims.channels.push(ChannelShim::new("lib", GoType::name("int64")).base("nums"));
//! let rust = render_rust_module(&HostFile::new(shims)).unwrap();
//! assert!(rust.contains("impl ChanElem for i64 {"));
//! assert!(rust.contains("#[link_name = \"mochi_lib_nums_chan_send\"]"));
//! assert!(rust.contains("pub(super) safe fn send(id: u64, v: i64) -> MochiStatus;"));
//! ```

#![warn(missing_docs)]

mod go;
mod model;
mod proto;
mod rust;

pub use go::{HOST_MSG_CAP, render_host_go};
pub use model::{GoExport, HostCallback, HostError, HostFile};
pub use proto::{Mismatch, check_prototypes};
pub use rust::render_rust_module;
