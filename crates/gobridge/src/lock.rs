//! `gobridge.lock`: what a generation run produced, pinned by SHA-256 (the seeds' wrapper-sha256
//! pin), and the atomic writer that puts generated files on disk.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Schema version of `gobridge.lock`.
pub const LOCK_SCHEMA_VERSION: u32 = 1;
/// File name of the lockfile inside the output directory.
pub const LOCK_FILE: &str = "gobridge.lock";

/// The lockfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lockfile {
    /// [`LOCK_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `go version` of the toolchain that produced the surface.
    pub go_version: String,
    /// SHA-256 of the surface JSON the files were generated from.
    pub surface_sha256: String,
    /// SHA-256 of the canonical configuration.
    pub config_sha256: String,
    /// Each generated file, sorted by path.
    #[serde(default)]
    pub files: Vec<LockedFile>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

/// How a file differs from the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Drift {
    /// Content differs.
    Changed {
        /// The file.
        path: String,
        /// Hash in the lock.
        locked: String,
        /// Hash now.
        actual: String,
    },
    /// In the lock, not produced / not on disk.
    Missing {
        /// The file.
        path: String,
    },
    /// Produced / on disk, not in the lock.
    Extra {
        /// The file.
        path: String,
    },
    /// Surface or config hash differs.
    Input {
        /// `surface` or `config`.
        what: &'static str,
        /// Hash in the lock.
        locked: String,
        /// Hash now.
        actual: String,
    },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Changed {
                path,
                locked,
                actual,
            } => {
                write!(
                    f,
                    "{path}: content changed (locked {locked:.12}, now {actual:.12})"
                )
            }
            Drift::Missing { path } => write!(f, "{path}: locked but missing"),
            Drift::Extra { path } => write!(f, "{path}: not in the lock"),
            Drift::Input {
                what,
                locked,
                actual,
            } => {
                write!(f, "{what} changed (locked {locked:.12}, now {actual:.12})")
            }
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Errors reading or writing lockfiles and output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// I/O on a path.
    #[error("I/O on {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The lockfile is not valid TOML of the lockfile's shape.
    #[error("{path}: invalid lockfile")]
    Parse {
        /// The path.
        path: PathBuf,
        /// The TOML decoder's error.
        #[source]
        source: toml::de::Error,
    },
    /// The lockfile has a schema version this gobridge does not read.
    #[error("{path}: lockfile schema_version {found} is not the supported {LOCK_SCHEMA_VERSION}")]
    Schema {
        /// The path.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
    /// A generated file name that would escape the output directory.
    #[error("refusing to write {path:?}: generated paths must be relative, without `..`")]
    BadPath {
        /// The path.
        path: String,
    },
}

/// The surface document as `ingest` prints it and the lock hashes it: pretty JSON and a final
/// newline.
pub fn surface_text(s: &apisurface::Surface) -> String {
    let mut t = serde_json::to_string_pretty(s).expect("a surface serializes");
    t.push('\n');
    t
}

impl Lockfile {
    /// The lock of `files` generated from `surface` with `config` (the surface hashed as
    /// [`surface_text`] writes it).
    pub fn for_generated(
        surface: &apisurface::Surface,
        config: &crate::Config,
        files: &BTreeMap<String, String>,
    ) -> Lockfile {
        Lockfile::new(
            &surface.go_version,
            surface_text(surface).as_bytes(),
            &config.canonical_toml(),
            files,
        )
    }

    /// Builds the lock for a set of generated files.
    pub fn new(
        go_version: &str,
        surface_json: &[u8],
        config_canonical: &str,
        files: &BTreeMap<String, String>,
    ) -> Lockfile {
        Lockfile {
            schema_version: LOCK_SCHEMA_VERSION,
            go_version: go_version.to_string(),
            surface_sha256: sha256_hex(surface_json),
            config_sha256: sha256_hex(config_canonical.as_bytes()),
            files: files
                .iter()
                .map(|(p, c)| LockedFile {
                    path: p.clone(),
                    sha256: sha256_hex(c.as_bytes()),
                })
                .collect(),
        }
    }

    /// The lockfile text (TOML, byte-deterministic).
    pub fn to_toml(&self) -> String {
        let mut s = String::from("# gobridge.lock: generated by gobridge. DO NOT EDIT.\n");
        s.push_str(&toml::to_string(self).expect("lockfile serializes"));
        s
    }

    /// Parses lockfile text.
    pub fn parse(text: &str, path: &Path) -> Result<Lockfile, LockError> {
        let lock: Lockfile = toml::from_str(text).map_err(|source| LockError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        if lock.schema_version != LOCK_SCHEMA_VERSION {
            return Err(LockError::Schema {
                path: path.to_path_buf(),
                found: lock.schema_version,
            });
        }
        Ok(lock)
    }

    /// Reads `dir/gobridge.lock`.
    pub fn read(dir: &Path) -> Result<Lockfile, LockError> {
        let path = dir.join(LOCK_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| LockError::Io {
            path: path.clone(),
            source: e,
        })?;
        Lockfile::parse(&text, &path)
    }

    /// Differences between this lock and `other` (inputs first, then files by path).
    pub fn diff(&self, other: &Lockfile) -> Vec<Drift> {
        let mut out = Vec::new();
        if self.surface_sha256 != other.surface_sha256 {
            out.push(Drift::Input {
                what: "surface",
                locked: self.surface_sha256.clone(),
                actual: other.surface_sha256.clone(),
            });
        }
        if self.config_sha256 != other.config_sha256 {
            out.push(Drift::Input {
                what: "config",
                locked: self.config_sha256.clone(),
                actual: other.config_sha256.clone(),
            });
        }
        out.extend(diff_files(
            &self.files,
            other
                .files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
        ));
        out
    }

    /// Checks files on disk under `dir` against the lock.
    pub fn verify_dir(&self, dir: &Path) -> Result<Vec<Drift>, LockError> {
        let mut actual = BTreeMap::new();
        for f in &self.files {
            let path = dir.join(&f.path);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    actual.insert(f.path.clone(), sha256_hex(&bytes));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(LockError::Io { path, source: e }),
            }
        }
        Ok(diff_files(&self.files, actual))
    }
}

fn diff_files(locked: &[LockedFile], actual: BTreeMap<String, String>) -> Vec<Drift> {
    let mut out = Vec::new();
    let locked_map: BTreeMap<&str, &str> = locked
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    for (path, hash) in &locked_map {
        match actual.get(*path) {
            None => out.push(Drift::Missing {
                path: path.to_string(),
            }),
            Some(a) if a != hash => out.push(Drift::Changed {
                path: path.to_string(),
                locked: hash.to_string(),
                actual: a.clone(),
            }),
            Some(_) => {}
        }
    }
    for path in actual.keys() {
        if !locked_map.contains_key(path.as_str()) {
            out.push(Drift::Extra { path: path.clone() });
        }
    }
    out
}

/// Writes `files` (relative path → contents) and the lockfile into `dir` atomically per file:
/// every file is first written to a temporary name in its target directory; only when all
/// writes succeeded are they renamed into place, so a failure leaves the previous output
/// untouched, and directories created for it (`dir` itself included) are removed again.
/// Files listed in the previous lock but no longer generated are removed.
pub fn write_output(
    dir: &Path,
    files: &BTreeMap<String, String>,
    lock: &Lockfile,
) -> Result<(), LockError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LockError::Io { path, source }
    };
    for p in files.keys() {
        if p.is_empty() || p.starts_with('/') || p.split('/').any(|e| e == ".." || e.is_empty()) {
            return Err(LockError::BadPath { path: p.clone() });
        }
    }
    let previous = Lockfile::read(dir).ok();
    let mut all: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(p, c)| (dir.join(p), c.as_bytes()))
        .collect();
    let lock_text = lock.to_toml();
    all.push((dir.join(LOCK_FILE), lock_text.as_bytes()));

    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut created: Vec<PathBuf> = Vec::new();
    let stage = |staged: &mut Vec<(PathBuf, PathBuf)>,
                 created: &mut Vec<PathBuf>|
     -> Result<(), LockError> {
        for (path, bytes) in &all {
            let parent = path.parent().unwrap_or(dir);
            let missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            created.extend(missing.into_iter().rev());
            std::fs::create_dir_all(parent).map_err(io(parent))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let tmp = parent.join(format!(".{name}.gobridge-tmp.{}", std::process::id()));
            std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
            staged.push((tmp, path.clone()));
        }
        Ok(())
    };
    if let Err(e) = stage(&mut staged, &mut created) {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        // Deepest first; only directories this call created, and only if empty.
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        return Err(e);
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            for (tmp, _) in &staged[i..] {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(io(path)(e));
        }
    }
    if let Some(prev) = previous {
        for f in prev.files {
            if !files.contains_key(&f.path) && !f.path.split('/').any(|e| e == "..") {
                let _ = std::fs::remove_file(dir.join(&f.path));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn lock_round_trips_and_is_deterministic() {
        let f = files(&[("b.go", "package b\n"), ("a.go", "package a\n")]);
        let l1 = Lockfile::new("go1.26", b"{}", "[go]\n", &f);
        let l2 = Lockfile::new("go1.26", b"{}", "[go]\n", &f);
        assert_eq!(l1.to_toml(), l2.to_toml());
        assert_eq!(l1.files[0].path, "a.go");
        assert_eq!(l1.files[0].sha256, sha256_hex(b"package a\n"));
        let back = Lockfile::parse(&l1.to_toml(), Path::new("x")).unwrap();
        assert_eq!(back, l1);
    }

    #[test]
    fn diff_names_each_drifted_file() {
        let old = Lockfile::new("g", b"s", "c", &files(&[("a.go", "1"), ("b.go", "2")]));
        let new = Lockfile::new(
            "g",
            b"s2",
            "c",
            &files(&[("a.go", "1"), ("b.go", "3"), ("c.go", "4")]),
        );
        let d = old.diff(&new);
        assert!(matches!(
            &d[0],
            Drift::Input {
                what: "surface",
                ..
            }
        ));
        assert!(matches!(&d[1], Drift::Changed { path, .. } if path == "b.go"));
        assert!(matches!(&d[2], Drift::Extra { path } if path == "c.go"));
        assert_eq!(d.len(), 3);
        assert!(old.diff(&old).is_empty());
    }

    #[test]
    fn write_verify_and_remove_stale() {
        let dir = tempfile::tempdir().unwrap();
        let f1 = files(&[("a.go", "A"), ("sub/b.go", "B")]);
        let l1 = Lockfile::new("g", b"s", "c", &f1);
        write_output(dir.path(), &f1, &l1).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/b.go")).unwrap(),
            "B"
        );
        let read = Lockfile::read(dir.path()).unwrap();
        assert!(read.verify_dir(dir.path()).unwrap().is_empty());
        std::fs::write(dir.path().join("a.go"), "tampered").unwrap();
        let d = read.verify_dir(dir.path()).unwrap();
        assert!(matches!(&d[..], [Drift::Changed { path, .. }] if path == "a.go"));

        let f2 = files(&[("a.go", "A2")]);
        let l2 = Lockfile::new("g", b"s", "c", &f2);
        write_output(dir.path(), &f2, &l2).unwrap();
        assert!(
            !dir.path().join("sub/b.go").exists(),
            "stale generated file removed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("gobridge-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn bad_paths_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x.go", "/abs.go", "a//b.go", ""] {
            let f = files(&[("ok.go", "x"), (bad, "y")]);
            let l = Lockfile::new("g", b"s", "c", &f);
            assert!(matches!(
                write_output(dir.path(), &f, &l),
                Err(LockError::BadPath { .. })
            ));
            assert!(!dir.path().join("ok.go").exists());
        }
    }

    #[test]
    fn failed_staging_into_a_new_dir_leaves_no_dir() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("new/out");
        // A file name longer than the OS allows fails staging after `new/out/sub` was created.
        let long = format!("sub/{}.go", "x".repeat(300));
        let f = files(&[("a.go", "A"), (&long, "X")]);
        assert!(write_output(&out, &f, &Lockfile::new("g", b"s", "c", &f)).is_err());
        assert!(
            !root.path().join("new").exists(),
            "created dirs are removed"
        );
    }

    #[test]
    fn failed_staging_leaves_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let f1 = files(&[("a.go", "A")]);
        write_output(dir.path(), &f1, &Lockfile::new("g", b"s", "c", &f1)).unwrap();
        // A directory where a file must go makes staging fail midway.
        std::fs::create_dir_all(dir.path().join("blocker")).unwrap();
        std::fs::write(dir.path().join("blocker").join("x"), "").unwrap();
        let f2 = files(&[("a.go", "A2"), ("blocker/x/y.go", "Y")]);
        assert!(write_output(dir.path(), &f2, &Lockfile::new("g", b"s", "c", &f2)).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.go")).unwrap(),
            "A"
        );
    }
}
