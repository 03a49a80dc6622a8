//! Fuzz target: `apisurface::parse_type` never panics or overflows the stack, and whatever it
//! accepts prints back byte for byte (the parser only accepts the canonical go/types form).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match apisurface::parse_type(s) {
        Ok(t) => assert_eq!(t.to_string(), s, "accepted input must round-trip"),
        Err(e) => {
            assert!(e.offset <= s.len().max(apisurface::MAX_INPUT_LEN));
            let _ = e.to_string();
        }
    }
});
