//! Links the gate's c-archive (`libbridge.a` in `$MOCHI_BRIDGE_LIB_DIR`).

fn main() {
    println!("cargo:rerun-if-env-changed=MOCHI_BRIDGE_LIB_DIR");
    let Ok(dir) = std::env::var("MOCHI_BRIDGE_LIB_DIR") else {
        panic!("set MOCHI_BRIDGE_LIB_DIR to the folder holding libbridge.a");
    };
    println!("cargo:rerun-if-changed={dir}/libbridge.a");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=bridge");
    for lib in ["pthread", "dl", "m"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
