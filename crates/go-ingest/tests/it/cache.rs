//! The helper and result caches: reuse, invalidation, concurrent first runs.

use crate::{backdate, backdate_tree, copy_tree, fixture_dir, have_go, opts, shared_cache};
use go_ingest::ingest;
use std::path::Path;

fn funcs(json: &str, pkg: &str) -> Vec<String> {
    let s: apisurface::Surface = serde_json::from_str(json).unwrap();
    s.package(pkg)
        .unwrap()
        .funcs
        .iter()
        .map(|f| f.name.clone())
        .collect()
}

#[test]
fn result_cache_hits_and_is_invalidated_by_source_changes() {
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join("ingest-fixture");
    copy_tree(&fixture_dir(), &module);
    // A directory without a package, where one will appear later.
    std::fs::create_dir_all(module.join("sub/empty")).unwrap();
    backdate_tree(tmp.path());
    let cache = tmp.path().join("cache");
    let o = opts(&cache).dir(&module);
    let pkg = "example.com/ingestfixture/tagged";

    let cold = ingest(&["./..."], &o).unwrap();
    assert!(!cold.from_cache());
    let warm = ingest(&["./..."], &o).unwrap();
    assert!(warm.from_cache(), "second run must come from the cache");
    assert_eq!(cold.json(), warm.json());

    // Editing a source file invalidates the entry.
    let file = module.join("tagged/tagged.go");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n// Later was added.\nfunc Later() {}\n");
    std::fs::write(&file, text).unwrap();
    let edited = ingest(&["./..."], &o).unwrap();
    assert!(!edited.from_cache());
    assert_eq!(funcs(edited.json(), pkg), ["Always", "Later"]);
    // A file modified right before a run may have changed while Go read it: not cached yet.
    assert!(!ingest(&["./..."], &o).unwrap().from_cache());
    backdate(&file);
    backdate(&module.join("tagged"));
    assert!(!ingest(&["./..."], &o).unwrap().from_cache());
    assert!(ingest(&["./..."], &o).unwrap().from_cache());

    // So does adding a file, and editing a file of a dependency in another module.
    std::fs::write(
        module.join("tagged/more.go"),
        "package tagged\n\nfunc More() {}\n",
    )
    .unwrap();
    backdate(&module.join("tagged/more.go"));
    backdate(&module.join("tagged"));
    let added = ingest(&["./..."], &o).unwrap();
    assert!(!added.from_cache());
    assert_eq!(funcs(added.json(), pkg), ["Always", "Later", "More"]);
    let dep = module.join("depmod/dep.go");
    let mut text = std::fs::read_to_string(&dep).unwrap();
    text = text.replace("Next() (Token, bool)", "Next() (Token, error)");
    std::fs::write(&dep, text).unwrap();
    backdate(&dep);
    let dep_changed = ingest(&["./..."], &o).unwrap();
    assert!(!dep_changed.from_cache());
    assert!(
        dep_changed
            .json()
            .contains("Next() (example.com/ingestdep.Token, error)")
    );

    assert!(ingest(&["./..."], &o).unwrap().from_cache());

    // A new package below a directory that held none (the module root's mtime is unchanged).
    let newpkg = module.join("sub/newpkg");
    std::fs::create_dir(&newpkg).unwrap();
    std::fs::write(newpkg.join("n.go"), "package newpkg\n\nfunc N() {}\n").unwrap();
    backdate_tree(&module.join("sub"));
    let grown = ingest(&["./..."], &o).unwrap();
    assert!(!grown.from_cache());
    assert_eq!(
        funcs(grown.json(), "example.com/ingestfixture/sub/newpkg"),
        ["N"]
    );

    // Different patterns or options are different entries.
    assert!(!ingest(&["./tagged"], &o).unwrap().from_cache());
    assert!(
        !ingest(&["./..."], &o.clone().tags(["ingestextra"]))
            .unwrap()
            .from_cache()
    );
    // And the cache can be turned off.
    assert!(
        !ingest(&["./..."], &o.clone().result_cache(false))
            .unwrap()
            .from_cache()
    );
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn concurrent_first_runs_share_one_helper_and_leave_no_temp_files() {
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let outs: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let o = opts(&cache);
                s.spawn(move || ingest(&["errors", "io"], &o).map(|r| r.json().to_string()))
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().unwrap().expect("concurrent ingest"))
            .collect()
    });
    assert!(outs.windows(2).all(|w| w[0] == w[1]));
    let helpers = files_in(&cache.join("helper"));
    assert_eq!(helpers.len(), 1, "{helpers:?}");
    assert!(!helpers[0].starts_with(".tmp"));
    let results = files_in(&cache.join("results"));
    assert_eq!(results.len(), 1, "{results:?}");
    // A later run reuses the helper binary as is.
    let before = std::fs::metadata(cache.join("helper").join(&helpers[0]))
        .unwrap()
        .modified()
        .unwrap();
    ingest(&["errors"], &opts(&cache).result_cache(false)).unwrap();
    let after = std::fs::metadata(cache.join("helper").join(&helpers[0]))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_corrupt_result_entry_is_ignored() {
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let o = opts(&cache);
    let first = ingest(&["errors"], &o).unwrap();
    let results = cache.join("results");
    let entry = results.join(&files_in(&results)[0]);
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() - 10]).unwrap();
    let again = ingest(&["errors"], &o).unwrap();
    assert!(!again.from_cache());
    assert_eq!(first.json(), again.json());
    let _ = shared_cache();
}

#[test]
fn helper_writes_the_models_own_bytes() {
    // The helper's hand-written JSON must equal serde's serialization of the model byte for
    // byte (the fast path of the schema check). Run the cached helper binary directly.
    if !have_go() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let o = opts(&cache).dir(fixture_dir()).result_cache(false);
    let via_lib = ingest(&["./..."], &o).unwrap();
    let helpers = files_in(&cache.join("helper"));
    assert_eq!(helpers.len(), 1);
    let go = go_ingest::find_go(None).unwrap();
    let s: apisurface::Surface = serde_json::from_str(via_lib.json()).unwrap();
    let out = std::process::Command::new(cache.join("helper").join(&helpers[0]))
        .current_dir(fixture_dir())
        .arg("-go")
        .arg(&go)
        .args([
            "-go-version",
            &s.go_version,
            "-generated-by",
            &s.generated_by,
            "--",
            "./...",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Lines: header, the surface without packages, one line per package, trailer `{}`.
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 4, "{text}");
    assert_eq!(lines[lines.len() - 1], "{}");
    let head = lines[1]
        .strip_suffix("[]}")
        .expect("the surface line has an empty package list");
    let body = format!("{head}[{}]}}", lines[2..lines.len() - 1].join(","));
    assert!(body.contains("naïve “string”"));
    assert_eq!(body, via_lib.json());
}
