//! The embedded tables are exact copies of the shared data, and parse.

use std::path::Path;
use tinygo_check::{StdTable, TableVersion};

#[test]
fn embedded_tables_match_shared_data() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The crate's own copy is what include_str! embedded.
    for v in TableVersion::ALL {
        let own = std::fs::read_to_string(crate_dir.join("data").join(v.file_name())).unwrap();
        assert_eq!(
            own,
            v.tsv(),
            "{v}: data/ copy differs from the embedded text"
        );
    }
    // `<workspace>/../shared/data`, present in the development checkout only.
    let shared = crate_dir.join("../../../shared/data");
    if !shared.is_dir() {
        println!(
            "SKIP: {} not present; cannot compare the copies",
            shared.display()
        );
        return;
    }
    for v in TableVersion::ALL {
        let path = shared.join(v.file_name());
        let upstream = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} missing from shared data: {e}", path.display()));
        assert_eq!(
            v.tsv(),
            upstream,
            "data/{} differs from {}; copy it again",
            v.file_name(),
            path.display()
        );
    }
}

#[test]
fn tables_know_what_changed_between_releases() {
    let old = StdTable::builtin(TableVersion::Go1_23);
    let new = StdTable::builtin(TableVersion::Go1_27);
    assert_eq!(old.name(), "go1.23");
    assert!(old.notes().iter().any(|n| n.contains("TinyGo 0.34")));
    // net/http became importable; go/types stopped being importable.
    assert!(!old.entry("net/http").unwrap().importable);
    assert!(new.entry("net/http").unwrap().importable);
    assert!(old.entry("go/types").unwrap().importable);
    assert!(!new.entry("go/types").unwrap().importable);
    assert!(old.entry("weak").is_none() && new.entry("weak").is_some());
    assert_eq!(StdTable::newest(), new);
}
