//! `handlepool`: the host-side twin of Go's `runtime/cgo.Handle`.
//!
//! TODO docs
#![warn(missing_docs)]

mod id;
mod pool;
mod spin;
mod sync;

#[cfg(all(test, loom))]
mod loom_tests;

pub use id::{HandleId, ZeroHandleId};
pub use pool::{
    DEFAULT_MAX_HANDLES, HandlePool, MAX_GENERATION, MAX_SLOTS, PoolError, Ref, TakeError,
};
