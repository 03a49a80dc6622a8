//! The two on-disk caches: the built helper binary and ingest results.
//!
//! Both are written to a unique temporary name in the cache directory and then renamed into
//! place, so a reader sees either nothing or a complete file, and concurrent first runs (which
//! build identical content) cannot corrupt each other.

use crate::IngestError;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

/// The default cache directory: `$GOBRIDGE_CACHE_DIR`, else `$XDG_CACHE_HOME/gobridge/go-ingest`,
/// else `$HOME/.cache/gobridge/go-ingest`, else a folder in the system temp directory.
pub fn default_cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("GOBRIDGE_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gobridge").join("go-ingest");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h)
            .join(".cache")
            .join("gobridge")
            .join("go-ingest");
    }
    std::env::temp_dir().join("gobridge-go-ingest")
}

/// A name no other writer (thread or process) uses at the same time.
pub fn unique_tmp(dir: &Path, stem: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    dir.join(format!(".tmp-{stem}-{}-{nanos}-{n}", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IngestError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| IngestError::io("creating", dir, e))?;
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = unique_tmp(dir, &stem);
    if let Err(e) = fs::write(&tmp, bytes) {
        let _ = fs::remove_file(&tmp);
        return Err(IngestError::io("writing", &tmp, e));
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        // Another writer may have won the race on a platform where rename does not replace.
        if path.is_file() {
            return Ok(());
        }
        return Err(IngestError::io("renaming into", path, e));
    }
    Ok(())
}

/// Hex SHA-256 of a sequence of byte strings, each length-prefixed so fields cannot run together.
pub fn hash_parts<I, B>(parts: I) -> String
where
    I: IntoIterator<Item = B>,
    B: AsRef<[u8]>,
{
    let mut h = Sha256::new();
    for p in parts {
        let p = p.as_ref();
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

/// `mtime_ns size` of a path, or `missing`.
pub fn stat_line(path: &Path) -> String {
    stat(path).0
}

/// `mtime_ns size` (or `missing`) and the mtime in nanoseconds since the epoch (0 if unknown).
fn stat(path: &Path) -> (String, u128) {
    match fs::metadata(path) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            (format!("{mtime} {}", m.len()), mtime)
        }
        Err(_) => ("missing".to_string(), 0),
    }
}

/// What a result depends on, as recorded after a cold run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Inputs {
    /// Package directories: their own mtime and every `.go` file in them.
    pub dirs: Vec<String>,
    /// Single files (go.mod, go.sum, go.work), present or absent.
    pub files: Vec<String>,
}

/// A fingerprint of the inputs: changes when a `.go` file in any package directory is edited,
/// added, removed or renamed, or when a module or workspace file changes or appears.
pub fn fingerprint(inputs: &Inputs) -> String {
    fingerprint_and_newest(inputs).0
}

/// The fingerprint and the newest modification time seen (nanoseconds since the epoch).
pub fn fingerprint_and_newest(inputs: &Inputs) -> (String, u128) {
    let mut h = Sha256::new();
    let mut newest = 0u128;
    let mut line = |s: &str| {
        h.update(s.as_bytes());
        h.update(b"\n");
    };
    let mut stat = |p: &Path| {
        let (l, m) = stat(p);
        newest = newest.max(m);
        l
    };
    for d in &inputs.dirs {
        let dir = Path::new(d);
        line(&format!("D {d} {}", stat(dir)));
        let mut names: Vec<String> = match fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".go"))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        for n in names {
            line(&format!("F {n} {}", stat(&dir.join(&n))));
        }
    }
    for f in &inputs.files {
        line(&format!("M {f} {}", stat(Path::new(f))));
    }
    (hex::encode(h.finalize()), newest)
}

/// Header line of a result entry.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct EntryHeader {
    fingerprint: String,
    len: usize,
    inputs: Inputs,
}

/// Reads a result entry and returns its surface JSON when its inputs are unchanged.
pub fn load_result(path: &Path) -> Option<String> {
    let data = fs::read(path).ok()?;
    let nl = data.iter().position(|&b| b == b'\n')?;
    let header: EntryHeader = serde_json::from_slice(&data[..nl]).ok()?;
    let body = &data[nl + 1..];
    if body.len() != header.len || fingerprint(&header.inputs) != header.fingerprint {
        return None;
    }
    String::from_utf8(body.to_vec()).ok()
}

/// Stores a result entry (header line, then the surface JSON).
pub fn store_result(
    path: &Path,
    inputs: Inputs,
    fingerprint: String,
    json: &str,
) -> Result<(), IngestError> {
    let header = EntryHeader {
        fingerprint,
        len: json.len(),
        inputs,
    };
    let mut bytes = serde_json::to_vec(&header).map_err(|e| IngestError::Helper {
        message: format!("encoding cache header: {e}"),
    })?;
    bytes.push(b'\n');
    bytes.extend_from_slice(json.as_bytes());
    write_atomic(path, &bytes)
}
