//! The typed API of bound packages (`HostFile::bound`) on the example module: snapshot,
//! rustfmt-clean, compiles with `-D warnings`, doc comments cannot inject code, and every
//! wrapper is declared with its C symbol.

use crate::fixture::sig;
use crate::render::{compile, rustfmt_check};
use apisurface::{EmitContext, GoType, Surface};
use bind_render::{Class, PlanOptions, plan_packages};
use goroutine_render::{ChannelShim, ShimFile};
use host_render::{HostCallback, HostFile, render_host_go, render_rust_module};

const M: &str = "example";
const PKG: &str = "example.com/gobridge/example";

fn surface() -> Surface {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/example/surface.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn event_ptr() -> GoType {
    GoType::Pointer(Box::new(GoType::qualified(PKG, "Event")))
}

/// The example's host file as `gobridge generate` builds it: its two channel shims, a host
/// callback for `func(int64) bool`, and the bound package.
pub fn example_file() -> HostFile {
    example_file_of(surface())
}

fn example_file_of(surface: Surface) -> HostFile {
    let mut shims = ShimFile::new(M);
    shims.package = "main".into();
    shims.channels = vec![
        ChannelShim::new(M, event_ptr()).base("ptr_example_event"),
        ChannelShim::new(M, GoType::name("int64")).base("int64"),
    ];
    let opts = PlanOptions {
        module: M.into(),
        target: "example.com/gobridge/example/gobridge/cgo".into(),
        chan_bases: shims
            .channels
            .iter()
            .map(|c| (c.elem.to_string(), c.base.clone()))
            .collect(),
        ..Default::default()
    };
    let mut f = HostFile::new(shims);
    f.host_callbacks = vec![HostCallback::new(
        M,
        "countif_keep",
        apisurface::Signature {
            type_params: vec![],
            params: vec![apisurface::ParamDecl {
                name: None,
                ty: GoType::name("int64"),
            }],
            results: vec![apisurface::ParamDecl {
                name: None,
                ty: GoType::name("bool"),
            }],
        },
    )];
    f.bound = plan_packages(&surface, &[PKG], &opts);
    f
}

#[test]
fn example_module_snapshot() {
    insta::assert_snapshot!(render_rust_module(&example_file()).unwrap());
}

#[test]
fn example_module_is_rustfmt_clean_and_compiles() {
    let text = render_rust_module(&example_file()).unwrap();
    rustfmt_check("bind-example", &text);
    compile("bind-example", &text);
}

#[test]
fn every_wrapper_has_a_declaration_and_a_safe_function() {
    let f = example_file();
    let text = render_rust_module(&f).unwrap();
    let pkg = &f.bound[0];
    assert!(pkg.funcs.len() >= 12, "{}", pkg.funcs.len());
    for w in &pkg.funcs {
        assert!(
            text.contains(&format!("#[link_name = \"{}\"]", w.c_symbol)),
            "{}",
            w.c_symbol
        );
        assert!(
            text.contains(&format!("pub fn {}(", w.rust_name)),
            "{}",
            w.rust_name
        );
    }
    for sym in f.symbols() {
        assert!(text.contains(&format!("\"{sym}\"")), "{sym}");
    }
    // The shapes the brief asks for.
    for want in [
        "pub mod example {",
        "pub struct Counter(pub(super) super::BoundHandle);",
        "pub fn add(&self, k: i64) -> super::GoResult<i64> {",
        "pub fn zero() -> super::GoResult<Counter> {",
        "pub fn new_counter() -> super::GoResult<Counter> {",
        "keep: &super::GoCallback<super::CountifKeepFn>,",
        "pub fn events(names: &[&str]) -> super::GoResult<super::GoChan<super::PtrExampleEventValue>> {",
        "impl ::core::convert::From<super::PtrExampleEventValue> for Event {",
        "pub fn set_name(&self, v: &str) -> super::GoResult<()> {",
    ] {
        assert!(text.contains(want), "missing {want:?}");
    }
}

/// A package whose Go names are Rust's prelude names, whose docs try to break out of the
/// comment, and whose functions take every class.
fn hostile() -> Surface {
    let text = r#"{"module":"example.com/h","packages":[{"import_path":"example.com/h","name":"h",
      "types":[
        {"name":"Result","kind":"struct","doc":"Result is a struct.\n*/ } fn evil() {} /*\u0007\u202e",
         "methods":[{"name":"IsNil","receiver":"Result","receiver_pointer":true,
           "results":[{"name":"","type":"bool"}],"doc":"IsNil is Go's own."}]},
        {"name":"FLAG","kind":"basic","underlying":"int",
         "methods":[{"name":"Set","receiver":"FLAG","receiver_pointer":true,
           "params":[{"name":"s","type":"string"}],"results":[{"name":"","type":"error"}],
           "doc":"Set parses s into the flag."}]},
        {"name":"String","kind":"basic","underlying":"string","doc":"String is a string."},
        {"name":"Vec","kind":"basic","underlying":"float64","doc":""},
        {"name":"Drop","kind":"interface","doc":"Drop has methods."},
        {"name":"Option","kind":"basic","underlying":"int32"}],
      "funcs":[
        {"name":"Make","params":[{"name":"s","type":"example.com/h.String"},{"name":"v","type":"example.com/h.Vec"}],
         "results":[{"name":"","type":"*example.com/h.Result"},{"name":"","type":"example.com/h.Option"},{"name":"","type":"error"}],
         "doc":"Make makes.\n}\n#[cfg(any())]"},
        {"name":"All","params":[{"name":"b","type":"[]byte"},{"name":"xs","type":"[]float64"},{"name":"ss","type":"[]string"},
           {"name":"d","type":"example.com/h.Drop"},{"name":"r","type":"example.com/h.Result"}],
         "results":[{"name":"","type":"[]byte"},{"name":"","type":"[]int32"},{"name":"","type":"[]string"},
           {"name":"","type":"example.com/h.String"},{"name":"","type":"example.com/h.Vec"},{"name":"","type":"any"}]},
        {"name":"Join","params":[{"name":"sep","type":"string"},{"name":"parts","type":"[]string"}],"variadic":true,
         "results":[{"name":"","type":"string"}]}],
      "consts":[{"name":"Greeting","type":"untyped string","const":"\"hi \\\"there\\\"\""},
                {"name":"Big","type":"untyped int","const":"42"},
                {"name":"Flag","type":"untyped int","const":"1"}]}]}"#;
    serde_json::from_str(text).unwrap()
}

#[test]
fn hostile_names_and_docs_stay_inert() {
    let surface = hostile();
    let opts = PlanOptions {
        module: "h".into(),
        target: "example.com/h/gobridge/cgo".into(),
        ..Default::default()
    };
    let mut f = HostFile::new(ShimFile::new("h"));
    f.bound = plan_packages(&surface, &[], &opts);
    let pkg = &f.bound[0];
    assert!(
        pkg.funcs.iter().any(|w| w.go_name == "All"),
        "{:?}",
        pkg.skipped
    );
    assert!(pkg.funcs.iter().any(|w| {
        w.params
            .iter()
            .any(|p| matches!(p.class, Class::StringSlice))
    }));
    // Go's own IsNil and a constant named like a type are renamed, not duplicated.
    let renamed: Vec<&str> = pkg.renames.iter().map(|r| r.used.as_str()).collect();
    assert!(renamed.contains(&"is_nil_2"), "{renamed:?}");
    assert!(renamed.contains(&"FLAG_2"), "{renamed:?}");
    let text = render_rust_module(&f).unwrap();
    // A pointer-receiver method of a named basic type changes the newtype in place.
    assert!(
        text.contains("pub fn set(&mut self, s: &str) -> super::GoResult<()> {"),
        "{text}"
    );
    assert!(text.contains("&mut self.0,"), "{text}");
    assert!(!text.contains('\u{202e}') && !text.contains('\u{7}'));
    for l in text.lines() {
        if l.contains("evil") || l.contains("#[cfg(any())]") {
            assert!(l.trim_start().starts_with("///"), "{l}");
        }
    }
    rustfmt_check("bind-hostile", &text);
    compile("bind-hostile", &text);
}

/// A struct by value in a host closure: the closure gets and returns the bound Rust type (whose
/// handle holds a `*T`); the Go side passes a pointer to a copy and copies the result out.
#[test]
fn struct_values_cross_host_closures_typed() {
    let surface: Surface = serde_json::from_str(
        r#"{"module":"example.com/s","packages":[{"import_path":"example.com/s","name":"s",
      "types":[{"name":"Item","kind":"struct","underlying":"struct{N int64}",
                "fields":[{"name":"N","type":"int64","exported":true}]}],
      "funcs":[
        {"name":"Each","params":[{"name":"f","type":"func(example.com/s.Item) bool"}]},
        {"name":"Fill","params":[{"name":"f","type":"func() example.com/s.Item"}],
         "results":[{"name":"","type":"example.com/s.Item"}]}]}]}"#,
    )
    .unwrap();
    let opts = PlanOptions {
        module: "s".into(),
        target: "example.com/s/gobridge/cgo".into(),
        ..Default::default()
    };
    let mut f = HostFile::new(ShimFile::new("s"));
    f.bound = plan_packages(&surface, &[], &opts);
    let item = GoType::qualified("example.com/s", "Item");
    f.host_callbacks = vec![
        HostCallback::new(
            "s",
            "each",
            sig(vec![item.clone()], vec![GoType::name("bool")]),
        ),
        HostCallback::new("s", "fill", sig(vec![], vec![item.clone()])),
        // A closure type too long for one line (rustfmt breaks it after `=`).
        HostCallback::new(
            "s",
            "combine_every_single_item_there_is",
            sig(vec![item.clone(), item.clone(), item.clone()], vec![item]),
        ),
    ];
    let rust = render_rust_module(&f).unwrap();
    assert!(
        rust.contains("pub type EachFn = dyn Fn(s::Item) -> bool + Send + Sync;"),
        "{rust}"
    );
    assert!(rust.contains("pub type FillFn = dyn Fn() -> s::Item + Send + Sync;"));
    assert!(rust.contains(
        "pub type CombineEverySingleItemThereIsFn =\n    dyn Fn(s::Item, s::Item, s::Item) -> s::Item + Send + Sync;"
    ));
    rustfmt_check("struct-closures", &rust);
    compile("struct-closures", &rust);
    let go = render_host_go(&f, &EmitContext::new()).unwrap();
    assert!(go.contains("mochi_s_hostArg(&x0)"), "{go}");
    assert!(
        go.contains("return mochi_s_hostStruct[s.Item](res.r0)"),
        "{go}"
    );
}
