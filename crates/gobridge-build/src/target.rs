//! Cargo's target (`CARGO_CFG_TARGET_OS` / `_ARCH`) → Go's `GOOS` / `GOARCH`, and the system
//! libraries a Go c-archive needs there.

/// A Go target a c-archive can be built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoTarget {
    /// `GOOS`.
    pub goos: &'static str,
    /// `GOARCH`.
    pub goarch: &'static str,
}

/// Why a Cargo target has no Go c-archive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("target {os}/{arch}: {why}")]
pub struct TargetError {
    /// `CARGO_CFG_TARGET_OS`.
    pub os: String,
    /// `CARGO_CFG_TARGET_ARCH`.
    pub arch: String,
    /// What to do instead.
    pub why: &'static str,
}

/// Maps Cargo's target OS and architecture to Go's.
pub fn go_target(os: &str, arch: &str) -> Result<GoTarget, TargetError> {
    let err = |why| TargetError {
        os: os.to_string(),
        arch: arch.to_string(),
        why,
    };
    if arch == "wasm32" || arch == "wasm64" {
        return Err(err(
            "a c-archive cannot be built for wasm; use gobridge's wasip1 target (linkname \
             wrappers with //go:wasmexport, `targets = [\"wasip1\"]` in gobridge.toml)",
        ));
    }
    let goos = match os {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "windows",
        "freebsd" => "freebsd",
        "android" => "android",
        "ios" => "ios",
        _ => {
            return Err(err(
                "Go has no c-archive support gobridge knows for this OS",
            ));
        }
    };
    let goarch = match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        "riscv64" => "riscv64",
        "powerpc64" => "ppc64le",
        "s390x" => "s390x",
        "loongarch64" => "loong64",
        _ => return Err(err("Go has no port gobridge knows for this architecture")),
    };
    Ok(GoTarget { goos, goarch })
}

/// The cargo link directives (without `cargo:`) for the system libraries the Go runtime of a
/// c-archive needs on `goos`.
pub fn system_libs(goos: &str) -> Vec<&'static str> {
    match goos {
        "darwin" | "ios" => vec![
            "rustc-link-lib=framework=CoreFoundation",
            "rustc-link-lib=framework=Security",
            "rustc-link-lib=resolv",
        ],
        "windows" => vec![
            "rustc-link-lib=ws2_32",
            "rustc-link-lib=userenv",
            "rustc-link-lib=ntdll",
        ],
        "android" => vec![
            "rustc-link-lib=log",
            "rustc-link-lib=dl",
            "rustc-link-lib=m",
        ],
        _ => vec![
            "rustc-link-lib=pthread",
            "rustc-link-lib=dl",
            "rustc-link-lib=m",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_targets_map_to_go() {
        for (os, arch, goos, goarch) in [
            ("linux", "x86_64", "linux", "amd64"),
            ("macos", "aarch64", "darwin", "arm64"),
            ("windows", "x86_64", "windows", "amd64"),
            ("linux", "aarch64", "linux", "arm64"),
            ("android", "aarch64", "android", "arm64"),
        ] {
            assert_eq!(
                go_target(os, arch),
                Ok(GoTarget { goos, goarch }),
                "{os}/{arch}"
            );
        }
    }

    #[test]
    fn wasm_and_unknown_targets_are_clear_errors() {
        let e = go_target("wasi", "wasm32").unwrap_err();
        assert!(e.to_string().contains("wasip1"), "{e}");
        assert!(e.to_string().starts_with("target wasi/wasm32"), "{e}");
        assert!(go_target("redox", "x86_64").is_err());
        assert!(go_target("linux", "sparc64").is_err());
    }

    #[test]
    fn system_libraries_per_os() {
        assert!(system_libs("linux").contains(&"rustc-link-lib=pthread"));
        assert!(system_libs("darwin").contains(&"rustc-link-lib=framework=Security"));
    }
}
