//! Fuzz target: `apisurface::parse_type` never panics or overflows the stack, and whatever it
//! accepts prints back byte for byte (the parser only accepts the canonical go/types form); every
//! type node of the flat `TypeTree` spans exactly its sub-type's canonical string.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match apisurface::parse_type(s) {
        Ok(t) => {
            assert_eq!(t.to_string(), s, "accepted input must round-trip");
            let tree = apisurface::TypeTree::parse(s).expect("TypeTree accepts what parse_type does");
            for n in tree.root().descendants() {
                if let Some(sub) = n.to_go_type() {
                    assert_eq!(sub.to_string(), n.text(), "node text is its canonical string");
                }
            }
        }
        Err(e) => {
            assert!(e.offset <= s.len().max(apisurface::MAX_INPUT_LEN));
            let _ = e.to_string();
        }
    }
});
