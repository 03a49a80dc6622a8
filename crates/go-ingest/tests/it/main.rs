//! go-ingest integration tests. Tests that need Go print `SKIP: go not found` and return early
//! when there is none; nothing here uses the network.

mod cache;
mod cli;
mod errors;
mod fixture;
mod std_types;

use go_ingest::Options;
use std::path::{Path, PathBuf};

/// True when a `go` binary is available; prints the SKIP line otherwise.
fn have_go() -> bool {
    if go_ingest::find_go(None).is_ok() {
        return true;
    }
    println!("SKIP: go not found");
    false
}

/// The workspace's `testdata/` folder.
fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// The fixture module.
fn fixture_dir() -> PathBuf {
    testdata().join("ingest-fixture")
}

/// Options with a private cache directory, no progress output.
fn opts(cache: &Path) -> Options {
    Options::default().cache_dir(cache).progress(false)
}

/// A cache directory shared by the tests in this binary (the helper is built once), under the
/// target directory.
fn shared_cache() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-ingest-cache");
    std::fs::create_dir_all(&d).expect("creating the shared cache dir");
    d
}

/// Writes a small module into `dir`: `files` are (relative path, contents).
fn write_module(dir: &Path, module: &str, files: &[(&str, &str)]) {
    std::fs::write(dir.join("go.mod"), format!("module {module}\n\ngo 1.24\n")).unwrap();
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// Sets the modification time of `path` a minute into the past, as if it had been edited
/// before the run (go-ingest does not cache results whose inputs changed right before a run).
fn backdate(path: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let f = std::fs::File::open(path).unwrap();
    f.set_modified(past).unwrap();
}

/// [`backdate`] for a whole tree.
fn backdate_tree(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            backdate_tree(&e.path());
        } else {
            backdate(&e.path());
        }
    }
    backdate(dir);
}
