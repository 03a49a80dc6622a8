//! Copies the generated module into OUT_DIR and links the example's c-archive.

fn main() {
    for var in ["GOBRIDGE_E2E_LIB_DIR", "GOBRIDGE_E2E_BINDINGS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let (Ok(dir), Ok(bindings)) = (
        std::env::var("GOBRIDGE_E2E_LIB_DIR"),
        std::env::var("GOBRIDGE_E2E_BINDINGS"),
    ) else {
        panic!("set GOBRIDGE_E2E_LIB_DIR (folder of libexample.a) and GOBRIDGE_E2E_BINDINGS");
    };
    println!("cargo:rerun-if-changed={dir}/libexample.a");
    println!("cargo:rerun-if-changed={bindings}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::copy(&bindings, format!("{out}/bindings.rs")).expect("copy the generated module");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=example");
    for lib in ["pthread", "dl", "m"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
