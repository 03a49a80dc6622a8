use crate::fixture::{file, multi_line};
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

#[test]
fn rust_module_multi_line() {
    insta::assert_snapshot!(render_rust_module(&multi_line()).unwrap());
}

#[test]
fn shim_file_multi_line() {
    insta::assert_snapshot!(
        goroutine_render::render_shim_file(&multi_line().shims, &EmitContext::new()).unwrap()
    );
}

#[test]
fn host_go_file_multi_line() {
    insta::assert_snapshot!(render_host_go(&multi_line(), &EmitContext::new()).unwrap());
}
