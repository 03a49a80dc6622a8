//! Integration tests for gobridge.

#[test]
fn default_config_needs_no_file() {
    let c = gobridge::Config::default();
    assert_eq!(c.go.package.0, "gowrap");
}
