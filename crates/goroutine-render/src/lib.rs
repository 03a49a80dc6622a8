//! `goroutine-render`: the goroutine bridge of gobridge. It decides whether a Go package's
//! exported API needs the bridge ([`needs_runtime`]), and renders the Go side of it: the
//! `mochi_rt.go` handle runtime ([`render_runtime`]) and cgo `//export` shims that let `chan T`
//! and `func(...)` values cross the C boundary as opaque `uint64` handle IDs
//! ([`render_channel_shim`], [`render_callback_shim`], assembled by [`render_shim_file`]).
//!
//! Every value crosses by the C boundary contract in [`boundary`] (scalars by value, strings by
//! copy, everything else as a handle ID), every shim returns a [`Status`], and nothing a C caller
//! does with an ID (zero, unknown, released, wrong kind, send on a closed channel, a panicking
//! callback) can crash the process.
//!
//! It must never: paste an unvalidated name or type into Go source (names are checked with
//! `apisurface::validate`, types written only through `apisurface::emit`), produce output that
//! depends on anything but its input, run the Go toolchain, or panic on any input.
//!
//! ```
//! use apisurface::{EmitContext, GoType};
//! use goroutine_render::{ChannelShim, RuntimeOptions, ShimFile, render_runtime, render_shim_file};
//! let rt = render_runtime(&RuntimeOptions::default()).unwrap();
//! assert!(rt.starts_with("//go:build mochi_wrap\n"));
//! let mut file = ShimFile::new("lib");
//! file.channels.push(ChannelShim::new("lib", GoType::name("int64")));
//! let go = render_shim_file(&file, &EmitContext::new()).unwrap();
//! assert!(go.contains("//export mochi_lib_value_chan_send\n"));
//! ```

#![warn(missing_docs)]

pub mod boundary;
mod needs;
mod render;

pub use apisurface::names::Status;
pub use boundary::{ContractError, Crossing, Scalar, crossing};
pub use needs::{Position, Reason, Why, needs_runtime, runtime_reasons};
pub use render::{
    BUILD_TAG, CHANNEL_OPS, CallbackShim, ChannelShim, DEFAULT_BASE, DEFAULT_BUFFER,
    DEFAULT_MAX_HANDLES, DEFAULT_PACKAGE, MAX_BUFFER, RUNTIME_FILE, RenderError, RuntimeOptions,
    ShimFile, preamble, render_callback_shim, render_channel_shim, render_runtime,
    render_shim_file,
};
