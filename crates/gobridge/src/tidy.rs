//! Completing the generated module with Go's own module resolution, so the cgo folder builds
//! with the printed command under the default `-mod=readonly` (no `missing go.sum entry`).
//!
//! [`complete_module`] copies the generated files into a private temporary staging directory
//! (never the output directory), points the `replace` of a local source at its absolute
//! directory, adds the local source module's own `require` lines (so `go mod tidy` keeps the
//! versions it chose instead of the newest on the proxy), runs `go mod tidy` there
//! (`GOFLAGS=-mod=mod`, `GOTOOLCHAIN=local`, `GOWORK=off`; this may download from the module
//! proxy), reads the resolved requirements back with `go mod edit -json`, and then
//!
//! * rebuilds `go.mod` through [`crate::gomod::GoMod`] (every resolved path and version checked again, the
//!   `replace` kept relative as synthesis chose it), and
//! * adds `go.sum` after checking every line's shape ([`crate::gomod::check_go_sum`]).
//!
//! When only standard-library packages are bound and nothing is required, `go mod tidy` would
//! change nothing and write no `go.sum`, so it is not run.
//!
//! Any failure is a [`TidyError`] and the caller writes nothing. The staging directory is
//! removed in every case.

use crate::gomod::{GoModError, check_go_sum};
use crate::paths;
use crate::report::FileReport;
use crate::synth::Generated;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the module could not be completed (nothing is written).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TidyError {
    /// Creating or filling the staging directory.
    #[error("staging the generated module in {dir}")]
    Stage {
        /// The path.
        dir: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// `go` could not be started.
    #[error("running {go}")]
    Spawn {
        /// The go binary.
        go: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A `go` command failed; `stderr` is Go's message.
    #[error("`go {args}` in the staged module failed (GOFLAGS=-mod=mod):\n{stderr}")]
    Go {
        /// The arguments.
        args: String,
        /// What Go printed.
        stderr: String,
    },
    /// `go mod edit -json` printed something else than a go.mod document.
    #[error("reading `go mod edit -json` output")]
    Json {
        /// The decoder's error.
        #[source]
        source: serde_json::Error,
    },
    /// A resolved path, version or go.sum line that fails the go.mod rules.
    #[error("the module resolved by `go mod tidy`")]
    Check {
        /// Which value and rule.
        #[source]
        source: GoModError,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModJson {
    #[serde(default)]
    go: String,
    #[serde(default)]
    toolchain: String,
    /// `go mod edit -json` writes `null` when nothing is required (a std-only module).
    #[serde(default, deserialize_with = "null_as_empty")]
    require: Vec<ModRequire>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ModRequire>, D::Error> {
    Ok(Option::<Vec<ModRequire>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModRequire {
    path: String,
    version: String,
    #[serde(default)]
    indirect: bool,
}

/// Runs `go mod tidy` on a staged copy of `generated` and puts the resolved `go.mod` and the `go.sum`
/// into `generated` (see the module docs). `source_dir` is the directory the bound packages were
/// resolved in: a `replace` of the local source module points at it, and when it holds a
/// `go.mod` its requirements are kept.
pub fn complete_module(
    generated: &mut Generated,
    source_dir: &Path,
    go: &Path,
) -> Result<(), TidyError> {
    let check = |source| TidyError::Check { source };
    let mut staged = generated.go_mod.clone();
    if !staged.replaces().is_empty() {
        staged
            .set_replace_dirs(&paths::absolute(source_dir).to_string_lossy())
            .map_err(check)?;
    }
    pin_source_requirements(&mut staged, source_dir, go)?;
    if staged.requires().is_empty()
        && generated
            .bindings
            .iter()
            .all(|p| apisurface::validate::is_std_path(&p.import_path))
    {
        // Standard-library packages only and nothing required: `go mod tidy` would change
        // nothing and write no go.sum (saves a `go` run of every std-only build).
        return Ok(());
    }
    let stage = tempfile::Builder::new()
        .prefix("gobridge-stage-")
        .tempdir()
        .map_err(|source| TidyError::Stage {
            dir: std::env::temp_dir(),
            source,
        })?;
    let mut files = generated.files.clone();
    files.insert("go.mod".into(), staged.render());
    for (rel, text) in &files {
        let path = stage.path().join(rel);
        let io = |source| TidyError::Stage {
            dir: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
    }
    go_in(go, stage.path(), &["mod", "tidy"])?;
    let json = go_in(go, stage.path(), &["mod", "edit", "-json"])?;
    let resolved: ModJson =
        serde_json::from_slice(&json).map_err(|source| TidyError::Json { source })?;
    let sum = match std::fs::read_to_string(stage.path().join("go.sum")) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(TidyError::Stage {
                dir: stage.path().join("go.sum"),
                source,
            });
        }
    };
    let mut m = generated.go_mod.clone();
    if !resolved.go.is_empty() {
        m.set_go(&resolved.go).map_err(check)?;
    }
    if !resolved.toolchain.is_empty() {
        m.toolchain(&resolved.toolchain).map_err(check)?;
    }
    m.clear_requires();
    for r in &resolved.require {
        m.require(&r.path, &r.version, r.indirect).map_err(check)?;
    }
    check_go_sum(&sum).map_err(check)?;
    generated.files.insert("go.mod".into(), m.render());
    generated.go_mod = m;
    if !sum.is_empty() {
        generated.files.insert("go.sum".into(), sum);
        generated.report.files.push(FileReport {
            path: "go.sum".into(),
            kind: "go.sum".into(),
        });
        generated.report.files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(())
}

/// Adds the local source module's own `require` lines to the staged `go.mod`, so `go mod tidy`
/// keeps the versions the source module chose (for example `golang.org/x/mod v0.17.0`, which
/// still builds with go1.21) instead of resolving a bound package that the source module does
/// not import itself to the newest release on the module proxy.
fn pin_source_requirements(
    staged: &mut crate::gomod::GoMod,
    source_dir: &Path,
    go: &Path,
) -> Result<(), TidyError> {
    // No go.mod, or one without a `require` line: nothing to keep (and no `go` run).
    let text = std::fs::read_to_string(source_dir.join("go.mod")).unwrap_or_default();
    if !text.lines().any(|l| l.trim_start().starts_with("require")) {
        return Ok(());
    }
    let json = go_in(go, source_dir, &["mod", "edit", "-json"])?;
    let source: ModJson =
        serde_json::from_slice(&json).map_err(|source| TidyError::Json { source })?;
    for r in &source.require {
        if staged.requires().iter().all(|have| have.path != r.path) {
            staged
                .require(&r.path, &r.version, r.indirect)
                .map_err(|source| TidyError::Check { source })?;
        }
    }
    Ok(())
}

fn go_in(go: &Path, dir: &Path, args: &[&str]) -> Result<Vec<u8>, TidyError> {
    let out = Command::new(go)
        .args(args)
        .current_dir(dir)
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .output()
        .map_err(|source| TidyError::Spawn {
            go: go.to_path_buf(),
            source,
        })?;
    if !out.status.success() {
        return Err(TidyError::Go {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim_end().to_string(),
        });
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::ModJson;

    #[test]
    fn a_module_that_requires_nothing_parses() {
        // `go mod edit -json` of a std-only module.
        let m: ModJson = serde_json::from_str(
            r#"{"Module":{"Path":"gobridge.local/std"},"Go":"1.21","Require":null,"Exclude":null}"#,
        )
        .unwrap();
        assert!(m.require.is_empty());
        assert_eq!(m.go, "1.21");
    }
}
