use apisurface::{Package, SCHEMA_VERSION, Surface, SurfaceError};

const ITER_PACKAGE: &str = r#"{"import_path":"iter","name":"iter","imports":[],"funcs":[{"name":"Pull","receiver":"","receiver_pointer":false,"variadic":false,"type_params":[{"name":"V","constraint":"any"}],"params":[{"name":"seq","type":"Seq[V]"}],"results":[{"name":"next","type":"func() (V, bool)"},{"name":"stop","type":"func()"}]}],"types":[{"name":"Seq","kind":"func","underlying":"func(yield func(V) bool)","alias_of":"","type_params":[{"name":"V","constraint":"any"}],"fields":[],"methods":[],"interface_methods":[],"embedded_types":[]}],"consts":[{"name":"MaxInt","type":"untyped int","const":"9223372036854775807"}],"vars":[]}"#;

#[test]
fn issue_example_package_deserializes() {
    let p: Package = serde_json::from_str(ITER_PACKAGE).unwrap();
    assert_eq!(p.import_path, "iter");
    let pull = p.func("Pull").unwrap();
    assert_eq!(pull.type_params[0].constraint, "any");
    assert_eq!(pull.params[0].type_, "Seq[V]");
    assert_eq!(pull.results[1].name, "stop");
    assert_eq!(
        p.type_("Seq").unwrap().underlying,
        "func(yield func(V) bool)"
    );
    assert_eq!(p.consts[0].const_, "9223372036854775807");
    assert!(p.deps.is_empty() && p.skipped.is_empty() && !p.is_main);
}

#[test]
fn every_field_defaults_and_round_trips() {
    let s: Surface = serde_json::from_str("{}").unwrap();
    assert_eq!(s, Surface::default());
    let p: Package = serde_json::from_str(ITER_PACKAGE).unwrap();
    let s = Surface {
        schema_version: SCHEMA_VERSION,
        packages: vec![p],
        ..Default::default()
    };
    let text = serde_json::to_string(&s).unwrap();
    assert!(
        text.contains("\"type\":\"Seq[V]\""),
        "param type serializes as `type`: {text}"
    );
    assert!(text.contains("\"const\":\"9223372036854775807\""));
    let back: Surface = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
}

#[test]
fn newer_schema_is_refused() {
    let s = Surface {
        schema_version: SCHEMA_VERSION + 1,
        ..Default::default()
    };
    assert_eq!(
        s.check_schema(),
        Err(SurfaceError::SchemaVersion {
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        })
    );
    assert!(Surface::default().check_schema().is_ok());
}
