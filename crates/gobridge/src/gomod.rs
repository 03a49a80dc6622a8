//! A checked `go.mod` / `go.sum` writer: every module path, version, Go version and replace
//! directory is validated for the place it lands before it becomes text, so a surface value such
//! as the version `"v1.0.0\n\nreplace x => /dir"` is an error, never a directive.
//!
//! Rules (after Go's `golang.org/x/mod/module` and `modfile`, written from their documentation):
//!
//! * **module path**: slash-separated elements of ASCII letters, digits and `-._~`; no element is
//!   empty, starts or ends with a dot, or is a Windows-reserved name (`con`, `nul`, `com1`, ...);
//!   the first element is a lower-case host name with a dot (`example.com`); a trailing major
//!   version element `/vN` has N ≥ 2 without a leading zero (`gopkg.in/x.vN` keeps its own form).
//! * **version**: canonical semantic version `vMAJOR.MINOR.PATCH[-pre][+incompatible]`
//!   (pseudo-versions such as `v0.0.0-20240101120000-abcdef123456` are of that form); no build
//!   metadata other than `+incompatible`; numbers without leading zeros. The major version must
//!   agree with the path's `/vN` suffix (`+incompatible` only for v2+ without a suffix).
//! * **Go version** (`go` line): `1.N`, `1.N.P` or `1.NrcK`/`1.NbetaK`; **toolchain**: `go` + that.
//! * **replace directory**: a relative path the synthesis chose (`./x` or `../x`), or an absolute
//!   one (staging only); no control characters, quotes or backslashes; written quoted when it
//!   holds a space.
//! * **go.sum lines**: `<module path> <version>[/go.mod] h1:<base64 of 32 bytes>`.

use std::fmt::Write as _;

/// Why a `go.mod` / `go.sum` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GoModError {
    /// A module path that breaks Go's module path rules.
    #[error("module path {path:?}: {why}")]
    ModulePath {
        /// The path.
        path: String,
        /// Which rule.
        why: &'static str,
    },
    /// A version that is not canonical semver.
    #[error("version {version:?} of {path}: {why}")]
    Version {
        /// The module path it belongs to.
        path: String,
        /// The version.
        version: String,
        /// Which rule.
        why: &'static str,
    },
    /// A `go` or `toolchain` line value that is not a Go release.
    #[error("Go version {version:?}: expected 1.N, 1.N.P, 1.NrcK or 1.NbetaK")]
    GoVersion {
        /// The value.
        version: String,
    },
    /// A replace directory that cannot be written.
    #[error("replace directory {dir:?}: {why}")]
    ReplaceDir {
        /// The directory.
        dir: String,
        /// Which rule.
        why: &'static str,
    },
    /// A `go.sum` line of the wrong shape.
    #[error("go.sum line {line}: {text:?}: {why}")]
    SumLine {
        /// 1-based line number.
        line: usize,
        /// The line.
        text: String,
        /// Which rule.
        why: &'static str,
    },
}

const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks `path` by Go's module path rules (see the module docs).
pub fn check_module_path(path: &str) -> Result<(), GoModError> {
    module_path(path, true)
}

/// Checks the path of a module that a `replace` points at a directory: the element rules, but
/// no host-name rule for the first element (Go accepts `require mymod v0.0.0` when replaced).
pub fn check_replaced_module_path(path: &str) -> Result<(), GoModError> {
    module_path(path, false)
}

fn module_path(path: &str, host_rules: bool) -> Result<(), GoModError> {
    let bad = |why| {
        Err(GoModError::ModulePath {
            path: path.to_string(),
            why,
        })
    };
    if path.is_empty() {
        return bad("empty");
    }
    if path.len() > 1024 {
        return bad("longer than 1024 bytes");
    }
    let elems: Vec<&str> = path.split('/').collect();
    for e in &elems {
        if e.is_empty() {
            return bad("empty path element (leading, trailing or double slash)");
        }
        if e.starts_with('.') || e.ends_with('.') {
            return bad("a path element must not start or end with a dot");
        }
        if !e
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
        {
            return bad("only ASCII letters, digits and `-._~` are allowed");
        }
        let stem = e.split('.').next().unwrap_or(e).to_ascii_lowercase();
        if RESERVED.contains(&stem.as_str()) {
            return bad("a path element is a reserved file name on Windows");
        }
    }
    let host = elems[0];
    if !host_rules {
        return Ok(());
    }
    if !host.contains('.') {
        return bad("the first path element must be a host name with a dot");
    }
    if host.starts_with('-') {
        return bad("the first path element must not start with a dash");
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'))
    {
        return bad("the first path element allows only lower-case letters, digits, `-` and `.`");
    }
    if elems.len() > 1 {
        if let Some(n) = major_suffix(elems[elems.len() - 1]) {
            if n.starts_with('0') || n == "1" {
                return bad("a major version suffix /vN needs N >= 2 without a leading zero");
            }
        }
    }
    Ok(())
}

/// The digits of a `vN` element, if it is one.
fn major_suffix(elem: &str) -> Option<&str> {
    let n = elem.strip_prefix('v')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

/// The major version the path requires: `Some("2")` for `.../v2`, `None` for none.
fn path_major(path: &str) -> Option<String> {
    if path.starts_with("gopkg.in/") {
        let last = path.rsplit('/').next()?;
        let (_, v) = last.rsplit_once(".v")?;
        return Some(v.to_string()).filter(|v| v != "0" && v != "1");
    }
    let last = path.rsplit('/').next()?;
    if path.contains('/') {
        major_suffix(last).map(str::to_string)
    } else {
        None
    }
}

fn numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

/// Checks `version` as the canonical semver Go writes in `go.mod` for module `path`.
pub fn check_version(path: &str, version: &str) -> Result<(), GoModError> {
    let bad = |why| {
        Err(GoModError::Version {
            path: path.to_string(),
            version: version.to_string(),
            why,
        })
    };
    let Some(rest) = version.strip_prefix('v') else {
        return bad("must start with `v`");
    };
    let (rest, incompatible) = match rest.split_once('+') {
        None => (rest, false),
        Some((r, "incompatible")) => (r, true),
        Some(_) => return bad("build metadata other than +incompatible is not canonical"),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    if nums.len() != 3 || !nums.iter().all(|n| numeric(n)) {
        return bad("expected vMAJOR.MINOR.PATCH with numbers without leading zeros");
    }
    if let Some(pre) = pre {
        for id in pre.split('.') {
            if id.is_empty()
                || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                || (id.bytes().all(|b| b.is_ascii_digit()) && !numeric(id))
            {
                return bad(
                    "a pre-release identifier is empty, has a character outside [0-9A-Za-z-] or \
                     a numeric one has a leading zero",
                );
            }
        }
    }
    let major = nums[0];
    match (path_major(path), incompatible) {
        (Some(m), false) if m != major => bad("the major version differs from the path's /vN"),
        (Some(_), true) => bad("+incompatible is only for v2+ modules without a /vN suffix"),
        (None, true) if major == "0" || major == "1" => {
            bad("+incompatible is only for major versions >= 2")
        }
        (None, false) if major != "0" && major != "1" => {
            bad("a v2+ version needs a /vN path suffix or +incompatible")
        }
        _ => Ok(()),
    }
}

/// Checks a `go` line value (`1.21`, `1.22.3`, `1.23rc1`).
pub fn check_go_version(v: &str) -> Result<(), GoModError> {
    let bad = || {
        Err(GoModError::GoVersion {
            version: v.to_string(),
        })
    };
    let Some(rest) = v.strip_prefix("1.") else {
        return bad();
    };
    let (nums, pre) = match rest.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.len() > 2 || !parts.iter().all(|p| numeric(p)) {
        return bad();
    }
    if let Some(pre) = pre {
        let n = pre.strip_prefix("rc").or_else(|| pre.strip_prefix("beta"));
        if parts.len() != 1 || !n.is_some_and(numeric) {
            return bad();
        }
    }
    Ok(())
}

/// Checks a replace directory: `./x`, `../x` or absolute; written quoted if it has a space.
pub fn check_replace_dir(dir: &str) -> Result<(), GoModError> {
    let bad = |why| {
        Err(GoModError::ReplaceDir {
            dir: dir.to_string(),
            why,
        })
    };
    if dir.chars().any(|c| c.is_control()) {
        return bad("control characters (newline, tab, ...) cannot be written");
    }
    if dir.contains(['"', '`', '\'', '\\']) {
        return bad("quotes and backslashes cannot be written");
    }
    let local = dir == "."
        || dir == ".."
        || dir.starts_with("./")
        || dir.starts_with("../")
        || dir.starts_with('/');
    if !local {
        return bad("must be ./..., ../... or absolute, else Go reads it as a module path");
    }
    Ok(())
}

/// One `require` line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Require {
    /// Module path.
    pub path: String,
    /// Version.
    pub version: String,
    /// Marked `// indirect`.
    pub indirect: bool,
}

/// A `go.mod` built from checked parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoMod {
    module: String,
    go: String,
    toolchain: Option<String>,
    requires: Vec<Require>,
    replaces: Vec<(String, String)>,
}

impl GoMod {
    /// `module <path>` with `go <go>`; both checked.
    pub fn new(module: &str, go: &str) -> Result<GoMod, GoModError> {
        check_module_path(module)?;
        check_go_version(go)?;
        Ok(GoMod {
            module: module.to_string(),
            go: go.to_string(),
            ..GoMod::default()
        })
    }

    /// `toolchain go<version>`; checked.
    pub fn toolchain(&mut self, toolchain: &str) -> Result<&mut GoMod, GoModError> {
        let v = toolchain.strip_prefix("go").unwrap_or("");
        check_go_version(v).map_err(|_| GoModError::GoVersion {
            version: toolchain.to_string(),
        })?;
        self.toolchain = Some(toolchain.to_string());
        Ok(self)
    }

    /// `require <path> <version>`; both checked.
    pub fn require(
        &mut self,
        path: &str,
        version: &str,
        indirect: bool,
    ) -> Result<&mut GoMod, GoModError> {
        if self.replaces.iter().any(|(p, _)| p == path) {
            check_replaced_module_path(path)?;
        } else {
            check_module_path(path)?;
        }
        check_version(path, version)?;
        self.requires.push(Require {
            path: path.to_string(),
            version: version.to_string(),
            indirect,
        });
        Ok(self)
    }

    /// `replace <path> => <dir>` with a relative `dir` (`./x`, `../x`); both checked. Call
    /// before [`GoMod::require`] of the same path, which then accepts a path without a host name.
    pub fn replace_dir(&mut self, path: &str, dir: &str) -> Result<&mut GoMod, GoModError> {
        check_replaced_module_path(path)?;
        check_replace_dir(dir)?;
        if dir.starts_with('/') {
            return Err(GoModError::ReplaceDir {
                dir: dir.to_string(),
                why: "generated go.mod files replace with relative directories only",
            });
        }
        self.replaces.push((path.to_string(), dir.to_string()));
        Ok(self)
    }

    /// The module path.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// Sets the `go` line; checked.
    pub fn set_go(&mut self, go: &str) -> Result<&mut GoMod, GoModError> {
        check_go_version(go)?;
        self.go = go.to_string();
        Ok(self)
    }

    /// The `require` lines so far.
    pub fn requires(&self) -> &[Require] {
        &self.requires
    }

    /// Drops every `require` line (before adding the resolved set).
    pub fn clear_requires(&mut self) -> &mut GoMod {
        self.requires.clear();
        self
    }

    /// The `replace` directives: (module path, directory).
    pub fn replaces(&self) -> &[(String, String)] {
        &self.replaces
    }

    /// Points every `replace` of a module at `dir` (checked); for staging copies elsewhere.
    pub fn set_replace_dirs(&mut self, dir: &str) -> Result<&mut GoMod, GoModError> {
        check_replace_dir(dir)?;
        for (_, d) in &mut self.replaces {
            *d = dir.to_string();
        }
        Ok(self)
    }

    /// The file text, in the layout `go mod tidy` writes (direct and indirect requires in
    /// separate blocks).
    pub fn render(&self) -> String {
        let mut s = format!("module {}\n\ngo {}\n", self.module, self.go);
        if let Some(t) = &self.toolchain {
            let _ = write!(s, "\ntoolchain {t}\n");
        }
        let mut reqs = self.requires.clone();
        reqs.sort();
        for indirect in [false, true] {
            let block: Vec<&Require> = reqs.iter().filter(|r| r.indirect == indirect).collect();
            let line = |r: &Require| {
                let c = if r.indirect { " // indirect" } else { "" };
                format!("{} {}{c}", r.path, r.version)
            };
            match block.as_slice() {
                [] => {}
                [r] => {
                    let _ = write!(s, "\nrequire {}\n", line(r));
                }
                many => {
                    s.push_str("\nrequire (\n");
                    for r in many {
                        let _ = writeln!(s, "\t{}", line(r));
                    }
                    s.push_str(")\n");
                }
            }
        }
        for (path, dir) in &self.replaces {
            let dir = if dir.contains(' ') {
                format!("\"{dir}\"")
            } else {
                dir.clone()
            };
            let _ = write!(s, "\nreplace {path} => {dir}\n");
        }
        s
    }
}

/// Checks every line of a `go.sum` text and returns it unchanged.
pub fn check_go_sum(text: &str) -> Result<&str, GoModError> {
    for (i, line) in text.lines().enumerate() {
        let bad = |why| {
            Err(GoModError::SumLine {
                line: i + 1,
                text: line.to_string(),
                why,
            })
        };
        let parts: Vec<&str> = line.split(' ').collect();
        let [path, version, hash] = parts.as_slice() else {
            return bad("expected `<module> <version>[/go.mod] h1:<hash>`");
        };
        let version = version.strip_suffix("/go.mod").unwrap_or(version);
        if check_module_path(path).is_err() || check_version(path, version).is_err() {
            return bad("module path or version is not valid");
        }
        let Some(b64) = hash.strip_prefix("h1:") else {
            return bad("hash must be h1:");
        };
        if b64.len() != 44
            || !b64.ends_with('=')
            || !b64[..43]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        {
            return bad("h1: hash must be the base64 of 32 bytes");
        }
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(GoModError::SumLine {
            line: text.lines().count(),
            text: text.lines().last().unwrap_or("").to_string(),
            why: "missing final newline",
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        for ok in [
            "golang.org/x/sync",
            "example.com/gobridge/example",
            "gobridge.local/example",
            "example.com/m/v2",
            "gopkg.in/yaml.v3",
            "github.com/a-b/c_d~e",
        ] {
            check_module_path(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "",
            "example",
            "Example.com/x",
            "example.com//x",
            "example.com/x/",
            "example.com/.x",
            "example.com/x y",
            "example.com/x\nreplace",
            "example.com/x\"",
            "example.com/con",
            "example.com/m/v1",
            "example.com/m/v02",
            "example.com/x+y",
            "-example.com/x",
        ] {
            assert!(check_module_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn versions() {
        for (p, v) in [
            ("golang.org/x/sync", "v0.10.0"),
            ("golang.org/x/sync", "v1.2.3-rc.1"),
            ("golang.org/x/sync", "v0.0.0-20240101120000-abcdef123456"),
            ("golang.org/x/sync", "v1.2.4-0.20240101120000-abcdef123456"),
            ("example.com/m", "v2.0.0+incompatible"),
            ("example.com/m/v2", "v2.1.0"),
            ("gopkg.in/yaml.v3", "v3.0.1"),
        ] {
            check_version(p, v).unwrap_or_else(|e| panic!("{v}: {e}"));
        }
        for (p, v) in [
            (
                "golang.org/x/sync",
                "v1.0.0\n\nreplace golang.org/x/sys => /some/dir",
            ),
            ("golang.org/x/sync", "1.0.0"),
            ("golang.org/x/sync", "v1.0"),
            ("golang.org/x/sync", "v01.0.0"),
            ("golang.org/x/sync", "v1.0.0+meta"),
            ("golang.org/x/sync", "v1.0.0-"),
            ("golang.org/x/sync", "v1.0.0-01"),
            ("golang.org/x/sync", "v1.0.0 // x"),
            ("golang.org/x/sync", "v2.0.0"),
            ("example.com/m/v2", "v3.0.0"),
            ("example.com/m/v2", "v2.0.0+incompatible"),
            ("example.com/m", "v1.0.0+incompatible"),
        ] {
            assert!(check_version(p, v).is_err(), "{v:?}");
        }
    }

    #[test]
    fn go_versions_and_dirs() {
        for ok in ["1.21", "1.21.13", "1.23rc1", "1.22beta2"] {
            check_go_version(ok).unwrap();
        }
        for bad in ["1", "1.21\n", "2.0", "1.21.0.1", "1.21.3rc1", "1.01"] {
            assert!(check_go_version(bad).is_err(), "{bad:?}");
        }
        for ok in ["../../testdata/example", "./x", "/abs/dir", "../a b"] {
            check_replace_dir(ok).unwrap();
        }
        for bad in ["x", "golang.org/x/sys", "../a\nb", "../a\"b", "../a\\b", ""] {
            assert!(check_replace_dir(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn builder_renders_only_checked_parts() {
        let mut m = GoMod::new("gobridge.local/example", "1.21").unwrap();
        m.require("golang.org/x/sync", "v0.10.0", false).unwrap();
        m.require("golang.org/x/sys", "v0.1.0", true).unwrap();
        m.require("golang.org/x/text", "v0.1.0", true).unwrap();
        assert!(m.replace_dir("golang.org/x/sync", "/abs/src").is_err());
        m.replace_dir("golang.org/x/sync", "../my src").unwrap();
        assert_eq!(
            m.render(),
            "module gobridge.local/example\n\ngo 1.21\n\nrequire golang.org/x/sync v0.10.0\n\n\
             require (\n\tgolang.org/x/sys v0.1.0 // indirect\n\tgolang.org/x/text v0.1.0 // indirect\n)\n\n\
             replace golang.org/x/sync => \"../my src\"\n"
        );
        let injected = "v1.0.0\n\nreplace golang.org/x/sys => /some/dir";
        assert!(matches!(
            m.require("golang.org/x/sync", injected, false),
            Err(GoModError::Version { .. })
        ));
        assert!(GoMod::new("x\nreplace a => b", "1.21").is_err());
        assert!(m.toolchain("go1.22.1").is_ok());
        assert!(m.toolchain("go1.22\n").is_err());
    }

    #[test]
    fn go_sum_lines() {
        let good = "golang.org/x/sync v0.10.0 h1:3NQrjDixjgGwUOCaF8w2+VYHv0Ve/vGYSbdkTa98gmQ=\n\
                    golang.org/x/sync v0.10.0/go.mod h1:Czt+wKu1gCyEFDUtn0jG5QVvpJ6rzVqr5aXyt9drQfk=\n";
        assert_eq!(check_go_sum(good).unwrap(), good);
        assert!(check_go_sum("").is_ok());
        for bad in [
            "golang.org/x/sync v0.10.0 h1:abc=\n",
            "golang.org/x/sync v0.10.0\n",
            "replace a => b\n",
            "golang.org/x/sync v0.10.0 h1:3NQrjDixjgGwUOCaF8w2+VYHv0Ve/vGYSbdkTa98gmQ=",
        ] {
            assert!(check_go_sum(bad).is_err(), "{bad:?}");
        }
    }
}
