//! Copies the generated bindings into OUT_DIR and links the generated c-archive.

fn main() {
    for var in [
        "MOCHI_BIND_LIB_DIR",
        "MOCHI_BIND_BINDINGS",
        "MOCHI_BIND_LIB",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let (Ok(dir), Ok(bindings)) = (
        std::env::var("MOCHI_BIND_LIB_DIR"),
        std::env::var("MOCHI_BIND_BINDINGS"),
    ) else {
        panic!(
            "set MOCHI_BIND_LIB_DIR (folder of the c-archive) and MOCHI_BIND_BINDINGS (the generated module)"
        );
    };
    let lib = std::env::var("MOCHI_BIND_LIB").unwrap_or_else(|_| "example".into());
    println!("cargo:rerun-if-changed={dir}/lib{lib}.a");
    println!("cargo:rerun-if-changed={bindings}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::copy(&bindings, format!("{out}/bindings.rs")).expect("copy the generated bindings");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static={lib}");
    for lib in ["pthread", "dl", "m"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
