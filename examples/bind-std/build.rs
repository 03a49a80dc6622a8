fn main() {
    gobridge_build::Builder::new()
        .packages(["strings", "strconv"])
        .build()
        .unwrap_or_else(|e| gobridge_build::fail(e));
}
