//! insta snapshots of every renderer output: the runtime, each shim kind, a full file.

use apisurface::{EmitContext, GoType, ImportSet, parse_type};
use goroutine_render::{
    CallbackShim, ChannelShim, RuntimeOptions, ShimFile, render_callback_shim, render_channel_shim,
    render_runtime, render_shim_file,
};

fn ty(s: &str) -> GoType {
    parse_type(s).unwrap()
}

fn sig(s: &str) -> apisurface::Signature {
    match ty(s) {
        GoType::Func(sig) => sig,
        other => panic!("{other:?}"),
    }
}

#[test]
fn runtime_default() {
    insta::assert_snapshot!(render_runtime(&RuntimeOptions::default()).unwrap());
}

#[test]
fn channel_int64() {
    let shim = ChannelShim::new("lib", ty("int64"));
    insta::assert_snapshot!(
        render_channel_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn channel_string() {
    let shim = ChannelShim::new("lib", ty("string")).base("text").buffer(8);
    insta::assert_snapshot!(
        render_channel_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn channel_qualified_pointer() {
    let shim = ChannelShim::new("lib", ty("*github.com/foo/lib.Thing")).base("thing");
    insta::assert_snapshot!(
        render_channel_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn callback_no_results() {
    let shim = CallbackShim::new("lib", sig("func()")).base("tick");
    insta::assert_snapshot!(
        render_callback_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn callback_one_result() {
    let shim = CallbackShim::new("lib", sig("func(int64) int64")).base("adder");
    insta::assert_snapshot!(
        render_callback_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn callback_many_results_variadic() {
    let shim = CallbackShim::new(
        "lib",
        sig("func(name string, scale float64, xs ...int64) (string, *github.com/foo/lib.Thing, error)"),
    )
    .base("describe");
    insta::assert_snapshot!(
        render_callback_shim(&shim, &EmitContext::new(), &mut ImportSet::new()).unwrap()
    );
}

#[test]
fn full_shim_file() {
    let mut f = ShimFile::new("lib");
    f.channels = vec![
        ChannelShim::new("lib", ty("int64")),
        ChannelShim::new("lib", ty("*github.com/foo/lib.Thing")).base("thing"),
    ];
    f.callbacks = vec![CallbackShim::new("lib", sig("func(string) (int, error)")).base("parse")];
    insta::assert_snapshot!(render_shim_file(&f, &EmitContext::new()).unwrap());
}
