//! The generated module, public so that every item counts as used: `cargo clippy -D warnings`
//! over this crate is the check that a module gobridge writes compiles warning-free on its own,
//! whatever the bound packages' names are (the std-wide module binds every std package).

pub mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}
