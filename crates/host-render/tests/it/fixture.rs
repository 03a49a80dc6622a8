//! The host file the tests render: every channel element kind of the contract, two host
//! callbacks and a few exports.

use apisurface::{GoType, ParamDecl, Signature};
use goroutine_render::{ChannelShim, ShimFile};
use host_render::{GoExport, HostCallback, HostFile};

pub const M: &str = "fx";

pub fn p(ty: GoType) -> ParamDecl {
    ParamDecl { name: None, ty }
}

pub fn sig(params: Vec<GoType>, results: Vec<GoType>) -> Signature {
    Signature {
        type_params: vec![],
        params: params.into_iter().map(p).collect(),
        results: results.into_iter().map(p).collect(),
    }
}

pub fn thing() -> GoType {
    GoType::Pointer(Box::new(GoType::qualified("example.com/lib", "Thing")))
}

pub fn file() -> HostFile {
    let mut shims = ShimFile::new(M);
    shims.channels = vec![
        ChannelShim::new(M, GoType::name("int64")).base("i64"),
        ChannelShim::new(M, GoType::name("bool")).base("flag"),
        ChannelShim::new(M, GoType::name("float64"))
            .base("f64")
            .buffer(4),
        ChannelShim::new(M, GoType::name("string")).base("str"),
        ChannelShim::new(M, thing()).base("thing"),
    ];
    let mut f = HostFile::new(shims);
    let pred = sig(vec![GoType::name("int64")], vec![GoType::name("bool")]);
    f.host_callbacks = vec![
        HostCallback::new(M, "pred", pred.clone()),
        HostCallback::new(
            M,
            "visit",
            sig(vec![GoType::name("string"), GoType::name("int32")], vec![]),
        ),
    ];
    f.exports = vec![
        GoExport {
            symbol: "fx_thing_new".into(),
            sig: sig(
                vec![GoType::name("int64"), GoType::name("string")],
                vec![thing()],
            ),
            doc: "Makes a Thing.".into(),
        },
        GoExport {
            symbol: "fx_index_func".into(),
            sig: sig(
                vec![GoType::name("int64"), GoType::Func(pred)],
                vec![GoType::name("int64")],
            ),
            doc: String::new(),
        },
        GoExport {
            symbol: "fx_describe".into(),
            sig: sig(
                vec![thing()],
                vec![GoType::name("string"), GoType::name("int64")],
            ),
            doc: "Describes a Thing.".into(),
        },
    ];
    f
}

/// Channel elements and signatures the Go emitter lays out over several lines: handle-typed
/// channels of structs and interfaces, callback shims and an export with such parameters.
pub fn multi_line() -> HostFile {
    let t = |s: &str| apisurface::parse_type(s).unwrap();
    let pair = t("struct{A int64; B int64}");
    let iface = t("interface{M(); N() int}");
    let mut shims = ShimFile::new("ml");
    shims.channels = vec![
        ChannelShim::new("ml", pair.clone()).base("pair"),
        ChannelShim::new("ml", t("struct{A int64 \"json:\\\"a\\\"\"}")).base("tagged"),
        ChannelShim::new("ml", iface.clone()).base("iface"),
        ChannelShim::new("ml", t("<-chan struct{A int64; B int64}")).base("recvpair"),
    ];
    shims.callbacks = vec![
        goroutine_render::CallbackShim::new(
            "ml",
            sig(
                vec![pair.clone(), iface.clone()],
                vec![t("struct{X int; Y int}")],
            ),
        )
        .base("mixed"),
    ];
    let mut f = HostFile::new(shims);
    f.host_callbacks = vec![HostCallback::new(
        "ml",
        "pred",
        sig(vec![GoType::name("int64")], vec![GoType::name("bool")]),
    )];
    f.exports = vec![GoExport {
        symbol: "ml_combine".into(),
        sig: sig(vec![pair.clone(), iface], vec![pair]),
        doc: "Combines a pair and an interface value.".into(),
    }];
    f
}
