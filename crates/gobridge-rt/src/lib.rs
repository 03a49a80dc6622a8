//! `gobridge-rt`: what the Rust module that `gobridge-build` writes (`OUT_DIR/gobridge.rs`)
//! needs at run time, so a crate that binds Go packages depends on this one crate instead of
//! naming gobridge's internal crates. Today that is [`handlepool`], which keeps the Rust
//! closures Go calls.
//!
//! It must never: hold state of its own or grow an API beyond re-exports (the generated module
//! is the API).
//!
//! ```
//! // In a crate whose build.rs runs gobridge_build::Builder, Cargo.toml has:
//! //   [dependencies] gobridge-rt = "0.1"
//! let pool = gobridge_rt::handlepool::HandlePool::<u8>::new();
//! assert_eq!(pool.live(), 0);
//! ```

pub use handlepool;
