//! TinyGo's standard-library importability tables, one per published release.
//!
//! The tables are TinyGo's own documentation (its "lang-support/stdlib" page) as tab-separated
//! text with the columns `package`, `importable`, `passes_tests`, `reason`. They are embedded at
//! compile time from `data/`, so the crate needs no files at run time.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use apisurface::validate::check_import_path;

const GO1_23_TSV: &str = include_str!("../data/tinygo-stdlib-go1.23.tsv");
const GO1_27_TSV: &str = include_str!("../data/tinygo-stdlib-go1.27.tsv");

/// Which embedded table: named by the Go standard library the table was produced against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum TableVersion {
    /// Produced with go1.23 and TinyGo 0.34 (October 2024).
    Go1_23,
    /// Produced against the go1.27 standard library (TinyGo page dated 2026-10-10).
    Go1_27,
}

impl TableVersion {
    /// Every embedded table, oldest first.
    pub const ALL: [TableVersion; 2] = [TableVersion::Go1_23, TableVersion::Go1_27];
    /// The newest embedded table (the default policy's).
    pub const NEWEST: TableVersion = TableVersion::Go1_27;

    /// `"go1.23"`, `"go1.27"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TableVersion::Go1_23 => "go1.23",
            TableVersion::Go1_27 => "go1.27",
        }
    }

    /// The embedded TSV text, byte for byte as shipped in `data/`.
    pub fn tsv(self) -> &'static str {
        match self {
            TableVersion::Go1_23 => GO1_23_TSV,
            TableVersion::Go1_27 => GO1_27_TSV,
        }
    }

    /// The file name in `data/` (`tinygo-stdlib-go1.27.tsv`).
    pub fn file_name(self) -> &'static str {
        match self {
            TableVersion::Go1_23 => "tinygo-stdlib-go1.23.tsv",
            TableVersion::Go1_27 => "tinygo-stdlib-go1.27.tsv",
        }
    }
}

impl fmt::Display for TableVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table version string that names no embedded table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TinyGo table {found:?}; expected one of: {}", TableVersion::ALL.map(|v| v.as_str()).join(", "))]
pub struct TableVersionError {
    /// The string that was given.
    pub found: String,
}

impl FromStr for TableVersion {
    type Err = TableVersionError;

    fn from_str(s: &str) -> Result<TableVersion, TableVersionError> {
        TableVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| TableVersionError {
                found: s.to_string(),
            })
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TableEntry {
    /// Standard-library import path.
    pub package: String,
    /// TinyGo can compile a program that imports it.
    pub importable: bool,
    /// The package's own tests pass under TinyGo (informational; not a ban).
    pub passes_tests: bool,
    /// Why it is not importable (TinyGo's wording); empty when importable.
    pub reason: String,
}

/// A parsed importability table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdTable {
    name: String,
    notes: Vec<String>,
    entries: Vec<TableEntry>,
}

/// A table text that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("table {table:?} line {line}: {what}")]
pub struct TableError {
    /// The table's name as given to [`StdTable::parse`].
    pub table: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub what: String,
}

const HEADER: [&str; 4] = ["package", "importable", "passes_tests", "reason"];

impl StdTable {
    /// The embedded table for `version`, parsed once.
    pub fn builtin(version: TableVersion) -> &'static StdTable {
        static CELLS: [OnceLock<StdTable>; TableVersion::ALL.len()] =
            [const { OnceLock::new() }; TableVersion::ALL.len()];
        // Every version is in ALL, so the index is always found and in range.
        let idx = TableVersion::ALL
            .iter()
            .position(|v| *v == version)
            .unwrap_or(0);
        CELLS[idx].get_or_init(|| {
            // The embedded files are checked by this crate's tests (`builtin_tables_parse`), so
            // this cannot fail for a released build; an empty table is the safe fallback anyway.
            StdTable::parse(version.as_str(), version.tsv()).unwrap_or_else(|_| StdTable {
                name: version.as_str().to_string(),
                notes: Vec::new(),
                entries: Vec::new(),
            })
        })
    }

    /// The newest embedded table ([`TableVersion::NEWEST`]).
    pub fn newest() -> &'static StdTable {
        StdTable::builtin(TableVersion::NEWEST)
    }

    /// Parses a table in TinyGo's TSV form.
    ///
    /// Lines starting with `#` are notes (kept, without the `#`); the first other line must be
    /// the header `package importable passes_tests reason`; each row has 3 or 4 tab-separated
    /// columns (`reason` may be empty or missing), `importable` and `passes_tests` are `yes` or
    /// `no`, the package is a valid import path, and packages are strictly ascending (sorted,
    /// no duplicates). Blank lines are ignored.
    pub fn parse(name: &str, text: &str) -> Result<StdTable, TableError> {
        let err = |line: usize, what: String| TableError {
            table: name.to_string(),
            line,
            what,
        };
        let mut notes = Vec::new();
        let mut entries: Vec<TableEntry> = Vec::new();
        let mut seen_header = false;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(note) = line.strip_prefix('#') {
                notes.push(note.trim().to_string());
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if !seen_header {
                if cols != HEADER {
                    return Err(err(
                        line_no,
                        format!(
                            "expected the header {:?}, found {line:?}",
                            HEADER.join("\t")
                        ),
                    ));
                }
                seen_header = true;
                continue;
            }
            if !(3..=4).contains(&cols.len()) {
                return Err(err(
                    line_no,
                    format!("expected 3 or 4 columns, found {}", cols.len()),
                ));
            }
            let package = cols[0];
            check_import_path(package).map_err(|e| err(line_no, e.to_string()))?;
            let flag = |col: usize| match cols[col] {
                "yes" => Ok(true),
                "no" => Ok(false),
                other => Err(err(
                    line_no,
                    format!(
                        "column {} must be `yes` or `no`, found {other:?}",
                        HEADER[col]
                    ),
                )),
            };
            let importable = flag(1)?;
            let passes_tests = flag(2)?;
            let reason = cols.get(3).map(|r| r.trim()).unwrap_or("").to_string();
            if let Some(prev) = entries
                .last()
                .filter(|prev| prev.package.as_str() >= package)
            {
                return Err(err(
                    line_no,
                    format!(
                        "package {package:?} is not after {:?} (unsorted or duplicate)",
                        prev.package
                    ),
                ));
            }
            entries.push(TableEntry {
                package: package.to_string(),
                importable,
                passes_tests,
                reason,
            });
        }
        if !seen_header {
            return Err(err(
                text.lines().count().max(1),
                "no header line".to_string(),
            ));
        }
        Ok(StdTable {
            name: name.to_string(),
            notes,
            entries,
        })
    }

    /// The table's name (`go1.27` for the embedded ones).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `#` note lines (provenance), without the `#`.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Every row, sorted by package.
    pub fn entries(&self) -> &[TableEntry] {
        &self.entries
    }

    /// The row for `package`, if the table lists it.
    pub fn entry(&self, package: &str) -> Option<&TableEntry> {
        self.entries
            .binary_search_by(|e| e.package.as_str().cmp(package))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Rows that TinyGo cannot import, sorted by package.
    pub fn not_importable(&self) -> impl Iterator<Item = &TableEntry> {
        self.entries.iter().filter(|e| !e.importable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_parse() {
        for v in TableVersion::ALL {
            let t = StdTable::parse(v.as_str(), v.tsv()).expect("embedded table parses");
            assert!(t.entries().len() > 100, "{v}: {} rows", t.entries().len());
            assert_eq!(StdTable::builtin(v), &t);
            assert_eq!(v.as_str().parse::<TableVersion>(), Ok(v));
        }
        assert!("go1.99".parse::<TableVersion>().is_err());
    }

    #[test]
    fn lookup_and_flags() {
        let t = StdTable::builtin(TableVersion::Go1_27);
        let plugin = t.entry("plugin").expect("plugin listed");
        assert!(!plugin.importable && !plugin.reason.is_empty());
        let reflect = t.entry("reflect").expect("reflect listed");
        assert!(reflect.importable && reflect.reason.is_empty());
        assert!(t.entry("github.com/x/y").is_none());
        assert!(
            t.not_importable()
                .all(|e| !e.importable && !e.reason.is_empty())
        );
    }

    #[test]
    fn parse_errors_name_the_line() {
        let h = "package\timportable\tpasses_tests\treason\n";
        let cases = [
            ("", "no header"),
            ("pkg\tok\n", "expected the header"),
            (&*format!("{h}a\tyes\n"), "3 or 4 columns"),
            (&*format!("{h}a\tmaybe\tno\t\n"), "`yes` or `no`"),
            (&*format!("{h}b\tyes\tno\t\na\tyes\tno\t\n"), "unsorted"),
            (&*format!("{h}a\tyes\tno\t\na\tyes\tno\t\n"), "duplicate"),
            (&*format!("{h}a b\tyes\tno\t\n"), "import path"),
        ];
        for (text, want) in cases {
            let e = StdTable::parse("t", text).unwrap_err();
            assert!(e.to_string().contains(want), "{text:?}: {e}");
        }
        let e = StdTable::parse("t", &format!("# note\n{h}\nb\tyes\tno\t\na\tyes\tno\t\n"))
            .unwrap_err();
        assert_eq!(e.line, 5);
        let ok = StdTable::parse(
            "t",
            &format!("# a note\r\n{h}a\tno\tno\tbecause\r\nb\tyes\tyes\n"),
        )
        .unwrap();
        assert_eq!(ok.notes(), ["a note"]);
        assert_eq!(ok.entries()[0].reason, "because");
        assert_eq!(ok.entries()[1].reason, "");
    }
}
