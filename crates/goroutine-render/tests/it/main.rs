//! Integration tests of goroutine-render: needs_runtime (seed parity), the renderers (seed
//! parity, hostile inputs, determinism) and insta snapshots of every output kind.

mod multiline;
mod needs;
mod render;
mod snapshots;
