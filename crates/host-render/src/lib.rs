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
//! # Host callbacks across the boundary
//!
//! For a [`HostCallback`] `B` of module `M` with Go type `func(P...) R`:
//!
//! * Rust: `GoCallback::<BFn>::new(closure)` puts the boxed closure into a per-kind
//!   `handlepool::HandlePool` (host ID) and calls `mochi_M_B_host_new(call, drop, host_id, &id)`
//!   with two `extern "C"` trampolines of the module.
//! * Go ([`render_host_go`]): `host_new` stores a Go `func(P...) R` in the Go handle table. Calling
//!   it calls `call(host_id, P..., R *r0, char *msg, size_t msg_cap, size_t *msg_len)` through a
//!   static inline C helper; strings go in as pointer + length to the Go string's bytes (valid
//!   for the call only). Any status but `MOCHI_OK` becomes a Go panic naming the callback and
//!   carrying the host's message, so the shim or glue that called into Go recovers it, writes
//!   the text to that call's message slot, and the Rust caller sees `GoError::Panic` with it.
//! * The Rust trampoline resolves the host ID (`UnknownHandle` for a released closure), runs the
//!   closure under `catch_unwind` and writes the result; a panic becomes `Panic` plus its message
//!   (at most [`HOST_MSG_CAP`] bytes).
//! * Dropping the `GoCallback` calls `mochi_M_B_host_release(id)`, which releases the Go handle
//!   and calls `drop(host_id)` once: both pools go back to where they were. Go code that kept
//!   the func value and calls it later gets a Go panic (`returned status 5`), never a dangling
//!   closure.
//!
//! # Limits (typed errors, never silent)
//!
//! * One channel per Rust element type per module (`GoChan<T>` is keyed by `T`): `rune`/`int32`,
//!   `byte`/`uint8` and `uint`/`uintptr` are the same Rust types ([`HostError::SameElement`]).
//!   Handle-typed channels each get their own newtype (`<Base>Value`).
//! * Host callbacks take scalars and strings and return nothing, one scalar or one string (the
//!   closure's `String` is copied into `malloc`ed bytes Go copies and frees)
//!   ([`HostError::Unsupported`]). A closure cannot return a Go `error`, take or return handles,
//!   or several results; a Go func parameter of such a signature takes a `&GoValue` (a Go func
//!   value) instead, and gobridge reports the callback shim as having no Rust closure form.
//! * A Go func value handed out by a bound function is a `GoValue`: Rust calls it with
//!   `GoValue::call_<base>(...)` when a callback shim of its signature exists and carries only
//!   scalars, strings and handles (another func type is `Status::WrongKind`); otherwise Rust can
//!   keep it, pass it back to Go and release it.
//! * By the contract only a nil *interface* crosses as ID 0: a typed nil pointer received from Go
//!   is a (non-nil) handle to Go's nil pointer.
//! * Messages are per call: an export takes a trailing `mochi_bytes *msg` slot that Go fills on
//!   `MOCHI_PANIC` (the panic's text) and `MOCHI_GO_ERROR` (the `error`'s text), so
//!   `GoError::Panic { message }` and `GoError::Go { message }` carry the text of that very call,
//!   whatever other threads do. Channel and select calls have no slot: they run no user code,
//!   and their `Panic` (an internal failure) has an empty message.
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
//! assert!(rust.contains("pub(super) safe fn send(id: u64, v: i64) -> RawStatus;"));
//! ```

#![warn(missing_docs)]

mod bind;
mod go;
mod model;
mod proto;
mod rust;

pub use go::{HOST_MSG_CAP, render_host_go};
pub use model::{GoExport, HostCallback, HostError, HostFile, NameProblem};
pub use proto::{Mismatch, check_prototypes};
pub use rust::{closure_type, render_rust_module};
