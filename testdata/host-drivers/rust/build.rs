//! Copies the generated bindings into OUT_DIR and links the gate's c-archive.

fn main() {
    for var in ["MOCHI_HOST_LIB_DIR", "MOCHI_HOST_BINDINGS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let (Ok(dir), Ok(bindings)) = (
        std::env::var("MOCHI_HOST_LIB_DIR"),
        std::env::var("MOCHI_HOST_BINDINGS"),
    ) else {
        panic!(
            "set MOCHI_HOST_LIB_DIR (folder of libhost.a) and MOCHI_HOST_BINDINGS (the generated module)"
        );
    };
    println!("cargo:rerun-if-changed={dir}/libhost.a");
    println!("cargo:rerun-if-changed={bindings}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::copy(&bindings, format!("{out}/bindings.rs")).expect("copy the generated bindings");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=host");
    for lib in ["pthread", "dl", "m"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
