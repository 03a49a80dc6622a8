//! Integration tests of host-render: snapshots of the generated Rust module and Go trampolines,
//! rustfmt and `-D warnings` compile checks of the module, and refused inputs.

mod bind;
mod fixture;
mod render;
mod snapshots;
