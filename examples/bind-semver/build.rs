fn main() {
    gobridge_build::Builder::new()
        .module_dir("go")
        .packages(["golang.org/x/mod/semver", "example.com/semverdemo"])
        .build()
        .unwrap_or_else(|e| gobridge_build::fail(e));
}
