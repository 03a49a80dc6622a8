//! `cargo xtask corpus`: regenerates `testdata/types/std.txt` from the installed Go.
//!
//! Runs the stdlib-only program in `testdata/typecorpus/`, which loads the exported API of every
//! public standard-library package with go/types (export data built for linux/amd64, so the
//! result does not depend on the host) and prints every distinct type string, sorted, after a
//! `# go version ...` header. `testdata/types/edge.txt` is hand-written and left alone.
//! Sentinel step `corpus` regenerates into `target/xtask/corpus/` and compares.

use crate::util::{self, find_go, root, write};
use anyhow::{Context, Result, bail};
use apisurface::parse_type;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Name of the generated corpus file inside `testdata/types/`.
pub const STD_FILE: &str = "std.txt";

pub fn run(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        bail!("corpus: unexpected argument `{a}` (usage: cargo xtask corpus)");
    }
    let Some(go) = find_go() else {
        bail!("corpus: `go` not found on PATH (set GOBRIDGE_GO or install Go)");
    };
    let text = generate(&go)?;
    let out = root().join("testdata").join("types").join(STD_FILE);
    write(&out, &text)?;
    let (lines, bad) = check(&text);
    println!("corpus: wrote {} ({lines} type strings)", out.display());
    if bad.is_empty() {
        println!("corpus: all {lines} round-trip through apisurface::parse_type");
    } else {
        println!(
            "corpus: {} of {lines} do NOT round-trip (the corpus test will fail):",
            bad.len()
        );
        for b in bad.iter().take(20) {
            println!("  {b}");
        }
    }
    Ok(())
}

/// Runs the corpus program with `go` and returns its output (the whole corpus file).
pub fn generate(go: &Path) -> Result<String> {
    let dir = root().join("testdata").join("typecorpus");
    // The program runs `go list`; make sure it finds the same `go` first on PATH.
    let mut path = OsString::new();
    if let Some(bin) = go.parent().filter(|p| !p.as_os_str().is_empty()) {
        path.push(bin);
        path.push(":");
    }
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let out = util::run(
        crate::util::go(go)
            .args(["run", "."])
            .current_dir(&dir)
            .env("PATH", path)
            .env("GOWORK", "off")
            .env("GOFLAGS", ""),
    )?;
    let text = String::from_utf8(out.stdout).context("corpus program printed non-UTF-8")?;
    if !text.starts_with("# go version ") {
        bail!("corpus program output lacks the `# go version` header");
    }
    Ok(text)
}

/// `(type lines, descriptions of lines that do not round-trip)`.
pub fn check(text: &str) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        n += 1;
        match parse_type(line) {
            Ok(t) if t.to_string() == line => {}
            Ok(t) => bad.push(format!("line {}: {line} prints as {t}", i + 1)),
            Err(e) => bad.push(format!("line {}: {line}: {e}", i + 1)),
        }
    }
    (n, bad)
}

/// The Go version (`go1.26.8`) recorded in a corpus file's header, if any.
pub fn recorded_version(text: &str) -> Option<&str> {
    text.lines()
        .next()?
        .strip_prefix("# go version ")?
        .split_whitespace()
        .next()
}

/// `go env GOVERSION` of `go`.
pub fn installed_version(go: &Path) -> Result<String> {
    let out = util::run(crate::util::go(go).args(["env", "GOVERSION"]))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Path of the committed corpus file.
pub fn committed_path() -> PathBuf {
    root().join("testdata").join("types").join(STD_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_version() {
        let text = "# go version go1.26.8 (GOOS=linux GOARCH=amd64)\nint\n";
        assert_eq!(recorded_version(text), Some("go1.26.8"));
        assert_eq!(recorded_version("int\n"), None);
        assert_eq!(recorded_version(""), None);
    }

    #[test]
    fn check_counts_and_reports() {
        let (n, bad) = check("# header\nint\n\nchan (chan int)\n*T\n");
        assert_eq!(n, 3);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].starts_with("line 4:"), "{}", bad[0]);
    }
}
