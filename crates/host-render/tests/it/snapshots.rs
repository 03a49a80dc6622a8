use crate::fixture::{M, file, multi_line, sig, thing};
use apisurface::EmitContext;
use apisurface::GoType;
use host_render::{HostCallback, HostFile};
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

/// Host callbacks whose Go funcs take values of any type (the closure gets a `GoValue`) and
/// return an `error` (the closure returns `Result<_, String>`): Go and Rust sides.
fn value_and_error_callbacks() -> HostFile {
    let mut f = HostFile::new(goroutine_render::ShimFile::new(M));
    let error = GoType::name("error");
    f.host_callbacks = vec![
        HostCallback::new(M, "visit", sig(vec![thing()], vec![])),
        HostCallback::new(
            M,
            "parse",
            sig(vec![GoType::name("string")], vec![error.clone()]),
        ),
        HostCallback::new(
            M,
            "count",
            sig(
                vec![thing(), GoType::name("any")],
                vec![GoType::name("int64"), error.clone()],
            ),
        ),
        HostCallback::new(
            M,
            "name",
            sig(vec![], vec![GoType::name("string"), error.clone()]),
        ),
        HostCallback::new(
            M,
            "make",
            sig(vec![GoType::name("string")], vec![thing(), error]),
        ),
        HostCallback::new(M, "pick", sig(vec![], vec![GoType::name("any")])),
        HostCallback::new(M, "mapbytes", sig(vec![bytes()], vec![bytes()])),
    ];
    f
}

/// `[]byte`.
fn bytes() -> GoType {
    GoType::Slice(Box::new(GoType::name("byte")))
}

#[test]
fn host_go_file_values_and_errors() {
    insta::assert_snapshot!(
        render_host_go(&value_and_error_callbacks(), &EmitContext::new()).unwrap()
    );
}

#[test]
fn rust_module_values_and_errors() {
    insta::assert_snapshot!(render_rust_module(&value_and_error_callbacks()).unwrap());
}

#[test]
fn values_and_errors_module_is_rustfmt_clean_and_compiles() {
    let text = render_rust_module(&value_and_error_callbacks()).unwrap();
    crate::render::rustfmt_check("values-and-errors", &text);
    crate::render::compile("values-and-errors", &text);
    // The closure types say what crosses: owned `GoValue`s in, `Result<_, String>` out.
    assert!(text.contains(
        "pub type CountFn = dyn Fn(GoValue, GoValue) -> Result<i64, String> + Send + Sync;"
    ));
    assert!(text.contains("pub type ParseFn = dyn Fn(&str) -> Result<(), String> + Send + Sync;"));
    // Go values out: the closure returns one, whose ID Go takes over.
    assert!(
        text.contains("pub type MakeFn = dyn Fn(&str) -> Result<GoValue, String> + Send + Sync;")
    );
    assert!(text.contains("pub type PickFn = dyn Fn() -> GoValue + Send + Sync;"));
    // `[]byte` both ways: borrowed bytes in, owned bytes out.
    assert!(text.contains("pub type MapbytesFn = dyn Fn(&[u8]) -> Vec<u8> + Send + Sync;"));
    let go = render_host_go(&value_and_error_callbacks(), &EmitContext::new()).unwrap();
    assert!(
        go.contains("(*C.char)(unsafe.Pointer(unsafe.SliceData(x0)))"),
        "{go}"
    );
    assert!(
        go.contains("return mochi_fx_hostBytes(res.r0, res.r0_len)"),
        "{go}"
    );
}
