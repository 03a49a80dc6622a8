use crate::fixture::file;
use apisurface::EmitContext;
use host_render::{render_host_go, render_rust_module};

#[test]
fn rust_module() {
    insta::assert_snapshot!(render_rust_module(&file()).unwrap());
}

#[test]
fn host_go_file() {
    insta::assert_snapshot!(render_host_go(&file(), &EmitContext::new()).unwrap());
}
